// Builds every bundle with esbuild. Run with `npm run build` (also run by `npm ci` via
// the `prepare` script, so a fresh checkout has a runnable CLI).
//
// Targets:
//   cli     dist/cli/index.js     Node ESM, the `diffusion-layers` command
//   web     dist/web/             the standalone web editor page (npm start serves it)
//   worker  dist/worker/worker.js the inference Web Worker (onnxruntime-web, no onnxruntime-node)
//   panel   (to add) dist/uxp/    the Photoshop UXP panel and its webview page, plus manifest.json
//
// Usage: node scripts/build.mjs [target ...]   (no target: all of them)
import { build } from 'esbuild';
import { cp, link, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
const define = { __VERSION__: JSON.stringify(pkg.version) };

/** Packages that exist only for Node; a browser bundle that pulls one in is a bug. */
const NODE_ONLY = ['onnxruntime-node', 'pngjs', 'commander'];

const targets = {
  async cli() {
    await build({
      absWorkingDir: root,
      entryPoints: ['src/cli/index.ts'],
      outfile: 'dist/cli/index.js',
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: true,
      // Native addons and large runtimes stay in node_modules, resolved at run time.
      packages: 'external',
      define,
      logLevel: 'warning',
    });
  },

  // standalone web editor: dist/web/ = index.html, app.js/.css, the worker (from the worker
  // target), onnxruntime-web's runtime files in ort/, and the bundled model pack in models/.
  async web() {
    if (!done.has('worker')) {
      await rm(path.join(root, 'dist/worker'), { recursive: true, force: true }); // no stale chunks
      await runTarget('worker');
    }
    const out = path.join(root, 'dist/web');
    await rm(out, { recursive: true, force: true });
    await build({
      absWorkingDir: root,
      entryPoints: { app: 'src/host/web/main.tsx' },
      outdir: 'dist/web',
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      minify: true,
      sourcemap: true,
      define,
      plugins: [browserOnly()],
      logLevel: 'warning',
    });
    await cp(path.join(root, 'src/host/web/index.html'), path.join(out, 'index.html'));
    await cp(path.join(root, 'dist/worker'), out, { recursive: true });
    await copyOrtRuntime(path.join(out, 'ort'));
    await copyPacks(path.join(out, 'models'));
    await reportSizes(out);
  },

  // inference Web Worker: onnxruntime-web only (ORT's wasm/webgpu builds are split into
  // chunks loaded on demand); the page passes `wasmPaths` where ORT's .wasm files are served.
  async worker() {
    await build({
      absWorkingDir: root,
      entryPoints: { worker: 'src/worker/worker.ts' },
      outdir: 'dist/worker',
      bundle: true,
      splitting: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2022',
      minify: true,
      sourcemap: true,
      define,
      plugins: [browserOnly()],
      logLevel: 'warning',
    });
  },

  // ---- UXP panel (to add): entry src/panel/index.tsx and the webview page, outdir
  // ---- dist/uxp, jsx 'automatic' with jsxImportSource 'preact', manifest.json written
  // ---- from a typed object whose version comes from package.json; plugins: [browserOnly()].
};

/** onnxruntime-web's runtime files the worker loads at run time (plain wasm, and the asyncify build of the WebGPU EP). */
export const ORT_FILES = ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.asyncify.mjs'];

async function copyOrtRuntime(dest) {
  await mkdir(dest, { recursive: true });
  for (const f of ORT_FILES) await linkOrCopy(path.join(root, 'node_modules/onnxruntime-web/dist', f), path.join(dest, f));
}

/** Hard link where the file system allows (model and runtime files are large), else copy. */
async function linkOrCopy(from, to) {
  await rm(to, { force: true });
  try {
    await link(from, to);
  } catch {
    await cp(from, to);
  }
}

/**
 * Copies model packs (model.json and the files it lists) into `dest`: models/default when it
 * exists, and always the tiny test pack; writes index.json naming the default the page loads.
 */
async function copyPacks(dest) {
  const packs = [['tiny-pack', path.join(root, 'test/fixtures/tiny-pack')]];
  const hasDefault = await stat(path.join(root, 'models/default/model.json')).then(() => true, () => false);
  if (hasDefault) packs.push(['default', path.join(root, 'models/default')]);
  let label = 'tiny-random';
  for (const [name, dir] of packs) {
    const manifest = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    const files = ['model.json'];
    for (const stage of ['textEncoder', 'base', 'upsampler', 'reranker']) for (const f of manifest[stage]?.files ?? []) files.push(f.path);
    for (const f of files) {
      await mkdir(path.dirname(path.join(dest, name, f)), { recursive: true });
      await linkOrCopy(path.join(dir, f), path.join(dest, name, f));
    }
    label = manifest.name ?? name;
  }
  const index = { default: { path: `models/${hasDefault ? 'default' : 'tiny-pack'}/`, label, testModel: !hasDefault } };
  await writeFile(path.join(dest, 'index.json'), JSON.stringify(index, null, 2));
}

async function reportSizes(dir) {
  const rows = [];
  for (const f of await readdir(dir, { recursive: true })) {
    if (!/\.(js|css|html)$/.test(f) || f.startsWith(`ort${path.sep}`) || f.startsWith('models')) continue;
    rows.push(`${f} ${((await stat(path.join(dir, f))).size / 1024).toFixed(1)} KiB`);
  }
  console.log(`  ${rows.sort().join(', ')}`);
}

/** esbuild plugin for browser bundles: fail the build if a Node-only package is imported. */
export function browserOnly() {
  return {
    name: 'browser-only',
    setup(b) {
      const filter = new RegExp(`^(${NODE_ONLY.join('|')})(/|$)`);
      b.onResolve({ filter }, (args) => ({
        errors: [{ text: `${args.path} is Node-only and must not enter a browser bundle (imported by ${args.importer})` }],
      }));
    },
  };
}

/** Targets built in this process (web builds worker first when it is not built yet). */
const done = new Set();
async function runTarget(name) {
  const t0 = performance.now();
  await targets[name]();
  done.add(name);
  console.log(`built ${name} in ${Math.round(performance.now() - t0)} ms`);
}

/** Build the named targets (all, after emptying dist/, when none are named). */
export async function buildTargets(wanted = []) {
  for (const name of wanted) {
    if (!(name in targets)) throw new Error(`unknown build target "${name}"; expected one of: ${Object.keys(targets).join(', ')}`);
  }
  const names = wanted.length > 0 ? wanted : Object.keys(targets);
  if (wanted.length === 0) await rm(path.join(root, 'dist'), { recursive: true, force: true });
  for (const name of names) if (!done.has(name)) await runTarget(name);
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  try {
    await buildTargets(process.argv.slice(2));
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(2);
  }
}
