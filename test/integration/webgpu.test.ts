// WebGPU parity: onnxruntime-node's WebGPU EP (Dawn; on this kind of machine Vulkan on
// SwiftShader, Debian chromium's software ICD) against wasm and the Python reference on the
// same base run. Skipped, with the reason printed, where no adapter can be had.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOrtNodeBackend, probeNodeWebGpu } from '../../src/inference/backends/ort-node.js';
import { createOrtWebBackend } from '../../src/inference/backends/ort-web.js';
import type { Backend } from '../../src/inference/backend.js';
import { loadPack } from '../../src/inference/pack.js';
import { diffusionFor } from '../../src/inference/sampling/diffusion.js';
import { encodeText, sampleBase } from '../../src/inference/stages.js';
import { f32, i64, maxAbsDiff, reference, TINY_PACK } from '../helpers/reference.js';

const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)) process.env.VK_ICD_FILENAMES = SWIFTSHADER;

/** WebGPU (fp32 kernels, other summation order) vs wasm after a whole 10-step run. */
const TOL_WEBGPU = 1e-3;

const probe = await probeNodeWebGpu(readFileSync(`${TINY_PACK}text_encoder.fp32.onnx`));
if (!probe.ok) console.log(`skipping WebGPU parity: ${probe.reason}`);

async function baseRun(backend: Backend, name: string) {
  const ref = reference();
  const run = ref.base_runs.find((r) => r.name === name)!;
  const pack = await loadPack(TINY_PACK);
  const te = await backend.createSession((await pack.readFile('textEncoder')).bytes, 'text_encoder');
  const base = await backend.createSession((await pack.readFile('base')).bytes, 'base');
  const text = await encodeText(te, i64(ref.tokens), f32(ref.mask), ref.prompts.length);
  const out = await sampleBase({
    session: base, resolution: 16, batch: 1, text, phases: [{ until: Infinity, cond: [run.prompt], uncond: run.uncondPrompt }], guidance: run.guidance,
    dynamicThreshold: run.dynamicThreshold, sampler: run.sampler, diffusion: diffusionFor(pack.manifest.base.schedule, run.respacing),
    xT: f32(run.x_T),
  });
  await te.release();
  await base.release();
  return { out, want: f32(run.out) };
}

describe.skipIf(!probe.ok)('WebGPU (onnxruntime-node) parity', () => {
  it(`the unguided DDIM base run matches wasm and the reference within ${TOL_WEBGPU} abs`, async () => {
    const gpu = await baseRun(await createOrtNodeBackend({ device: 'webgpu' }), 'unguided_ddim');
    const wasm = await baseRun(await createOrtWebBackend({ device: 'wasm', numThreads: 1 }), 'unguided_ddim');
    const vsWasm = maxAbsDiff(gpu.out, wasm.out);
    const vsRef = maxAbsDiff(gpu.out, gpu.want);
    console.log(`WebGPU (${probe.reason}) max abs error: vs wasm ${vsWasm.toExponential(2)}, vs reference ${vsRef.toExponential(2)}`);
    expect(vsWasm).toBeLessThan(TOL_WEBGPU);
    expect(vsRef).toBeLessThan(TOL_WEBGPU);
  }, 240_000);
});
