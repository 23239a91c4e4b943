// Photograph or flat-coloured art (src/inference/content.ts), checked against analytic values, a
// size invariant, and shares computed by the Python implementation (training/content.py).
import { describe, expect, it } from 'vitest';
import { analyseContent, flatShare, GRAPHIC_MIN_FLAT_SHARE } from '../../src/inference/content.js';
import { chooseStrength } from '../../src/inference/jobs/upscale.js';

type Px = (x: number, y: number, c: number) => number;

function image(w: number, h: number, rgb: Px, alpha: (x: number, y: number) => number = () => 255) {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) data[4 * (y * w + x) + c] = rgb(x, y, c);
      data[4 * (y * w + x) + 3] = alpha(x, y);
    }
  }
  return { width: w, height: h, data };
}

/** A deterministic "random" level in [0, n): tests must not depend on Math.random. */
const hash = (x: number, y: number, c: number, n: number) => (((x * 73856093) ^ (y * 19349663) ^ (c * 83492791)) >>> 0) % n;
const noisy = (n: number): Px => (x, y, c) => 100 + hash(x, y, c, n);

describe('flat share', () => {
  it('is 1 for one colour and 0 for strong grain', () => {
    expect(flatShare(image(50, 40, () => 77))).toBe(1);
    expect(flatShare(image(50, 40, noisy(60)))).toBe(0);
    expect(analyseContent(image(50, 40, () => 77)).kind).toBe('graphic');
    expect(analyseContent(image(50, 40, noisy(60))).kind).toBe('photo');
  });

  it('tolerates a spread of 2 levels in a 3 x 3 neighbourhood, not 3', () => {
    // 32 px wide, so blocks are pixels: a ramp of 1 level per pixel spans 2 over 3 pixels (flat),
    // a ramp of 1.5 spans 3 in every neighbourhood but those of the two edge columns, which see 2 pixels
    expect(flatShare(image(32, 32, (x) => x))).toBe(1);
    expect(flatShare(image(32, 32, (x) => Math.floor(1.5 * x)))).toBe(2 / 32);
  });

  it('averages over blocks first: two halves at 64 px leave the two block columns at the edge', () => {
    // f = 2: 32 x 32 blocks, columns 15 and 16 see both halves
    expect(flatShare(image(64, 64, (x) => (x < 32 ? 0 : 255)))).toBeCloseTo(30 / 32, 12);
    // a boundary inside a block (x = 33 is in block 16) makes blocks 15, 16, 17 differ
    expect(flatShare(image(64, 64, (x) => (x < 33 ? 0 : 255)))).toBeCloseTo(29 / 32, 12);
  });

  it('does not change when a picture is enlarged by whole blocks (nearest neighbour)', () => {
    const small = image(32, 32, (x, y, c) => (x + y < 30 ? 50 : noisy(6)(x, y, c))); // flat and grainy parts
    const share = flatShare(small);
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.95);
    for (const k of [2, 3, 4]) {
      const big = image(32 * k, 32 * k, (x, y, c) => small.data[4 * (Math.floor(y / k) * 32 + Math.floor(x / k)) + c]!);
      expect(flatShare(big)).toBe(share);
    }
  });

  it('counts opaque blocks only, so transparent surroundings do not decide the kind', () => {
    const inside = (x: number, y: number) => (x >= 16 && x < 48 && y >= 16 && y < 48 ? 255 : 0);
    // grain cut out on a transparent canvas is a photograph, however much canvas there is
    expect(flatShare(image(64, 64, noisy(60), inside))).toBe(0);
    // one colour with grain hidden under transparency is art
    expect(flatShare(image(64, 64, (x, y, c) => (inside(x, y) ? 40 : noisy(60)(x, y, c)), inside))).toBe(1);
    // a half-transparent pixel makes its block transparent; nothing opaque counts as art (nothing to keep)
    expect(flatShare(image(40, 40, noisy(60), () => 128))).toBe(1);
  });

  it('matches training/content.py on pictures with grain, steps and soft alpha', () => {
    // the same formula as training/tests/test_content.py, whose shares these are
    const formula = (w: number, h: number, withAlpha: boolean) =>
      image(
        w,
        h,
        (x, y, c) => Math.min(255, ((Math.floor(x / 12) * 50 + Math.floor(y / 15) * 30 + c * 70) % 256) + (3 * x < w ? (x * 31 + y * 17 + c * 7) % 7 : 0)),
        (x, y) => {
          if (!withAlpha) return 255;
          const r2 = (2 * x - w) ** 2 + (2 * y - h) ** 2;
          const m = Math.min(w, h);
          return r2 <= Math.floor(0.8 * m) ** 2 ? 255 : r2 <= m * m ? 128 : 0;
        },
      );
    const cases: [number, number, boolean, number][] = [
      [40, 33, false, 0.46136363636363636],
      [100, 70, false, 0.37885714285714284],
      [130, 128, false, 0.107421875],
      [130, 128, true, 0.08280254777070063],
      [97, 200, true, 0.2936344969199179],
    ];
    for (const [w, h, a, share] of cases) expect(flatShare(formula(w, h, a))).toBeCloseTo(share, 12);
  });

  it('draws the line between the kinds at GRAPHIC_MIN_FLAT_SHARE', () => {
    // 32 x 32: grain in the left columns; k flat columns on the right give a share of (k - 1) / 32
    // (the column next to the grain sees it)
    const cols = (k: number) => image(32, 32, (x, y, c) => (x < 32 - k ? noisy(60)(x, y, c) : 10));
    const k = Math.ceil(GRAPHIC_MIN_FLAT_SHARE * 32) + 1;
    expect(analyseContent(cols(k))).toEqual({ kind: 'graphic', flatShare: (k - 1) / 32 });
    expect(analyseContent(cols(k - 1)).kind).toBe('photo');
  });
});

describe('upscale strength choice', () => {
  const art = image(40, 40, () => 200);
  const photo = image(40, 40, noisy(60));
  const pair = { photo: 0.3, graphic: 1 };

  it('takes a number as it is, from the request before the pack, else 1', () => {
    expect(chooseStrength(0.5, pair, photo)).toEqual({ strength: 0.5 });
    expect(chooseStrength(undefined, 0.7, photo)).toEqual({ strength: 0.7 });
    expect(chooseStrength(undefined, undefined, photo)).toEqual({ strength: 1 });
  });

  it("picks the pack's strength for the kind when asked for auto or when the pack gives a pair", () => {
    expect(chooseStrength(undefined, pair, photo)).toMatchObject({ strength: 0.3, content: { kind: 'photo', flatShare: 0 } });
    expect(chooseStrength('auto', pair, art)).toMatchObject({ strength: 1, content: { kind: 'graphic', flatShare: 1 } });
  });

  it('refuses auto for a pack without a pair, saying what to give instead', () => {
    expect(() => chooseStrength('auto', 0.5, photo)).toThrow(/needs a model pack that gives one upscale strength for photographs.*give a number in \(0, 1\]/);
    expect(() => chooseStrength('auto', undefined, photo)).toThrow(/strength 'auto'/);
  });
});
