// Builds the Photoshop plugin: dist/uxp/ is the folder UXP Developer Tool loads ("Add Plugin",
// pick dist/uxp/manifest.json); with --ccx it is also zipped into
// dist/diffusion-layers-<version>.ccx (manifest.json at the zip root).
//
//   dist/uxp/
//     manifest.json            from ./manifest.json, checked against package.json and the schema
//     index.html, index.js/css the panel (UXP runtime: classic script, `photoshop`/`uxp` external)
//     webview.html, webview.js the page of the panel's <webview>: starts the worker, serves its API
//     worker.js, chunk-*.js    the inference worker (the `worker` target of scripts/build.mjs)
//     ort/                     onnxruntime-web's runtime files
//     models/<pack>/           models/default, or the tiny test pack when there is no default
//     icons/                   drawn by scripts/uxp-icons.mjs
//
// Usage: node scripts/build-uxp.mjs [--ccx]   (npm run build:uxp / npm run package:uxp)
import { build } from 'esbuild';
import Ajv from 'ajv';
import { zipSync } from 'fflate';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { writeIcons } from './uxp-icons.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));


/** Builds the inference worker this plugin ships; hands back build.mjs (for browserOnly()). */
async function sharedBuild() {
  await rm(path.join(root, 'dist/worker'), { recursive: true, force: true }); // no stale chunks
  const shared = await import('./build.mjs');
  await shared.buildTargets(['worker']);
  return shared;
}

/** manifest.json, checked: its version is package.json's, and it matches the v5 schema. */
export async function checkedManifest() {
  const manifest = JSON.parse(await readFile(path.join(root, 'manifest.json'), 'utf8'));
  if (manifest.version !== pkg.version) {
    throw new Error(`manifest.json has version ${manifest.version} but package.json has ${pkg.version}: make them equal`);
  }
  const schema = JSON.parse(await readFile(path.join(root, 'schemas/uxp-manifest-v5.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true }).compile(schema);
  if (!validate(manifest)) {
    const problems = validate.errors.map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new Error(`manifest.json does not match schemas/uxp-manifest-v5.schema.json: ${problems}`);
  }
  return manifest;
}

/** The pack to bundle: models/default, else the tiny test pack. Copies model.json and its files. */
async function copyPack(dest) {
  const hasDefault = await stat(path.join(root, 'models/default/model.json')).then(() => true, () => false);
  const [name, dir] = hasDefault ? ['default', path.join(root, 'models/default')] : ['tiny-pack', path.join(root, 'test/fixtures/tiny-pack')];
  const model = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
  const files = ['model.json'];
  for (const stage of ['textEncoder', 'base', 'upsampler', 'reranker']) for (const f of model[stage]?.files ?? []) files.push(f.path);
  for (const f of files) {
    await mkdir(path.dirname(path.join(dest, name, f)), { recursive: true });
    await cp(path.join(dir, f), path.join(dest, name, f));
  }
  return { path: `models/${name}/`, label: model.name ?? name, testModel: !hasDefault };
}

export async function buildUxp(out = path.join(root, 'dist/uxp')) {
  const manifest = await checkedManifest();
  const { browserOnly, ORT_FILES } = await sharedBuild();
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const pack = await copyPack(path.join(out, 'models'));
  const define = { __VERSION__: JSON.stringify(pkg.version), __UXP_PACK__: JSON.stringify(pack) };
  const common = { absWorkingDir: root, bundle: true, platform: 'browser', minify: true, define, plugins: [browserOnly()], logLevel: 'warning' };

  // The UXP panel runtime loads classic scripts and provides require('photoshop'/'uxp').
  await build({
    ...common,
    entryPoints: { index: 'src/host/photoshop/panel-main.tsx' },
    outdir: out,
    format: 'iife',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    external: ['photoshop', 'uxp'],
  });
  // The webview is a browser engine (WebView2 / WKWebView): an ES module that starts the worker.
  await build({ ...common, entryPoints: { webview: 'src/host/photoshop/webview-main.ts' }, outdir: out, format: 'esm', target: 'es2022' });

  for (const f of await readdir(path.join(root, 'dist/worker'))) {
    if (f.endsWith('.js')) await cp(path.join(root, 'dist/worker', f), path.join(out, f));
  }
  await mkdir(path.join(out, 'ort'), { recursive: true });
  for (const f of ORT_FILES) await cp(path.join(root, 'node_modules/onnxruntime-web/dist', f), path.join(out, 'ort', f));
  for (const f of ['index.html', 'webview.html']) await cp(path.join(root, 'uxp', f), path.join(out, f));
  await writeIcons(out);
  await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { out, pack };
}

/** Every file under `dir`, as zip paths (forward slashes) relative to it. */
async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Zips `dir` into `file` with manifest.json at the root; already-compressed images are stored. */
export async function packageCcx(dir = path.join(root, 'dist/uxp'), file = path.join(root, `dist/diffusion-layers-${pkg.version}.ccx`)) {
  const names = await listFiles(dir);
  if (!names.includes('manifest.json')) throw new Error(`${dir} has no manifest.json: run the build first`);
  const entries = {};
  for (const name of names) {
    entries[name] = [new Uint8Array(await readFile(path.join(dir, name))), { level: /\.(png|jpe?g)$/.test(name) ? 0 : 6 }];
  }
  const zip = zipSync(entries, { mtime: new Date('2020-01-01T00:00:00Z') });
  await writeFile(file, zip);
  return { file, bytes: zip.length, names };
}

const isMain = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const t0 = performance.now();
  const { out, pack } = await buildUxp();
  console.log(`built ${path.relative(root, out)} (model pack ${pack.path}${pack.testModel ? ', the tiny test pack: no models/default yet' : ''}) in ${Math.round(performance.now() - t0)} ms`);
  if (process.argv.includes('--ccx')) {
    const { file, bytes, names } = await packageCcx(out);
    console.log(`packed ${path.relative(root, file)}: ${(bytes / 1048576).toFixed(1)} MiB, ${names.length} files`);
  }
}
