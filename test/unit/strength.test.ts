// img2img starts (src/inference/sampling/strength.ts), checked against analytic values; the
// engine's output is checked against the Python reference in the parity tests.
import { describe, expect, it } from 'vitest';
import { diffusionFor } from '../../src/inference/sampling/diffusion.js';
import { samplerFor } from '../../src/inference/sampling/samplers.js';
import { imageStart, keptSteps, truncateDiffusion, upsamplerStart } from '../../src/inference/sampling/strength.js';

describe('img2img strength', () => {
  const d = diffusionFor({ kind: 'linear', trainingSteps: 1000 }, 'ddim10');

  it('keeps round(strength x steps) steps, at least one; refuses strengths outside (0, 1]', () => {
    expect([1, 0.6, 0.45, 0.4, 0.04].map((s) => keptSteps(s, 10))).toEqual([10, 6, 5, 4, 1]);
    for (const bad of [0, -1, 1.01, Number.NaN]) expect(() => keptSteps(bad, 10)).toThrow(/strength: expected a number in \(0, 1\]/);
  });

  it('a truncated diffusion is the low-noise end of the schedule, t = 0..300 for 4 of ddim10', () => {
    const s = truncateDiffusion(d, 4);
    expect(Array.from(s.tMap)).toEqual([0, 100, 200, 300]);
    // GLIDE's linear betas for 1000 steps: 1e-4 .. 0.02; abar at t = 300 is their product up to it
    let abar = 1;
    for (let t = 0; t <= 300; t++) abar *= 1 - (1e-4 + ((0.02 - 1e-4) * t) / 999);
    expect(s.abar[3]).toBeCloseTo(abar, 9);
    expect(() => truncateDiffusion(d, 0)).toThrow(RangeError);
  });

  it('starts from the enlargement noised to the kept level; block means of the enlargement are the input', () => {
    const low = Float32Array.from({ length: 3 * 4 }, (_, i) => ((i * 7) % 11) / 15 - 0.35); // [1,3,2,2], within +-0.4
    const shape = { batch: 1, height: 8, width: 8 };
    const zero = new Float32Array(3 * 64);
    const start = upsamplerStart(d, 0.4, low, 2, shape, zero)!;
    expect(start.diffusion.steps).toBe(4);
    const ca = Math.sqrt(start.diffusion.abar[3]!);
    for (let c = 0; c < 3; c++) {
      for (let by = 0; by < 2; by++) {
        for (let bx = 0; bx < 2; bx++) {
          let sum = 0;
          for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) sum += start.x[c * 64 + (by * 4 + y) * 8 + bx * 4 + x]!;
          expect(sum / 16 / ca).toBeCloseTo(low[c * 4 + by * 2 + bx]!, 5);
        }
      }
    }
    // every step kept: no special start
    expect(upsamplerStart(d, 1, low, 2, shape, zero)).toBeNull();
  });

  it('an image start is the picture noised to the kept level: sqrt(abar) x0 + sqrt(1 - abar) noise at t = 500 for 0.6', () => {
    const x0 = Float32Array.from({ length: 12 }, (_, i) => (i % 5) / 2.5 - 0.8);
    const noise = Float32Array.from({ length: 12 }, (_, i) => ((i * 3) % 7) / 3 - 1);
    const start = imageStart(d, 0.6, x0, noise)!;
    expect(start.diffusion.steps).toBe(6);
    expect(start.diffusion.tMap[5]).toBe(500);
    let abar = 1;
    for (let t = 0; t <= 500; t++) abar *= 1 - (1e-4 + ((0.02 - 1e-4) * t) / 999);
    for (let i = 0; i < 12; i++) expect(start.x[i]).toBeCloseTo(Math.sqrt(abar) * x0[i]! + Math.sqrt(1 - abar) * noise[i]!, 6);
    expect(imageStart(d, 1, x0, noise)).toBeNull();
    expect(() => imageStart(d, 0.5, x0, new Float32Array(3))).toThrow(RangeError);
  });

  it('DDIM from a start calls the network only at the kept steps', async () => {
    const seen: number[] = [];
    const s = truncateDiffusion(d, 3);
    await samplerFor('ddim')({
      diffusion: s, shape: { batch: 1, height: 1, width: 1 }, xT: new Float32Array(3),
      denoise: async (_x, t) => (seen.push(t), new Float32Array(6)),
    });
    expect(seen).toEqual([200, 100, 0]);
  });
});
