/** Size limits of the engine's inputs, with errors a user can act on. */
import { InputError } from './errors.js';

/** Longest image side accepted (pixels). */
export const MAX_SIDE = 16384;
/** Most pixels accepted in one image (64 MP). */
export const MAX_PIXELS = 64 * 1024 * 1024;
/** Most candidates per image (a pack's `defaults.candidates`, a request's): the base stage's time grows with it. */
export const MAX_CANDIDATES = 8;

export interface ImageLike {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/** Which limit a `w` x `h` picture passes, if any: the one rule every size check here uses. */
export function exceededLimit(w: number, h: number): 'side' | 'pixels' | null {
  if (w > MAX_SIDE || h > MAX_SIDE) return 'side';
  if (w * h > MAX_PIXELS) return 'pixels';
  return null;
}

/** Checks an RGBA image's size against the limits and its buffer against the size. */
export function checkImage(name: string, img: ImageLike): void {
  const { width: w, height: h } = img;
  if (!Number.isInteger(w) || !Number.isInteger(h) || w < 0 || h < 0) {
    throw new InputError(`${name} size ${String(w)}x${String(h)} is not a pair of whole numbers`, { details: { name } });
  }
  if (w === 0 || h === 0) {
    throw new InputError(`${name} is ${w}x${h} pixels: it has no pixels to work on`, { details: { name, width: w, height: h } });
  }
  const exceeded = exceededLimit(w, h);
  if (exceeded === 'side') {
    throw new InputError(
      `${name} is ${w}x${h} pixels; the longest side supported is ${MAX_SIDE} pixels: scale it down or work on a part of it`,
      { details: { name, width: w, height: h, maxSide: MAX_SIDE } },
    );
  }
  if (exceeded === 'pixels') {
    throw new InputError(
      `${name} is ${w}x${h} = ${((w * h) / 1e6).toFixed(1)} MP; at most ${MAX_PIXELS / (1024 * 1024)} MP is supported: scale it down or work on a part of it`,
      { details: { name, width: w, height: h, maxPixels: MAX_PIXELS } },
    );
  }
  if (!img.data || img.data.length !== w * h * 4) {
    throw new InputError(`${name} data has ${img.data?.length ?? 0} bytes; a ${w}x${h} RGBA image has ${w * h * 4}`, {
      details: { name },
    });
  }
}

/** Checks a 1-channel selection mask (255 = fill) for `w` x `h`; returns whether any pixel is selected. */
export function checkMask(mask: ArrayLike<number>, w: number, h: number): void {
  if (!mask || mask.length !== w * h) {
    throw new InputError(`mask has ${mask?.length ?? 0} bytes; expected one byte per pixel of the ${w}x${h} image (${w * h})`, {
      details: { name: 'mask' },
    });
  }
  for (let i = 0; i < mask.length; i++) if (mask[i] !== 0) return;
  throw new InputError('mask is empty: select the area to fill (mask bytes > 0) and try again', { details: { name: 'mask' } });
}
