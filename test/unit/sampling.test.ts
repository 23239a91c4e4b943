// The sampling wrappers and samplers on synthetic denoisers (golden numbers against the
// Python reference are in test/integration/parity-*.test.ts).
import { describe, expect, it } from 'vitest';
import { DiffusionError } from '../../src/inference/errors.js';
import { composeX0, splitOutput, type Denoiser } from '../../src/inference/sampling/denoiser.js';
import { diffusionFor, makeDiffusion } from '../../src/inference/sampling/diffusion.js';
import { classifierFreeGuidance } from '../../src/inference/sampling/guidance.js';
import { reimposeKnown } from '../../src/inference/sampling/inpaint.js';
import { samplerFor, SAMPLERS } from '../../src/inference/sampling/samplers.js';
import { absQuantile, dynamicThreshold, quantileSorted, staticClip } from '../../src/inference/sampling/threshold.js';

const shape1 = { batch: 1, height: 1, width: 2 }; // 6 values per image

describe('thresholding', () => {
  it('quantile interpolates linearly between order statistics like torch.quantile', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5);
    expect(quantileSorted([0, 10], 0.75)).toBe(7.5);
    expect(quantileSorted([5], 0.995)).toBe(5);
    expect(absQuantile(Float32Array.from([-4, 1, -2, 3]), 1)).toBe(4);
  });

  it('dynamic: s = max(1, quantile |x0|), x0 <- clip(x0, -s, s) / s per sample', () => {
    const x = Float32Array.from([0.5, -3, 2, 1, 0, -1, /* sample 2 */ 0.1, 0.2, -0.3, 0.4, 0.5, -0.6]);
    dynamicThreshold(0.8)(x, { batch: 2, height: 1, width: 2 });
    // sample 1: |x| sorted 0,0.5,1,1,2,3; rank 0.8*5 = 4 -> s = 2
    expect(Array.from(x.slice(0, 6))).toEqual([0.25, -1, 1, 0.5, 0, -0.5]);
    // sample 2: quantile < 1 -> s = 1, unchanged
    expect(Array.from(x.slice(6))).toEqual(Array.from(Float32Array.from([0.1, 0.2, -0.3, 0.4, 0.5, -0.6])));
  });

  it('static clips to [-1, 1]', () => {
    const x = Float32Array.from([-2, -0.5, 0, 0.5, 3, 1]);
    staticClip(x, shape1);
    expect(Array.from(x)).toEqual([-1, -0.5, 0, 0.5, 1, 1]);
  });
});

describe('guidance', () => {
  it('one batched [cond; uncond] call; eps = eps_u + s (eps_c - eps_u); v from the conditional half', async () => {
    const batches: number[] = [];
    // net: sample b of 2B gets eps = x + (b < B ? 1 : 0) * 2, v = b
    const net: Denoiser = async (x2) => {
      const n = 6;
      const B2 = x2.length / n;
      batches.push(B2);
      const out = new Float32Array(2 * n * B2);
      for (let b = 0; b < B2; b++) {
        for (let i = 0; i < n; i++) {
          out[2 * n * b + i] = x2[n * b + i]! + (b < B2 / 2 ? 2 : 0);
          out[2 * n * b + n + i] = b;
        }
      }
      return out;
    };
    const shape = { batch: 2, height: 1, width: 2 };
    const out = await classifierFreeGuidance(net, 3, shape)(new Float32Array(12).fill(1), 0);
    expect(batches).toEqual([4]);
    const { eps, v } = splitOutput(out, shape);
    expect(Array.from(eps)).toEqual(new Array(12).fill(1 + 3 * 2));
    expect(Array.from(v)).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  });

  it('composes prompts: one [cond_1; cond_2; uncond] call; eps = eps_u + s sum w_i (eps_i - eps_u); v from cond_1', async () => {
    const batches: number[] = [];
    // net over 3B samples: block j (B samples each) gets eps = x + [5, -1, 0][j], v = 10 j + b
    const net: Denoiser = async (x) => {
      const n = 3;
      const N = x.length / n;
      batches.push(N);
      const out = new Float32Array(2 * n * N);
      for (let b = 0; b < N; b++) {
        const j = Math.floor(b / (N / 3));
        for (let i = 0; i < n; i++) {
          out[2 * n * b + i] = x[n * b + i]! + [5, -1, 0][j]!;
          out[2 * n * b + n + i] = 10 * j + (b % (N / 3));
        }
      }
      return out;
    };
    const shape = { batch: 2, height: 1, width: 1 };
    const out = await classifierFreeGuidance(net, 2, shape, [1, 0.5])(new Float32Array(6).fill(1), 0);
    expect(batches).toEqual([6]);
    // eps_u = 1; 1 + 2 (1 * 5 + 0.5 * -1) = 10
    expect(Array.from(out)).toEqual([10, 10, 10, 0, 0, 0, 10, 10, 10, 1, 1, 1]);
  });
});

