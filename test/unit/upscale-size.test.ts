// The size of an upscale and what it holds on the way (src/inference/upscale-size.ts), by hand.
import { describe, expect, it } from 'vitest';
import { outputSize } from '../../src/inference/upscale-size.js';

describe('upscale size', () => {
  it('is the input times the scale, rounded; whole-number scales blend at their own size, others at the factor', () => {
    expect(outputSize({ width: 13, height: 7 }, 4)).toEqual({ width: 52, height: 28, tileScale: 4 });
    expect(outputSize({ width: 13, height: 7 }, 4, 2)).toEqual({ width: 26, height: 14, tileScale: 2 });
    expect(outputSize({ width: 13, height: 7 }, 4, 2.5)).toEqual({ width: 33, height: 18, tileScale: 4 }); // 32.5 and 17.5 round up
  });

  it('checks what is held against the limits: 2x of a 4200 px picture fits, 4x and 1.5x do not', () => {
    expect(outputSize({ width: 4200, height: 2 }, 4, 2)).toEqual({ width: 8400, height: 4, tileScale: 2 });
    for (const scale of [undefined, 1.5]) {
      expect(() => outputSize({ width: 4200, height: 2 }, 4, scale)).toThrow(/^upscaling 4200x2 works at 4x, 16800x8 pixels/);
    }
    expect(outputSize({ width: 4200, height: 2 }, 4, 3).tileScale).toBe(3);
    expect(() => outputSize({ width: 6000, height: 2 }, 4, 3)).toThrow(/^upscaling 6000x2 works at 3x, 18000x6 pixels/);
    // the pixel count counts too: 3000 x 3000 at 3x is 81 MP
    expect(() => outputSize({ width: 3000, height: 3000 }, 4, 3)).toThrow(/9000x9000 pixels, more than .* 64 MP supported/);
    expect(() => outputSize({ width: 8, height: 8 }, 4, 1)).toThrow(/^scale: expected a number above 1 and at most 4, got 1/);
  });
});
