import { describe, expect, it } from 'vitest';
import { diffusionForSteps } from '../../src/inference/jobs/context.js';
import {
  augAlphaBar,
  betasFor,
  cosineAlphaBar,
  cumprodAlphas,
  makeSchedule,
  respace,
  spaceTimesteps,
} from '../../src/inference/schedule.js';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('betasFor', () => {
  it('linear, T=1000: linspace(1e-4, 0.02) exactly as numpy', () => {
    const b = betasFor('linear', 1000);
    expect(b.length).toBe(1000);
    expect(b[0]).toBe(0.0001);
    expect(b[999]).toBe(0.02);
    // numpy.linspace(0.0001, 0.02, 1000)[[1, 500]]
    expect(b[1]).toBe(0.00011991991991991993);
    expect(b[500]).toBe(0.010059959959959959);
    for (let i = 0; i < 1000; i++) expect(Math.abs(b[i]! - (0.0001 + (i * (0.02 - 0.0001)) / 999))).toBeLessThan(1e-17);
  });

  it('linear scales with 1000/T (GLIDE), T=250', () => {
    const b = betasFor('linear', 250);
    expect(b[0]).toBe(0.0004);
    expect(b[249]).toBe(0.08);
    // numpy.linspace(0.0004, 0.08, 250)[[1, 123]]
    expect(b[1]).toBe(0.0007196787148594378);
    expect(b[123]).toBe(0.03972048192771084);
  });

  it('squaredcos_cap_v2: abar_i = f((i+1)/T) / f(0) below the cap, last beta capped at 0.999', () => {
    const T = 1000;
    const b = betasFor('squaredcos_cap_v2', T);
    const abar = cumprodAlphas(b);
    const f0 = cosineAlphaBar(0);
    for (let i = 0; i < T - 1; i++) {
      expect(b[i]!).toBeLessThan(0.999);
      expect(rel(abar[i]!, cosineAlphaBar((i + 1) / T) / f0)).toBeLessThan(1e-9);
    }
    expect(b[T - 1]).toBe(0.999);
    // f(s) = cos((s + 0.008) / 1.008 * pi / 2)^2 in closed form at a few points
    expect(rel(b[0]!, 1 - Math.cos((1 / 1000 + 0.008) / 1.008 * Math.PI / 2) ** 2 / Math.cos(0.008 / 1.008 * Math.PI / 2) ** 2)).toBeLessThan(1e-12);
    expect(rel(b[0]!, 4.128422482196914e-5)).toBeLessThan(1e-12); // numpy
    expect(rel(b[998]!, 0.7499993929011166)).toBeLessThan(1e-12); // numpy
    expect(rel(abar[998]!, 2.4287669070348544e-6)).toBeLessThan(1e-9); // numpy cumprod
    expect(rel(abar[999]!, 2.4287669070348567e-9)).toBeLessThan(1e-9);
  });

  it('rejects unknown kinds and step counts, naming the field', () => {
    expect(() => betasFor('cosine' as never, 10)).toThrow(/schedule kind: expected "squaredcos_cap_v2" or "linear", got "cosine"/);
    expect(() => betasFor('linear', 0)).toThrow(/trainingSteps: expected an integer >= 1, got 0/);
  });
});

describe('makeSchedule', () => {
  it('alphasCumprod is the running product of 1 - beta', () => {
    const s = makeSchedule('linear', 1000);
    let p = 1;
    for (let i = 0; i < 1000; i++) {
      p *= 1 - s.betas[i]!;
      expect(s.alphasCumprod[i]).toBe(p);
    }
    expect(s.alphasCumprod[0]).toBe(0.9999);
    expect(rel(s.alphasCumprod[99]!, 0.89701814567496)).toBeLessThan(1e-12); // numpy
    expect(rel(s.alphasCumprod[999]!, 4.035829765375676e-5)).toBeLessThan(1e-12); // numpy
  });
});

