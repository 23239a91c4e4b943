/**
 * Noise schedules and respacing, as GLIDE (glide_text2im/gaussian_diffusion.py, respace.py)
 * and docs/model-pack.md ("schedule", "Sampling semantics" 1).
 *
 * Notation: T training steps; beta_i the noise added at step i; abar_i = prod_{j<=i} (1 - beta_j);
 * f(s) = cos((s + 0.008) / 1.008 * pi / 2)^2 the continuous cosine abar (Nichol & Dhariwal
 * 2021, eq. 17, unnormalised). All arrays are float64, like GLIDE's numpy code.
 */
import { invalidInput, requireInteger } from './errors.js';

export type ScheduleKind = 'squaredcos_cap_v2' | 'linear';

export interface NoiseSchedule {
  kind: ScheduleKind;
  /** T */
  trainingSteps: number;
  betas: Float64Array;
  alphasCumprod: Float64Array;
}

export interface RespacedSchedule {
  /** training step t_k of respaced step k, ascending (t_0 is the least noisy) */
  timesteps: Int32Array;
  /** beta'_k = 1 - abar[t_k] / abar[t_{k-1}], with abar[t_{-1}] = 1 */
  betas: Float64Array;
  /** abar'_k = abar[t_k] */
  alphasCumprod: Float64Array;
}

/** f(s) for s in [0, 1]: continuous cosine abar, unnormalised (f(0) < 1). */
export function cosineAlphaBar(s: number): number {
  const c = Math.cos(((s + 0.008) / 1.008) * (Math.PI / 2));
  return c * c;
}

/** abar of the upsampler's conditioning-augmentation noise at `level` in [0, 1]: f(level) / f(0). */
export function augAlphaBar(level: number): number {
  if (!(level >= 0 && level <= 1)) throw invalidInput('augLevel', 'a number in [0, 1]', level);
  return cosineAlphaBar(level) / cosineAlphaBar(0);
}

/** numpy.linspace(start, stop, n) bit for bit: start + i * step, the last element set to stop. */
function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = (stop - start) / (n - 1);
  for (let i = 0; i < n; i++) out[i] = i * step + start;
  if (n > 1) out[n - 1] = stop;
  else out[0] = start;
  return out;
}

/**
 * Training betas.
 * - linear: linspace(1e-4 * 1000/T, 0.02 * 1000/T, T) (GLIDE's scaling for T != 1000).
 * - squaredcos_cap_v2: beta_i = min(1 - f((i+1)/T) / f(i/T), 0.999).
 */
export function betasFor(kind: ScheduleKind, trainingSteps: number): Float64Array {
  const T = requireInteger('trainingSteps', trainingSteps, 1);
  if (kind === 'linear') {
    const scale = 1000 / T;
    return linspace(scale * 0.0001, scale * 0.02, T);
  }
  if (kind === 'squaredcos_cap_v2') {
    const out = new Float64Array(T);
    for (let i = 0; i < T; i++) {
      out[i] = Math.min(1 - cosineAlphaBar((i + 1) / T) / cosineAlphaBar(i / T), 0.999);
    }
    return out;
  }
  throw invalidInput('schedule kind', '"squaredcos_cap_v2" or "linear"', kind);
}

/** abar_i = prod_{j<=i} (1 - beta_j), accumulated left to right like numpy.cumprod. */
export function cumprodAlphas(betas: ArrayLike<number>): Float64Array {
  const out = new Float64Array(betas.length);
  let acc = 1;
  for (let i = 0; i < betas.length; i++) {
    acc *= 1 - betas[i]!;
    out[i] = acc;
  }
  return out;
}

export function makeSchedule(kind: ScheduleKind, trainingSteps: number): NoiseSchedule {
  const betas = betasFor(kind, trainingSteps);
  return { kind, trainingSteps, betas, alphasCumprod: cumprodAlphas(betas) };
}

