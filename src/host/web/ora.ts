/**
 * OpenRaster (.ora) files: the layered format GIMP, Krita and MyPaint open and save, so a web
 * editor document keeps its layers when it is saved. A zip (fflate) holding "mimetype" first
 * and uncompressed, "stack.xml" (the layers, top first), one PNG per layer, the flattened
 * "mergedimage.png" and a thumbnail of at most 256 px.
 *
 * No DOM here: the PNG codec and the XML parser are passed in (the browser's canvas and
 * DOMParser in the editor, pngjs and a DOMParser implementation in the tests).
 *
 * A layer's opacity is ORA's `opacity` attribute both ways. What ORA cannot hold is baked in:
 * a layer mask goes into the layer's alpha, as the layer shows. What this editor cannot show is
 * read as near as it can and said: another blend mode is read as normal, groups are flattened
 * into their layers, a group's opacity multiplied into its layers' alpha.
 */
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { resizeRgba } from '../../panel/jobs/pixels.js';
import type { RecordText, Rect } from '../host.js';
import { compositeLayers, maskedPixels } from './composite.js';
import type { Layer } from './document.js';
import { readRecordChunks, withRecordChunks } from './record-chunks.js';

export const ORA_MIME = 'image/openraster';
const THUMBNAIL_SIDE = 256;

export interface OraCodec {
  /** straight-alpha RGBA -> PNG bytes */
  encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array | Promise<Uint8Array>;
  /** PNG bytes -> straight-alpha RGBA */
  decodePng(bytes: Uint8Array): Promise<{ width: number; height: number; rgba: Uint8Array }>;
  /** XML text -> a DOM document (DOMParser's parseFromString with 'application/xml') */
  parseXml(text: string): XmlDocument;
}

/** The part of the DOM that reading stack.xml uses. */
export interface XmlElement {
  readonly tagName: string;
  readonly parentNode: XmlElement | null | unknown;
  getAttribute(name: string): string | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}
export interface XmlDocument {
  readonly documentElement: XmlElement | null;
  getElementsByTagName(name: string): ArrayLike<XmlElement>;
}

export interface OraLayer {
  name: string;
  rect: Rect;
  rgba: Uint8Array;
  visible: boolean;
  /** the layer's own opacity, 0-1, when below 1 */
  opacity?: number;
  record?: RecordText;
}

export interface OraImage {
  width: number;
  height: number;
  /** bottom first, as the editor stacks them */
  layers: OraLayer[];
  /** what was read differently from the file (blend modes, groups and their opacity, skipped layers) */
  notes: string[];
}

/** OpenRaster's opacity attribute: a float 0-1 (three decimals keep every 8-bit step apart). */
const opacityAttr = (o: number) => (o === 1 ? '1.0' : String(Math.round(o * 1000) / 1000));

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A document as an .ora file's bytes. */
export async function writeOra(doc: { width: number; height: number; layers: readonly Layer[] }, codec: OraCodec): Promise<Uint8Array> {
  const { width, height } = doc;
  // stack.xml lists the top layer first
  const top = [...doc.layers].reverse();
  const srcs = top.map((_, i) => `data/layer${top.length - i}.png`);
  const entries = top.map(
    (l, i) =>
      `    <layer name="${escapeXml(l.name)}" src="${srcs[i]}" x="${l.rect.left}" y="${l.rect.top}" visibility="${l.visible ? 'visible' : 'hidden'}" opacity="${opacityAttr(l.opacity ?? 1)}" composite-op="svg:src-over"/>`,
  );
  const stack = `<?xml version="1.0" encoding="UTF-8"?>\n<image version="0.0.5" w="${width}" h="${height}">\n  <stack>\n${entries.join('\n')}\n  </stack>\n</image>\n`;
  const merged = compositeLayers(doc.layers, { left: 0, top: 0, width, height });
  const thumb = thumbnail(merged, width, height);
  // every PNG at once: an asynchronous encoder deflates them side by side
  const [mergedPng, thumbPng, ...layerPngs] = await Promise.all([
    codec.encodePng(merged, width, height),
    codec.encodePng(thumb.rgba, thumb.width, thumb.height),
    ...top.map(async (l) => {
      const png = await codec.encodePng(maskedPixels(l), l.rect.width, l.rect.height);
      return l.record ? withRecordChunks(png, l.record) : png;
    }),
  ]);
  // mimetype first and stored, as the format asks; PNG data is already deflated
  const files: Zippable = { mimetype: [strToU8(ORA_MIME), { level: 0 }], 'stack.xml': strToU8(stack) };
  layerPngs.forEach((png, i) => (files[srcs[i]!] = [png, { level: 0 }]));
  files['mergedimage.png'] = [mergedPng!, { level: 0 }];
  files['Thumbnails/thumbnail.png'] = [thumbPng!, { level: 0 }];
  return zipSync(files);
}

