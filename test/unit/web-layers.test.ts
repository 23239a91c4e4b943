// The web editor's Layers panel operations: opacity, rename, duplicate, Layer via Copy. Values
// are worked by hand from source-over compositing (straight alpha), not recorded from the code.
import { describe, expect, it } from 'vitest';
import { compositeLayers } from '../../src/host/web/composite.js';
import { copiedPixels, layerViaCopy, nextLayerName } from '../../src/host/web/copy.js';
import { WebDocument } from '../../src/host/web/document.js';
import { mergeDown } from '../../src/host/web/merge.js';

const solid = (w: number, h: number, [r, g, b, a]: number[]) => {
  const px = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) px.set([r!, g!, b!, a!], 4 * i);
  return px;
};
const at = (rgba: Uint8Array, w: number, x: number, y: number) => Array.from(rgba.subarray(4 * (y * w + x), 4 * (y * w + x) + 4));
const whole = (doc: WebDocument) => compositeLayers(doc.layers, { left: 0, top: 0, width: doc.width, height: doc.height });

/** opaque white, with opaque red over its left half */
function redOnWhite() {
  const doc = new WebDocument('d', 4, 2);
  doc.addLayer({ name: 'Background', rect: { left: 0, top: 0, width: 4, height: 2 }, rgba: solid(4, 2, [255, 255, 255, 255]) });
  const red = doc.addLayer({ name: 'red', rect: { left: 0, top: 0, width: 2, height: 2 }, rgba: solid(2, 2, [255, 0, 0, 255]) });
  doc.clearHistory();
  return { doc, red };
}

describe('layer opacity', () => {
  it('composites the layer at its opacity: red at 50 % over white is (255, 128, 128), over nothing alpha 128', () => {
    const { doc, red } = redOnWhite();
    const pixels = doc.activeLayer!.rgba;
    doc.setOpacity(red, 0.5);
    // 0 * 0.5 + 255 * 0.5 = 127.5, rounded up
    expect(at(whole(doc), 4, 0, 0)).toEqual([255, 128, 128, 255]);
    expect(at(whole(doc), 4, 3, 0)).toEqual([255, 255, 255, 255]);
    const alone = compositeLayers([doc.activeLayer!], { left: 0, top: 0, width: 2, height: 2 });
    expect(at(alone, 2, 1, 1)).toEqual([255, 0, 0, 128]);
    // a property of the layer: its pixels are the same array, untouched
    expect(doc.activeLayer!.rgba).toBe(pixels);
    expect(doc.canUndo).toBe('Opacity Change');
    doc.setOpacity(red, 0);
    expect(at(whole(doc), 4, 0, 0)).toEqual([255, 255, 255, 255]);
    doc.undo();
    doc.undo();
    expect(doc.activeLayer!.opacity).toBeUndefined();
    expect(at(whole(doc), 4, 0, 0)).toEqual([255, 0, 0, 255]);
  });

  it('is refused outside 0-100 %, and setting the same value is no step', () => {
    const { doc, red } = redOnWhite();
    expect(() => doc.setOpacity(red, 1.2)).toThrow('0-100 %, not 120 %');
    expect(() => doc.setOpacity(red, Number.NaN)).toThrow(RangeError);
    doc.setOpacity(red, 1);
    expect(doc.canUndo).toBeNull();
    doc.setOpacity(red, 0.3);
    doc.setOpacity(red, 1);
    // back to opaque: stored as an opaque layer was
    expect('opacity' in doc.activeLayer!).toBe(false);
  });

  it('Copy takes the pixels without the opacity, as Photoshop copies a layer', () => {
    const { doc, red } = redOnWhite();
    doc.setOpacity(red, 0.25);
    const img = copiedPixels(doc, false);
    if (typeof img === 'string') throw new Error(img);
    expect(at(img.rgba, img.width, 0, 0)).toEqual([255, 0, 0, 255]);
    // Copy Merged takes what shows: red at 25 % over white
    const merged = copiedPixels(doc, true);
    if (typeof merged === 'string') throw new Error(merged);
    expect(at(merged.rgba, merged.width, 0, 0)).toEqual([255, 191, 191, 255]);
  });
});

