// The Photoshop adapter against the fake `photoshop` module (test/helpers/fake-photoshop.ts):
// this proves our use of the documented API, not Photoshop itself.
import { describe, expect, it } from 'vitest';
import { isHostError } from '../../src/host/errors.js';
import { anchorFor, PhotoshopHost } from '../../src/host/photoshop/photoshop-host.js';
import { toRgba8, maskTo8, to16 } from '../../src/host/photoshop/pixels.js';
import { parseRecord } from '../../src/inference/run-record-check.js';
import { runRecord } from '../../src/inference/run-record.js';
import { memoryStore } from '../../src/panel/lib/storage.js';
import { createFakePhotoshop, type FakeDocument, type FakePhotoshop } from '../helpers/fake-photoshop.js';

function setup(doc?: Parameters<FakePhotoshop['addDocument']>[0]) {
  const fake = createFakePhotoshop();
  const d = doc ? fake.addDocument(doc) : null;
  const module = fake.module;
  return { fake, doc: d as FakeDocument, module, host: new PhotoshopHost({ photoshop: module }) };
}

function ramp(w: number, h: number, alpha = 255): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) out.set([(i * 7) & 255, (i * 13) & 255, (i * 29) & 255, alpha], i * 4);
  return out;
}

/** The w x h RGBA region of a document-sized layer buffer. */
function region(pixels: Uint8Array, docW: number, r: { left: number; top: number; width: number; height: number }): Uint8Array {
  const out = new Uint8Array(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++) out.set(pixels.subarray(((r.top + y) * docW + r.left) * 4, ((r.top + y) * docW + r.left + r.width) * 4), y * r.width * 4);
  return out;
}

const snapshot = (d: FakeDocument) => d.layers.map((l) => ({ id: l.id, name: l.name, pixels: l.pixels.slice(), mask: l.mask?.slice() ?? null }));