describe('inpainting', () => {
  it('x0 <- x0 (1 - m) + image m, mask broadcast over channels and batch', () => {
    const x0 = new Float32Array(12).fill(0.5);
    reimposeKnown(new Float32Array(6).fill(-1), Float32Array.from([1, 0]))(x0, { batch: 2, height: 1, width: 2 });
    expect(Array.from(x0)).toEqual([-1, 0.5, -1, 0.5, -1, 0.5, -1, 0.5, -1, 0.5, -1, 0.5]);
  });

  it('composeX0 runs thresholding before the known region', () => {
    const x0 = Float32Array.from([5, 5, 5, 5, 5, 5]);
    composeX0(staticClip, reimposeKnown(new Float32Array(6).fill(3), Float32Array.from([1, 0])))(x0, shape1);
    expect(Array.from(x0)).toEqual([3, 1, 3, 1, 3, 1]);
  });
});

describe('samplers', () => {
  const diffusion = diffusionFor({ kind: 'squaredcos_cap_v2', trainingSteps: 1000 }, 'ddim10');
  // An oracle denoiser for a single clean image c: eps = (x - sqrt(abar) c) / sqrt(1 - abar).
  const c = Float32Array.from([0.3, -0.7, 0.1, 0.9, -0.2, 0.5]);
  const abarAt = new Map(Array.from(diffusion.tMap, (t, i) => [t, diffusion.abar[i]!]));
  const oracle: Denoiser = async (x, t) => {
    const a = abarAt.get(t)!;
    const out = new Float32Array(12);
    for (let i = 0; i < 6; i++) out[i] = (x[i]! - Math.sqrt(a) * c[i]!) / Math.sqrt(1 - a);
    return out;
  };
  const xT = Float32Array.from([1, -1, 0.5, 2, -0.3, 0.1]);

  for (const name of Object.keys(SAMPLERS)) {
    it(`${name} lands on the clean image under an exact denoiser and reports every step`, async () => {
      const steps: number[] = [];
      const out = await samplerFor(name)({
        diffusion, denoise: oracle, shape: shape1, xT, noise: () => new Float32Array(6), onStep: (k) => steps.push(k),
      });
      expect(steps).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (let i = 0; i < 6; i++) expect(out[i]).toBeCloseTo(c[i]!, 4);
    });
  }

  it('ddpm draws noise for every step but the last; ddim only with eta > 0', async () => {
    const drawn: number[] = [];
    const noise = (k: number) => (drawn.push(k), new Float32Array(6));
    await samplerFor('ddpm')({ diffusion, denoise: oracle, shape: shape1, xT, noise });
    expect(drawn).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    drawn.length = 0;
    await samplerFor('ddim')({ diffusion, denoise: oracle, shape: shape1, xT, noise });
    expect(drawn).toEqual([]);
    await samplerFor('ddim')({ diffusion, denoise: oracle, shape: shape1, xT, noise, eta: 1 });
    expect(drawn).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('checks the signal before every denoiser call', async () => {
    const ac = new AbortController();
    let calls = 0;
    const denoise: Denoiser = async (x, t) => {
      calls++;
      if (calls === 2) ac.abort();
      return oracle(x, t);
    };
    const p = samplerFor('dpmpp2m')({ diffusion, denoise, shape: shape1, xT, signal: ac.signal });
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(p).rejects.toBeInstanceOf(DiffusionError);
    expect(calls).toBe(2);
  });

  it('makeDiffusion follows GLIDE: abar_prev, clipped posterior log-variance', () => {
    const d = makeDiffusion([0.1, 0.2, 0.3]);
    expect(Array.from(d.abar)).toEqual([0.9, 0.9 * 0.8, 0.9 * 0.8 * 0.7].map((v) => expect.closeTo(v, 12)));
    expect(d.abarPrev[0]).toBe(1);
    expect(d.posteriorLogVarClipped[0]).toBeCloseTo(d.posteriorLogVarClipped[1]!, 12);
    expect(Array.from(d.tMap)).toEqual([0, 1, 2]);
  });

  it('an unknown sampler lists the valid ones', () => {
    expect(() => samplerFor('euler')).toThrow('sampler "euler" is unknown; expected one of ddim, ddpm, dpmpp2m');
  });
});
