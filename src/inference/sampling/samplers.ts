/**
 * Samplers over one denoiser contract (training/diffusion/samplers.py is the reference).
 *
 * Each walks respaced index i = N-1 ... 0 (step k = N-1-i), asks the denoiser for eps and v,
 * forms x0 = sqrt(1/abar) x - sqrt(1/abar - 1) eps, post-processes it (thresholding,
 * inpainting) and moves x. Schedule maths in float64, tensors in float32.
 */
import { InputError, throwIfCancelled, type AbortSignalLike } from '../errors.js';
import type { Diffusion } from './diffusion.js';
import {
  imageSize, splitOutput, type BatchShape, type Denoiser, type NoiseFn, type StepCallback, type X0Processor,
} from './denoiser.js';
import { yieldToEventLoop } from './yield.js';

export type SamplerName = 'ddim' | 'ddpm' | 'dpmpp2m';
export const SAMPLER_NAMES: readonly SamplerName[] = ['ddim', 'ddpm', 'dpmpp2m'];
/** The names people know the samplers by (the panel's menu, the parameters written into a PNG). */
export const SAMPLER_LABELS: Readonly<Record<SamplerName, string>> = { ddim: 'DDIM', dpmpp2m: 'DPM++ 2M', ddpm: 'DDPM' };

export interface SampleOptions {
  diffusion: Diffusion;
  denoise: Denoiser;
  shape: BatchShape;
  /** starting noise x_T [B,3,H,W]; not modified */
  xT: Float32Array;
  /** per-step noise (ddpm; ddim with eta > 0) */
  noise?: NoiseFn;
  processX0?: X0Processor;
  onStep?: StepCallback;
  signal?: AbortSignalLike;
  /** DDIM's eta (0: deterministic) */
  eta?: number;
}

/** One network evaluation at respaced index i: processed x0, the raw eps and v. */
async function predict(o: SampleOptions, x: Float32Array, i: number) {
  await yieldToEventLoop(); // lets a cancel message in (see yield.ts)
  throwIfCancelled(o.signal); // before every denoiser call
  const out = await o.denoise(x, o.diffusion.tMap[i]);
  const { eps, v } = splitOutput(out, o.shape);
  const a = o.diffusion.abar[i];
  const c1 = Math.sqrt(1 / a);
  const c2 = Math.sqrt(1 / a - 1);
  const x0 = new Float32Array(x.length);
  for (let j = 0; j < x.length; j++) x0[j] = c1 * x[j] - c2 * eps[j];
  o.processX0?.(x0, o.shape);
  return { x0, eps, v };
}

function needNoise(o: SampleOptions, k: number): Float32Array {
  if (!o.noise) throw new RangeError('this sampler needs per-step noise; none was given');
  const n = o.noise(k);
  if (n.length !== o.xT.length) throw new RangeError(`step noise has ${n.length} values; expected ${o.xT.length}`);
  return n;
}

function start(o: SampleOptions): Float32Array {
  if (o.xT.length !== imageSize(o.shape)) {
    throw new RangeError(`x_T has ${o.xT.length} values; expected ${imageSize(o.shape)}`);
  }
  return Float32Array.from(o.xT);
}

/** DDIM (Song et al. 2021, eq. 12); eps is re-derived from the processed x0, as GLIDE. */
export async function ddim(o: SampleOptions): Promise<Float32Array> {
  const d = o.diffusion;
  const eta = o.eta ?? 0;
  let x = start(o);
  for (let k = 0, i = d.steps - 1; i >= 0; k++, i--) {
    const { x0 } = await predict(o, x, i);
    const a = d.abar[i];
    const ap = d.abarPrev[i];
    // 1. eps' = (sqrt(1/abar) x - x0) / sqrt(1/abar - 1)
    const r1 = Math.sqrt(1 / a);
    const r2 = Math.sqrt(1 / a - 1);
    // 2. sigma = eta sqrt((1 - abar_prev)/(1 - abar)) sqrt(1 - abar/abar_prev)
    const sigma = eta * Math.sqrt((1 - ap) / (1 - a)) * Math.sqrt(1 - a / ap);
    // 3. x <- sqrt(abar_prev) x0 + sqrt(1 - abar_prev - sigma^2) eps' (+ sigma noise)
    const cx0 = Math.sqrt(ap);
    const ceps = Math.sqrt(1 - ap - sigma * sigma);
    const noise = eta > 0 && i > 0 ? needNoise(o, k) : null;
    const next = new Float32Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const eps = (r1 * x[j] - x0[j]) / r2;
      next[j] = cx0 * x0[j] + ceps * eps + (noise ? sigma * noise[j] : 0);
    }
    x = next;
    o.onStep?.(k + 1, d.steps, x0);
  }
  return x;
}