/**
 * The picture at most THUMBNAIL_SIDE a side: every s-th pixel down to about twice that, then
 * averaged (a thumbnail need not weigh every pixel of a large picture, which would take most of a
 * second at 12 MP).
 */
function thumbnail(rgba: Uint8Array, width: number, height: number): { width: number; height: number; rgba: Uint8Array } {
  const k = Math.min(1, THUMBNAIL_SIDE / Math.max(width, height));
  const tw = Math.max(1, Math.round(width * k));
  const th = Math.max(1, Math.round(height * k));
  const s = Math.max(1, Math.floor(Math.max(width, height) / (2 * THUMBNAIL_SIDE)));
  if (s === 1) return { width: tw, height: th, rgba: resizeRgba(rgba, width, height, tw, th) };
  const sw = Math.ceil(width / s);
  const sh = Math.ceil(height / s);
  const sub = new Uint8Array(sw * sh * 4);
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) sub.set(rgba.subarray(((y * s) * width + x * s) * 4, ((y * s) * width + x * s) * 4 + 4), (y * sw + x) * 4);
  return { width: tw, height: th, rgba: resizeRgba(sub, sw, sh, tw, th) };
}

/** An attribute as a number, or `fallback` when it is missing; a present non-number is refused. */
function numberAttr(el: XmlElement, name: string, fallback: number, where: string): number {
  const v = el.getAttribute(name);
  if (v === null || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${where}: its ${name}="${v}" is not a number`);
  return n;
}

/** The stack elements around `el`, innermost first. */
function ancestorStacks(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let p = el.parentNode as XmlElement | null; p && typeof p.getAttribute === 'function'; p = p.parentNode as XmlElement | null) {
    if (p.tagName === 'stack') out.push(p);
  }
  return out;
}

/**
 * The layers of an .ora file. `file` names it in messages; `maxSide` is the largest canvas
 * accepted. A file that is not an OpenRaster zip, or misses a layer it lists, is refused.
 */
export async function readOra(bytes: Uint8Array, codec: OraCodec, file = 'The file', maxSide = 8192): Promise<OraImage> {
  let zip: Record<string, Uint8Array>;
  let tooLarge: string | undefined;
  // a PNG of the largest canvas is at most its raw size and a little more: anything larger is not
  // a layer of an image this editor opens (or is a zip bomb), and is not inflated
  const maxEntry = maxSide * maxSide * 4 + (1 << 20);
  try {
    zip = unzipSync(bytes, {
      filter: (f) => {
        if (f.name === 'mergedimage.png' || f.name.startsWith('Thumbnails/')) return false; // rebuilt from the layers
        if (f.originalSize > maxEntry) tooLarge ??= `${f.name} (${Math.round(f.originalSize / 2 ** 20)} MiB)`;
        return f.originalSize <= maxEntry;
      },
    });
  } catch (e) {
    throw new Error(`${file} is not an OpenRaster file: it is not a readable zip (${(e as Error).message})`, { cause: e });
  }
  if (tooLarge) throw new Error(`${file}: ${tooLarge} is larger than any layer of a ${maxSide} px image`);
  const mime = zip.mimetype ? strFromU8(zip.mimetype).trim() : undefined;
  if (mime !== undefined && mime !== ORA_MIME) throw new Error(`${file} is a zip of "${mime}", not an OpenRaster image`);
  if (!zip['stack.xml']) throw new Error(`${file} is not an OpenRaster file: it has no stack.xml`);
  let xml: XmlDocument | null = null;
  try {
    xml = codec.parseXml(strFromU8(zip['stack.xml']));
  } catch {
    // some parsers throw on malformed XML, the browser's returns a parsererror document
  }
  const image = xml?.documentElement;
  if (!xml || !image || image.tagName !== 'image' || xml.getElementsByTagName('parsererror').length > 0) {
    throw new Error(`${file}: its stack.xml is not a readable OpenRaster stack`);
  }
  const width = numberAttr(image, 'w', NaN, `${file}'s image`);
  const height = numberAttr(image, 'h', NaN, `${file}'s image`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw new Error(`${file}: its image size ${width}x${height} is not a whole positive size`);
  if (width > maxSide || height > maxSide) throw new Error(`${file} is ${width}x${height}; this editor opens images up to ${maxSide} pixels per side.`);

  const notes = new Set<string>();
  const layers: OraLayer[] = [];
  const elements = Array.from(image.getElementsByTagName('layer'));
  for (const el of elements) {
    const name = el.getAttribute('name') ?? `Layer ${layers.length + 1}`;
    const where = `${file}, layer "${name}"`;
    const src = el.getAttribute('src') ?? '';
    if (!/\.png$/i.test(src)) {
      notes.add(`Layer "${name}" is not a PNG (${src || 'no source'}) and was left out.`);
      continue;
    }
    const data = zip[src];
    if (!data) throw new Error(`${where}: its picture ${src} is missing from the file`);
    const stacks = ancestorStacks(el);
    if (stacks.length > 1) notes.add('Groups were flattened into their layers.');
    let visible = el.getAttribute('visibility') !== 'hidden';
    // the layer's own opacity stays a property of the layer; a group's is multiplied into its layers' pixels
    const opacity = Math.min(1, Math.max(0, numberAttr(el, 'opacity', 1, where)));
    let groupOpacity = 1;
    let x = numberAttr(el, 'x', 0, where);
    let y = numberAttr(el, 'y', 0, where);
    for (const s of stacks) {
      if (s.getAttribute('visibility') === 'hidden') visible = false;
      groupOpacity *= numberAttr(s, 'opacity', 1, `${file}, group "${s.getAttribute('name') ?? ''}"`);
      x += numberAttr(s, 'x', 0, where);
      y += numberAttr(s, 'y', 0, where);
    }
    const op = el.getAttribute('composite-op');
    if (op && op !== 'svg:src-over') notes.add(`Layer "${name}" blends with ${op}; this editor shows it as normal.`);
    const png = await codec.decodePng(data).catch((e: unknown) => {
      throw new Error(`${where}: its picture ${src} is not a readable PNG (${(e as Error).message})`, { cause: e });
    });
    const rgba = png.rgba;
    const o = Math.min(1, Math.max(0, groupOpacity));
    if (o < 1) {
      notes.add('Group opacity was multiplied into its layers\' pixels.');
      for (let i = 3; i < rgba.length; i += 4) rgba[i] = Math.round(rgba[i]! * o);
    }
    const record = readRecordChunks(data);
    layers.push({ name, rect: { left: Math.round(x), top: Math.round(y), width: png.width, height: png.height }, rgba, visible, ...(opacity < 1 ? { opacity } : {}), ...(record ? { record } : {}) });
  }
  if (layers.length === 0) throw new Error(`${file} has no layer this editor can read`);
  return { width, height, layers: layers.reverse(), notes: [...notes] };
}
