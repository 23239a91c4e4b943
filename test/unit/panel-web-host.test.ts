// The web editor's Host over its document model: layers, undo, selection, compositing.
import { describe, expect, it } from 'vitest';
import { compositeLayers } from '../../src/host/web/composite.js';
import { Editor } from '../../src/host/web/editor.js';
import { combine, ellipseShape, maskBounds, outline, polygonShape, rectShape } from '../../src/host/web/selection-tools.js';
import { WebHost } from '../../src/host/web/web-host.js';
import { NullHost } from '../../src/host/null-host.js';
import { applyCandidate, runFill } from '../../src/panel/jobs/index.js';
import { FakeEngine } from './panel-fakes.js';

function setup(w = 40, h = 30) {
  const editor = new Editor();
  const host = new WebHost(editor);
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([i % 256, (i * 3) % 256, 100, 255], 4 * i);
  const doc = editor.newDocument('d', w, h, rgba);
  return { editor, host, doc };
}

describe('NullHost', () => {
  it('has no document, no selection, and says so when asked for pixels', async () => {
    const h = new NullHost();
    expect(await h.activeDocument()).toBeNull();
    expect(await h.selection()).toBeNull();
    await expect(h.readPixels('composite')).rejects.toMatchObject({ code: 'NO_DOCUMENT' });
    await expect(h.addLayer({ name: 'x', rect: { left: 0, top: 0, width: 1, height: 1 }, rgba: new Uint8Array(4) }, 'x')).rejects.toMatchObject({ code: 'NO_DOCUMENT' });
  });
});

