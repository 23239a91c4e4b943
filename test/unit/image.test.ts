import { describe, expect, it } from 'vitest';
import {
  composite,
  cropPlanes,
  cropRgba,
  grayToMask,
  planesToRgba,
  rgbaBatchToTensor,
  rgbaToPlanes,
  rgbaToPlanesBinned,
  tensorToRgbaBatch,
  type Planes,
  type RgbaImage,
} from '../../src/inference/image.js';
import { resizeToRgba } from '../../src/inference/jobs/inpaint.js';
import { resize } from '../../src/inference/resize.js';

const rgba = (width: number, height: number, px: number[]): RgbaImage => ({ width, height, data: Uint8ClampedArray.from(px) });

describe('rgbaToPlanes / planesToRgba', () => {
  it('maps 0..255 to [-1, 1] in CHW order', () => {
    const img = rgba(2, 1, [0, 255, 51, 255, 255, 0, 102, 255]);
    const p = rgbaToPlanes(img);
    expect(p).toMatchObject({ width: 2, height: 1, channels: 3 });
    // plane R = [0, 255], G = [255, 0], B = [51, 102]
    expect(Array.from(p.data)).toEqual([-1, 1, 1, -1, 51 / 127.5 - 1, 102 / 127.5 - 1].map(Math.fround));
  });

  it('round-trips every byte value exactly', () => {
    const px: number[] = [];
    for (let v = 0; v < 256; v++) px.push(v, 255 - v, (v * 7) % 256, 255);
    const img = rgba(256, 1, px);
    expect(Array.from(planesToRgba(rgbaToPlanes(img)).data)).toEqual(px);
  });

  it('composites transparent pixels over the background (white by default) or ignores alpha', () => {
    const img = rgba(3, 1, [10, 20, 30, 0, 10, 20, 30, 255, 0, 0, 0, 51]);
    const white = rgbaToPlanes(img).data;
    expect(white[0]).toBe(1); // transparent -> white
    expect(white[1]).toBe(Math.fround(10 / 127.5 - 1)); // opaque unchanged
    expect(white[2]).toBeCloseTo((0.2 * 0 + 0.8 * 255) / 127.5 - 1, 6); // 20% black over white
    const raw = rgbaToPlanes(img, { background: null }).data;
    expect(raw[0]).toBe(Math.fround(10 / 127.5 - 1));
    const red = rgbaToPlanes(img, { background: [255, 0, 0] }).data;
    expect([red[0], red[3], red[6]]).toEqual([1, -1, -1]);
  });

  it('rounds to 8 bits with clamping (ties to even), NaN to 0, and takes alpha', () => {
    const p: Planes = { width: 4, height: 1, channels: 3, data: Float32Array.from([2, -3, NaN, 0, 0, 0, 0, 0, 0, 0, 0, 0]) };
    const out = planesToRgba(p, { alpha: 128 });
    expect(Array.from(out.data.subarray(0, 16))).toEqual([255, 128, 128, 128, 0, 128, 128, 128, 0, 128, 128, 128, 128, 128, 128, 128]);
    const m: Planes = { width: 4, height: 1, channels: 1, data: Float32Array.from([0, 0.5, 1, 0.25]) };
    expect(Array.from(planesToRgba(p, { alpha: m }).data.filter((_, i) => i % 4 === 3))).toEqual([0, 128, 255, 64]);
  });

  it('rejects data of the wrong length, naming the size expected', () => {
    expect(() => rgbaToPlanes(rgba(2, 2, [0, 0, 0, 0]))).toThrow(/image.data: expected 2x2x4 = 16 bytes, got Uint8ClampedArray\(4\)/);
  });
});

