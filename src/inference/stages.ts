/**
 * The three stages of the cascade over a backend's sessions (docs/model-pack.md, "Sampling
 * semantics"): text encoding, the guided (optionally inpainting) base, and the upsampler
 * with conditioning augmentation. Starting noise and per-step noise come in as arguments,
 * so tests can inject the Python reference's tensors; pipeline.ts draws them from one seed.
 */
import type { Session } from './backend.js';
import { throwIfCancelled, type AbortSignalLike } from './errors.js';
import { augAlphaBar } from './schedule.js';
import type { BatchShape, Denoiser, NoiseFn, StepCallback } from './sampling/denoiser.js';
import type { Diffusion } from './sampling/diffusion.js';
import { phaseAt } from './prompt-schedule.js';
import { classifierFreeGuidance } from './sampling/guidance.js';
import { reimposeKnown } from './sampling/inpaint.js';
import { lowResConsistency } from './sampling/consistency.js';
import { composeX0 } from './sampling/denoiser.js';
import { samplerFor, type SamplerName } from './sampling/samplers.js';
import { imageStart, upsamplerStart } from './sampling/strength.js';
import { staticClip, thresholdFor } from './sampling/threshold.js';

/** Text-encoder outputs for a batch of prompts: xf_proj [B, E], xf_out [B, W, L]. */
export interface TextEmbedding {
  batch: number;
  xfProj: Float32Array;
  xfOut: Float32Array;
  projDims: readonly number[];
  outDims: readonly number[];
}

export async function encodeText(session: Session, tokens: BigInt64Array, mask: Float32Array, batch: number, signal?: AbortSignalLike): Promise<TextEmbedding> {
  throwIfCancelled(signal);
  const L = tokens.length / batch;
  const out = await session.run({
    tokens: { type: 'int64', data: tokens, dims: [batch, L] },
    mask: { type: 'float32', data: mask, dims: [batch, L] },
  });
  const p = out.xf_proj!;
  const o = out.xf_out!;
  return { batch, xfProj: p.data as Float32Array, xfOut: o.data as Float32Array, projDims: p.dims, outDims: o.dims };
}

/** Rows `rows` of a [N, ...] tensor's data, each repeated `times` times, in order. */
export function pickRows(data: Float32Array, rowSize: number, rows: readonly number[], times = 1): Float32Array {
  const out = new Float32Array(rows.length * times * rowSize);
  let k = 0;
  for (const r of rows) {
    for (let t = 0; t < times; t++) out.set(data.subarray(r * rowSize, (r + 1) * rowSize), rowSize * k++);
  }
  return out;
}

/**
 * Embedding of rows [cond_1 x B; ...; cond_k x B; uncond x B] (or the conditional rows alone) for
 * a batch of B images.
 */
export function guidedText(text: TextEmbedding, cond: number | readonly number[], uncond: number | null, B: number) {
  const rows = [...(typeof cond === 'number' ? [cond] : cond), ...(uncond === null ? [] : [uncond])];
  const pSize = text.xfProj.length / text.batch;
  const oSize = text.xfOut.length / text.batch;
  const n = rows.length * B;
  return {
    batch: n,
    xfProj: pickRows(text.xfProj, pSize, rows, B),
    xfOut: pickRows(text.xfOut, oSize, rows, B),
    projDims: [n, ...text.projDims.slice(1)],
    outDims: [n, ...text.outDims.slice(1)],
  } satisfies TextEmbedding;
}

/**
 * The text rows a stretch of a run's steps reads: steps after the previous phase's `until` up to
 * this one (1-based from the noisiest, over `diffusion`'s steps; prompt-schedule.ts). One phase
 * with `until` >= the step count is a run whose prompts do not change.
 */
export interface BasePhase {
  until: number;
  /** one row per prompt composed with AND (BaseStageOptions.condWeights), in order */
  cond: readonly number[];
  uncond: number;
}

export interface SamplingChoice {
  sampler: SamplerName;
  diffusion: Diffusion;
  /** DDIM's eta (default 0) */
  eta?: number;
}

