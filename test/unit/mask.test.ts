import { describe, expect, it } from 'vitest';
import type { Planes, Rect } from '../../src/inference/image.js';
import { boxBlur, featherMask, maskBounds, selectionCrop } from '../../src/inference/mask.js';
import { NoiseSource } from '../../src/inference/rng.js';

const mask = (width: number, height: number, f: (x: number, y: number) => number): Planes => {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { width, height, channels: 1, data };
};
const contains = (outer: Rect, inner: Rect) =>
  outer.x <= inner.x && outer.y <= inner.y && outer.x + outer.width >= inner.x + inner.width && outer.y + outer.height >= inner.y + inner.height;

describe('selectionCrop', () => {
  it.each([
    // selection, image, options, expected crop
    [{ x: 40, y: 40, width: 20, height: 20 }, [100, 100], { margin: 0.5 }, { x: 30, y: 30, width: 40, height: 40 }],
    [{ x: 40, y: 45, width: 20, height: 10 }, [100, 100], { margin: 0.5 }, { x: 30, y: 30, width: 40, height: 40 }],
    [{ x: 0, y: 0, width: 10, height: 10 }, [100, 100], { margin: 0.5 }, { x: 0, y: 0, width: 20, height: 20 }],
    [{ x: 95, y: 90, width: 5, height: 10 }, [100, 100], { margin: 0 }, { x: 90, y: 90, width: 10, height: 10 }],
    [{ x: 40, y: 40, width: 4, height: 4 }, [100, 100], { margin: 0, minSize: 64 }, { x: 10, y: 10, width: 64, height: 64 }],
    // the 64 px minimum is limited to the 50 px image height; centred on x = 42
    [{ x: 40, y: 40, width: 4, height: 4 }, [100, 50], { margin: 0, minSize: 64 }, { x: 17, y: 0, width: 50, height: 50 }],
    [{ x: 10, y: 10, width: 30, height: 10 }, [100, 100], { margin: 0, square: false }, { x: 10, y: 10, width: 30, height: 10 }],
    [{ x: 0, y: 0, width: 100, height: 100 }, [100, 100], {}, { x: 0, y: 0, width: 100, height: 100 }],
    // a strip wider than the image is tall: no square fits, the crop keeps the selection
    [{ x: 10, y: 5, width: 80, height: 10 }, [100, 30], { margin: 0 }, { x: 10, y: 0, width: 80, height: 30 }],
  ])('%j in %j with %j -> %j', (sel, [W, H], opts, want) => {
    expect(selectionCrop(sel, { width: W!, height: H! }, opts)).toEqual(want);
  });

  it('always contains the selection, lies inside the image and is square when a square fits', () => {
    const r = new NoiseSource(11).uniform(6 * 500);
    for (let i = 0; i < 500; i++) {
      const u = (k: number) => r[6 * i + k]!;
      const W = 1 + Math.floor(u(0) * 300);
      const H = 1 + Math.floor(u(1) * 300);
      const w = 1 + Math.floor(u(2) * W);
      const h = 1 + Math.floor(u(3) * H);
      const sel = { x: Math.floor(u(4) * (W - w + 1)), y: Math.floor(u(5) * (H - h + 1)), width: w, height: h };
      const crop = selectionCrop(sel, { width: W, height: H }, { margin: 0.3, minSize: 64 });
      expect(contains(crop, sel)).toBe(true);
      expect(contains({ x: 0, y: 0, width: W, height: H }, crop)).toBe(true);
      if (Math.min(W, H) >= Math.max(w, h)) expect(crop.width).toBe(crop.height);
    }
  });

  it('rejects selections outside the image', () => {
    expect(() => selectionCrop({ x: 90, y: 0, width: 20, height: 5 }, { width: 100, height: 100 })).toThrow(
      /selection bounds: expected a non-empty integer rectangle inside 100x100/,
    );
  });
});

describe('maskBounds', () => {
  it('finds the bounding box of selected pixels, or null', () => {
    expect(maskBounds(mask(10, 8, (x, y) => (x >= 2 && x <= 5 && y >= 3 && y <= 6 ? 1 : 0)))).toEqual({ x: 2, y: 3, width: 4, height: 4 });
    expect(maskBounds(mask(4, 4, () => 0))).toBeNull();
  });
});

describe('boxBlur', () => {
  it('keeps constants and averages windows with edges replicated', () => {
    expect(boxBlur(mask(9, 5, () => 0.7), 2).data.every((v) => Math.abs(v - 0.7) < 1e-7)).toBe(true);
    const line = boxBlur(mask(5, 1, (x) => (x === 2 ? 3 : 0)), 1).data;
    expect(Array.from(line)).toEqual([0, 1, 1, 1, 0]);
    const edge = boxBlur(mask(3, 1, (x) => x), 1).data; // [0,0,1], [0,1,2], [1,2,2]
    expect(Array.from(edge)).toEqual([1 / 3, 1, 5 / 3].map(Math.fround));
  });
});

describe('featherMask', () => {
  const r = 4;
  const half = mask(32, 8, (x) => (x >= 16 ? 1 : 0)); // selected from x = 16 on

  it("'inside' keeps everything outside the selection at exactly 0 and ramps (2d+1)/(2r+1) inside", () => {
    const f = featherMask(half, r);
    for (let y = 0; y < 8; y++) {
      for (let x = 0; x < 32; x++) {
        const v = f.data[y * 32 + x]!;
        if (x < 16) expect(v).toBe(0);
        else if (x - 16 >= r) expect(v).toBe(1);
        else expect(v).toBeCloseTo((2 * (x - 16) + 1) / (2 * r + 1), 6);
      }
    }
  });

  it("'centered' is the blurred mask, soft on both sides", () => {
    const f = featherMask(half, r, { mode: 'centered' });
    for (let d = -r - 1; d <= r; d++) {
      const want = Math.min(Math.max((d + r + 1) / (2 * r + 1), 0), 1);
      expect(f.data[16 + d]).toBeCloseTo(want, 6);
    }
  });

  it('stays in [0, 1], keeps selections that touch the image border at 1 there, and radius 0 is the mask', () => {
    const noisy = mask(20, 20, (x, y) => ((x * 7 + y * 13) % 5 === 0 ? 1 : (x + y) % 3 === 0 ? 0.5 : 0));
    const f = featherMask(noisy, 3);
    expect(f.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    for (let i = 0; i < f.data.length; i++) expect(f.data[i]!).toBeLessThanOrEqual(noisy.data[i]!);
    const full = featherMask(mask(10, 10, (x) => (x < 6 ? 1 : 0)), 2);
    expect(full.data[0]).toBe(1); // corner (0, 0) is at the image border, not a selection edge
    expect(Array.from(featherMask(noisy, 0).data)).toEqual(Array.from(noisy.data));
  });
});