describe('rename and duplicate', () => {
  it('renames with the ends trimmed; an empty or unchanged name is no step', () => {
    const { doc, red } = redOnWhite();
    doc.renameLayer(red, '   ');
    doc.renameLayer(red, 'red');
    expect(doc.canUndo).toBeNull();
    doc.renameLayer(red, '  sky  ');
    expect(doc.activeLayer!.name).toBe('sky');
    expect(doc.canUndo).toBe('Rename Layer');
    doc.undo();
    expect(doc.activeLayer!.name).toBe('red');
  });

  it('duplicates above the original with Photoshop\'s names; the copy is active; one undo step each', () => {
    const { doc, red } = redOnWhite();
    doc.setOpacity(red, 0.5);
    const a = doc.duplicateLayer(red)!;
    expect(doc.layers.map((l) => l.name)).toEqual(['Background', 'red', 'red copy']);
    expect(doc.activeId).toBe(a);
    expect(doc.activeLayer!.opacity).toBe(0.5);
    expect(doc.canUndo).toBe('Duplicate Layer');
    doc.duplicateLayer(red);
    doc.duplicateLayer(a);
    // a copy goes right above its original; a copy of a copy counts on from the original's name
    expect(doc.layers.map((l) => l.name)).toEqual(['Background', 'red', 'red copy 2', 'red copy', 'red copy 3']);
    // two layers of red at 50 %: 1 - 0.5 * 0.5 of red over white
    doc.undo();
    doc.undo();
    expect(at(whole(doc), 4, 0, 0)).toEqual([255, 64, 64, 255]);
    expect(doc.duplicateLayer('nope')).toBeNull();
  });
});

describe('Layer via Copy (Ctrl+J)', () => {
  it('puts the selected pixels of the active layer into a new layer in place, which changes nothing that shows', () => {
    const doc = new WebDocument('d', 6, 4);
    const px = new Uint8Array(6 * 4 * 4);
    for (let i = 0; i < 24; i++) px.set([i * 10, 255 - i * 10, (i * 37) & 255, 255], 4 * i);
    doc.addLayer({ name: 'Layer 3', rect: { left: 0, top: 0, width: 6, height: 4 }, rgba: px });
    const before = whole(doc);
    const sel = new Uint8Array(24);
    sel[1 * 6 + 2] = 255;
    sel[1 * 6 + 3] = 128; // a soft edge
    sel[2 * 6 + 2] = 255;
    doc.setSelection(sel);
    expect(layerViaCopy(doc)).toBeNull();
    const made = doc.activeLayer!;
    expect(made.name).toBe('Layer 4');
    expect(made.rect).toEqual({ left: 2, top: 1, width: 2, height: 2 });
    expect(at(made.rgba, 2, 0, 0)).toEqual(at(px, 6, 2, 1));
    expect(at(made.rgba, 2, 1, 0)[3]).toBe(128);
    expect(at(made.rgba, 2, 1, 1)[3]).toBe(0);
    // the same colour over itself at any alpha is the same colour
    expect(whole(doc)).toEqual(before);
    expect(doc.canUndo).toBe('Layer via Copy');
  });

  it('without a selection duplicates the layer; an empty selected area is said, and nothing is added', () => {
    const { doc } = redOnWhite();
    expect(layerViaCopy(doc)).toBeNull();
    expect(doc.activeLayer!.name).toBe('red copy');
    const sel = new Uint8Array(8);
    sel[3] = 255; // right of the red layer
    doc.setSelection(sel);
    expect(layerViaCopy(doc)).toMatch(/does not overlap the active layer/);
    expect(doc.layers).toHaveLength(3);
    expect(layerViaCopy(new WebDocument('empty', 2, 2))).toMatch(/no active layer/);
  });

  it('names new layers one past the highest "Layer N"', () => {
    expect(nextLayerName([])).toBe('Layer 1');
    expect(nextLayerName(['Background', 'Layer 2', 'Layer 9 copy', 'Layer 10'])).toBe('Layer 11');
  });
});