export interface BaseStageOptions extends SamplingChoice {
  session: Session;
  resolution: number;
  batch: number;
  /** text embedding, and which of its rows are the prompt and the unconditional input, by step */
  text: TextEmbedding;
  phases: readonly BasePhase[];
  /** the weight of each composed prompt (AND; sampling/guidance.ts); default [1], one prompt */
  condWeights?: readonly number[];
  guidance: number;
  /** percentile for dynamic thresholding, or null for static clipping */
  dynamicThreshold: number | null;
  xT: Float32Array;
  noise?: NoiseFn;
  /** known region: image [1 or B,3,S,S] in [-1,1], mask [1 or B,1,S,S] (1 = keep) */
  inpaint?: { image: Float32Array; mask: Float32Array };
  /**
   * an img2img start (sampling/strength.ts): from `image` [1 or B,3,S,S] in [-1,1], running
   * `strength` of the steps; `xT` is then the unit noise added to it
   */
  start?: { image: Float32Array; strength: number };
  onStep?: StepCallback;
  signal?: AbortSignalLike;
}

const fill = (n: number, v: number) => new Float32Array(n).fill(v);

/** Repeats a [1 or B, C, ...] tensor to [n, C, ...]. */
function toBatch(data: Float32Array, per: number, n: number): Float32Array {
  const src = data.length / per;
  if (src === n) return data;
  const out = new Float32Array(n * per);
  for (let b = 0; b < n; b++) out.set(data.subarray((b % src) * per, (b % src + 1) * per), b * per);
  return out;
}

/** Base stage: guided sampling at S x S; returns x_0 [B,3,S,S] in about [-1, 1]. */
export async function sampleBase(o: BaseStageOptions): Promise<Float32Array> {
  const S = o.resolution;
  const shape: BatchShape = { batch: o.batch, height: S, width: S };
  const weights = o.condWeights ?? [1];
  // s = 1 with one prompt gives eps_c: skip the unconditional half (composed prompts need it)
  const guided = o.guidance !== 1 || weights.length > 1 || weights[0] !== 1;
  const texts = o.phases.map((p) => guidedText(o.text, p.cond, guided ? p.uncond : null, o.batch));
  const n = texts[0]!.batch;
  const plane = S * S;
  const image = o.inpaint ? toBatch(o.inpaint.image, 3 * plane, n) : new Float32Array(n * 3 * plane);
  const mask = o.inpaint ? toBatch(o.inpaint.mask, plane, n) : new Float32Array(n * plane);
  // the step a network call is for, from its t: respaced index i is step N - i (an img2img start skips steps, not numbers)
  const tMap = o.diffusion.tMap;
  const stepOf = (t: number) => o.diffusion.steps - tMap.indexOf(t);
  const net: Denoiser = async (x, t) => {
    const text = texts.length === 1 ? texts[0]! : texts[phaseAt(o.phases, stepOf(t))]!;
    const out = await o.session.run({
      x_t: { type: 'float32', data: x, dims: [n, 3, S, S] },
      t: { type: 'float32', data: fill(n, t), dims: [n] },
      xf_proj: { type: 'float32', data: text.xfProj, dims: text.projDims },
      xf_out: { type: 'float32', data: text.xfOut, dims: text.outDims },
      inpaint_image: { type: 'float32', data: image, dims: [n, 3, S, S] },
      inpaint_mask: { type: 'float32', data: mask, dims: [n, 1, S, S] },
    });
    return out.out!.data as Float32Array;
  };
  const denoise = guided ? classifierFreeGuidance(net, o.guidance, shape, weights) : net;
  const processX0 = composeX0(thresholdFor(o.dynamicThreshold), o.inpaint ? reimposeKnown(o.inpaint.image, o.inpaint.mask) : null);
  const start = o.start ? imageStart(o.diffusion, o.start.strength, toBatch(o.start.image, 3 * plane, o.batch), o.xT) : null;
  return samplerFor(o.sampler)({
    diffusion: start?.diffusion ?? o.diffusion,
    denoise,
    shape,
    xT: start?.x ?? o.xT,
    noise: o.noise,
    processX0,
    onStep: o.onStep,
    signal: o.signal,
    eta: o.eta,
  });
}

