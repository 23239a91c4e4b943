/**
 * Coefficient tables of a (respaced) Gaussian diffusion with GLIDE's learned-range variance
 * (Nichol & Dhariwal 2021), as training/diffusion/gaussian.py. All float64.
 *
 * Notation: respaced index i = 0..N-1 (N-1 noisiest), beta'_i the respaced betas,
 * abar_i = prod_{j<=i} (1 - beta'_j), abarPrev_i = abar_{i-1} (1 at i = 0), tMap[i] the
 * training-schedule step the network is given at i.
 */
import { makeSchedule, respace, type ScheduleKind } from '../schedule.js';

export interface Diffusion {
  /** number of respaced steps N */
  readonly steps: number;
  readonly betas: Float64Array;
  readonly abar: Float64Array;
  readonly abarPrev: Float64Array;
  /** training step index per respaced index, fed to the network as float */
  readonly tMap: Float64Array;
  readonly posteriorLogVarClipped: Float64Array;
  readonly posteriorMeanCoef1: Float64Array;
  readonly posteriorMeanCoef2: Float64Array;
}

export function makeDiffusion(betas: ArrayLike<number>, timestepMap?: ArrayLike<number>): Diffusion {
  const n = betas.length;
  const b = Float64Array.from(betas);
  const abar = new Float64Array(n);
  const abarPrev = new Float64Array(n);
  let acc = 1;
  for (let i = 0; i < n; i++) {
    abarPrev[i] = acc;
    acc *= 1 - b[i];
    abar[i] = acc;
  }
  const postVar = new Float64Array(n);
  const c1 = new Float64Array(n);
  const c2 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    postVar[i] = (b[i] * (1 - abarPrev[i])) / (1 - abar[i]);
    c1[i] = (b[i] * Math.sqrt(abarPrev[i])) / (1 - abar[i]);
    c2[i] = ((1 - abarPrev[i]) * Math.sqrt(1 - b[i])) / (1 - abar[i]);
  }
  // log of the posterior variance with its first entry (0) replaced by the second
  const logVar = new Float64Array(n);
  for (let i = 0; i < n; i++) logVar[i] = Math.log(i === 0 && n > 1 ? postVar[1] : postVar[i]);
  const tMap = timestepMap ? Float64Array.from(timestepMap) : Float64Array.from({ length: n }, (_, i) => i);
  return {
    steps: n,
    betas: b,
    abar,
    abarPrev,
    tMap,
    posteriorLogVarClipped: logVar,
    posteriorMeanCoef1: c1,
    posteriorMeanCoef2: c2,
  };
}

/** The respaced diffusion of a pack stage's schedule, e.g. `diffusionFor(s, 'ddim20')`. */
export function diffusionFor(
  schedule: { kind: ScheduleKind; trainingSteps: number },
  respacing: string | readonly number[],
): Diffusion {
  const s = makeSchedule(schedule.kind, schedule.trainingSteps);
  const r = respace(s.alphasCumprod, respacing);
  return makeDiffusion(r.betas, r.timesteps);
}
