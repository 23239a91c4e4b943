// OpenRaster files of the web editor: what it writes is a valid .ora (the zip layout the spec
// asks for) that reads back to the same layers; what other painters write is read as near as
// the editor can show it, and said.
import { DOMParser } from '@xmldom/xmldom';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { compositeLayers } from '../../src/host/web/composite.js';
import { Editor } from '../../src/host/web/editor.js';
import { readOra, writeOra, type OraCodec, type XmlDocument } from '../../src/host/web/ora.js';
import { readRecordChunks } from '../../src/host/web/record-chunks.js';

/** pngjs for the PNGs, xmldom for stack.xml: none of the editor's own code. */
const codec: OraCodec = {
  encodePng(rgba, width, height) {
    const png = new PNG({ width, height });
    png.data = Buffer.from(rgba);
    return new Uint8Array(PNG.sync.write(png));
  },
  async decodePng(bytes) {
    const png = PNG.sync.read(Buffer.from(bytes));
    return { width: png.width, height: png.height, rgba: new Uint8Array(png.data) };
  },
  parseXml: (text) => new DOMParser().parseFromString(text, 'application/xml') as unknown as XmlDocument,
};

function ramp(w: number, h: number, alpha: (i: number) => number = () => 255): Uint8Array {
  const out = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) out.set([(i * 7) & 255, (i * 13) & 255, (i * 29) & 255, alpha(i)], 4 * i);
  return out;
}

function pngOf(w: number, h: number, rgba: Uint8Array): Uint8Array {
  return codec.encodePng(rgba, w, h) as Uint8Array;
}