function ellipseSelection(d: FakeDocument, cx: number, cy: number, rx: number, ry: number): void {
  d.selectionMask = new Uint8Array(d.width * d.height);
  for (let y = 0; y < d.height; y++) {
    for (let x = 0; x < d.width; x++) {
      const v = ((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2;
      if (v <= 1) d.selectionMask[y * d.width + x] = v > 0.8 ? 128 : 255; // a soft edge
    }
  }
}

describe('Photoshop host: no document', () => {
  it('says so instead of failing, and writes nothing', async () => {
    const { host, fake } = setup();
    expect(await host.activeDocument()).toBeNull();
    expect(await host.selection()).toBeNull();
    await expect(host.readPixels('composite')).rejects.toSatisfy((e) => isHostError(e, 'NO_DOCUMENT'));
    const layer = { name: 'x', rect: { left: 0, top: 0, width: 1, height: 1 }, rgba: new Uint8Array(4) };
    await expect(host.addLayer(layer, 'Generate')).rejects.toSatisfy((e) => isHostError(e, 'NO_DOCUMENT'));
    expect(fake.modalCalls).toEqual([]);
  });
});

describe('Photoshop host: generate', () => {
  it('adds one new layer with the pixels at the rect, as one history step, leaving other layers alone', async () => {
    const { host, fake, doc } = setup({ width: 64, height: 48, title: 'poster.psd', background: [10, 20, 30] });
    expect(await host.activeDocument()).toEqual({ id: String(doc.id), name: 'poster.psd', width: 64, height: 48 });
    const before = snapshot(doc);
    const historyBefore = doc.history.length;
    const rect = { left: 10, top: 5, width: 16, height: 8 };
    const rgba = ramp(16, 8);

    const { layerId } = await host.addLayer({ name: 'a red fox', rect, rgba }, 'Diffusion Layers: Generate');

    expect(doc.layers).toHaveLength(2);
    const added = doc.layers[1]!;
    expect(String(added.id)).toBe(layerId);
    expect(added.name).toBe('a red fox');
    expect(added.mask).toBeNull();
    expect(region(added.pixels, 64, rect)).toEqual(rgba);
    const outside = added.pixels.slice();
    for (let y = 0; y < rect.height; y++) outside.fill(0, ((rect.top + y) * 64 + rect.left) * 4, ((rect.top + y) * 64 + rect.left + rect.width) * 4);
    expect(outside.every((v) => v === 0)).toBe(true);
    expect(snapshot(doc).slice(0, 1)).toEqual(before); // existing layers untouched
    expect(doc.history.slice(historyBefore)).toEqual(['Diffusion Layers: Generate']); // one undo step
    expect(fake.problems).toEqual([]);
    expect(fake.liveImageData.size).toBe(0); // every image data disposed
    expect(fake.modal).toBeNull();
  });

  it('writes 16-bit documents with 16-bit data', async () => {
    const { host, doc } = setup({ width: 8, height: 8, bits: 16 });
    const rgba = ramp(4, 4);
    await host.addLayer({ name: 'g', rect: { left: 2, top: 2, width: 4, height: 4 }, rgba }, 'Generate');
    expect(region(doc.layers[1]!.pixels, 8, { left: 2, top: 2, width: 4, height: 4 })).toEqual(rgba);
  });

  it('refuses, in plain words and before any write, what it cannot write', async () => {
    const lab = setup({ width: 8, height: 8, mode: 'labColorMode' });
    const layer = { name: 'x', rect: { left: 0, top: 0, width: 2, height: 2 }, rgba: new Uint8Array(16) };
    await expect(lab.host.addLayer(layer, 'Generate')).rejects.toThrow(/lab mode.*Image > Mode > RGB Color/);
    const hdr = setup({ width: 8, height: 8, bits: 32 });
    await expect(hdr.host.addLayer(layer, 'Generate')).rejects.toSatisfy((e) => isHostError(e, 'UNSUPPORTED'));
    const ok = setup({ width: 8, height: 8 });
    await expect(ok.host.addLayer({ ...layer, rgba: new Uint8Array(15) }, 'Generate')).rejects.toSatisfy((e) => isHostError(e, 'BAD_PIXELS'));
    await expect(ok.host.addLayer({ ...layer, rect: { left: 7, top: 0, width: 2, height: 2 } }, 'Generate')).rejects.toSatisfy((e) => isHostError(e, 'BAD_RECT'));
    expect([lab.fake, hdr.fake, ok.fake].flatMap((f) => f.modalCalls)).toEqual([]);
  });

  it('rolls the document back and disposes everything when a write fails midway', async () => {
    const { fake, doc, module } = setup({ width: 16, height: 16, background: [0, 0, 0] });
    module.imaging.putLayerMask = async () => {
      throw new Error('out of memory');
    };
    const host = new PhotoshopHost({ photoshop: module });
    const before = snapshot(doc);
    const history = [...doc.history];
    const layer = { name: 'fill', rect: { left: 0, top: 0, width: 4, height: 4 }, rgba: ramp(4, 4), mask: new Uint8Array(16).fill(255) };
    await expect(host.addLayer(layer, 'Fill')).rejects.toThrow(/Photoshop could not fill: out of memory/);
    expect(snapshot(doc)).toEqual(before);
    expect(doc.history).toEqual(history);
    expect(fake.problems).toEqual([]);
    expect(fake.liveImageData.size).toBe(0);
  });

  it('reports a busy Photoshop (another modal scope) as HOST_FAILED', async () => {
    const { fake, host } = setup({ width: 4, height: 4 });
    fake.modal = 'another plugin';
    const err = await host.addLayer({ name: 'x', rect: { left: 0, top: 0, width: 1, height: 1 }, rgba: new Uint8Array(4) }, 'Generate').catch((e) => e);
    expect(isHostError(err, 'HOST_FAILED')).toBe(true);
    expect(err.message).toMatch(/modal state/);
  });
});

describe('Photoshop host: expand', () => {
  it('grows the canvas around the anchor and adds the layer, one history step; old pixels keep their place in the picture', async () => {
    const { host, fake, doc } = setup({ width: 6, height: 4, title: 'wide.psd', background: [10, 20, 30] });
    doc.backgroundColor = [200, 100, 0];
    const bg = doc.layers[0]!.pixels.slice();
    const history = doc.history.length;
    // 2 px on the left and right, 1 on top: a 10 x 5 canvas, the picture at (2, 1)
    const by = { left: 2, right: 2, top: 1, bottom: 0 };
    const rgba = ramp(10, 5);
    const mask = new Uint8Array(50).fill(255);
    const { layerId } = await host.expandCanvas(by, { name: 'Expand', rect: { left: 0, top: 0, width: 10, height: 5 }, rgba, mask }, 'Expand', { width: 6, height: 4 });
    expect([doc.width, doc.height]).toEqual([10, 5]);
    expect(region(doc.layers[0]!.pixels, 10, { left: 2, top: 1, width: 6, height: 4 })).toEqual(bg); // moved, not changed
    expect(Array.from(doc.layers[0]!.pixels.subarray(0, 4))).toEqual([200, 100, 0, 255]); // Photoshop's canvas colour, under the new layer
    expect(String(doc.layers[1]!.id)).toBe(layerId);
    expect(doc.layers[1]!.pixels).toEqual(rgba);
    expect(doc.history.slice(history)).toEqual(['Expand']);
    expect(fake.problems).toEqual([]);
    expect(fake.liveImageData.size).toBe(0);
  });

  it('picks the anchor from the sides that grow and refuses what no anchor does', () => {
    expect(anchorFor({ left: 3, right: 3, top: 2, bottom: 2 })).toBe('MIDDLECENTER');
    expect(anchorFor({ left: 3, right: 0, top: 0, bottom: 0 })).toBe('MIDDLERIGHT'); // the picture stays right
    expect(anchorFor({ left: 0, right: 0, top: 0, bottom: 5 })).toBe('TOPCENTER');
    expect(anchorFor({ left: 0, right: 4, top: 4, bottom: 0 })).toBe('BOTTOMLEFT');
    expect(() => anchorFor({ left: 3, right: 2, top: 0, bottom: 0 })).toThrow(/both sides of an axis must grow alike/);
  });

  it('refuses before any write: a document of another size, no growth, a layer outside the new canvas', async () => {
    const { host, fake } = setup({ width: 6, height: 4 });
    const layer = { name: 'x', rect: { left: 0, top: 0, width: 8, height: 4 }, rgba: ramp(8, 4) };
    const by = { left: 1, right: 1, top: 0, bottom: 0 };
    await expect(host.expandCanvas(by, layer, 'Expand', { width: 5, height: 4 })).rejects.toThrow(/now 6x4, but the result was made for 5x4: run Expand again/);
    await expect(host.expandCanvas({ left: 0, right: 0, top: 0, bottom: 0 }, layer, 'Expand', { width: 6, height: 4 })).rejects.toSatisfy((e) => isHostError(e, 'BAD_RECT'));
    await expect(host.expandCanvas({ ...by, left: 0 }, { ...layer, rect: { left: 0, top: 0, width: 8, height: 4 } }, 'Expand', { width: 6, height: 4 })).rejects.toSatisfy((e) => isHostError(e, 'BAD_RECT'));
    expect(fake.modalCalls).toEqual([]);
  });

  it('rolls the canvas back when adding the layer fails', async () => {
    const { doc, module } = setup({ width: 6, height: 4, background: [1, 2, 3] });
    module.imaging.putPixels = async () => {
      throw new Error('out of memory');
    };
    const host = new PhotoshopHost({ photoshop: module });
    const before = snapshot(doc);
    const layer = { name: 'x', rect: { left: 0, top: 0, width: 8, height: 4 }, rgba: ramp(8, 4) };
    await expect(host.expandCanvas({ left: 1, right: 1, top: 0, bottom: 0 }, layer, 'Expand', { width: 6, height: 4 })).rejects.toThrow(/out of memory/);
    expect([doc.width, doc.height]).toEqual([6, 4]);
    expect(snapshot(doc)).toEqual(before);
  });
});

describe('Photoshop host: fill', () => {
  it('reads the selection as a tight one-byte mask and adds the layer with it as a layer mask', async () => {
    const { host, fake, doc } = setup({ width: 40, height: 30, background: [200, 200, 200] });
    ellipseSelection(doc, 20, 15, 8, 5);
    const sel = await host.selection();
    expect(sel).not.toBeNull();
    expect(sel!.bounds).toEqual({ left: 12, top: 10, width: 16, height: 10 });
    expect(sel!.mask).toHaveLength(16 * 10);
    expect(sel!.mask.some((v) => v === 128) && sel!.mask.some((v) => v === 255) && sel!.mask.some((v) => v === 0)).toBe(true);
    const compositeBefore = fake.composite(doc);
    const before = snapshot(doc);

    await host.addLayer({ name: 'fill: moon', rect: sel!.bounds, rgba: ramp(16, 10), mask: sel!.mask }, 'Diffusion Layers: Fill');

    const added = doc.layers[1]!;
    expect(added.mask).not.toBeNull();
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 16; x++) expect(added.mask![(10 + y) * 40 + 12 + x]).toBe(sel!.mask[y * 16 + x]);
    }
    // nothing outside the selection changes in the visible result
    const after = fake.composite(doc);
    for (let p = 0; p < 40 * 30; p++) {
      if (doc.selectionMask![p] === 0) expect(after.subarray(p * 4, p * 4 + 4)).toEqual(compositeBefore.subarray(p * 4, p * 4 + 4));
    }
    expect(snapshot(doc).slice(0, 1)).toEqual(before);
    expect(doc.history.at(-1)).toBe('Diffusion Layers: Fill');
    expect(fake.liveImageData.size).toBe(0);
  });

  it('treats no selection and an all-zero selection as none', async () => {
    const { host, doc } = setup({ width: 8, height: 8 });
    expect(await host.selection()).toBeNull();
    doc.selectionMask = new Uint8Array(64);
    expect(await host.selection()).toBeNull();
    // Photoshop before 25.0 has no Document.selection: the mask itself is read
    doc.hasSelectionApi = false;
    expect(await host.selection()).toBeNull();
    doc.selectionMask[3 * 8 + 5] = 255;
    expect(await host.selection()).toEqual({ bounds: { left: 5, top: 3, width: 1, height: 1 }, mask: new Uint8Array([255]) });
  });

  it('converts 16-bit selection data to bytes', async () => {
    const { host, doc } = setup({ width: 8, height: 8, bits: 16 });
    ellipseSelection(doc, 4, 4, 3, 3);
    const sel = await host.selection();
    expect(new Set(sel!.mask)).toEqual(new Set([0, 128, 255]));
  });
});

