// The web editor's Free Transform: the box's geometry worked by hand from Photoshop's rules, and
// resampled pixels checked against values computed by hand (area means, premultiplied alpha).
import { describe, expect, it } from 'vitest';
import { resize } from '../../src/inference/resize.js';
import { WebDocument } from '../../src/host/web/document.js';
import { applyTransform, boxBounds, dragBox, dragHandle, handleCursor, normalAngle, scalePixels, transformPixels } from '../../src/host/web/transform.js';

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

describe('dragBox', () => {
  // the box's centre is (60, 45)
  it('turns the box by the angle the pointer sweeps about its centre, in 15 degree steps with Shift', () => {
    // from straight above the centre to straight right of it: a quarter turn clockwise
    expect(dragBox({ rect: box, angle: 0 }, 'rotate', { x: 60, y: 20 }, { x: 85, y: 45 })).toEqual({ rect: box, angle: 90 });
    // 40 degrees from the right: 45 with Shift
    const p = { x: 60 + 30 * Math.cos((40 * Math.PI) / 180), y: 45 + 30 * Math.sin((40 * Math.PI) / 180) };
    expect(dragBox({ rect: box, angle: 0 }, 'rotate', { x: 90, y: 45 }, p, { shift: true }).angle).toBe(45);
    expect(dragBox({ rect: box, angle: 170 }, 'rotate', { x: 90, y: 45 }, { x: 60, y: 75 }).angle).toBe(-100);
  });

  it("acts along a turned box's own axes: the east side of a quarter-turned box points down the page", () => {
    // dragged 10 px down: the box grows 10 along its width, and its centre moves 5 down, to (60, 50)
    expect(dragBox({ rect: box, angle: 90 }, 'e', { x: 0, y: 0 }, { x: 0, y: 10 })).toEqual({ rect: { left: 5, top: 25, width: 110, height: 50 }, angle: 90 });
    // upright, the same as dragHandle
    expect(dragBox({ rect: box, angle: 0 }, 'se', { x: 0, y: 0 }, { x: 50, y: 0 }).rect).toEqual(dragHandle(box, 'se', 50, 0));
  });

  it('brings angles into (-180, 180]', () => {
    expect([normalAngle(190), normalAngle(-180), normalAngle(360), normalAngle(-30)]).toEqual([-170, 180, 0, -30]);
  });
});

