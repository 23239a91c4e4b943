// Benchmarks the inference engine per backend (`npm run bench [-- --model DIR] [-- --backends LIST]`).
//
// Each configuration runs in its own process (onnxruntime-web fixes its thread count at first
// use, and peak RSS is per process) through the built CLI's `bench` command:
//   wasm and native CPU (onnxruntime-web in Node, onnxruntime-node) at 1 and 2 threads each, so the
//   wasm/native ratio compares equal thread counts, and WebGPU (onnxruntime-node's Dawn EP; on
//   SwiftShader when Debian's chromium ships it).
// Prints a table and the wasm/native ratios; writes bench-results/<date>.json (gitignored).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const mi = args.indexOf('--model');
const model =
  mi >= 0 ? path.resolve(args[mi + 1]) : existsSync(path.join(root, 'models/default/model.json')) ? path.join(root, 'models/default') : path.join(root, 'test/fixtures/tiny-pack');
// --backends wasm,native,webgpu picks configurations by label prefix (all by default): WebGPU on
// SwiftShader takes minutes per denoiser call for a real pack.
const bi = args.indexOf('--backends');
const wanted = bi >= 0 ? args[bi + 1].split(',') : null;
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'cli'], { stdio: 'inherit' });
console.log(`model: ${path.relative(root, model) || model}${model.endsWith('tiny-pack') ? ' (random test model)' : ''}`);

const configs = [
  { label: 'wasm 1t', args: ['--backend', 'wasm', '--threads', '1'] },
  { label: 'wasm 2t', args: ['--backend', 'wasm', '--threads', '2'] },
  { label: 'native 1t', args: ['--backend', 'cpu', '--threads', '1'] },
  { label: 'native 2t', args: ['--backend', 'cpu', '--threads', '2'] },
  {
    label: 'webgpu (node)',
    args: ['--backend', 'webgpu'],
    env: !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER) ? { VK_ICD_FILENAMES: SWIFTSHADER } : {},
  },
];

const selected = wanted ? configs.filter((c) => wanted.some((w) => c.label.startsWith(w))) : configs;
const results = [];
const skipped = [];
for (const c of selected) {
  process.stdout.write(`running ${c.label} ... `);
  const r = spawnSync(process.execPath, [path.join(root, 'bin/diffusion-layers.js'), 'bench', '--json', '--model', model, ...c.args], {
    env: { ...process.env, ...c.env },
    encoding: 'utf8',
    timeout: 600_000,
  });
  const line = (r.stdout ?? '').trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (r.status === 0 && line) {
    results.push({ ...JSON.parse(line), backend: c.label });
    console.log('done');
  } else {
    const why = ((r.stderr ?? '').match(/error: (.*)/)?.[1] ?? (r.error ? r.error.message : `exit ${r.status}`)).slice(0, 200);
    const reason = /adapter/i.test(why) ? `no WebGPU adapter (${why})` : why;
    skipped.push({ backend: c.label, reason });
    console.log(`skipped: ${reason}`);
  }
}

const rows = [
  ['reason', (r) => r.reason],
  ['load (sessions) ms', (r) => r.loadMs],
  ['text encoder (batch 2) ms', (r) => r.textEncoderMs],
  ['base call (batch 2) ms', (r) => r.baseCallBatch2Ms],
  ['upsampler call ms', (r) => r.upsamplerCallMs],
  ['base stage ms', (r) => r.baseStageMs],
  ['upsampler stage ms', (r) => r.upsamplerStageMs],
  ['whole pipeline ms', (r) => r.pipelineMs],
  ["pack's candidates per image", (r) => r.candidates],
  ['pipeline with them ms', (r) => r.pipelineDefaultsMs],
  ['from a picture (0.6) ms', (r) => r.pipelineFromPictureMs],
  ['host cost per step ms', (r) => r.hostMsPerStep],
  ['upscale 64 px, strength 1', (r) => r.upscale64Ms],
  ['upscale 64 px, strength 0.3', (r) => r.upscale64Strength03Ms],
  ['peak RSS MB', (r) => r.peakRssMb],
];
const fmt = (v) => (typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v.toFixed(2)) : String(v));
const width = Math.max(14, ...results.map((r) => r.backend.length));
console.log(`\n${'metric'.padEnd(28)}${results.map((r) => r.backend.padStart(width + 2)).join('')}`);
for (const [name, get] of rows.slice(1)) console.log(`${name.padEnd(28)}${results.map((r) => fmt(get(r)).padStart(width + 2)).join('')}`);
for (const r of results) console.log(`  ${r.backend}: ${r.reason}`);
for (const s of skipped) console.log(`  ${s.backend}: skipped, ${s.reason}`);

// The issue's target: wasm within 1.5x of native CPU at the same thread count.
const ratio = {};
for (const t of ['1t', '2t']) {
  const wasm = results.find((r) => r.backend === `wasm ${t}`);
  const native = results.find((r) => r.backend === `native ${t}`);
  if (!wasm || !native) continue;
  ratio[t] = { pipeline: wasm.pipelineMs / native.pipelineMs, baseCall: wasm.baseCallBatch2Ms / native.baseCallBatch2Ms };
  console.log(`wasm / native CPU, ${t}: pipeline ${ratio[t].pipeline.toFixed(2)}x, base call ${ratio[t].baseCall.toFixed(2)}x (target <= 1.5x)`);
}
if (results.length) {
  console.log(`host cost per step (sampler maths + tensor copies between runs, outside session.run): ${results.map((r) => `${r.backend} ${r.hostMsPerStep.toFixed(2)} ms`).join(', ')}`);
}

const outDir = path.join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const file = path.join(outDir, `${stamp}.json`);
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), model: path.relative(root, model), node: process.version, results, skipped, ratio }, null, 2)}\n`);
console.log(`\nwrote ${path.relative(root, file)}`);
