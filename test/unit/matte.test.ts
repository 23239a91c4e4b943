// Lifting a subject off its plain background (src/inference/matte.ts), on drawn test pictures
// whose right answer is known pixel by pixel.
import { describe, expect, it } from 'vitest';
import { MATTE_HI, MATTE_LO, matteBackground } from '../../src/inference/matte.js';

type Rgb = [number, number, number];

/** A w x w picture: `paint` gives each pixel's colour. */
function picture(w: number, paint: (x: number, y: number) => Rgb) {
  const data = new Uint8ClampedArray(w * w * 4);
  for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) data.set([...paint(x, y), 255], 4 * (y * w + x));
  return { width: w, height: w, data };
}

const GREEN: Rgb = [30, 140, 50];
const RED: Rgb = [220, 30, 40];
const WHITE: Rgb = [255, 255, 255];
const at = (img: { width: number; data: ArrayLike<number> & { subarray(a: number, b: number): ArrayLike<number> } }, x: number, y: number) => Array.from(img.data.subarray(4 * (y * img.width + x), 4 * (y * img.width + x) + 4));

describe('matteBackground', () => {
  // a red disc (radius 10) on green, with a green "eye" inside it that does not touch the edge
  const disc = picture(32, (x, y) => {
    const r = Math.hypot(x - 16, y - 16);
    if (r < 3) return GREEN;
    return r < 10 ? RED : GREEN;
  });

  it('clears the background that touches the edge and keeps the subject, inner background-coloured parts included', () => {
    const m = matteBackground(disc);
    expect(m.problem).toBeNull();
    expect(m.background).toEqual(GREEN);
    expect(m.plainShare).toBe(1);
    const img = m.image!;
    expect(at(img, 0, 0)[3]).toBe(0);
    expect(at(img, 31, 20)[3]).toBe(0);
    expect(at(img, 16, 9)).toEqual([...RED, 255]); // inside the disc
    expect(at(img, 16, 16)).toEqual([...GREEN, 255]); // the eye: background colour, but enclosed
    // cleared share: the green outside the disc (area 32^2 - pi 10^2, give or take the rim)
    expect(m.cleared).toBeGreaterThan(0.65);
    expect(m.cleared).toBeLessThan(0.72);
    expect(disc.data[3]).toBe(255); // the input is not touched
  });

  it('an anti-aliased rim fades out with its background share removed: no fringe of the old colour', () => {
    // a red square on white whose left edge column is a 50 % blend of the two
    const half = RED.map((v, c) => Math.round((v + WHITE[c]!) / 2)) as Rgb;
    const sq = picture(16, (x, y) => (y >= 4 && y < 12 && x >= 4 && x < 12 ? (x === 4 ? half : RED) : WHITE));
    const img = matteBackground(sq).image!;
    const rim = at(img, 4, 8);
    expect(rim[3]).toBeGreaterThan(100);
    expect(rim[3]).toBeLessThan(155);
    // the colour under that alpha is the subject's, not pink (white mixed in)
    for (let c = 0; c < 3; c++) expect(Math.abs(rim[c]! - RED[c]!)).toBeLessThanOrEqual(3);
    expect(at(img, 8, 8)).toEqual([...RED, 255]);
  });

  it('near-background pixels connected to the edge get alpha (d - lo) / (hi - lo)', () => {
    const d = (MATTE_LO + MATTE_HI) / 2; // halfway: alpha 0.5
    const tinted = picture(8, (x) => (x === 0 ? [255 - d, 255, 255] : WHITE));
    const px = at(matteBackground(tinted).image!, 0, 3);
    expect(px[3]).toBe(128);
    expect(px[0]).toBeCloseTo(255 - 2 * d, -0.5); // (p - (1 - a) bg) / a
  });

  it('clears specks (islands of at most 1/4096 of the picture) out in the background, and keeps a larger island', () => {
    // 128 x 128 on white: the red disc, a 2 x 2 speck and a 10 x 10 square, both far from it
    const img = picture(128, (x, y) => {
      if (Math.hypot(x - 64, y - 64) < 30) return RED;
      if (x >= 10 && x < 12 && y >= 10 && y < 12) return GREEN;
      if (x >= 100 && x < 110 && y >= 10 && y < 20) return GREEN;
      return WHITE;
    });
    const m = matteBackground(img).image!;
    expect(at(m, 10, 10)[3]).toBe(0);
    expect(at(m, 105, 15)).toEqual([...GREEN, 255]);
    expect(at(m, 64, 64)).toEqual([...RED, 255]);
  });

  it('changes nothing when the edge is not one colour, or when nothing but background would be left', () => {
    const stripes = picture(16, (x) => (x % 4 < 2 ? RED : GREEN));
    expect(matteBackground(stripes)).toMatchObject({ image: null, problem: 'no plain background' });
    expect(matteBackground(picture(16, () => WHITE))).toMatchObject({ image: null, problem: 'only background' });
  });
});
