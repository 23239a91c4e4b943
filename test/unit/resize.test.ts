import { describe, expect, it } from 'vitest';
import type { Planes } from '../../src/inference/image.js';
import { cubicKernel, resize } from '../../src/inference/resize.js';
import { NoiseSource } from '../../src/inference/rng.js';

const plane = (width: number, height: number, f: (x: number, y: number, c: number) => number, channels = 1): Planes => {
  const data = new Float32Array(channels * width * height);
  for (let c = 0; c < channels; c++) for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[(c * height + y) * width + x] = f(x, y, c);
  return { width, height, channels, data };
};
const at = (p: Planes, x: number, y: number, c = 0) => p.data[(c * p.height + y) * p.width + x]!;

describe('cubicKernel (Keys, a = -0.5)', () => {
  it('interpolates (1 at 0, 0 at other integers) and sums to 1 over the four taps', () => {
    expect(cubicKernel(0)).toBe(1);
    for (const x of [1, -1, 2, -2, 2.5]) expect(cubicKernel(x)).toBe(0);
    for (const t of [0.1, 0.25, 0.5, 0.9]) {
      const s = cubicKernel(t + 1) + cubicKernel(t) + cubicKernel(t - 1) + cubicKernel(t - 2);
      expect(s).toBeCloseTo(1, 14);
      // and reproduces linear functions: sum_k w(t - k) k = t
      const m = -cubicKernel(t + 1) + 0 + cubicKernel(t - 1) + 2 * cubicKernel(t - 2);
      expect(m).toBeCloseTo(t, 14);
    }
  });
});

describe('resize', () => {
  it.each([
    [16, 16, 8, 8],
    [16, 16, 5, 7],
    [10, 6, 37, 23],
    [9, 9, 9, 4],
    [7, 13, 64, 3],
  ])('keeps a constant image constant: %ix%i -> %ix%i', (w, h, W, H) => {
    const out = resize(plane(w, h, () => 0.3721), W, H);
    expect(out.data.length).toBe(W * H);
    expect(out.data.every((v) => v === Math.fround(0.3721))).toBe(true);
  });

  it('downscales a 2x2 block pattern to the block means exactly', () => {
    const blocks = [
      [0.25, -1, 0.5, 0.125],
      [1, 0, -0.75, 0.375],
    ];
    // each block: four different values with a known mean
    const src = plane(8, 4, (x, y) => blocks[y >> 1]![x >> 1]! + ((x & 1) - 0.5) * 0.5 + ((y & 1) - 0.5) * 0.25);
    const out = resize(src, 4, 2);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) expect(at(out, x, y)).toBe(blocks[y]![x]);
  });

  it('area-averages random data by 3 (block means)', () => {
    const noise = new NoiseSource(5).normal(12 * 9);
    const src: Planes = { width: 12, height: 9, channels: 1, data: noise };
    const out = resize(src, 4, 3);
    for (let by = 0; by < 3; by++) {
      for (let bx = 0; bx < 4; bx++) {
        let s = 0;
        for (let y = 0; y < 3; y++) for (let x = 0; x < 3; x++) s += at(src, 3 * bx + x, 3 * by + y);
        expect(at(out, bx, by)).toBeCloseTo(s / 9, 6);
      }
    }
  });

  it('weights partial pixels by coverage (3 -> 2: [a + b/2, b/2 + c] / 1.5)', () => {
    const out = resize(plane(3, 1, (x) => [1, 2, 4][x]!), 2, 1);
    expect(at(out, 0, 0)).toBeCloseTo((1 + 2 / 2) / 1.5, 6);
    expect(at(out, 1, 0)).toBeCloseTo((2 / 2 + 4) / 1.5, 6);
  });

  it('preserves a linear ramp when upscaling, away from the borders', () => {
    const src = plane(16, 12, (x, y) => 0.05 * x - 0.03 * y + 0.1);
    const out = resize(src, 64, 48);
    for (let y = 8; y < 40; y++) {
      for (let x = 8; x < 56; x++) {
        // output pixel centre in input coordinates
        const sx = (x + 0.5) / 4 - 0.5;
        const sy = (y + 0.5) / 4 - 0.5;
        expect(Math.abs(at(out, x, y) - (0.05 * sx - 0.03 * sy + 0.1))).toBeLessThan(1e-6);
      }
    }
  });

  it('bicubic goes through the input samples at integer factors (interpolating)', () => {
    const noise = new NoiseSource(8).normal(8 * 8);
    const src: Planes = { width: 8, height: 8, channels: 1, data: noise };
    // 8 -> 24: output pixel 3i+1 sits exactly on input pixel i
    const out = resize(src, 24, 24);
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) expect(at(out, 3 * x + 1, 3 * y + 1)).toBeCloseTo(at(src, x, y), 6);
  });

  it('resizes channels independently', () => {
    const src = plane(4, 4, (_x, _y, c) => [0.5, -0.5, 1][c]!, 3);
    const out = resize(src, 7, 2);
    for (let c = 0; c < 3; c++) for (let i = 0; i < 14; i++) expect(out.data[c * 14 + i]).toBe([0.5, -0.5, 1][c]);
  });

  it('nearest duplicates pixels; same size copies', () => {
    const src = plane(2, 1, (x) => x + 1);
    expect(Array.from(resize(src, 4, 2, { filter: 'nearest' }).data)).toEqual([1, 1, 2, 2, 1, 1, 2, 2]);
    const same = resize(src, 2, 1);
    expect(Array.from(same.data)).toEqual([1, 2]);
    expect(same.data).not.toBe(src.data);
  });

  it('validates its arguments', () => {
    expect(() => resize(plane(2, 2, () => 0), 0, 2)).toThrow(/width: expected an integer >= 1, got 0/);
    expect(() => resize(plane(2, 2, () => 0), 2, 2, { filter: 'lanczos' as never })).toThrow(/filter: expected/);
  });
});
