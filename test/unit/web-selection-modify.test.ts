// Select > Modify: the distance transform against brute force, and Expand / Contract / Feather
// against shapes worked by hand.
import { describe, expect, it } from 'vitest';
import { contractSelection, expandSelection, featherSelection, squaredDistance } from '../../src/host/web/selection-modify.js';

/** A w x h selection with the box [x0, x1) x [y0, y1) selected. */
function boxSel(w: number, h: number, x0: number, y0: number, x1: number, y1: number): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = y0; y < y1; y++) m.fill(255, y * w + x0, y * w + x1);
  return m;
}
const count = (m: Uint8Array) => m.reduce((a, v) => a + (v === 255 ? 1 : 0), 0);

describe('squaredDistance', () => {
  it('matches brute force on random masks', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const [w, h, share] of [[13, 9, 0.1], [7, 17, 0.02], [20, 20, 0.5], [5, 5, 0]] as const) {
      const src = Array.from({ length: w * h }, () => rand() < share);
      const d = squaredDistance(w, h, (i) => src[i]!);
      for (let i = 0; i < w * h; i++) {
        let best = Infinity;
        for (let j = 0; j < w * h; j++) {
          if (src[j]) best = Math.min(best, ((i % w) - (j % w)) ** 2 + (Math.floor(i / w) - Math.floor(j / w)) ** 2);
        }
        expect(d[i]).toBe(best);
      }
    }
  });
});

describe('expandSelection and contractSelection', () => {
  it('grows a square by the radius with round corners, and shrinks it back', () => {
    const sq = boxSel(30, 30, 10, 10, 20, 20);
    const grown = expandSelection(sq, 30, 30, 3);
    // sides 3 px further out (16 x 16), minus the corner pixels farther than 3 from the square:
    // off each corner, the offsets (dx, dy) in 1..3 with dx^2 + dy^2 > 9: (1,3), (3,1), (2,3),
    // (3,2), (3,3), 5 a corner ((2,2) is at 8 and stays)
    expect(count(grown)).toBe(16 * 16 - 4 * 5);
    expect(grown[7 * 30 + 15]).toBe(255); // 3 above the middle of the top side
    expect(grown[6 * 30 + 15]).toBe(0);
    expect(Array.from(contractSelection(grown, 30, 30, 3))).toEqual(Array.from(sq));
  });

  it('contracts away from unselected pixels but not from the canvas edge', () => {
    const all = new Uint8Array(10 * 10).fill(255);
    expect(count(contractSelection(all, 10, 10, 2))).toBe(100);
    const left = boxSel(10, 10, 0, 0, 5, 10);
    // 2 px come off the side facing the unselected half, none off the canvas edges
    expect(Array.from(contractSelection(left, 10, 10, 2))).toEqual(Array.from(boxSel(10, 10, 0, 0, 3, 10)));
  });

  it('reads a soft selection as selected from 128', () => {
    const soft = new Uint8Array(5).fill(0);
    soft[2] = 128;
    soft[3] = 127;
    expect(Array.from(expandSelection(soft, 5, 1, 1))).toEqual([0, 255, 255, 255, 0]);
  });

  it('refuses a radius that is not a whole number of pixels from 1', () => {
    expect(() => expandSelection(new Uint8Array(4), 2, 2, 0)).toThrow(/1 to 500/);
    expect(() => featherSelection(new Uint8Array(4), 2, 2, 2.5)).toThrow(/not 2.5/);
  });
});

describe('featherSelection', () => {
  it('softens a straight edge symmetrically: half at the edge, rising over about the radius', () => {
    const w = 60;
    const half = boxSel(w, 1, 0, 0, 30, 1); // columns 0-29 selected
    const f = featherSelection(half, w, 1, 8);
    // symmetric about the edge between columns 29 and 30: f(29 - k) + f(30 + k) = 255
    for (let k = 0; k < 12; k++) expect(Math.abs(f[29 - k]! + f[30 + k]! - 255)).toBeLessThanOrEqual(1);
    expect(f[29]! > 128 && f[29]! < 180).toBe(true);
    expect(f[29 - 12]).toBe(255); // three sigmas (sigma 4) in: fully selected
    expect(f[30 + 12]).toBe(0);
    for (let x = 1; x < w; x++) expect(f[x]!).toBeLessThanOrEqual(f[x - 1]!); // never rises going out
  });
});
