/** PNG files <-> RGBA (pngjs), with errors that name the file. */
import { readFile, writeFile } from 'node:fs/promises';
import { PNG } from 'pngjs';
import { InputError } from '../inference/errors.js';
import type { RgbaImage } from '../inference/image.js';

export async function readPng(path: string): Promise<RgbaImage> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new InputError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot be read (${(e as Error).message})`, { cause: e });
  }
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

export async function writePng(path: string, img: RgbaImage): Promise<void> {
  const png = new PNG({ width: img.width, height: img.height });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  try {
    await writeFile(path, PNG.sync.write(png));
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
