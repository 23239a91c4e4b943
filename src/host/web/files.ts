/** Image files in and out of the web editor (browser only). */
import type { RecordText } from '../host.js';
import { compositeLayers } from './composite.js';
import type { WebDocument } from './document.js';
import { encodePngAsync } from '../../panel/lib/png.js';
import { readOra, writeOra, type OraCodec, type OraImage } from './ora.js';
import { readRecordChunks, withRecordChunks } from './record-chunks.js';

export interface DecodedImage {
  name: string;
  width: number;
  height: number;
  rgba: Uint8Array;
  /** the run record a PNG carries (this tool's, or another's parameters text), unchecked: the panel's Recall checks it */
  record?: RecordText;
}

/** Largest side accepted when opening a file (the editor composites in JavaScript). */
export const MAX_OPEN_SIDE = 8192;

/** A picture's pixels through the browser's decoder (straight alpha). */
async function decodePixels(file: Blob, what: string): Promise<{ width: number; height: number; rgba: Uint8Array }> {
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch {
    throw new Error(`${what} is not an image this browser can read (PNG, JPEG, WebP, GIF, BMP are, and OpenRaster .ora).`);
  }
  const { width, height } = bmp;
  if (width > MAX_OPEN_SIDE || height > MAX_OPEN_SIDE) {
    bmp.close();
    throw new Error(`${what} is ${width}x${height}; this editor opens images up to ${MAX_OPEN_SIDE} pixels per side.`);
  }
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bmp, 0, 0);
  bmp.close();
  const data = ctx.getImageData(0, 0, width, height).data;
  return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

const baseName = (file: { name?: string }) => (file.name ?? 'Image').replace(/\.[a-z0-9]+$/i, '');

export async function decodeImageFile(file: Blob & { name?: string }): Promise<DecodedImage> {
  const px = await decodePixels(file, file.name ?? 'The file');
  const record = readRecordChunks(new Uint8Array(await file.arrayBuffer()));
  return { name: baseName(file), ...px, ...(record ? { record } : {}) };
}

/** The browser's side of .ora files: our exact PNG encoder (deflating in workers), its decoder, DOMParser. */
const browserOra: OraCodec = {
  encodePng: encodePngAsync,
  decodePng: (bytes) => decodePixels(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' }), 'A layer'),
  parseXml: (text) => new DOMParser().parseFromString(text, 'application/xml'),
};

/** Whether `file` is an OpenRaster file (by its name, or a zip's signature). */
export async function isOraFile(file: Blob & { name?: string }): Promise<boolean> {
  if (/\.ora$/i.test(file.name ?? '')) return true;
  const head = new Uint8Array(await file.slice(0, 4).arrayBuffer());
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/** The layers of an .ora file. */
export async function readOraFile(file: Blob & { name?: string }): Promise<OraImage & { name: string }> {
  const image = await readOra(new Uint8Array(await file.arrayBuffer()), browserOra, file.name ?? 'The file', MAX_OPEN_SIDE);
  return { ...image, name: baseName(file) };
}

export function toImageData(rgba: Uint8Array, width: number, height: number): ImageData {
  return new ImageData(new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.byteLength), width, height);
}

/**
 * Saves the visible composite of `doc` as a PNG download, with the record of the topmost visible
 * layer that has one (what made the picture's latest change), so that Recall, the command line's
 * --recall and other diffusion tools can read it.
 */
export async function downloadPng(doc: WebDocument): Promise<void> {
  const canvas = document.createElement('canvas');
  canvas.width = doc.width;
  canvas.height = doc.height;
  const rgba = compositeLayers(doc.layers, { left: 0, top: 0, width: doc.width, height: doc.height });
  canvas.getContext('2d')!.putImageData(toImageData(rgba, doc.width, doc.height), 0, 0);
  const encoded = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/png'));
  if (!encoded) throw new Error('The browser could not encode the PNG.');
  const record = doc.visibleRecord;
  const blob = record ? new Blob([withRecordChunks(new Uint8Array(await encoded.arrayBuffer()), record) as Uint8Array<ArrayBuffer>], { type: 'image/png' }) : encoded;
  saveBlob(blob, doc.name, 'png');
}

/** Saves `doc` with its layers as an OpenRaster (.ora) download, each layer's record in its PNG. */
export async function downloadOra(doc: WebDocument): Promise<void> {
  const bytes = await writeOra(doc, browserOra);
  saveBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/openraster' }), doc.name, 'ora');
}

function saveBlob(blob: Blob, name: string, ext: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${name.replace(/[\\/:*?"<>|]+/g, '_') || 'image'}.${ext}`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
