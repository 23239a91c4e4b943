// The web editor's Free Transform: the box's geometry worked by hand from Photoshop's rules, and
// resampled pixels checked against values computed by hand (area means, premultiplied alpha).
import { describe, expect, it } from 'vitest';
import { WebDocument } from '../../src/host/web/document.js';
import { applyTransform, dragHandle, handleAt, handleCursor, scalePixels } from '../../src/host/web/transform.js';

const box = { left: 10, top: 20, width: 100, height: 50 };
const px = (...pixels: number[][]) => Uint8Array.from(pixels.flat());

describe('dragHandle', () => {
  it('scales proportionally from a corner, freely with Shift, with the opposite corner fixed', () => {
    // the right edge 50 px out: 1.5 times, so the height follows to 75
    expect(dragHandle(box, 'se', 50, 0)).toEqual({ left: 10, top: 20, width: 150, height: 75 });
    expect(dragHandle(box, 'se', 50, 0, { shift: true })).toEqual({ left: 10, top: 20, width: 150, height: 50 });
    // the top-left corner dragged in by 25 px across (a quarter) and 5 down (a tenth): the larger share wins
    expect(dragHandle(box, 'nw', 25, 5)).toEqual({ left: 35, top: 32, width: 75, height: 38 });
  });

  it('moves one side with a side handle, and both about the centre with Alt', () => {
    expect(dragHandle(box, 'w', -20, 99)).toEqual({ left: -10, top: 20, width: 120, height: 50 });
    expect(dragHandle(box, 's', 99, 10)).toEqual({ left: 10, top: 20, width: 100, height: 60 });
    expect(dragHandle(box, 'e', 10, 0, { alt: true })).toEqual({ left: 0, top: 20, width: 120, height: 50 });
  });

  it('never flips or goes below one pixel, and moves by whole pixels', () => {
    expect(dragHandle(box, 'e', -500, 0)).toEqual({ left: 10, top: 20, width: 1, height: 50 });
    expect(dragHandle(box, 'n', 0, 400)).toEqual({ left: 10, top: 69, width: 100, height: 1 });
    expect(dragHandle(box, 'move', 3.4, -2.6)).toEqual({ left: 13, top: 17, width: 100, height: 50 });
  });
});

describe('handleAt', () => {
  it('finds the handle within reach, the inside, and nothing outside', () => {
    expect(handleAt(box, { x: 11, y: 21 }, 4)).toBe('nw');
    expect(handleAt(box, { x: 60, y: 70 }, 4)).toBe('s');
    expect(handleAt(box, { x: 110, y: 45 }, 4)).toBe('e');
    expect(handleAt(box, { x: 40, y: 40 }, 4)).toBe('move');
    expect(handleAt(box, { x: 200, y: 40 }, 4)).toBeNull();
    expect(handleCursor('ne')).toBe('nesw-resize');
  });
});

describe('scalePixels', () => {
  it('keeps a flat colour flat both ways', () => {
    const flat = new Uint8Array(3 * 2 * 4).fill(0).map((_, i) => [12, 200, 99, 255][i % 4]!);
    for (const [w, h] of [[7, 5], [1, 1]]) {
      const out = scalePixels(flat, undefined, { width: 3, height: 2 }, w!, h!).rgba;
      for (let i = 0; i < w! * h!; i++) expect(Array.from(out.subarray(4 * i, 4 * i + 4))).toEqual([12, 200, 99, 255]);
    }
  });

  it('averages premultiplied colour: red beside transparent black shrinks to red at a third of the alpha', () => {
    const out = scalePixels(px([255, 0, 0, 255], [0, 0, 0, 0], [0, 0, 0, 0]), undefined, { width: 3, height: 1 }, 1, 1).rgba;
    // straight-alpha averaging would give (85, 0, 0): the black under the transparent pixels bleeding in
    expect(Array.from(out)).toEqual([255, 0, 0, 85]);
  });

  it('halves a 2 x 2 block to its mean and scales the mask with it', () => {
    const rgba = px([0, 0, 0, 255], [100, 100, 100, 255], [200, 200, 200, 255], [40, 40, 40, 255]);
    const { rgba: out, mask } = scalePixels(rgba, Uint8Array.from([255, 255, 0, 0]), { width: 2, height: 2 }, 1, 1);
    expect(Array.from(out)).toEqual([85, 85, 85, 255]);
    expect(Array.from(mask!)).toEqual([128]); // 127.5 rounds up
  });
});

describe('applyTransform', () => {
  const doc = () => {
    const d = new WebDocument('d', 8, 8);
    const id = d.addLayer({ name: 'star', rect: { left: 1, top: 1, width: 2, height: 2 }, rgba: new Uint8Array(16).fill(255), opacity: 0.5 });
    d.clearHistory();
    return { d, id };
  };

  it('resamples the layer into the new box as one undo step, keeping its name and opacity', () => {
    const { d, id } = doc();
    const before = d.activeLayer!;
    applyTransform(d, id, { left: 0, top: 0, width: 4, height: 6 });
    const after = d.activeLayer!;
    expect(after.rect).toEqual({ left: 0, top: 0, width: 4, height: 6 });
    expect(after.rgba.length).toBe(4 * 6 * 4);
    expect(after.rgba.every((v) => v === 255)).toBe(true);
    expect([after.name, after.opacity]).toEqual(['star', 0.5]);
    expect(d.canUndo).toBe('Free Transform');
    d.undo();
    expect(d.activeLayer).toBe(before);
  });

  it('only moves a box of the same size, with the same pixels, and does nothing for the same box', () => {
    const { d, id } = doc();
    const pixels = d.activeLayer!.rgba;
    applyTransform(d, id, { left: 1, top: 1, width: 2, height: 2 });
    expect(d.canUndo).toBeNull();
    applyTransform(d, id, { left: 5, top: 4, width: 2, height: 2 });
    expect(d.activeLayer!.rgba).toBe(pixels);
    expect(d.activeLayer!.rect).toEqual({ left: 5, top: 4, width: 2, height: 2 });
  });

  it('refuses pixels of the wrong size', () => {
    const { d, id } = doc();
    expect(() => d.replacePixels(id, { rect: { left: 0, top: 0, width: 3, height: 3 }, rgba: new Uint8Array(16) }, 'x')).toThrow(/36 bytes/);
  });
});