describe('handleCursor', () => {
  it('names the resize cursor along each handle, turned with the box; grab for the rotation handle', () => {
    expect(['nw', 'n', 'ne', 'e', 'rotate', 'move'].map((h) => handleCursor(h as never))).toEqual(['nwse-resize', 'ns-resize', 'nesw-resize', 'ew-resize', 'grab', 'move']);
    // a box turned a quarter: its east side faces down the page, its north-east corner south-east
    expect([handleCursor('e', 90), handleCursor('ne', 90), handleCursor('n', 40)]).toEqual(['ns-resize', 'nwse-resize', 'nesw-resize']);
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

  it("picks the same pixels for the preview as the resampler's nearest filter, from any byte offset", () => {
    const w = 5, h = 3;
    const buf = new Uint8Array(1 + w * h * 4).map((_, i) => (i * 37) % 256);
    const rgba = buf.subarray(1); // not 4-byte aligned
    const mask = Uint8Array.from({ length: w * h }, (_, i) => i * 11);
    const out = scalePixels(rgba, mask, { width: w, height: h }, 8, 7, 'nearest');
    for (let c = 0; c < 4; c++) {
      const plane = Float32Array.from({ length: w * h }, (_, i) => rgba[4 * i + c]!);
      const ref = resize({ width: w, height: h, channels: 1, data: plane }, 8, 7, { filter: 'nearest' }).data;
      expect(Array.from(out.rgba).filter((_, i) => i % 4 === c)).toEqual(Array.from(ref));
    }
    const refMask = resize({ width: w, height: h, channels: 1, data: Float32Array.from(mask) }, 8, 7, { filter: 'nearest' }).data;
    expect(Array.from(out.mask!)).toEqual(Array.from(refMask));
  });

  it('halves a 2 x 2 block to its mean and scales the mask with it', () => {
    const rgba = px([0, 0, 0, 255], [100, 100, 100, 255], [200, 200, 200, 255], [40, 40, 40, 255]);
    const { rgba: out, mask } = scalePixels(rgba, Uint8Array.from([255, 255, 0, 0]), { width: 2, height: 2 }, 1, 1);
    expect(Array.from(out)).toEqual([85, 85, 85, 255]);
    expect(Array.from(mask!)).toEqual([128]); // 127.5 rounds up
  });
});

describe('transformPixels', () => {
  const six = px([1, 0, 0, 255], [2, 0, 0, 255], [3, 0, 0, 255], [4, 0, 0, 255], [5, 0, 0, 255], [6, 0, 0, 255]);
  const reds = (rgba: Uint8Array) => Array.from(rgba).filter((_, i) => i % 4 === 0);

  it('moves pixels exactly on a quarter turn', () => {
    // 3 x 2 (1 2 3 / 4 5 6) turned clockwise is 2 x 3 (4 1 / 5 2 / 6 3), about the same centre (1.5, 1)
    const out = transformPixels(six, undefined, { width: 3, height: 2 }, { rect: { left: 0, top: 0, width: 3, height: 2 }, angle: 90 });
    expect(out.rect).toEqual({ left: 1, top: 0, width: 2, height: 3 });
    expect(reds(out.rgba)).toEqual([4, 1, 5, 2, 6, 3]);
    expect(out.rgba.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
    const half = transformPixels(six, undefined, { width: 3, height: 2 }, { rect: { left: 0, top: 0, width: 3, height: 2 }, angle: 180 });
    expect(reds(half.rgba)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('turns a flat square by 45 degrees into its bounds, keeping its colour and (nearly) its area', () => {
    const flat = new Uint8Array(10 * 10 * 4).map((_, i) => [30, 60, 90, 255][i % 4]!);
    const out = transformPixels(flat, undefined, { width: 10, height: 10 }, { rect: { left: 0, top: 0, width: 10, height: 10 }, angle: 45 });
    expect(out.rect).toEqual(boxBounds({ rect: { left: 0, top: 0, width: 10, height: 10 }, angle: 45 }));
    expect(out.rect.width).toBe(16); // 10 * sqrt(2) = 14.1 wide, about the centre 5: from -2.07 to 12.07
    const alpha = Array.from(out.rgba).filter((_, i) => i % 4 === 3);
    expect(alpha[0]).toBe(0); // a corner of the bounds is outside the diamond
    const centre = (8 * 16 + 7) * 4; // pixel (7, 8), inside
    expect(Array.from(out.rgba.subarray(centre, centre + 4))).toEqual([30, 60, 90, 255]);
    const area = alpha.reduce((a, b) => a + b, 0) / 255;
    expect(Math.abs(area - 100)).toBeLessThan(3);
    // every pixel that shows keeps the square's colour: premultiplied sampling adds no dark fringe
    for (let i = 0; i < alpha.length; i++) if (alpha[i]! > 8) expect(Math.abs(out.rgba[4 * i]! - 30)).toBeLessThanOrEqual(1);
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
    applyTransform(d, id, { rect: { left: 0, top: 0, width: 4, height: 6 }, angle: 0 });
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
    applyTransform(d, id, { rect: { left: 1, top: 1, width: 2, height: 2 }, angle: 0 });
    expect(d.canUndo).toBeNull();
    applyTransform(d, id, { rect: { left: 5, top: 4, width: 2, height: 2 }, angle: 0 });
    expect(d.activeLayer!.rgba).toBe(pixels);
    expect(d.activeLayer!.rect).toEqual({ left: 5, top: 4, width: 2, height: 2 });
  });

  it('refuses pixels of the wrong size', () => {
    const { d, id } = doc();
    expect(() => d.replacePixels(id, { rect: { left: 0, top: 0, width: 3, height: 3 }, rgba: new Uint8Array(16) }, 'x')).toThrow(/36 bytes/);
  });
});
