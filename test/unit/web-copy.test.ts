// Copy and Copy Merged in the web editor: which pixels go on the clipboard.
import { describe, expect, it } from 'vitest';
import { copiedPixels, type CopiedImage } from '../../src/host/web/copy.js';
import { WebDocument } from '../../src/host/web/document.js';

/** w x h of one colour. */
const solid = (w: number, h: number, [r, g, b, a]: number[]) => {
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) px.set([r!, g!, b!, a!], 4 * i);
  return px;
};
const pixel = (img: CopiedImage, x: number, y: number) => Array.from(img.rgba.subarray(4 * (y * img.width + x), 4 * (y * img.width + x) + 4));
const image = (r: CopiedImage | string) => {
  if (typeof r === 'string') throw new Error(r);
  return r;
};

function twoLayers() {
  const doc = new WebDocument('d', 8, 6);
  doc.addLayer({ name: 'red', rect: { left: 0, top: 0, width: 8, height: 6 }, rgba: solid(8, 6, [255, 0, 0, 255]) });
  // half-transparent blue, partly off the canvas on the right
  const blue = doc.addLayer({ name: 'blue', rect: { left: 4, top: 2, width: 6, height: 2 }, rgba: solid(6, 2, [0, 0, 255, 128]) });
  return { doc, blue };
}

describe('copiedPixels', () => {
  it('Copy without a selection takes the active layer as it is, cut at the canvas edge', () => {
    const { doc } = twoLayers();
    const img = image(copiedPixels(doc, false));
    expect([img.width, img.height]).toEqual([4, 2]);
    expect(pixel(img, 0, 0)).toEqual([0, 0, 255, 128]);
    expect(pixel(img, 3, 1)).toEqual([0, 0, 255, 128]);
  });

  it('Copy Merged takes everything visible, composited over (straight alpha)', () => {
    const { doc } = twoLayers();
    const img = image(copiedPixels(doc, true));
    expect([img.width, img.height]).toEqual([8, 6]);
    expect(pixel(img, 0, 0)).toEqual([255, 0, 0, 255]);
    // blue at a = 128/255 over opaque red: red 255 (1 - a) = 127, blue 255 a = 128
    expect(pixel(img, 5, 3)).toEqual([127, 0, 128, 255]);
  });

  it('a selection crops to its bounds and keeps its shape and soft edge in the alpha', () => {
    const { doc } = twoLayers();
    const sel = new Uint8Array(8 * 6);
    sel[1 * 8 + 1] = 255; // (1, 1)
    sel[2 * 8 + 2] = 255; // (2, 2)
    sel[2 * 8 + 1] = 64; // (1, 2), a soft edge
    doc.setSelection(sel);
    const img = image(copiedPixels(doc, true));
    expect([img.width, img.height]).toEqual([2, 2]);
    expect(pixel(img, 0, 0)).toEqual([255, 0, 0, 255]);
    expect(pixel(img, 1, 0)[3]).toBe(0); // (2, 1): in the bounds, not selected
    expect(pixel(img, 0, 1)).toEqual([255, 0, 0, 64]);
    expect(pixel(img, 1, 1)).toEqual([255, 0, 0, 255]);
  });

  it('a hidden active layer is copied all the same', () => {
    const { doc, blue } = twoLayers();
    doc.setVisible(blue, false);
    expect(pixel(image(copiedPixels(doc, false)), 0, 0)).toEqual([0, 0, 255, 128]);
    expect(pixel(image(copiedPixels(doc, true)), 5, 3)).toEqual([255, 0, 0, 255]);
  });

  it('says why there is nothing to copy', () => {
    expect(copiedPixels(new WebDocument('empty', 4, 4), false)).toMatch(/no active layer/);
    expect(copiedPixels(new WebDocument('empty', 4, 4), true)).toBe('The picture is empty: there is nothing to copy.');
    const { doc } = twoLayers();
    const sel = new Uint8Array(8 * 6);
    sel[0] = 255; // (0, 0): the blue layer is not there
    doc.setSelection(sel);
    expect(copiedPixels(doc, false)).toMatch(/does not overlap the active layer/);
    expect(image(copiedPixels(doc, true)).width).toBe(1);
  });
});