describe('Photoshop host: reading pixels', () => {
  it('reads the composite of an opaque document (RGB without alpha) as opaque RGBA', async () => {
    const { host } = setup({ width: 6, height: 4, background: [1, 2, 3] });
    const px = await host.readPixels('composite', { left: 1, top: 1, width: 3, height: 2 });
    expect(px.rect).toEqual({ left: 1, top: 1, width: 3, height: 2 });
    expect([...px.rgba]).toEqual(Array.from({ length: 6 }, () => [1, 2, 3, 255]).flat());
  });

  it('reads the active layer rect-sized, transparent where Photoshop trimmed empty pixels', async () => {
    const { host, doc, fake } = setup({ width: 10, height: 10 });
    doc.layers[0]!.pixels.set([50, 60, 70, 200], (4 * 10 + 6) * 4);
    const px = await host.readPixels('activeLayer');
    expect(px.rect).toEqual({ left: 0, top: 0, width: 10, height: 10 });
    expect([...px.rgba.subarray((4 * 10 + 6) * 4, (4 * 10 + 6) * 4 + 4)]).toEqual([50, 60, 70, 200]);
    expect(px.rgba.reduce((a, b) => a + b, 0)).toBe(50 + 60 + 70 + 200);
    expect(fake.liveImageData.size).toBe(0);
    await expect(host.readPixels('composite', { left: 5, top: 5, width: 6, height: 1 })).rejects.toSatisfy((e) => isHostError(e, 'BAD_RECT'));
  });

  it('converts formats: gray, gray+alpha, RGB, 16 and 32 bits', () => {
    expect([...toRgba8(new Uint8Array([9, 7]), 2, 1, 1)]).toEqual([9, 9, 9, 7]);
    expect([...toRgba8(new Uint8Array([9]), 1, 1, 1)]).toEqual([9, 9, 9, 255]);
    expect([...toRgba8(new Uint16Array([32768, 16384, 0]), 3, 1, 1)]).toEqual([255, 128, 0, 255]);
    expect([...toRgba8(new Float32Array([1.5, 0.5, -1, 1]), 4, 1, 1)]).toEqual([255, 128, 0, 255]);
    expect([...maskTo8(new Uint16Array([0, 32768]))]).toEqual([0, 255]);
    expect([...to16(new Uint8Array([0, 255, 128]))]).toEqual([0, 32768, 16448]);
    expect(() => toRgba8(new Uint8Array(5), 5, 1, 1)).toThrow(/5 components/);
    expect(() => toRgba8(new Uint8Array(5), 4, 1, 1)).toThrow(/5 values for 1x1 pixels/);
  });
});