/** Ancestral sampling with the learned variance (Ho et al. 2020; Nichol & Dhariwal 2021). */
export async function ddpm(o: SampleOptions): Promise<Float32Array> {
  const d = o.diffusion;
  let x = start(o);
  for (let k = 0, i = d.steps - 1; i >= 0; k++, i--) {
    const { x0, v } = await predict(o, x, i);
    // 1. posterior mean c1 x0 + c2 x
    const c1 = d.posteriorMeanCoef1[i];
    const c2 = d.posteriorMeanCoef2[i];
    // 2. log-variance frac log(beta) + (1 - frac) log(posterior variance clipped), frac = (v+1)/2
    const maxLog = Math.log(d.betas[i]);
    const minLog = d.posteriorLogVarClipped[i];
    const noise = i > 0 ? needNoise(o, k) : null;
    const next = new Float32Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const mean = c1 * x0[j] + c2 * x[j];
      if (!noise) {
        next[j] = mean;
        continue;
      }
      const frac = (v[j] + 1) / 2;
      const logVar = frac * maxLog + (1 - frac) * minLog;
      next[j] = mean + Math.exp(0.5 * logVar) * noise[j];
    }
    x = next;
    o.onStep?.(k + 1, d.steps, x0);
  }
  return x;
}

/**
 * DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2) on the respaced steps, with
 * lambda = log(sqrt(abar) / sqrt(1 - abar)); the last step goes to sigma = 0, where x = x0.
 */
export async function dpmpp2m(o: SampleOptions): Promise<Float32Array> {
  const d = o.diffusion;
  const lambda = (a: number) => 0.5 * Math.log(a / (1 - a));
  let x = start(o);
  let x0Prev: Float32Array | null = null;
  let hPrev = 0;
  for (let k = 0, i = d.steps - 1; i >= 0; k++, i--) {
    const { x0 } = await predict(o, x, i);
    if (i === 0) {
      x = Float32Array.from(x0);
    } else {
      const aCur = d.abar[i];
      const aNext = d.abar[i - 1];
      // 1. h = lambda_next - lambda_cur
      const h = lambda(aNext) - lambda(aCur);
      // 2. D = x0 on the first step, else (1 + 1/(2r)) x0 - 1/(2r) x0_prev, r = h_prev / h
      let w0 = 1;
      let w1 = 0;
      if (x0Prev) {
        const r = hPrev / h;
        w0 = 1 + 1 / (2 * r);
        w1 = 1 / (2 * r);
      }
      // 3. x <- (sigma_next / sigma_cur) x - alpha_next (exp(-h) - 1) D
      const sr = Math.sqrt((1 - aNext) / (1 - aCur));
      const cd = Math.sqrt(aNext) * Math.expm1(-h);
      const next = new Float32Array(x.length);
      for (let j = 0; j < x.length; j++) {
        const D = x0Prev ? Math.fround(w0 * x0[j]) - Math.fround(w1 * x0Prev[j]) : x0[j];
        next[j] = sr * x[j] - cd * D;
      }
      x = next;
      x0Prev = x0;
      hPrev = h;
    }
    o.onStep?.(k + 1, d.steps, x0);
  }
  return x;
}

export const SAMPLERS: Record<SamplerName, (o: SampleOptions) => Promise<Float32Array>> = { ddim, ddpm, dpmpp2m };

/** The sampler named `name`, or an error listing the valid names. */
export function samplerFor(name: string): (o: SampleOptions) => Promise<Float32Array> {
  if (!(SAMPLER_NAMES as readonly string[]).includes(name)) {
    throw new InputError(`sampler "${name}" is unknown; expected one of ${SAMPLER_NAMES.join(', ')}`);
  }
  return SAMPLERS[name as SamplerName];
}