describe('rgbaToPlanesBinned', () => {
  it('factor 1 is rgbaToPlanes of the region; factor 2 averages 2 x 2 blocks, partial ones at the edges, after compositing on white', () => {
    // 3 x 3; the middle pixel of the top row is transparent (white under it)
    const px: number[] = [];
    for (let i = 0; i < 9; i++) px.push(i * 20, 100, 255 - i * 20, i === 1 ? 0 : 255);
    const img = rgba(3, 3, px);
    const whole = { x: 0, y: 0, width: 3, height: 3 };
    expect(rgbaToPlanesBinned(img, whole, 1)).toEqual(rgbaToPlanes(img));
    const b = rgbaToPlanesBinned(img, whole, 2);
    expect([b.width, b.height]).toEqual([2, 2]);
    const v = (k: number) => k / 127.5 - 1;
    // top-left block: pixels 0, 1 (white), 3, 4; red = (0 + 255 + 60 + 80) / 4
    expect(b.data[0]).toBeCloseTo(v((0 + 255 + 60 + 80) / 4), 6);
    // top-right block: pixels 2 and 5 only; bottom-right: pixel 8 alone
    expect(b.data[1]).toBeCloseTo(v((40 + 100) / 2), 6);
    expect(b.data[3]).toBeCloseTo(v(160), 6);
    // a region: the 2 x 2 square at (1, 1) binned by 2 is one pixel, the mean of pixels 4, 5, 7, 8 (blue)
    const r = rgbaToPlanesBinned(img, { x: 1, y: 1, width: 2, height: 2 }, 2);
    expect(r.data[2]).toBeCloseTo(v((175 + 155 + 115 + 95) / 4), 6);
    expect(() => rgbaToPlanesBinned(img, { x: 2, y: 2, width: 2, height: 2 }, 1)).toThrow();
  });
});

describe('resizeToRgba', () => {
  it('gives the bytes of planesToRgba(resize(planes)), opaque, enlarging and shrinking', () => {
    const p = { width: 5, height: 4, channels: 3, data: Float32Array.from({ length: 60 }, (_, i) => Math.sin(i * 1.7) * 1.1) };
    for (const [w, h] of [[13, 9], [3, 2], [5, 4]] as const) {
      expect(Array.from(resizeToRgba(p, w, h).data)).toEqual(Array.from(planesToRgba(resize(p, w, h)).data));
    }
  });
});

describe('batches', () => {
  it('stacks images into [B, 3, H, W] and splits them back', () => {
    const a = rgba(1, 2, [0, 0, 0, 255, 255, 255, 255, 255]);
    const b = rgba(1, 2, [255, 0, 0, 255, 0, 255, 0, 255]);
    const t = rgbaBatchToTensor([a, b]);
    expect(t.length).toBe(12);
    expect(Array.from(t.subarray(6))).toEqual([1, -1, -1, 1, -1, -1]);
    const back = tensorToRgbaBatch(t, 2, 2, 1);
    expect(Array.from(back[0]!.data)).toEqual(Array.from(a.data));
    expect(Array.from(back[1]!.data)).toEqual(Array.from(b.data));
    expect(() => rgbaBatchToTensor([a, rgba(2, 1, [0, 0, 0, 0, 0, 0, 0, 0])])).toThrow(/images\[1\]: expected 1x2/);
  });
});

describe('masks and crops', () => {
  it('grayToMask scales to [0, 1]', () => {
    expect(Array.from(grayToMask(Uint8Array.from([0, 255, 51]), 3, 1).data)).toEqual([0, 1, 0.2].map(Math.fround));
  });

  it('crops RGBA and planes', () => {
    const px = Array.from({ length: 4 * 3 * 4 }, (_, i) => i);
    const img = rgba(4, 3, px);
    const c = cropRgba(img, { x: 1, y: 1, width: 2, height: 2 });
    expect(Array.from(c.data)).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 36, 37, 38, 39, 40, 41, 42, 43]);
    const p: Planes = { width: 3, height: 2, channels: 2, data: Float32Array.from([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]) };
    expect(Array.from(cropPlanes(p, { x: 1, y: 0, width: 2, height: 2 }).data)).toEqual([1, 2, 4, 5, 11, 12, 14, 15]);
    expect(() => cropRgba(img, { x: 3, y: 0, width: 2, height: 1 })).toThrow(/crop: expected an integer rectangle inside 4x3/);
  });
});