describe('Photoshop host: upscale', () => {
  it('puts a result too large for the document into a new document, leaving the source alone', async () => {
    const { host, fake, doc } = setup({ width: 32, height: 24, background: [5, 5, 5] });
    const before = snapshot(doc);
    const big = { name: 'upscaled 4x', rect: { left: 0, top: 0, width: 128, height: 96 }, rgba: ramp(128, 96) };
    await expect(host.addLayer(big, 'Upscale')).rejects.toSatisfy((e) => isHostError(e, 'BAD_RECT'));

    await host.createDocumentWithLayer(big, 'poster 4x');

    expect(fake.documents).toHaveLength(2);
    const made = fake.active!;
    expect(made).not.toBe(doc);
    expect([made.title, made.width, made.height, made.bitsPerChannel, made.mode]).toEqual(['poster 4x', 128, 96, 'bitDepth8', 'RGBColorMode']);
    expect(made.layers.map((l) => l.name)).toEqual(['upscaled 4x']);
    expect(made.layers[0]!.pixels).toEqual(big.rgba);
    expect(made.history).toEqual(['poster 4x']);
    expect(snapshot(doc)).toEqual(before);
    expect(fake.liveImageData.size).toBe(0);
  });

  it('closes the half-made document when filling it fails', async () => {
    const { fake, module } = setup({ width: 4, height: 4 });
    module.imaging.putPixels = async () => {
      throw new Error('disk full');
    };
    const host = new PhotoshopHost({ photoshop: module });
    const big = { name: 'up', rect: { left: 0, top: 0, width: 8, height: 8 }, rgba: ramp(8, 8) };
    await expect(host.createDocumentWithLayer(big, 'up')).rejects.toThrow(/disk full/);
    expect(fake.documents).toHaveLength(1);
    expect(fake.problems).toEqual([]);
  });
});

