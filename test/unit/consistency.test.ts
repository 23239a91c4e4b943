// Low-res consistency: analytic invariants (block averages equal the input, in-block detail kept).
import { describe, expect, it } from 'vitest';
import { lowResConsistency } from '../../src/inference/sampling/consistency.js';

const blockMean = (x: Float32Array, H: number, f: number, plane: number, by: number, bx: number): number => {
  let s = 0;
  for (let y = by * f; y < (by + 1) * f; y++) for (let xx = bx * f; xx < (bx + 1) * f; xx++) s += x[plane + y * H + xx]!;
  return s / (f * f);
};

describe('lowResConsistency', () => {
  const s = 4;
  const H = 16;
  const f = 4;
  let seed = 1;
  const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 0.8 - 0.4;
  const low = Float32Array.from({ length: 2 * 3 * s * s }, rand);
  const x0 = Float32Array.from({ length: 2 * 3 * H * H }, rand);

  it('makes every f x f block average equal the low-res pixel and keeps the detail', () => {
    const out = Float32Array.from(x0);
    lowResConsistency(low, s)(out, { batch: 2, height: H, width: H });
    for (let p = 0; p < 6; p++) {
      for (let by = 0; by < s; by++) {
        for (let bx = 0; bx < s; bx++) {
          expect(blockMean(out, H, f, p * H * H, by, bx)).toBeCloseTo(low[p * s * s + by * s + bx]!, 5);
          // the deviation of one pixel from its block mean is unchanged
          const y = by * f + 1;
          const x = bx * f + 2;
          const i = p * H * H + y * H + x;
          expect(out[i]! - blockMean(out, H, f, p * H * H, by, bx)).toBeCloseTo(x0[i]! - blockMean(x0, H, f, p * H * H, by, bx), 5);
        }
      }
    }
  });

  it('clips to [-1, 1], broadcasts a batch of 1 and rejects sizes that do not fit', () => {
    const big = x0.map((v) => v * 10);
    lowResConsistency(low.subarray(0, 3 * s * s), s)(big, { batch: 2, height: H, width: H });
    expect(Math.max(...big.map(Math.abs))).toBeLessThanOrEqual(1);
    expect(() => lowResConsistency(low, 5)(Float32Array.from(x0), { batch: 2, height: H, width: H })).toThrow(/does not fit/);
  });

  it('keeps the block averages exact after smooth passes (away from the clip)', () => {
    const half = x0.map((v) => v / 2);
    const lowHalf = low.map((v) => v / 2);
    lowResConsistency(lowHalf, s, 3)(half, { batch: 2, height: H, width: H });
    expect(Math.max(...half.map(Math.abs))).toBeLessThan(1);
    for (let p = 0; p < 6; p++) {
      for (let by = 0; by < s; by++) {
        for (let bx = 0; bx < s; bx++) expect(blockMean(half, H, f, p * H * H, by, bx)).toBeCloseTo(lowHalf[p * s * s + by * s + bx]!, 5);
      }
    }
  });

  it('turns the staircase of a flat prediction under a low-res ramp into the ramp', () => {
    // a line's mean over a block is its value at the block centre, so the ramp through the
    // low-res values is the exact answer; block-wise correction alone leaves f-pixel steps
    const n = 8;
    const W = n * f;
    const lowRamp = Float32Array.from({ length: 3 * n * n }, (_, i) => 0.1 * (i % n) - 0.3);
    const want = (x: number) => 0.1 * ((x + 0.5) / f - 0.5) - 0.3;
    const worst = (passes: number) => {
      const out = new Float32Array(3 * W * W);
      lowResConsistency(lowRamp, n, passes)(out, { batch: 1, height: W, width: W });
      let m = 0;
      for (let c = 0; c < 3; c++) {
        for (let y = 2 * f; y < (n - 2) * f; y++) {
          for (let x = 2 * f; x < (n - 2) * f; x++) m = Math.max(m, Math.abs(out[c * W * W + y * W + x]! - want(x)));
        }
      }
      return m;
    };
    expect(worst(0)).toBeGreaterThan(0.035);
    expect(worst(4)).toBeLessThan(0.1 * worst(0));
  });
});
