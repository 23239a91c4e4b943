/** Image files in and out of the web editor (browser only). */
import metaPng from 'meta-png';
import { PARAMETERS_KEY, RECORD_KEY } from '../../inference/run-record.js';
import type { RecordText } from '../host.js';
import { compositeLayers } from './composite.js';
import type { WebDocument } from './document.js';

// a UMD file: its functions hang off the default export
const { addMetadata, getMetadata } = metaPng;

export interface DecodedImage {
  name: string;
  width: number;
  height: number;
  rgba: Uint8Array;
  /** the run record a PNG carries (this tool's, or another's parameters text), unchecked: the panel's Recall checks it */
  record?: RecordText;
}

/** tEXt bytes as meta-png gives them (one character a byte) read as UTF-8, which is how they were written. */
function utf8(latin1: string): string {
  return new TextDecoder().decode(Uint8Array.from(latin1, (c) => c.charCodeAt(0)));
}

/** The record chunks of a PNG file's bytes (either or both); undefined for another format or a PNG without them. */
export function readRecordChunks(bytes: Uint8Array): RecordText | undefined {
  let json: string | undefined;
  let parameters: string | undefined;
  try {
    json = getMetadata(bytes, RECORD_KEY);
    parameters = getMetadata(bytes, PARAMETERS_KEY);
  } catch {
    return undefined; // not a PNG
  }
  if (json === undefined && parameters === undefined) return undefined;
  return { ...(json !== undefined ? { json } : {}), ...(parameters !== undefined ? { parameters: utf8(parameters) } : {}) };
}

/** `png` with the record's two text chunks (the readable one first, as other tools put it). */
export function withRecordChunks(png: Uint8Array, record: RecordText): Uint8Array {
  const out = record.parameters !== undefined ? addMetadata(png, PARAMETERS_KEY, record.parameters) : png;
  return record.json !== undefined ? addMetadata(out, RECORD_KEY, record.json) : out;
}

/** Largest side accepted when opening a file (the editor composites in JavaScript). */
export const MAX_OPEN_SIDE = 8192;

export async function decodeImageFile(file: Blob & { name?: string }): Promise<DecodedImage> {
  let bmp: ImageBitmap;
  try {
    bmp = await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  } catch {
    throw new Error(`${file.name ?? 'The file'} is not an image this browser can read (PNG, JPEG, WebP, GIF, BMP are).`);
  }
  const { width, height } = bmp;
  if (width > MAX_OPEN_SIDE || height > MAX_OPEN_SIDE) {
    bmp.close();
    throw new Error(`${file.name ?? 'The image'} is ${width}x${height}; this editor opens images up to ${MAX_OPEN_SIDE} pixels per side.`);
  }
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bmp, 0, 0);
  bmp.close();
  const data = ctx.getImageData(0, 0, width, height).data;
  const name = (file.name ?? 'Image').replace(/\.[a-z0-9]+$/i, '');
  const record = readRecordChunks(new Uint8Array(await file.arrayBuffer()));
  return { name, width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), ...(record ? { record } : {}) };
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
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${doc.name.replace(/[\\/:*?"<>|]+/g, '_') || 'image'}.png`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
