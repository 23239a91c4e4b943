// Builds every bundle with esbuild. Run with `npm run build` (also run by `npm ci` via
// the `prepare` script, so a fresh checkout has a runnable CLI).
//
// Targets:
//   cli     dist/cli/index.js     Node ESM, the `diffusion-layers` command
//   web     (to add) dist/web/    the standalone web editor page
//   worker  dist/worker/worker.js the inference Web Worker (onnxruntime-web, no onnxruntime-node)
//   panel   (to add) dist/uxp/    the Photoshop UXP panel and its webview page, plus manifest.json
//
// Usage: node scripts/build.mjs [target ...]   (no target: all of them)
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
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

  // ---- web editor page (to add): platform 'browser', entry src/host/web/main.tsx,
  // ---- outdir dist/web, external: NODE_ONLY must never be reached (use the
  // ---- browserOnly() plugin below), copy onnxruntime-web's .wasm/.mjs into dist/web/ort/.

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

const wanted = process.argv.slice(2);
for (const name of wanted) {
  if (!(name in targets)) {
    console.error(`unknown build target "${name}"; expected one of: ${Object.keys(targets).join(', ')}`);
    process.exit(2);
  }
}
const names = wanted.length > 0 ? wanted : Object.keys(targets);
if (wanted.length === 0) await rm(path.join(root, 'dist'), { recursive: true, force: true });
for (const name of names) {
  const t0 = performance.now();
  await targets[name]();
  console.log(`built ${name} in ${Math.round(performance.now() - t0)} ms`);
}
