// Select > Inverse and a layer's pixels as a selection, worked by hand.
import { describe, expect, it } from 'vitest';
import { invertSelection, layerSelection } from '../../src/host/web/selection-tools.js';

describe('invertSelection', () => {
  it('reverses every pixel, soft edges too, and leaves no selection as none', () => {
    expect(Array.from(invertSelection(Uint8Array.from([0, 255, 64]))!)).toEqual([255, 0, 191]);
    expect(invertSelection(null)).toBeNull();
  });
});

describe('layerSelection', () => {
  it("selects each canvas pixel as much as the layer is opaque there, its mask applied, off-canvas parts left out", () => {
    // a 2 x 2 layer at (-1, 1) on a 3 x 3 canvas: only its right column is on the canvas, at x = 0
    const rgba = Uint8Array.from([9, 9, 9, 255, 9, 9, 9, 255, 9, 9, 9, 0, 9, 9, 9, 200]);
    const plain = layerSelection({ rect: { left: -1, top: 1, width: 2, height: 2 }, rgba }, 3, 3);
    expect(Array.from(plain)).toEqual([0, 0, 0, 255, 0, 0, 200, 0, 0]);
    const masked = layerSelection({ rect: { left: -1, top: 1, width: 2, height: 2 }, rgba, mask: Uint8Array.from([0, 128, 255, 255]) }, 3, 3);
    // 255 * 128 / 255 = 128; 200 * 255 / 255 = 200
    expect(Array.from(masked)).toEqual([0, 0, 0, 128, 0, 0, 200, 0, 0]);
  });
});
