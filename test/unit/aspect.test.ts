// A generated picture's shape: how many pixels its square grows by, and what detail it needs.
import { describe, expect, it } from 'vitest';
import { aspectSides, checkAspect, detailCover, extensionSeed, MAX_ASPECT } from '../../src/inference/aspect.js';
import { summarize } from '../../src/panel/ProgressView/progress.js';

describe('aspect', () => {
  it('grows the long dimension to round(size * aspect), evenly, the odd pixel right or bottom', () => {
    expect(aspectSides(128, 2)).toEqual({ left: 64, top: 0, right: 64, bottom: 0 });
    expect(aspectSides(128, 16 / 9)).toEqual({ left: 50, top: 0, right: 50, bottom: 0 }); // 228 wide
    expect(aspectSides(64, 1.7)).toEqual({ left: 22, top: 0, right: 23, bottom: 0 }); // 109 wide
    expect(aspectSides(64, 0.5)).toEqual({ left: 0, top: 32, right: 0, bottom: 32 });
    expect(aspectSides(64, 1 / 3)).toEqual({ left: 0, top: 64, right: 0, bottom: 64 });
    expect(aspectSides(64, 1.005)).toEqual({ left: 0, top: 0, right: 0, bottom: 0 }); // rounds to the square
    expect(aspectSides(64, 1)).toEqual({ left: 0, top: 0, right: 0, bottom: 0 });
  });

  it('takes 1/3 to 3 and refuses anything else by name', () => {
    expect(checkAspect(undefined)).toBeUndefined();
    expect(checkAspect(MAX_ASPECT)).toBe(3);
    expect(checkAspect(1 / 3)).toBe(1 / 3);
    for (const bad of [3.01, 0.33, 0, -2, Number.NaN, Infinity, '2']) expect(() => checkAspect(bad)).toThrow(/^aspect: expected width \/ height from 1\/3 to 3/);
  });

  it('chooses detail for the size a picture is shown at: the cover shrunk by the extension', () => {
    // 256 x 128 shown at 600 x 300: as a 128 px square shown at 300 px
    expect(detailCover({ width: 600, height: 300 }, 128, { width: 256, height: 128 })).toEqual({ width: 300, height: 300 });
    expect(detailCover({ width: 100, height: 300 }, 64, { width: 64, height: 192 })).toEqual({ width: 100, height: 100 });
  });

  it("draws each image's sides from its own seed, apart from the cascade's and the detail pass's", () => {
    const seeds = [0, 1, 2, 3].map((i) => extensionSeed(7, i));
    expect(new Set(seeds).size).toBe(4);
    expect(seeds.some((s) => s >= 7 && s <= 7 + 1 + 3)).toBe(false);
    expect(extensionSeed(2 ** 53 - 1, 0)).toBeLessThan(2 ** 53);
  });

  it('the panel shows the extension as a stage of its own', () => {
    const s = summarize('generate', { stage: 'extend', step: 3, total: 12, elapsedMs: 1000, etaMs: 3000 });
    expect(s.label).toBe('Extending to the shape: step 3 of 12');
    expect(s.fraction).toBeCloseTo(0.25, 9);
  });
});