describe('Photoshop host: records for Recall', () => {
  const record = runRecord({ command: 'generate', app: '0.1.0', model: 'default-s', prompt: 'a red fox' }, { seed: 4, settings: { steps: 20, sampler: 'ddim', strength: 1 }, images: [{}] as never }, 0);

  it('keeps the record of each layer it adds, by document and layer, for the session', async () => {
    const { host, doc, fake, module } = setup({ width: 32, height: 24, background: [5, 5, 5] });
    expect(await host.activeLayerRecord()).toBeNull(); // the background was not made here
    const rect = { left: 0, top: 0, width: 8, height: 8 };
    const { layerId } = await host.addLayer({ name: 'Generated: a red fox', rect, rgba: ramp(8, 8), record }, 'Generate');
    expect(String(doc.activeLayers[0]!.id)).toBe(layerId);
    const kept = (await host.activeLayerRecord())!;
    expect(kept.layer).toBe('Generated: a red fox');
    expect(parseRecord(kept.json, 'x')).toEqual(record);
    expect(kept.parameters).toMatch(/^a red fox\nSteps: 20, Sampler: DDIM, Seed: 4, Size: 8x8, /);
    // another layer active: its own (none)
    doc.activeLayers = [doc.layers[0]!];
    expect(await host.activeLayerRecord()).toBeNull();
    // a grown canvas and a new document keep theirs too
    const grown = await host.expandCanvas({ left: 4, right: 4, top: 0, bottom: 0 }, { name: 'Expand', rect: { left: 0, top: 0, width: 4, height: 24 }, rgba: ramp(4, 24), record }, 'Expand', { width: 32, height: 24 });
    expect(String(doc.activeLayers[0]!.id)).toBe(grown.layerId);
    expect(await host.activeLayerRecord()).not.toBeNull();
    await host.createDocumentWithLayer({ name: 'Upscaled', rect: { left: 0, top: 0, width: 64, height: 64 }, rgba: ramp(64, 64), record }, 'big');
    expect(fake.active).not.toBe(doc);
    expect((await host.activeLayerRecord())?.layer).toBe('Upscaled');
    // a failed write keeps nothing
    module.imaging.putPixels = async () => {
      throw new Error('disk full');
    };
    fake.active = doc;
    await expect(host.addLayer({ name: 'lost', rect, rgba: ramp(8, 8), record }, 'Generate')).rejects.toThrow(/disk full/);
    expect(doc.layers.map((l) => l.name)).not.toContain('lost');
  });

  it("keeps them in the panel's storage: a saved document's records are found after a restart", async () => {
    const store = memoryStore();
    const { module, doc } = setup({ width: 16, height: 16, background: [5, 5, 5] });
    const first = new PhotoshopHost({ photoshop: module }, { store });
    await first.addLayer({ name: 'Generated: a red fox', rect: { left: 0, top: 0, width: 8, height: 8 }, rgba: ramp(8, 8), record }, 'Generate');
    (doc as unknown as { path: string }).path = '/art/fox.psd'; // saved
    expect(await first.activeLayerRecord()).not.toBeNull();
    const again = new PhotoshopHost({ photoshop: module }, { store }); // the panel loaded anew
    expect(parseRecord((await again.activeLayerRecord())!.json, 'x')).toEqual(record);
  });

  it('without a selected layer Recall says so', async () => {
    const { host, doc } = setup({ width: 4, height: 4 });
    doc.activeLayers = [];
    await expect(host.activeLayerRecord()).rejects.toSatisfy((e) => isHostError(e, 'NO_LAYER'));
  });
});

describe('the fake enforces the documented rules', () => {
  it('refuses document writes outside executeAsModal and masks that are not one gray channel', async () => {
    const { module, doc } = setup({ width: 4, height: 4 });
    const img = await module.imaging.createImageDataFromBuffer(new Uint8Array(16), { width: 2, height: 2, components: 4, colorSpace: 'RGB' });
    await expect(module.imaging.putPixels({ layerID: doc.layers[0]!.id, imageData: img })).rejects.toThrow(/outside of executeAsModal/);
    await expect(doc.createPixelLayer({ name: 'x' })).rejects.toThrow(/outside of executeAsModal/);
    await module.core.executeAsModal(async () => {
      await expect(module.imaging.putLayerMask({ layerID: doc.layers[0]!.id, imageData: img })).rejects.toThrow(/Gray Gamma 2.2/);
    }, { commandName: 't' });
    const sel = await module.imaging.getSelection({});
    expect(sel.imageData.components).toBe(1);
  });
});