describe('WebHost', () => {
  it('reports the document and no selection; a new document has no undo', async () => {
    const { host, doc } = setup();
    expect(await host.activeDocument()).toEqual({ id: doc.id, name: 'd', width: 40, height: 30 });
    expect(await host.selection()).toBeNull();
    expect(doc.canUndo).toBeNull();
  });

  it('adds a layer as one undo step and never changes the existing ones', async () => {
    const { host, doc } = setup();
    const base = doc.layers[0];
    const before = base.rgba.slice();
    const { layerId } = await host.addLayer({ name: 'red', rect: { left: 5, top: 5, width: 4, height: 4 }, rgba: new Uint8Array(64).fill(255) }, 'Generate layer');
    expect(doc.layers.map((l) => l.id)).toEqual([base.id, layerId]);
    expect(doc.canUndo).toBe('Generate layer');
    expect(base.rgba).toEqual(before);
    doc.undo();
    expect(doc.layers).toHaveLength(1);
    doc.redo();
    expect(doc.layers[1].id).toBe(layerId);
  });

  it('moves a layer by whole pixels as one undo step, its pixels and mask the same objects', async () => {
    const { host, doc } = setup();
    const base = doc.layers[0];
    const { layerId } = await host.addLayer({ name: 'red', rect: { left: 5, top: 5, width: 4, height: 4 }, rgba: new Uint8Array(64).fill(255), mask: new Uint8Array(16).fill(255) }, 'Generate layer');
    const added = doc.layers[1];
    expect(added.mask).toBeDefined();
    doc.offsetLayer(layerId, -7, 3);
    expect(doc.layers[1].rect).toEqual({ left: -2, top: 8, width: 4, height: 4 });
    expect(doc.layers[1].rgba).toBe(added.rgba);
    expect(doc.layers[1].mask).toBe(added.mask);
    expect(doc.layers[0]).toBe(base);
    expect(doc.canUndo).toBe('Move red');
    doc.offsetLayer(layerId, 0, 0); // nothing to do: no step
    expect(doc.canUndo).toBe('Move red');
    expect(() => doc.offsetLayer(layerId, 0.5, 0)).toThrow(/whole pixels/);
    doc.undo();
    expect(doc.layers[1]).toBe(added);
    doc.moveLayer(layerId, -1);
    expect(doc.canUndo).toBe('Reorder red');
  });

  it('knows when a document has changes that are not saved: undoing back to the saved state has none', async () => {
    const { host, doc, editor } = setup();
    expect(doc.unsaved).toBe(false); // just opened
    await host.addLayer({ name: 'x', rect: { left: 0, top: 0, width: 1, height: 1 }, rgba: new Uint8Array(4) }, 'Generate layer');
    expect(doc.unsaved).toBe(true);
    doc.undo();
    expect(doc.unsaved).toBe(false);
    doc.redo();
    expect(doc.unsaved).toBe(true);
    doc.markSaved();
    expect(doc.unsaved).toBe(false);
    doc.setVisible(doc.layers[0].id, false);
    expect(doc.unsaved).toBe(true);
    // a result opened as a new document is in no file yet
    await host.createDocumentWithLayer({ name: 'up', rect: { left: 0, top: 0, width: 2, height: 2 }, rgba: new Uint8Array(16) }, 'Upscaled');
    expect(editor.active!.unsaved).toBe(true);
  });

  it('rejects buffers that do not match their rectangle', async () => {
    const { host } = setup();
    await expect(host.addLayer({ name: 'x', rect: { left: 0, top: 0, width: 2, height: 2 }, rgba: new Uint8Array(15) }, 'x')).rejects.toMatchObject({ code: 'BAD_PIXELS' });
    await expect(host.addLayer({ name: 'x', rect: { left: 0, top: 0, width: 0, height: 2 }, rgba: new Uint8Array(0) }, 'x')).rejects.toMatchObject({ code: 'BAD_RECT' });
  });

  it('the selection comes back cropped to its bounds', async () => {
    const { host, doc } = setup();
    doc.setSelection(ellipseShape(40, 30, { x: 10, y: 5 }, { x: 30, y: 25 }));
    const sel = (await host.selection())!;
    expect(sel.bounds).toEqual({ left: 10, top: 5, width: 20, height: 20 });
    expect(sel.mask.length).toBe(400);
    expect(sel.mask[0]).toBe(0); // a corner of the box is outside the ellipse
    expect(sel.mask[10 * 20 + 10]).toBe(255);
  });

  it('composites with layer masks and visibility; activeLayer pixels carry the mask', async () => {
    const { host, doc } = setup(4, 1);
    const mask = Uint8Array.from([0, 255, 128, 255]);
    await host.addLayer({ name: 'white', rect: { left: 0, top: 0, width: 4, height: 1 }, rgba: new Uint8Array(16).fill(255), mask }, 'x');
    const c = (await host.readPixels('composite')).rgba;
    expect(Array.from(c.subarray(0, 4))).toEqual(Array.from(doc.layers[0].rgba.subarray(0, 4))); // masked out: unchanged
    expect(Array.from(c.subarray(4, 8))).toEqual([255, 255, 255, 255]);
    expect(c[8]).toBeGreaterThan(doc.layers[0].rgba[8]);
    expect(Array.from((await host.readPixels('activeLayer')).rgba.filter((_, i) => i % 4 === 3))).toEqual([0, 255, 128, 255]);
    doc.setVisible(doc.layers[1].id, false);
    expect((await host.readPixels('composite')).rgba).toEqual(compositeLayers([doc.layers[0]], { left: 0, top: 0, width: 4, height: 1 }));
  });

  it('a fill through the panel job keeps every composite pixel outside the selection', async () => {
    const { host, doc } = setup(48, 40);
    doc.setSelection(polygonShape(48, 40, [{ x: 10, y: 5 }, { x: 40, y: 12 }, { x: 20, y: 35 }]));
    const before = (await host.readPixels('composite')).rgba;
    const out = await runFill(host, new FakeEngine(), { prompt: 'x' });
    await applyCandidate(host, out, 0);
    const after = (await host.readPixels('composite')).rgba;
    for (let i = 0; i < 48 * 40; i++) {
      const px = Array.from(after.subarray(4 * i, 4 * i + 4));
      if (doc.selection![i]) expect(px).toEqual([255, 0, 255, 255]);
      else expect(px).toEqual(Array.from(before.subarray(4 * i, 4 * i + 4)));
    }
  });

  it('expands the canvas and adds the layer as one undo step; layers keep their pixels and move with the picture', async () => {
    const { host, doc } = setup(40, 30);
    const base = doc.layers[0];
    doc.setSelection(new Uint8Array(40 * 30).fill(255));
    const before = compositeLayers(doc.layers, { left: 0, top: 0, width: 40, height: 30 });
    const by = { left: 5, right: 5, top: 0, bottom: 3 };
    const rgba = new Uint8Array(50 * 33 * 4).fill(200);
    const { layerId } = await host.expandCanvas(by, { name: 'Expand', rect: { left: 0, top: 0, width: 50, height: 33 }, rgba, mask: new Uint8Array(50 * 33) }, 'Expand canvas', { width: 40, height: 30 });
    expect(await host.activeDocument()).toMatchObject({ width: 50, height: 33 });
    expect(doc.layers.map((l) => l.id)).toEqual([base.id, layerId]);
    expect(doc.layers[0].rgba).toBe(base.rgba); // the same pixels, moved
    expect(doc.layers[0].rect).toEqual({ left: 5, top: 0, width: 40, height: 30 });
    expect(doc.selection).toBeNull(); // drawn on the old canvas
    // the layer's mask hides everything: the picture shows through where it was
    expect(compositeLayers(doc.layers, { left: 5, top: 0, width: 40, height: 30 })).toEqual(before);
    expect(doc.canUndo).toBe('Expand canvas');
    doc.undo();
    expect([doc.width, doc.height, doc.layers.length]).toEqual([40, 30, 1]);
    expect(doc.layers[0].rect).toEqual({ left: 0, top: 0, width: 40, height: 30 });
    doc.redo();
    expect([doc.width, doc.height, doc.layers[1].id]).toEqual([50, 33, layerId]);
    await expect(host.expandCanvas(by, { name: 'x', rect: { left: 0, top: 0, width: 1, height: 1 }, rgba: new Uint8Array(4) }, 'x', { width: 40, height: 30 })).rejects.toThrow(/now 50x33, but the result was made for 40x30/);
  });

  it('opens a new document for a result that does not fit', async () => {
    const { host, editor } = setup();
    await host.createDocumentWithLayer({ name: 'big', rect: { left: 0, top: 0, width: 80, height: 60 }, rgba: new Uint8Array(80 * 60 * 4) }, 'd (big)');
    expect(editor.docs).toHaveLength(2);
    expect(await host.activeDocument()).toMatchObject({ name: 'd (big)', width: 80, height: 60 });
    expect(editor.active!.layers).toHaveLength(1);
  });
});

