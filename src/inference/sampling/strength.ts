/**
 * img2img starts (SDEdit, Meng et al. 2022), as training/sample.py's `image_start` and
 * `upsampler_start`: instead of pure noise, start part of the way down the respaced schedule
 * from a picture noised to that level, and run only the remaining steps. A strength s in (0, 1]
 * keeps m = round(s * N) of the N steps (at least 1). The base starts from a picture the user
 * gives (generate from a picture, "more like this", a fill that keeps the selection's shapes);
 * the upsampler from a smooth enlargement of its low-res input.
 *
 * Why the upsampler: the default upsampler learnt from emoji, so from pure noise it paints photographs with
 * flat, emoji-like shading. At strength 0.3 (of 10 steps: 3, from t = 200 of 1000) it keeps the
 * photograph's own gradients, matches bicubic's PSNR there while staying sharper, and calls the
 * network 3 times instead of 10 (MODEL_CARD.md of the default pack has the numbers).
 */
import { invalidInput } from '../errors.js';
import type { Diffusion } from './diffusion.js';
import { lowResConsistency } from './consistency.js';

/** Smooth corrections that turn zeros into the enlargement a start is made from. */
export const START_SMOOTH_PASSES = 4;

/** `strength` when it is a number in (0, 1]; else an InputError that names it. */
export function checkStrength(strength: unknown): number {
  if (typeof strength !== 'number' || !(strength > 0 && strength <= 1)) throw invalidInput('strength', 'a number in (0, 1]', strength);
  return strength;
}

/** Respaced steps an img2img start of `strength` runs (Math.round, at least 1, at most `steps`). */
export function keptSteps(strength: number, steps: number): number {
  checkStrength(strength);
  return Math.max(1, Math.min(steps, Math.floor(strength * steps + 0.5)));
}

/** The first m respaced steps (indices 0..m-1) with every table unchanged. */
export function truncateDiffusion(d: Diffusion, m: number): Diffusion {
  if (!(Number.isInteger(m) && m >= 1 && m <= d.steps)) throw new RangeError(`cannot keep ${m} of ${d.steps} steps`);
  return {
    steps: m,
    betas: d.betas.slice(0, m),
    abar: d.abar.slice(0, m),
    abarPrev: d.abarPrev.slice(0, m),
    tMap: d.tMap.slice(0, m),
    posteriorLogVarClipped: d.posteriorLogVarClipped.slice(0, m),
    posteriorMeanCoef1: d.posteriorMeanCoef1.slice(0, m),
    posteriorMeanCoef2: d.posteriorMeanCoef2.slice(0, m),
  };
}

/**
 * The start of an img2img run from `x0` (the same length as `unitNoise`): the shortened
 * diffusion and x = sqrt(abar) * x0 + sqrt(1 - abar) * unitNoise at its noisiest step. `null`
 * when every step is kept: then the caller starts from noise as usual.
 */
export function imageStart(
  diffusion: Diffusion,
  strength: number,
  x0: Float32Array,
  unitNoise: Float32Array,
): { diffusion: Diffusion; x: Float32Array } | null {
  const m = keptSteps(strength, diffusion.steps);
  if (m === diffusion.steps) return null;
  if (x0.length !== unitNoise.length) throw new RangeError(`img2img start: picture of ${x0.length} values for noise of ${unitNoise.length}`);
  const short = truncateDiffusion(diffusion, m);
  const a = short.abar[m - 1]!;
  const ca = Math.sqrt(a);
  const cn = Math.sqrt(1 - a);
  const x = new Float32Array(unitNoise.length);
  for (let i = 0; i < x.length; i++) x[i] = ca * x0[i]! + cn * unitNoise[i]!;
  return { diffusion: short, x };
}

/**
 * The upsampler's img2img start: imageStart from enlarge(lowRes), zeros through the low-res
 * consistency with START_SMOOTH_PASSES (a bicubic-like picture whose f x f block means are
 * `lowRes`).
 */
export function upsamplerStart(
  diffusion: Diffusion,
  strength: number,
  lowRes: Float32Array,
  lowSize: number,
  shape: { batch: number; height: number; width: number },
  unitNoise: Float32Array,
): { diffusion: Diffusion; x: Float32Array } | null {
  if (keptSteps(strength, diffusion.steps) === diffusion.steps) return null; // no enlargement needed
  const enlarged = new Float32Array(unitNoise.length);
  lowResConsistency(lowRes, lowSize, START_SMOOTH_PASSES)(enlarged, shape);
  return imageStart(diffusion, strength, enlarged, unitNoise);
}