describe('Merge Down (Ctrl+E)', () => {
  /** white background; a ramp layer; above it a half-transparent, half-masked blue layer reaching past the ramp */
  function threeLayers() {
    const doc = new WebDocument('d', 8, 6);
    doc.addLayer({ name: 'Background', rect: { left: 0, top: 0, width: 8, height: 6 }, rgba: solid(8, 6, [255, 255, 255, 255]) });
    const px = new Uint8Array(4 * 3 * 4);
    for (let i = 0; i < 12; i++) px.set([i * 20, 100, 255 - i * 20, 100 + i * 10], 4 * i);
    doc.addLayer({ name: 'ramp', rect: { left: 1, top: 1, width: 4, height: 3 }, rgba: px });
    const mask = new Uint8Array(5 * 2).map((_, i) => (i % 2 ? 255 : 60));
    const blue = doc.addLayer({ name: 'blue', rect: { left: 3, top: 2, width: 5, height: 2 }, rgba: solid(5, 2, [0, 0, 255, 200]), mask });
    doc.setOpacity(blue, 0.6);
    doc.clearHistory();
    return doc;
  }

  it('changes nothing that shows when the lower layer is opaque; the result covers both, named as the lower; one undo step', () => {
    const doc = threeLayers();
    const before = whole(doc);
    const layersBefore = doc.layers;
    expect(mergeDown(doc)).toBeNull();
    expect(doc.layers.map((l) => l.name)).toEqual(['Background', 'ramp']);
    expect(doc.activeLayer!.rect).toEqual({ left: 1, top: 1, width: 7, height: 3 });
    expect(doc.activeLayer!.mask).toBeUndefined();
    expect('opacity' in doc.activeLayer!).toBe(false);
    // equal to the level: composing in two steps rounds twice
    const after = whole(doc);
    expect(Math.max(...after.map((v, i) => Math.abs(v - before[i]!)))).toBeLessThanOrEqual(1);
    expect(doc.canUndo).toBe('Merge Down');
    doc.undo();
    expect(doc.layers).toBe(layersBefore);
  });

  it("keeps the lower layer's opacity for the whole, as Photoshop does", () => {
    const { doc, red } = redOnWhite();
    doc.setActive(doc.layers[0]!.id);
    doc.setOpacity(doc.layers[0]!.id, 0.5);
    doc.setActive(red);
    expect(mergeDown(doc)).toBeNull();
    expect(doc.activeLayer!.opacity).toBe(0.5);
    // opaque red merged into half-strength white: red at 50 % over nothing
    expect(at(whole(doc), 4, 0, 0)).toEqual([255, 0, 0, 128]);
    expect(at(whole(doc), 4, 3, 0)).toEqual([255, 255, 255, 128]);
  });

  it('says why it cannot merge: the bottom layer, a hidden layer, no active layer', () => {
    const { doc, red } = redOnWhite();
    doc.setActive(doc.layers[0]!.id);
    expect(mergeDown(doc)).toMatch(/bottom one/);
    doc.setActive(red);
    doc.setVisible(doc.layers[0]!.id, false);
    expect(mergeDown(doc)).toBe('Merge Down needs both layers shown: "Background" is hidden.');
    expect(doc.layers).toHaveLength(2);
    expect(mergeDown(new WebDocument('empty', 2, 2))).toMatch(/no active layer/);
  });
});

describe('crop', () => {
  it('makes the rectangle the canvas, moving the layers with the picture, as one undo step', () => {
    const { doc } = redOnWhite(); // 4 x 2: red over the left half of white
    const layers = doc.layers;
    doc.setSelection(Uint8Array.from([0, 1, 1, 0, 0, 1, 1, 0].map((v) => v * 255)));
    doc.crop({ left: 1, top: 0, width: 2, height: 2 });
    expect([doc.width, doc.height]).toEqual([2, 2]);
    // the canvas now shows columns 1-2: red, then white
    expect(at(whole(doc), 2, 0, 1)).toEqual([255, 0, 0, 255]);
    expect(at(whole(doc), 2, 1, 0)).toEqual([255, 255, 255, 255]);
    // the layers keep their pixels (the red layer's first column is now off the canvas, not gone)
    expect(doc.layers[1]!.rect).toEqual({ left: -1, top: 0, width: 2, height: 2 });
    expect(doc.layers[1]!.rgba).toBe(layers[1]!.rgba);
    expect(doc.selection).toBeNull();
    expect(doc.canUndo).toBe('Crop');
    doc.undo();
    expect([doc.width, doc.height, doc.layers]).toEqual([4, 2, layers]);
  });

  it('refuses a rectangle outside the canvas or of part pixels', () => {
    const { doc } = redOnWhite();
    expect(() => doc.crop({ left: 3, top: 0, width: 2, height: 2 })).toThrow(/inside the 4x2 canvas/);
    expect(() => doc.crop({ left: 0.5, top: 0, width: 2, height: 2 })).toThrow(/whole-pixel/);
  });
});
