// Expanding a picture (src/inference/expand.ts): the pixels per side and the enlarged canvas
// and mask, by hand.
import { describe, expect, it } from 'vitest';
import { borderMask, edgeColour, expandCanvas, expandedSize, expandSides, scaleSides, transparentEdges } from '../../src/inference/expand.js';

describe('expand', () => {
  it('grows each chosen dimension by the fraction, split evenly between its two sides', () => {
    const size = { width: 225, height: 150 };
    // 225 * 0.25 / 2 = 28.1 -> 28 each side; 150 * 0.25 / 2 = 18.75 -> 19
    expect(expandSides(size, 0.25, 'all')).toEqual({ left: 28, right: 28, top: 19, bottom: 19 });
    expect(expandSides(size, 0.25, 'horizontal')).toEqual({ left: 28, right: 28, top: 0, bottom: 0 });
    expect(expandSides(size, 0.5, 'vertical')).toEqual({ left: 0, right: 0, top: 38, bottom: 38 }); // 37.5 rounds up
    expect(expandSides(size, 0.25, 'left')).toEqual({ left: 56, right: 0, top: 0, bottom: 0 }); // 56.25
    expect(expandSides(size, 1, 'bottom')).toEqual({ left: 0, right: 0, top: 0, bottom: 150 });
    expect(expandSides({ width: 2, height: 2 }, 0.1, 'right')).toEqual({ left: 0, right: 1, top: 0, bottom: 0 }); // at least a pixel
    expect(expandedSize(size, { left: 28, right: 28, top: 19, bottom: 19 })).toEqual({ width: 281, height: 188 });
  });

  it('tells a picture whose outermost line on every growing side is fully transparent (an icon on transparency)', () => {
    // 6 x 4, transparent but for a 2 x 2 opaque block at x 2..3, y 1..2
    const img = (alphaAt: (x: number, y: number) => number) => {
      const data = new Uint8Array(6 * 4 * 4);
      for (let y = 0; y < 4; y++) for (let x = 0; x < 6; x++) data[4 * (y * 6 + x) + 3] = alphaAt(x, y);
      return { width: 6, height: 4, data };
    };
    const icon = img((x, y) => (x >= 2 && x <= 3 && y >= 1 && y <= 2 ? 255 : 0));
    const all = { left: 1, right: 1, top: 1, bottom: 1 };
    expect(transparentEdges(icon, all)).toBe(true);
    // one faint pixel on a growing edge is something to continue; on an edge that does not grow it is not
    const touching = img((x, y) => (x === 5 && y === 3 ? 1 : x >= 2 && x <= 3 && y >= 1 && y <= 2 ? 255 : 0));
    expect(transparentEdges(touching, all)).toBe(false);
    expect(transparentEdges(touching, { left: 2, right: 0, top: 0, bottom: 0 })).toBe(true);
    expect(transparentEdges(touching, { left: 0, right: 2, top: 0, bottom: 0 })).toBe(false);
    expect(transparentEdges(img(() => 255), all)).toBe(false);
    expect(transparentEdges(icon, { left: 0, right: 0, top: 0, bottom: 0 })).toBe(false); // nothing grows
  });

  it("starts the border from the picture's edge colour: the per-channel median of its outermost ring, transparency on white", () => {
    // 4 x 3: the ring is the 10 outer pixels; 6 of them blue, 3 red, 1 transparent (white); the middle two green
    const colours = ['b', 'b', 'r', 'b', 'b', 'g', 'g', 'r', 'b', 't', 'r', 'b'];
    const rgba: Record<string, number[]> = { b: [10, 20, 200, 255], r: [200, 10, 10, 255], g: [0, 250, 0, 255], t: [0, 0, 0, 0] };
    const img = { width: 4, height: 3, data: Uint8Array.from(colours.flatMap((c) => rgba[c]!)) };
    // red channel of the ring sorted: 10 x6, 200 x3, 255 -> lower median of 10 values is the 5th: 10
    expect(edgeColour(img)).toEqual([10, 20, 200]);
    const { image, mask } = expandCanvas(img, { left: 1, right: 0, top: 0, bottom: 1 }, 'edge-colour');
    expect(Array.from(image.data.subarray(0, 4))).toEqual([10, 20, 200, 255]); // border
    expect(Array.from(image.data.subarray(4 * 19, 4 * 20))).toEqual([10, 20, 200, 255]); // bottom-right, border
    expect(Array.from(image.data.subarray(4 * 1, 4 * 2))).toEqual(rgba.b); // the picture, untouched
    expect(Array.from(image.data.subarray(4 * 12, 4 * 13))).toEqual(rgba.t); // its transparent pixel, at (1, 2) + (1, 0), stays transparent
    expect(mask[0]).toBe(255);
    expect(mask[1]).toBe(0);
  });

  it('refuses amounts and directions it does not know', () => {
    expect(() => expandSides({ width: 10, height: 10 }, 0, 'all')).toThrow(/^expand by: expected a fraction above 0 and at most 2, got 0/);
    expect(() => expandSides({ width: 10, height: 10 }, 3, 'all')).toThrow(/at most 2/);
    expect(() => expandSides({ width: 10, height: 10 }, 0.5, 'diagonal' as 'all')).toThrow(/^expand direction: expected all, horizontal, vertical, left, right, top, bottom/);
  });

  it('puts the picture at (left, top) on transparency and selects exactly the new border', () => {
    const img = { width: 2, height: 1, data: Uint8Array.from([1, 2, 3, 255, 4, 5, 6, 128]) };
    const { image, mask } = expandCanvas(img, { left: 1, top: 2, right: 0, bottom: 1 });
    expect([image.width, image.height]).toEqual([3, 4]);
    const px = (x: number, y: number) => Array.from(image.data.subarray((y * 3 + x) * 4, (y * 3 + x) * 4 + 4));
    expect(px(1, 2)).toEqual([1, 2, 3, 255]);
    expect(px(2, 2)).toEqual([4, 5, 6, 128]);
    expect(px(0, 2)).toEqual([0, 0, 0, 0]);
    expect(Array.from(mask)).toEqual([255, 255, 255, 255, 255, 255, 255, 0, 0, 255, 255, 255]);
  });

  it('refuses no growth, negative sides and results past the limits', () => {
    const img = { width: 4, height: 4, data: new Uint8Array(64) };
    expect(() => expandCanvas(img, { left: 0, top: 0, right: 0, bottom: 0 })).toThrow(/^expand: no side grows/);
    expect(() => expandCanvas(img, { left: -1, top: 0, right: 2, bottom: 0 })).toThrow(/^expand left: expected a whole number of pixels/);
    expect(() => expandCanvas(img, { left: 16381, top: 0, right: 0, bottom: 0 })).toThrow(/^expanding 4x4 gives 16385x4 pixels, more than the 16384 px per side/);
  });

  it('scales sides for a working copy, keeping a growing side at least a pixel; the border mask alone matches the canvas one', () => {
    expect(scaleSides({ left: 100, top: 0, right: 3, bottom: 51 }, 0.1)).toEqual({ left: 10, top: 0, right: 1, bottom: 5 });
    const sides = { left: 2, top: 1, right: 0, bottom: 3 };
    const img = { width: 5, height: 4, data: new Uint8Array(80) };
    expect(borderMask(img, sides)).toEqual(expandCanvas(img, sides).mask);
  });
});