describe('OpenRaster', () => {
  it('writes the layout the spec asks for: mimetype first and stored, stack.xml top first, merged image and thumbnail', async () => {
    const editor = new Editor();
    const doc = editor.newDocument('poster', 600, 300);
    doc.addLayer({ name: 'a <b> & "c"', rect: { left: 10, top: 20, width: 4, height: 3 }, rgba: ramp(4, 3) });
    const zip = await writeOra(doc, codec);
    // the first local file header: name "mimetype", method 0 (stored), its bytes right after the name
    expect(strFromU8(zip.subarray(30, 38))).toBe('mimetype');
    expect(zip[8] | (zip[9] << 8)).toBe(0);
    expect(strFromU8(zip.subarray(38, 38 + 16))).toBe('image/openraster');
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual(['Thumbnails/thumbnail.png', 'data/layer1.png', 'data/layer2.png', 'mergedimage.png', 'mimetype', 'stack.xml']);
    const xml = codec.parseXml(strFromU8(files['stack.xml']!));
    const layers = Array.from(xml.getElementsByTagName('layer'));
    expect(layers.map((l) => [l.getAttribute('name'), l.getAttribute('src'), l.getAttribute('x'), l.getAttribute('y')])).toEqual([
      ['a <b> & "c"', 'data/layer2.png', '10', '20'],
      ['Background', 'data/layer1.png', '0', '0'],
    ]);
    expect([xml.documentElement!.getAttribute('w'), xml.documentElement!.getAttribute('h')]).toEqual(['600', '300']);
    const thumb = PNG.sync.read(Buffer.from(files['Thumbnails/thumbnail.png']!));
    expect([thumb.width, thumb.height]).toEqual([256, 128]);
    const merged = PNG.sync.read(Buffer.from(files['mergedimage.png']!));
    expect(new Uint8Array(merged.data)).toEqual(compositeLayers(doc.layers, { left: 0, top: 0, width: 600, height: 300 }));
  });

  it('a large picture gets a thumbnail of at most 256 px that keeps its halves apart', async () => {
    const editor = new Editor();
    const W = 1500;
    const H = 700;
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) rgba.set(i % W < W / 2 ? [250, 10, 10, 255] : [10, 10, 250, 255], 4 * i);
    const doc = editor.newDocument('wide', W, H, rgba);
    const thumb = PNG.sync.read(Buffer.from(unzipSync(await writeOra(doc, codec))['Thumbnails/thumbnail.png']!));
    expect([thumb.width, thumb.height]).toEqual([256, 119]);
    // well inside each half: its colour exactly (averages of equal pixels)
    for (const y of [0, 60, 118]) {
      expect(Array.from(thumb.data.subarray((y * 256 + 20) * 4, (y * 256 + 20) * 4 + 4))).toEqual([250, 10, 10, 255]);
      expect(Array.from(thumb.data.subarray((y * 256 + 235) * 4, (y * 256 + 235) * 4 + 4))).toEqual([10, 10, 250, 255]);
    }
  });

  it('reads back what it wrote: names, places, visibility, pixels (masks applied), records', async () => {
    const editor = new Editor();
    const doc = editor.newDocument('d', 40, 30);
    const mask = new Uint8Array(12).map((_, i) => (i % 2 ? 255 : 0));
    const record = { json: '{"format":"diffusion-layers-run"}', parameters: 'a fox\nSteps: 4, Seed: 1' };
    doc.addLayer({ name: 'fill', rect: { left: 5, top: 6, width: 4, height: 3 }, rgba: ramp(4, 3, (i) => 40 + i), mask, record });
    doc.addLayer({ name: 'hidden', rect: { left: -2, top: 25, width: 6, height: 8 }, rgba: ramp(6, 8), visible: false });
    const back = await readOra(await writeOra(doc, codec), codec);
    expect([back.width, back.height, back.notes]).toEqual([40, 30, []]);
    expect(back.layers.map((l) => [l.name, l.rect, l.visible])).toEqual(doc.layers.map((l) => [l.name, l.rect, l.visible]));
    // the mask is in the alpha now: every other pixel transparent, the rest as they were
    const fill = back.layers[1]!;
    for (let i = 0; i < 12; i++) expect(fill.rgba[4 * i + 3]).toBe(i % 2 ? 40 + i : 0);
    expect(fill.record).toEqual(record);
    expect(back.layers[2]!.rgba).toEqual(ramp(6, 8));
    expect(back.layers[0]!.record).toBeUndefined();
  });

  it("reads another painter's file: groups flattened with their offset, visibility and opacity; a layer's own opacity kept; other blend modes said", async () => {
    const stack = `<?xml version="1.0" encoding="UTF-8"?>
<image version="0.0.3" w="20" h="10">
  <stack>
    <stack name="group" x="3" y="1" opacity="0.5" visibility="visible">
      <layer name="in group" src="data/a.png" x="2" y="2" opacity="0.5" composite-op="svg:multiply"/>
    </stack>
    <stack name="off" visibility="hidden">
      <layer name="under hidden group" src="data/b.png"/>
    </stack>
    <layer name="vector" src="data/c.svg"/>
    <layer name="bottom" src="data/b.png" visibility="visible"/>
  </stack>
</image>`;
    const zip = zipSync({
      mimetype: [strToU8('image/openraster'), { level: 0 }],
      'stack.xml': strToU8(stack),
      'data/a.png': pngOf(2, 2, new Uint8Array(16).fill(200)),
      'data/b.png': pngOf(1, 1, new Uint8Array([1, 2, 3, 255])),
      'data/c.svg': strToU8('<svg/>'),
    });
    const r = await readOra(zip, codec, 'art.ora');
    expect(r.layers.map((l) => [l.name, l.rect.left, l.rect.top, l.visible])).toEqual([
      ['bottom', 0, 0, true],
      ['under hidden group', 0, 0, false],
      ['in group', 5, 3, true],
    ]);
    // the group's 0.5 goes into the pixels (200 * 0.5); the layer's own 0.5 stays the layer's
    expect(r.layers[2]!.rgba[3]).toBe(100);
    expect(r.layers[2]!.opacity).toBe(0.5);
    expect('opacity' in r.layers[0]!).toBe(false);
    expect(r.notes).toEqual([
      'Groups were flattened into their layers.',
      'Layer "in group" blends with svg:multiply; this editor shows it as normal.',
      "Group opacity was multiplied into its layers' pixels.",
      'Layer "vector" is not a PNG (data/c.svg) and was left out.',
    ]);
    expect(readRecordChunks(pngOf(1, 1, new Uint8Array(4)))).toBeUndefined();
  });

  it("keeps a layer's opacity both ways, as ORA's opacity attribute, with its pixels untouched", async () => {
    const editor = new Editor();
    const doc = editor.newDocument('glass', 4, 4);
    const id = doc.addLayer({ name: 'tint', rect: { left: 1, top: 1, width: 2, height: 2 }, rgba: ramp(2, 2) });
    doc.setOpacity(id, 0.37);
    const zip = await writeOra(doc, codec);
    const files = unzipSync(zip);
    const xml = codec.parseXml(strFromU8(files['stack.xml']!));
    expect(Array.from(xml.getElementsByTagName('layer')).map((l) => l.getAttribute('opacity'))).toEqual(['0.37', '1.0']);
    // the layer's PNG holds its pixels; the merged image shows them at 37 %
    expect(new Uint8Array(PNG.sync.read(Buffer.from(files['data/layer2.png']!)).data)).toEqual(ramp(2, 2));
    const merged = new Uint8Array(PNG.sync.read(Buffer.from(files['mergedimage.png']!)).data);
    // ramp's first pixel (0, 0, 0) at 0.37 over white: 255 * 0.63 = 160.65
    expect(Array.from(merged.subarray(4 * 5, 4 * 5 + 4))).toEqual([161, 161, 161, 255]);
    const back = await readOra(zip, codec, 'glass.ora');
    expect(back.layers[1]!.opacity).toBe(0.37);
    expect(back.layers[1]!.rgba).toEqual(ramp(2, 2));
    expect(back.layers[0]!.opacity).toBeUndefined();
    expect(back.notes).toEqual([]);
  });

  it('refuses what it cannot read, naming the file and what is wrong', async () => {
    const zipOf = (files: Record<string, Uint8Array>) => zipSync(files);
    await expect(readOra(strToU8('not a zip'), codec, 'x.ora')).rejects.toThrow(/^x\.ora is not an OpenRaster file: it is not a readable zip/);
    await expect(readOra(zipOf({ mimetype: strToU8('application/epub+zip') }), codec, 'book.ora')).rejects.toThrow('book.ora is a zip of "application/epub+zip", not an OpenRaster image');
    await expect(readOra(zipOf({ mimetype: strToU8('image/openraster') }), codec, 'y.ora')).rejects.toThrow('y.ora is not an OpenRaster file: it has no stack.xml');
    const stack = (body: string, size = 'w="4" h="4"') => strToU8(`<image ${size}><stack>${body}</stack></image>`);
    await expect(readOra(zipOf({ 'stack.xml': stack('<layer name="l" src="data/l.png"/>') }), codec, 'z.ora')).rejects.toThrow('z.ora, layer "l": its picture data/l.png is missing from the file');
    await expect(readOra(zipOf({ 'stack.xml': stack('<layer name="l" src="data/l.png"/>'), 'data/l.png': strToU8('nope') }), codec, 'z.ora')).rejects.toThrow(/^z\.ora, layer "l": its picture data\/l\.png is not a readable PNG/);
    await expect(readOra(zipOf({ 'stack.xml': strToU8('<image w="4" h="4"><stack><layer') }), codec, 'm.ora')).rejects.toThrow("m.ora: its stack.xml is not a readable OpenRaster stack");
    await expect(readOra(zipOf({ 'stack.xml': stack('', 'w="9000" h="4"') }), codec, 'big.ora')).rejects.toThrow('big.ora is 9000x4; this editor opens images up to 8192 pixels per side.');
    await expect(readOra(zipOf({ 'stack.xml': stack('') }), codec, 'e.ora')).rejects.toThrow('e.ora has no layer this editor can read');
    // an entry that would inflate past any layer of the largest canvas is not inflated (for a 64 px canvas: about 1 MiB)
    const bomb = zipOf({ 'stack.xml': stack('<layer name="l" src="data/l.png"/>'), 'data/l.png': new Uint8Array(2 << 20) });
    expect(bomb.length).toBeLessThan(20_000);
    await expect(readOra(bomb, codec, 'bomb.ora', 64)).rejects.toThrow('bomb.ora: data/l.png (2 MiB) is larger than any layer of a 64 px image');
    await expect(readOra(zipOf({ 'stack.xml': stack('<layer src="data/l.png" x="left"/>'), 'data/l.png': pngOf(1, 1, new Uint8Array(4)) }), codec, 'n.ora')).rejects.toThrow('n.ora, layer "Layer 1": its x="left" is not a number');
  });

  it('opens as a document with its layers, nothing to undo and nothing unsaved', async () => {
    const editor = new Editor();
    const src = editor.newDocument('s', 8, 8);
    src.addLayer({ name: 'top', rect: { left: 1, top: 1, width: 2, height: 2 }, rgba: ramp(2, 2) });
    const r = await readOra(await writeOra(src, codec), codec);
    const doc = editor.openLayers('s', r.width, r.height, r.layers);
    expect(doc.layers.map((l) => l.name)).toEqual(['Background', 'top']);
    expect([doc.canUndo, doc.unsaved, editor.active]).toEqual([null, false, doc]);
  });
});
