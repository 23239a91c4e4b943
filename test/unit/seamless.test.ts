// The seamless paste-back against what Laplace's equation gives in cases with a known answer.
import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/inference/image.js';
import { seamlessPatch } from '../../src/inference/seamless.js';

function picture(w: number, h: number, f: (x: number, y: number) => [number, number, number, number?]): RgbaImage {
  const data = new Uint8ClampedArray(4 * w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [r, g, b, a = 255] = f(x, y);
      data.set([r, g, b, a], 4 * (y * w + x));
    }
  }
  return { width: w, height: h, data };
}

function selection(w: number, h: number, f: (x: number, y: number) => boolean): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = f(x, y) ? 255 : 0;
  return m;
}

const px = (img: RgbaImage, x: number, y: number) => Array.from(img.data.subarray(4 * (y * img.width + x), 4 * (y * img.width + x) + 3));
const whole = (img: RgbaImage) => ({ x: 0, y: 0, width: img.width, height: img.height });

describe('seamlessPatch', () => {
  it('a fill one flat colour off a flat picture comes out as the picture: the membrane of a constant step is that constant', () => {
    for (const size of [48, 300]) {
      // 300 px: solved on a grid of blocks and enlarged
      const image = picture(size, size, () => [100, 150, 200]);
      const patch = picture(size, size, () => [130, 120, 185]);
      const inSquare = (x: number, y: number) => x >= size / 4 && x < (3 * size) / 4 && y >= size / 4 && y < (3 * size) / 4;
      const out = seamlessPatch(image, patch, whole(image), selection(size, size, inSquare));
      for (const [x, y] of [[size / 4, size / 4], [size / 2, size / 2], [(3 * size) / 4 - 1, size / 2]] as const) {
        for (const [k, v] of px(out, x, y).entries()) expect(Math.abs(v - [100, 150, 200][k]!)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('with a reach, the correction meets the edge and fades inward, as the screened equation says (e^(-d/L))', () => {
    // a band 64 px wide: the same step of -100 on both sides; reach 0.1 of its 40 px side: L = 4 px
    const image = picture(96, 40, () => [100, 100, 100]);
    const patch = picture(96, 40, () => [200, 200, 200]);
    const band = selection(96, 40, (x) => x >= 16 && x < 80);
    const out = seamlessPatch(image, patch, whole(image), band, { reach: 0.1 });
    const at = (x: number) => px(out, x, 20)[0]!;
    // at the edge most of the step is taken away; the middle keeps the fill's own colour
    expect(at(16)).toBeLessThan(150);
    expect(Math.abs(at(48) - 200)).toBeLessThanOrEqual(2);
    // about one decay length in, about 1/e of the step is left (on a 2 px grid: within a few levels)
    expect(Math.abs(200 - at(20) - 100 * Math.exp(-1))).toBeLessThanOrEqual(12);
    for (let x = 16; x < 48; x++) expect(at(x + 1)).toBeGreaterThanOrEqual(at(x));
    // without a reach the whole band takes the step
    expect(Math.abs(px(seamlessPatch(image, patch, whole(image), band), 48, 20)[0]! - 100)).toBeLessThanOrEqual(1);
  });

  it("keeps the fill's own detail: a dot in the fill keeps its contrast against the fill around it", () => {
    const image = picture(64, 64, () => [200, 200, 200]);
    const patch = picture(64, 64, (x, y) => (Math.hypot(x - 32, y - 32) < 4 ? [20, 60, 200] : [150, 160, 170]));
    const out = seamlessPatch(image, patch, whole(image), selection(64, 64, (x, y) => x >= 16 && x < 48 && y >= 16 && y < 48));
    const dot = px(out, 32, 32);
    const around = px(out, 40, 32);
    for (let k = 0; k < 3; k++) {
      expect(Math.abs(around[k]! - 200)).toBeLessThanOrEqual(2);
      expect(Math.abs(dot[k]! - around[k]! - ([20, 60, 200][k]! - [150, 160, 170][k]!))).toBeLessThanOrEqual(2);
    }
  });

  it('between two different edges the correction runs linearly, as the one-dimensional Laplace equation says', () => {
    // the selection is a band across the whole height: edges only left and right; top and
    // bottom are the picture's border, where the field is free (no flux)
    const image = picture(96, 40, (x) => (x < 48 ? [40, 40, 40] : [220, 220, 220]));
    const patch = picture(96, 40, () => [128, 128, 128]);
    const out = seamlessPatch(image, patch, whole(image), selection(96, 40, (x) => x >= 16 && x < 80));
    const at = (x: number) => px(out, x, 20)[0]!;
    expect(Math.abs(at(16) - 40)).toBeLessThanOrEqual(4);
    expect(Math.abs(at(79) - 220)).toBeLessThanOrEqual(4);
    expect(Math.abs(at(48) - 130)).toBeLessThanOrEqual(6);
    for (let x = 17; x < 80; x++) expect(at(x)).toBeGreaterThanOrEqual(at(x - 1));
    // the same along every row
    expect(Math.abs(px(out, 48, 1)[0]! - at(48))).toBeLessThanOrEqual(1);
  });

  it('leaves pixels outside the selection as the patch had them, and transparent picture pixels set no edge', () => {
    const image = picture(40, 40, () => [0, 0, 0, 0]);
    const patch = picture(40, 40, (x, y) => [x * 5, y * 5, 90]);
    const mask = selection(40, 40, (x, y) => x >= 10 && x < 30 && y >= 10 && y < 30);
    expect(seamlessPatch(image, patch, whole(image), mask)).toBe(patch);
    const opaque = picture(40, 40, () => [10, 20, 30]);
    const out = seamlessPatch(opaque, patch, whole(opaque), mask);
    for (let y = 0; y < 40; y++) for (let x = 0; x < 40; x++) if (mask[y * 40 + x] === 0) expect(px(out, x, y)).toEqual(px(patch, x, y));
  });

  it('works on a rectangle inside a larger picture, reading the picture and the selection at its place', () => {
    const image = picture(200, 120, (x) => (x < 100 ? [90, 90, 90] : [10, 200, 10]));
    const rect = { x: 120, y: 30, width: 60, height: 60 };
    const patch = picture(60, 60, () => [60, 60, 60]);
    const mask = selection(200, 120, (x, y) => x >= 135 && x < 165 && y >= 45 && y < 75);
    const out = seamlessPatch(image, patch, rect, mask);
    for (const [k, v] of px(out, 30, 30).entries()) expect(Math.abs(v - [10, 200, 10][k]!)).toBeLessThanOrEqual(1);
  });
});