describe('spaceTimesteps (GLIDE respace.py)', () => {
  it('"fast27" is sections 10,10,3,2,2 with 999 replaced by 997', () => {
    // glide_text2im/respace.py evaluated with Python's round() (ties to even)
    expect(Array.from(spaceTimesteps(1000, 'fast27'))).toEqual([
      0, 22, 44, 66, 88, 111, 133, 155, 177, 199, 200, 222, 244, 266, 288, 311, 333, 355, 377, 399, 400, 500, 599, 600, 799,
      800, 997,
    ]);
  });

  it('"ddim50" on T=1000 is range(0, 1000, 20)', () => {
    const s = spaceTimesteps(1000, 'ddim50');
    expect(s.length).toBe(50);
    expect(Array.from(s)).toEqual(Array.from({ length: 50 }, (_, i) => 20 * i));
  });

  it.each([
    [1000, 'ddim10', [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]],
    [1000, 'ddim1000', Array.from({ length: 1000 }, (_, i) => i)],
    [1000, '10', [0, 111, 222, 333, 444, 555, 666, 777, 888, 999]],
    [10, '4', [0, 3, 6, 9]],
    // sections of 34, 33, 33; stride 16.5 rounds 16 (ties to even)
    [100, '3,4,5', [0, 16, 33, 34, 45, 55, 66, 67, 75, 83, 91, 99]],
    [100, [3, 4, 5], [0, 16, 33, 34, 45, 55, 66, 67, 75, 83, 91, 99]],
    [10, '1,1', [0, 5]],
  ])('T=%i %j', (T, spec, want) => {
    expect(Array.from(spaceTimesteps(T, spec as string | number[]))).toEqual(want);
  });

  it('ddimN needs an integer stride giving exactly N steps', () => {
    expect(spaceTimesteps(1000, 'ddim27').length).toBe(27);
    expect(() => spaceTimesteps(10, 'ddim7')).toThrow(/respacing: expected a "ddimN" whose N an integer stride can give/);
  });

  it('rejects malformed specs and sections too small for their count', () => {
    expect(() => spaceTimesteps(1000, 'fast')).toThrow(/respacing: expected "ddimN", "fast27"/);
    expect(() => spaceTimesteps(1000, '10,x')).toThrow(/respacing/);
    expect(() => spaceTimesteps(10, '20')).toThrow(/at most 10 steps in section 0/);
  });
});

describe('respace', () => {
  it('keeps abar at the chosen steps and telescopes the betas', () => {
    const { alphasCumprod } = makeSchedule('squaredcos_cap_v2', 1000);
    const r = respace(alphasCumprod, 'fast27');
    expect(r.timesteps.length).toBe(27);
    let p = 1;
    for (let k = 0; k < 27; k++) {
      expect(r.alphasCumprod[k]).toBe(alphasCumprod[r.timesteps[k]!]);
      p *= 1 - r.betas[k]!;
      expect(rel(p, r.alphasCumprod[k]!)).toBeLessThan(1e-12);
    }
    expect(r.betas[0]).toBe(1 - alphasCumprod[0]!);
    expect(r.betas[1]).toBe(1 - alphasCumprod[22]! / alphasCumprod[0]!);
    expect(rel(r.betas[1]!, 0.0021356025956702496)).toBeLessThan(1e-12); // GLIDE SpacedDiffusion, numpy
  });

  it('respacing onto every step gives back the training betas', () => {
    const s = makeSchedule('linear', 1000);
    const r = respace(s.alphasCumprod, '1000');
    for (let i = 0; i < 1000; i++) expect(Math.abs(r.betas[i]! - s.betas[i]!)).toBeLessThan(1e-15);
  });

  it('accepts explicit ascending steps and rejects others', () => {
    const { alphasCumprod } = makeSchedule('linear', 100);
    expect(Array.from(respace(alphasCumprod, Int32Array.from([0, 50, 99])).timesteps)).toEqual([0, 50, 99]);
    expect(() => respace(alphasCumprod, Int32Array.from([50, 10]))).toThrow(/ascending training steps in \[0, 100\)/);
    expect(() => respace(alphasCumprod, Int32Array.from([0, 100]))).toThrow(/ascending/);
  });
});

describe('augAlphaBar', () => {
  it('is the normalised cosine abar', () => {
    expect(augAlphaBar(0)).toBe(1);
    expect(rel(augAlphaBar(0.2), 0.8987059205995089)).toBeLessThan(1e-12); // Python reference
    expect(augAlphaBar(1)).toBeLessThan(1e-8);
    expect(() => augAlphaBar(1.5)).toThrow(/augLevel: expected a number in \[0, 1\], got 1.5/);
  });
});

describe('diffusionForSteps (the respacing a step count gets)', () => {
  const cosine = { kind: 'squaredcos_cap_v2' as const, trainingSteps: 1000, prediction: 'epsilon' as const, learnedSigma: true as const };
  it('DDPM starts at the last training step, where the input is pure noise (GLIDE samples "50")', () => {
    const d = diffusionForSteps(cosine, 50, 'ddpm');
    expect(d.steps).toBe(50);
    expect(d.tMap[0]).toBe(0);
    expect(d.tMap[49]).toBe(999);
  });
  it('DDIM and DPM-Solver++ take the integer stride "ddim50": 0, 20, ..., 980', () => {
    for (const sampler of ['ddim', 'dpmpp2m'] as const) {
      const d = diffusionForSteps(cosine, 50, sampler);
      expect(Array.from(d.tMap)).toEqual(Array.from({ length: 50 }, (_, i) => 20 * i));
    }
  });
  it('a count no integer stride gives falls back to even spacing', () => {
    // range(0, 1000, k) has 1000 entries for k = 1 and 500 for k = 2: no stride gives 600
    const d = diffusionForSteps(cosine, 600, 'ddim');
    expect(d.steps).toBe(600);
    expect(d.tMap[599]).toBe(999);
  });
});