/** Python's round() on float32 values: ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Rounds [-1, 1] images to the 256 levels of 8-bit training data, as training/sample.py (float32). */
export function quantize8bit(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = Math.fround(Math.fround(Math.min(Math.max(x[i], -1), 1) + 1) * 127.5);
    out[i] = Math.fround(roundHalfEven(v) / 127.5) - 1;
  }
  return out;
}

/** Imagen's conditioning augmentation: low = sqrt(a) q(low) + sqrt(1 - a) n, a = f(level)/f(0). */
export function augmentLowRes(lowRes: Float32Array, level: number, noise: Float32Array): Float32Array {
  const a = augAlphaBar(level);
  const ca = Math.fround(Math.sqrt(a));
  const cn = Math.fround(Math.sqrt(1 - a));
  const q = quantize8bit(lowRes);
  for (let i = 0; i < q.length; i++) q[i] = Math.fround(ca * q[i]) + Math.fround(cn * noise[i]);
  return q;
}

export interface UpsamplerStageOptions extends SamplingChoice {
  session: Session;
  resolution: number;
  lowResolution: number;
  batch: number;
  /** [B,3,s,s] in [-1, 1], before quantisation and augmentation */
  lowRes: Float32Array;
  augLevel: number;
  augNoise: Float32Array;
  /** unit noise [B,3,H,H]; x_T = temperature * noise */
  noise: Float32Array;
  temperature: number;
  stepNoise?: NoiseFn;
  /** text rows when the upsampler is text-conditioned */
  text?: { embedding: TextEmbedding; row: number };
  known?: { image: Float32Array; mask: Float32Array };
  /** re-impose `lowRes` on every predicted x0 (pack default `upsamplerLowResConsistency`) */
  lowResConsistency?: boolean;
  /** smooth corrections before the block-wise one (pack default `upsamplerConsistencyPasses`, 0) */
  consistencyPasses?: number;
  /** < 1: an img2img start from the enlarged input, running that share of the steps (strength.ts); 1 (default): from noise */
  strength?: number;
  onStep?: StepCallback;
  signal?: AbortSignalLike;
}

/** Upsampler stage: returns x_0 [B,3,H,H] and the augmented low-res input it saw. */
export async function sampleUpsampler(o: UpsamplerStageOptions): Promise<{ out: Float32Array; lowAugmented: Float32Array }> {
  const H = o.resolution;
  const s = o.lowResolution;
  const B = o.batch;
  const low = augmentLowRes(o.lowRes, o.augLevel, o.augNoise);
  const text = o.text ? guidedText(o.text.embedding, o.text.row, null, B) : null;
  const denoise: Denoiser = async (x, t) => {
    const feeds: Parameters<Session['run']>[0] = {
      x_t: { type: 'float32', data: x, dims: [B, 3, H, H] },
      t: { type: 'float32', data: fill(B, t), dims: [B] },
      low_res: { type: 'float32', data: low, dims: [B, 3, s, s] },
      aug_level: { type: 'float32', data: fill(B, o.augLevel), dims: [B] },
    };
    if (text) {
      feeds.xf_proj = { type: 'float32', data: text.xfProj, dims: text.projDims };
      feeds.xf_out = { type: 'float32', data: text.xfOut, dims: text.outDims };
    }
    const out = await o.session.run(feeds);
    return out.out!.data as Float32Array;
  };
  const shape = { batch: B, height: H, width: H };
  const start = upsamplerStart(o.diffusion, o.strength ?? 1, o.lowRes, s, shape, o.noise);
  let xT = start?.x;
  if (!xT) {
    xT = new Float32Array(o.noise.length);
    for (let i = 0; i < xT.length; i++) xT[i] = o.noise[i] * o.temperature;
  }
  const processX0 = composeX0(
    staticClip,
    o.lowResConsistency ? lowResConsistency(o.lowRes, s, o.consistencyPasses ?? 0) : null,
    o.known ? reimposeKnown(o.known.image, o.known.mask) : null,
  );
  const out = await samplerFor(o.sampler)({
    diffusion: start?.diffusion ?? o.diffusion, denoise, shape, xT, noise: o.stepNoise, processX0,
    onStep: o.onStep, signal: o.signal, eta: o.eta,
  });
  return { out, lowAugmented: low };
}