/** Python's round(): nearest integer, ties to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function parseCount(spec: string, part: string): number {
  if (!/^\d+$/.test(part.trim())) {
    throw invalidInput('respacing', '"ddimN", "fast27", "N" or comma-separated counts "a,b,c"', spec);
  }
  return Number(part.trim());
}

/**
 * GLIDE's space_timesteps: which training steps a respaced sampler visits, ascending.
 * - "ddimN": range(0, T, k) for the smallest integer stride k giving exactly N steps.
 * - "fast27": sections "10,10,3,2,2", with T-1 replaced by T-3 (avoids the noisiest step).
 * - "N", "a,b,c" or [a, b, c]: split [0, T) into equal sections (the first T mod n one longer)
 *   and take that many evenly spaced steps in each, fractional stride rounded half to even.
 */
export function spaceTimesteps(trainingSteps: number, spec: string | readonly number[]): Int32Array {
  const T = requireInteger('trainingSteps', trainingSteps, 1);
  let counts: number[];
  if (typeof spec === 'string') {
    const s = spec.trim();
    if (s.startsWith('ddim')) {
      const desired = parseCount(spec, s.slice(4));
      for (let stride = 1; stride < T; stride++) {
        if (Math.ceil(T / stride) === desired) return rangeSteps(T, stride);
      }
      if (desired === T) return rangeSteps(T, 1);
      throw invalidInput('respacing', `a "ddimN" whose N an integer stride can give from T=${T}`, spec);
    }
    if (s === 'fast27') {
      const steps = new Set(spaceTimesteps(T, '10,10,3,2,2'));
      if (!steps.has(T - 1)) throw invalidInput('respacing', `"fast27" needs T large enough to hold T-1`, spec);
      steps.delete(T - 1);
      steps.add(T - 3);
      return sortedSteps(steps);
    }
    counts = s.split(',').map((p) => parseCount(spec, p));
  } else {
    counts = spec.map((c, i) => requireInteger(`respacing[${i}]`, c, 0));
  }
  if (counts.length === 0) throw invalidInput('respacing', 'at least one section count', spec);
  const sizePer = Math.floor(T / counts.length);
  const extra = T % counts.length;
  const steps = new Set<number>();
  let start = 0;
  counts.forEach((count, i) => {
    const size = sizePer + (i < extra ? 1 : 0);
    if (size < count) {
      throw invalidInput('respacing', `at most ${size} steps in section ${i} (T=${T})`, count);
    }
    const stride = count <= 1 ? 1 : (size - 1) / (count - 1);
    let cur = 0;
    for (let k = 0; k < count; k++) {
      steps.add(start + roundHalfEven(cur));
      cur += stride;
    }
    start += size;
  });
  return sortedSteps(steps);
}

function rangeSteps(T: number, stride: number): Int32Array {
  const out = new Int32Array(Math.ceil(T / stride));
  for (let i = 0; i < out.length; i++) out[i] = i * stride;
  return out;
}

function sortedSteps(steps: Set<number>): Int32Array {
  return Int32Array.from([...steps].sort((a, b) => a - b));
}

/**
 * The respaced process over `timesteps` (ascending training indices), as GLIDE's
 * SpacedDiffusion: abar'_k = abar[t_k], beta'_k = 1 - abar'_k / abar'_{k-1} (abar'_{-1} = 1).
 */
export function respace(
  alphasCumprod: Float64Array,
  spec: string | readonly number[] | Int32Array,
): RespacedSchedule {
  const T = alphasCumprod.length;
  const timesteps = spec instanceof Int32Array ? spec : spaceTimesteps(T, spec);
  const n = timesteps.length;
  const betas = new Float64Array(n);
  const abar = new Float64Array(n);
  let last = 1;
  for (let k = 0; k < n; k++) {
    const t = timesteps[k]!;
    if (!(t >= 0 && t < T) || (k > 0 && t <= timesteps[k - 1]!)) {
      throw invalidInput('timesteps', `ascending training steps in [0, ${T})`, timesteps);
    }
    abar[k] = alphasCumprod[t]!;
    betas[k] = 1 - abar[k]! / last;
    last = abar[k]!;
  }
  return { timesteps, betas, alphasCumprod: abar };
}
