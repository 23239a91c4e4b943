/**
 * One benchmark configuration in this process (`diffusion-layers bench --backend X`):
 * per-stage times on a pack, the host (CPU-side) cost per denoising step, peak RSS.
 * scripts/bench.mjs runs each configuration in its own process and tabulates them.
 */
import type { Backend } from '../inference/backend.js';
import { loadPack } from '../inference/pack.js';
import { Engine } from '../inference/pipeline.js';
import { PromptTokenizer } from '../inference/tokenizer.js';

export interface BenchResult {
  backend: string;
  reason: string;
  pack: string;
  steps: number;
  upsamplerSteps: number;
  loadMs: number;
  textEncoderMs: number;
  /** mean time in session.run per base step (batch 2: cond + uncond) during the base stage */
  baseCallBatch2Ms: number;
  /**
   * mean time in session.run per upsampler call (batch 1): the extra run time of the upscale job at
   * strength 1 over the same job at 0.3, divided by its extra calls. Both jobs run warm on
   * the same tiles, so fixed costs cancel; subtracting a base-only pipeline from a whole one did not
   * (the base stage's run-to-run jitter on wasm halved the figure).
   */
  upsamplerCallMs: number;
  baseStageMs: number;
  upsamplerStageMs: number;
  pipelineMs: number;
  /** the pack's default candidates per image (the rows above draw one) */
  candidates: number;
  /** the whole pipeline with the pack's default candidates, drawn and reranked */
  pipelineDefaultsMs: number;
  /** the same from a picture at the default init strength (More like this, Redraw layer): that share of the base steps */
  pipelineFromPictureMs: number;
  /** base stage time per step minus the time inside session.run: sampler maths and tensor copies */
  hostMsPerStep: number;
  /** the upscale job on a 64 px picture, tile by tile: at strength 1 (from noise), and at 0.3 (the photograph setting) */
  upscale64Ms: number;
  upscale64Strength03Ms: number;
  peakRssMb: number;
}

/** An opaque RGBA picture of smooth gradients (what the upsampler's time does not depend on). */
function smoothPicture(n: number): Uint8ClampedArray {
  const px = new Uint8ClampedArray(n * n * 4);
  for (let i = 0; i < n * n; i++) px.set([(i % n) * 4, Math.floor(i / n) * 4, 128, 255], 4 * i);
  return px;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeRuns(n: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up (first runs allocate)
  await fn();
  const ts: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

export async function runBench(modelDir: string, backend: Backend, label: string, repeats = 5): Promise<BenchResult> {
  const pack = await loadPack(modelDir);
  const m = pack.manifest;
  const t0 = performance.now();
  const engine = new Engine();
  await engine.load(pack, { backend });
  const loadMs = performance.now() - t0;
  const b = engine.currentBackend!;

  // the text encoder alone, on its own session
  const { bytes, file } = await pack.readFile('textEncoder', b.precision);
  const te = await b.createSession(bytes, file.path);
  const tok = new PromptTokenizer(m.tokenizer).encodeBatch(['a red heart', '']);
  const L = m.tokenizer.contextLength;
  const textEncoderMs = await timeRuns(repeats, () =>
    te.run({ tokens: { type: 'int64', data: tok.tokens, dims: [2, L] }, mask: { type: 'float32', data: tok.mask, dims: [2, L] } }),
  );
  await te.release();

  // whole stages through the engine, after a warm-up run (the first runs allocate); one
  // candidate, so that the calls are the batch-2 calls the columns name
  const req = { prompt: 'a red heart', seed: 1, candidates: 1 };
  await engine.generate({ ...req, steps: 2, upsamplerSteps: 3 });
  const steps = m.defaults.steps;
  const upsamplerSteps = m.defaults.upsamplerSteps ?? 10;
  const r = await engine.generate(req);
  const s1 = { ...b.stats };
  const baseOnly = await engine.generate({ ...req, upscale: false });
  const runMsBase = b.stats.runMs - s1.runMs; // text encoder + `steps` base calls
  const candidates = m.defaults.candidates ?? 1;
  const withDefaults = candidates > 1 ? await engine.generate({ prompt: req.prompt, seed: req.seed }) : r;
  const fromPicture = await engine.generate({ prompt: req.prompt, seed: req.seed, init: withDefaults.images[0]! });
  const image = { width: 64, height: 64, data: smoothPicture(64) };
  const u0 = { ...b.stats };
  const upscale64Ms = (await engine.upscale({ image, seed: 1, strength: 1 })).timings.totalMs;
  const u1 = { ...b.stats };
  const upscale64Strength03Ms = (await engine.upscale({ image, seed: 1, strength: 0.3 })).timings.totalMs;
  const u2 = { ...b.stats };
  await engine.dispose();
  const baseCallBatch2Ms = (runMsBase - textEncoderMs) / steps;
  const extraRuns = u1.runs - u0.runs - (u2.runs - u1.runs);
  // NaN for a pack with so few upsampler steps that 0.3 keeps all of them
  const upsamplerCallMs = extraRuns > 0 ? (u1.runMs - u0.runMs - (u2.runMs - u1.runMs)) / extraRuns : Number.NaN;
  const hostMsPerStep = Math.max(0, (baseOnly.timings.totalMs - runMsBase) / steps);
  return {
    backend: label,
    reason: b.reason,
    pack: m.name,
    steps,
    upsamplerSteps,
    loadMs,
    textEncoderMs,
    baseCallBatch2Ms,
    upsamplerCallMs,
    baseStageMs: r.timings.baseMs,
    upsamplerStageMs: r.timings.upsamplerMs,
    pipelineMs: r.timings.totalMs,
    candidates,
    pipelineDefaultsMs: withDefaults.timings.totalMs,
    pipelineFromPictureMs: fromPicture.timings.totalMs,
    hostMsPerStep,
    upscale64Ms,
    upscale64Strength03Ms,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