describe('selection tools', () => {
  it.each([
    ['rect', rectShape(10, 10, { x: 2, y: 3 }, { x: 6, y: 5 }), { left: 2, top: 3, width: 4, height: 2 }, 8],
    ['rect, dragged backwards', rectShape(10, 10, { x: 6, y: 5 }, { x: 2, y: 3 }), { left: 2, top: 3, width: 4, height: 2 }, 8],
    ['ellipse', ellipseShape(10, 10, { x: 0, y: 0 }, { x: 10, y: 10 }), { left: 0, top: 0, width: 10, height: 10 }, 80],
    ['triangle (centres on the edge excluded)', polygonShape(10, 10, [{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 0, y: 10 }]), { left: 0, top: 0, width: 9, height: 9 }, 45],
  ])('%s', (_name, m, bounds, count) => {
    expect(maskBounds(m, 10, 10)).toEqual(bounds);
    expect(m.filter((v) => v === 255).length).toBe(count);
  });

  it('add and subtract combine with the current selection; the outline is the border', () => {
    const a = rectShape(10, 10, { x: 0, y: 0 }, { x: 5, y: 5 });
    const b = rectShape(10, 10, { x: 3, y: 3 }, { x: 8, y: 8 });
    expect(combine(a, b, 'add').filter(Boolean).length).toBe(25 + 25 - 4);
    expect(combine(a, b, 'subtract').filter(Boolean).length).toBe(21);
    expect(combine(null, b, 'subtract').filter(Boolean).length).toBe(0);
    expect(outline(a, 10, 10).length).toBe(16);
  });
});
