/**
 * Pixel format conversions between Photoshop's imaging data and the Host contract
 * (straight RGBA, 8 bits, rect-sized; masks one byte per pixel). Pure functions.
 *
 * Photoshop component ranges (imaging API): 8 bit 0..255, 16 bit 0..32768, 32 bit 0..1
 * (linear light, may exceed 1).
 */
import { HostError } from '../errors.js';
import type { Rect } from '../host.js';

export type ComponentData = Uint8Array | Uint16Array | Float32Array;

const PS16_MAX = 32768;

/** One component value -> 0..255. */
function to8(data: ComponentData): (i: number) => number {
  if (data instanceof Uint8Array) return (i) => data[i]!;
  if (data instanceof Uint16Array) return (i) => Math.min(255, Math.round((data[i]! * 255) / PS16_MAX));
  return (i) => {
    const v = data[i]!;
    return v > 0 ? Math.min(255, Math.round(v * 255)) : 0;
  };
}

/**
 * Chunky gray / gray+alpha / RGB / RGBA components -> straight RGBA 8 bit.
 * Pixels without alpha become opaque.
 */
export function toRgba8(data: ComponentData, components: number, width: number, height: number): Uint8Array {
  const n = width * height;
  if (!Number.isInteger(components) || components < 1 || components > 4) {
    throw new HostError('UNSUPPORTED', `Photoshop returned pixels with ${components} components; expected gray, RGB or RGBA`);
  }
  if (data.length !== n * components) {
    throw new HostError('HOST_FAILED', `Photoshop returned ${data.length} values for ${width}x${height} pixels with ${components} components`);
  }
  const get = to8(data);
  const out = new Uint8Array(n * 4);
  for (let p = 0, s = 0, o = 0; p < n; p++, s += components, o += 4) {
    if (components >= 3) {
      out[o] = get(s);
      out[o + 1] = get(s + 1);
      out[o + 2] = get(s + 2);
      out[o + 3] = components === 4 ? get(s + 3) : 255;
    } else {
      const g = get(s);
      out[o] = out[o + 1] = out[o + 2] = g;
      out[o + 3] = components === 2 ? get(s + 1) : 255;
    }
  }
  return out;
}

/** One-component mask data -> 0..255 bytes. */
export function maskTo8(data: ComponentData): Uint8Array {
  if (data instanceof Uint8Array) return data;
  const get = to8(data);
  const out = new Uint8Array(data.length);
  for (let i = 0; i < out.length; i++) out[i] = get(i);
  return out;
}

/** 8-bit values -> Photoshop's 16-bit range, for documents of 16 bits per channel. */
export function to16(bytes: Uint8Array): Uint16Array {
  const out = new Uint16Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = Math.round((bytes[i]! * PS16_MAX) / 255);
  return out;
}

/** Copies a `src` image (w x h, `channels` bytes per pixel) into `dst` (dstW wide) at (dx, dy), clipped. */
function blit(channels: number, dst: Uint8Array, dstW: number, dstH: number, src: Uint8Array, w: number, h: number, dx: number, dy: number): void {
  for (let y = 0; y < h; y++) {
    const ty = dy + y;
    if (ty < 0 || ty >= dstH) continue;
    const x0 = Math.max(0, -dx);
    const x1 = Math.min(w, dstW - dx);
    if (x1 <= x0) continue;
    dst.set(src.subarray((y * w + x0) * channels, (y * w + x1) * channels), (ty * dstW + dx + x0) * channels);
  }
}

/** `blit` for RGBA (4 bytes per pixel). */
export const blitRgba = blit.bind(null, 4);
/** `blit` for one byte per pixel (masks). */
export const blitGray = blit.bind(null, 1);

export interface Bounds {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export const rectToBounds = (r: Rect): Bounds => ({ left: r.left, top: r.top, right: r.left + r.width, bottom: r.top + r.height });
export const boundsToRect = (b: Bounds): Rect => ({ left: b.left, top: b.top, width: b.right - b.left, height: b.bottom - b.top });

/** The part of `b` inside a width x height canvas (may be empty: width or height 0). */
export function clipBounds(b: Bounds, width: number, height: number): Bounds {
  const left = Math.max(0, Math.floor(b.left));
  const top = Math.max(0, Math.floor(b.top));
  const right = Math.min(width, Math.ceil(b.right));
  const bottom = Math.min(height, Math.ceil(b.bottom));
  return { left, top, right: Math.max(left, right), bottom: Math.max(top, bottom) };
}

/** Throws BAD_RECT unless `r` is a non-empty integer rectangle inside the canvas. */
export function checkRect(r: Rect, width: number, height: number, what = 'rect'): void {
  const ints = [r.left, r.top, r.width, r.height].every(Number.isInteger);
  if (!ints || r.width <= 0 || r.height <= 0 || r.left < 0 || r.top < 0 || r.left + r.width > width || r.top + r.height > height) {
    throw new HostError(
      'BAD_RECT',
      `${what} ${JSON.stringify(r)} is not inside the ${width}x${height} document: expected whole pixels with a positive size`,
    );
  }
}
