/** PNG files <-> RGBA (pngjs) and their text chunks (meta-png), with errors that name the file. */
import { readFile, writeFile } from 'node:fs/promises';
import metaPng from 'meta-png';
import { PNG } from 'pngjs';
import { InputError } from '../inference/errors.js';
import type { RgbaImage } from '../inference/image.js';

// a UMD file: Node's ESM import sees only its default export
const { addMetadata, getMetadata } = metaPng;

async function readBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InputError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${(e as Error).message})`, { cause: e });
  }
}

export async function readPng(path: string): Promise<RgbaImage> {
  const buf = await readBytes(path);
  try {
    const png = PNG.sync.read(buf);
    return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  } catch (e) {
    throw new InputError(`${path}: not a PNG image this tool can read (${(e as Error).message})`, { cause: e });
  }
}

/** One byte per pixel from a mask image: luminance times alpha (white = fill). */
export function maskFromRgba(img: RgbaImage): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const [r, g, b, a] = [img.data[4 * i]!, img.data[4 * i + 1]!, img.data[4 * i + 2]!, img.data[4 * i + 3]!];
    out[i] = Math.round(((0.299 * r + 0.587 * g + 0.114 * b) * a) / 255);
  }
  return out;
}

/** The text of a PNG's tEXt chunk `key` (undefined when it has none), as Latin-1 characters. */
export async function readPngText(path: string, key: string): Promise<string | undefined> {
  const buf = await readBytes(path);
  try {
    return getMetadata(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength), key);
  } catch (e) {
    throw new InputError(`${path}: not a PNG image (${(e as Error).message})`, { cause: e });
  }
}

/** Writes `img` with a tEXt chunk for each entry of `text` (keys of 1-79 Latin-1 characters). */
export async function writePng(path: string, img: RgbaImage, text: Record<string, string> = {}): Promise<void> {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  let bytes: Uint8Array = PNG.sync.write(png);
  for (const [key, value] of Object.entries(text)) bytes = addMetadata(bytes, key, value);
  try {
    await writeFile(path, bytes);
  } catch (e) {
    throw new InputError(`${path}: cannot be written (${(e as Error).message})`, { cause: e });
  }
}

/** out.png -> out-1.png, out-2.png ... when a run makes several images. */
export function numbered(path: string, i: number, count: number): string {
  if (count === 1) return path;
  const m = /^(.*?)(\.[^./\\]*)?$/.exec(path)!;
  return `${m[1]}-${i + 1}${m[2] ?? '.png'}`;
}
