/**
 * RGBA -> PNG data URL without a canvas (the UXP panel has no 2D canvas readback), for the
 * live preview and the variation thumbnails.
 */
import { zlib, zlibSync } from 'fflate';

const CRC = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The scanlines of an RGBA image as PNG stores them: each row after a filter byte (0, none). */
function scanlines(rgba: Uint8Array, width: number, height: number): Uint8Array {
  const raw = new Uint8Array((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  return raw;
}

function assemble(width: number, height: number, idat: Uint8Array): Uint8Array {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const parts = [new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function encodePng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  return assemble(width, height, zlibSync(scanlines(rgba, width, height), { level: 3 }));
}

/**
 * The same PNG, compressed off the main thread (fflate runs its asynchronous deflate in a
 * worker): a 4000 x 3000 layer takes about a second to deflate, which would freeze the page.
 */
export async function encodePngAsync(rgba: Uint8Array, width: number, height: number): Promise<Uint8Array> {
  const idat = await new Promise<Uint8Array>((res, rej) => zlib(scanlines(rgba, width, height), { level: 3 }, (err, data) => (err ? rej(err) : res(data))));
  return assemble(width, height, idat);
}

export function pngDataUrl(rgba: Uint8Array, width: number, height: number): string {
  const png = encodePng(rgba, width, height);
  let s = '';
  for (let i = 0; i < png.length; i += 0x8000) s += String.fromCharCode(...png.subarray(i, i + 0x8000));
  return `data:image/png;base64,${btoa(s)}`;
}
