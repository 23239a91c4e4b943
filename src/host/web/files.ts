/** Image files in and out of the web editor (browser only). */
import { compositeLayers } from './composite.js';
import type { WebDocument } from './document.js';

export interface DecodedImage {
  name: string;
  width: number;
  height: number;
  rgba: Uint8Array;
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
  return { name, width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function toImageData(rgba: Uint8Array, width: number, height: number): ImageData {
  return new ImageData(new Uint8ClampedArray(rgba.buffer as ArrayBuffer, rgba.byteOffset, rgba.byteLength), width, height);
}

/** Saves the visible composite of `doc` as a PNG download. */
export async function downloadPng(doc: WebDocument): Promise<void> {
  const canvas = document.createElement('canvas');
  canvas.width = doc.width;
  canvas.height = doc.height;
  const rgba = compositeLayers(doc.layers, { left: 0, top: 0, width: doc.width, height: doc.height });
  canvas.getContext('2d')!.putImageData(toImageData(rgba, doc.width, doc.height), 0, 0);
  const blob = await new Promise<Blob | null>((res) => canvas.toBlob(res, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the PNG.');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${doc.name.replace(/[\\/:*?"<>|]+/g, '_') || 'image'}.png`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