describe('composite', () => {
  const dst = rgba(3, 2, Array.from({ length: 24 }, (_, i) => (i * 37) % 256));
  const src = rgba(2, 1, [200, 100, 50, 255, 0, 0, 0, 0]);

  it('leaves alpha-0 pixels and everything outside the pasted rectangle bit-identical', () => {
    const alpha: Planes = { width: 2, height: 1, channels: 1, data: Float32Array.from([0, 0]) };
    const out = composite(dst, src, alpha, { x: 1, y: 1 });
    expect(out.data).toEqual(dst.data);
    expect(out.data).not.toBe(dst.data);
  });

  it('alpha 1 copies src, fractional alpha blends linearly where dst is opaque', () => {
    const opaque = rgba(3, 2, Array.from({ length: 24 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37) % 256)));
    const red = rgba(2, 1, [200, 100, 50, 255, 201, 0, 3, 255]);
    const alpha: Planes = { width: 2, height: 1, channels: 1, data: Float32Array.from([1, 0.5]) };
    const out = composite(opaque, red, alpha, { x: 1, y: 1 });
    const at = (x: number, y: number) => Array.from(out.data.subarray((y * 3 + x) * 4, (y * 3 + x) * 4 + 4));
    const was = (x: number, y: number) => Array.from(opaque.data.subarray((y * 3 + x) * 4, (y * 3 + x) * 4 + 4));
    expect(at(1, 1)).toEqual([200, 100, 50, 255]);
    // dst + 0.5 (src - dst), rounded by Uint8ClampedArray: ties to even
    const halfEven = (x: number) => (x % 1 === 0.5 && Math.floor(x) % 2 === 0 ? Math.floor(x) : Math.round(x));
    expect(at(2, 1)).toEqual([201, 0, 3, 255].map((v, c) => halfEven((was(2, 1)[c]! + v) / 2)));
    for (const [x, y] of [[0, 0], [1, 0], [2, 0], [0, 1]] as const) expect(at(x, y)).toEqual(was(x, y));
  });

  it('over transparent pixels the feather neither darkens nor fades: a fill next to empty canvas has no fringe', () => {
    // dst: transparent black, 20 % opaque blue, opaque green; src opaque; alpha 0.5 everywhere
    const dst3 = rgba(3, 1, [0, 0, 0, 0, 0, 0, 200, 51, 0, 255, 0, 255]);
    const src3 = rgba(3, 1, [100, 0, 0, 255, 100, 0, 0, 255, 100, 0, 0, 255]);
    const half: Planes = { width: 3, height: 1, channels: 1, data: Float32Array.from([0.5, 0.5, 0.5]) };
    const out = Array.from(composite(dst3, src3, half).data);
    expect(out.slice(0, 4)).toEqual([100, 0, 0, 255]); // nothing to blend with: src
    // w = 1 - 0.5 * 0.2 = 0.9; alpha 0.2 * 0.1 + 0.9 = 0.92; red 100 * 0.9 / 0.92 = 97.8, blue 200 * 0.02 / 0.92 = 4.3
    expect(out.slice(4, 8)).toEqual([98, 0, 4, 235]);
    expect(out.slice(8, 12)).toEqual([50, 128, 0, 255]); // opaque: the plain halfway blend
    // a transparent src fades dst's alpha and keeps its colour (no black pulled in)
    const clear = rgba(1, 1, [0, 0, 0, 0]);
    const one: Planes = { width: 1, height: 1, channels: 1, data: Float32Array.from([0.5]) };
    expect(Array.from(composite(rgba(1, 1, [30, 60, 90, 255]), clear, one).data)).toEqual([30, 60, 90, 128]);
  });

  it('checks sizes', () => {
    const alpha: Planes = { width: 1, height: 1, channels: 1, data: Float32Array.from([1]) };
    expect(() => composite(dst, src, alpha)).toThrow(/alpha: expected 2x1 like src/);
    const a2: Planes = { width: 2, height: 1, channels: 1, data: Float32Array.from([1, 1]) };
    expect(() => composite(dst, src, a2, { x: 2, y: 0 })).toThrow(/paste: expected an integer rectangle inside 3x2/);
  });
});
