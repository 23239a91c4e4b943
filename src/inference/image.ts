/**
 * Pixels <-> model tensors, crops and paste-back. No DOM: images are plain objects shaped like
 * ImageData, and float images are CHW planes.
 *
 * Conventions:
 * - RgbaImage: straight (not premultiplied) 8-bit RGBA, row-major, 4 bytes per pixel.
 * - Planes: float32 CHW [channels, height, width]; colour planes in [-1, 1]
 *   (x = v / 127.5 - 1), masks in [0, 1] (1 = selected / known, per context).
 * - Alpha: the models see RGB only. `rgbaToPlanes` composites over `background` (white by
 *   default, the training data's main background) so transparent pixels do not show their
 *   hidden colour; pass `background: null` to ignore alpha and use RGB as stored.
 * - Rounding back to 8 bits goes through Uint8ClampedArray: clamped to [0, 255], ties to
 *   even (as torch.round), NaN to 0.
 */
import { invalidInput, requireInteger } from './errors.js';

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}

export interface Planes {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Rgb = readonly [number, number, number];

export const WHITE: Rgb = [255, 255, 255];

export function checkRgba(name: string, img: RgbaImage): void {
  requireInteger(`${name}.width`, img.width, 1);
  requireInteger(`${name}.height`, img.height, 1);
  if (img.data.length !== img.width * img.height * 4) {
    throw invalidInput(`${name}.data`, `${img.width}x${img.height}x4 = ${img.width * img.height * 4} bytes`, img.data);
  }
}

export function checkPlanes(name: string, p: Planes, channels?: number): void {
  requireInteger(`${name}.width`, p.width, 1);
  requireInteger(`${name}.height`, p.height, 1);
  requireInteger(`${name}.channels`, p.channels, 1);
  if (channels !== undefined && p.channels !== channels) {
    throw invalidInput(`${name}.channels`, `${channels}`, p.channels);
  }
  if (p.data.length !== p.channels * p.width * p.height) {
    throw invalidInput(`${name}.data`, `${p.channels}x${p.height}x${p.width} floats`, p.data);
  }
}

export interface ToPlanesOptions {
  /** colour under transparent pixels; null: ignore alpha. Default white. */
  background?: Rgb | null;
}

/** RGBA bytes -> [3, H, W] in [-1, 1], written at `out[offset..]` if given (batching). */
export function rgbaToPlanes(img: RgbaImage, options: ToPlanesOptions = {}, out?: Float32Array, offset = 0): Planes {
  checkRgba('image', img);
  const bg = options.background === undefined ? WHITE : options.background;
  const n = img.width * img.height;
  const data = out ?? new Float32Array(3 * n);
  const src = img.data;
  for (let i = 0; i < n; i++) {
    const a = src[4 * i + 3]! / 255;
    for (let c = 0; c < 3; c++) {
      const v = bg === null || a === 1 ? src[4 * i + c]! : src[4 * i + c]! * a + bg[c]! * (1 - a);
      data[offset + c * n + i] = v / 127.5 - 1;
    }
  }
  return { width: img.width, height: img.height, channels: 3, data: out ? data.subarray(offset, offset + 3 * n) : data };
}

/**
 * The rectangle `r` of `img` as [3, ceil(h / f), ceil(w / f)] planes in [-1, 1], each the mean of
 * an f x f block of pixels composited over `background` (blocks at the right and bottom edges
 * average the pixels they have). Shrinks a large picture by a whole factor without making its
 * full-size float copy (4 bytes per channel): an 8000 px square would take 768 MB as planes.
 */
export function rgbaToPlanesBinned(img: RgbaImage, r: Rect, f: number, options: ToPlanesOptions = {}): Planes {
  checkRgba('image', img);
  checkRect('region', r, img.width, img.height);
  requireInteger('bin factor', f, 1);
  const bg = options.background === undefined ? WHITE : options.background;
  const w = Math.ceil(r.width / f);
  const h = Math.ceil(r.height / f);
  const n = w * h;
  const sum = new Float64Array(3 * n);
  const count = new Uint32Array(n);
  const src = img.data;
  for (let y = 0; y < r.height; y++) {
    const row = Math.floor(y / f) * w;
    for (let x = 0; x < r.width; x++) {
      const i = 4 * ((r.y + y) * img.width + r.x + x);
      const o = row + Math.floor(x / f);
      const a = src[i + 3]! / 255;
      for (let c = 0; c < 3; c++) sum[c * n + o] += bg === null || a === 1 ? src[i + c]! : src[i + c]! * a + bg[c]! * (1 - a);
      count[o]!++;
    }
  }
  const data = new Float32Array(3 * n);
  for (let c = 0; c < 3; c++) for (let o = 0; o < n; o++) data[c * n + o] = sum[c * n + o]! / count[o]! / 127.5 - 1;
  return { width: w, height: h, channels: 3, data };
}

/** Indices (y * width + x) of a picture's outermost pixels, each once. */
export function outerRing(width: number, height: number): number[] {
  const out: number[] = [];
  for (let x = 0; x < width; x++) out.push(x);
  if (height > 1) for (let x = 0; x < width; x++) out.push((height - 1) * width + x);
  for (let y = 1; y < height - 1; y++) {
    out.push(y * width);
    if (width > 1) out.push(y * width + width - 1);
  }
  return out;
}

export interface ToRgbaOptions {
  /** alpha byte for every pixel (default 255), or a [0, 1] mask plane of the same size */
  alpha?: number | Planes;
}

/** [3, H, W] in [-1, 1] -> RGBA bytes. */
export function planesToRgba(p: Planes, options: ToRgbaOptions = {}): RgbaImage {
  checkPlanes('planes', p, 3);
  const n = p.width * p.height;
  const out = new Uint8ClampedArray(4 * n);
  const alpha = options.alpha ?? 255;
  if (typeof alpha !== 'number') checkPlanes('alpha', alpha, 1);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) out[4 * i + c] = (p.data[c * n + i]! + 1) * 127.5;
    out[4 * i + 3] = typeof alpha === 'number' ? alpha : alpha.data[i]! * 255;
  }
  return { width: p.width, height: p.height, data: out };
}

/** Images of one size -> [B, 3, H, W] data. */
export function rgbaBatchToTensor(images: readonly RgbaImage[], options: ToPlanesOptions = {}): Float32Array {
  if (images.length === 0) throw invalidInput('images', 'at least one image', images);
  const { width, height } = images[0]!;
  const per = 3 * width * height;
  const out = new Float32Array(images.length * per);
  images.forEach((img, b) => {
    if (img.width !== width || img.height !== height) {
      throw invalidInput(`images[${b}]`, `${width}x${height} like images[0]`, `${img.width}x${img.height}`);
    }
    rgbaToPlanes(img, options, out, b * per);
  });
  return out;
}

/** [B, 3, H, W] data -> B images. */
export function tensorToRgbaBatch(data: Float32Array, batch: number, height: number, width: number): RgbaImage[] {
  const per = 3 * width * height;
  if (data.length !== batch * per) throw invalidInput('tensor', `${batch}x3x${height}x${width} floats`, data);
  const out: RgbaImage[] = [];
  for (let b = 0; b < batch; b++) {
    out.push(planesToRgba({ width, height, channels: 3, data: data.subarray(b * per, (b + 1) * per) }));
  }
  return out;
}

/** 8-bit grayscale (e.g. a selection, 255 = selected) -> [1, H, W] mask in [0, 1]. */
export function grayToMask(gray: Uint8Array | Uint8ClampedArray, width: number, height: number): Planes {
  if (gray.length !== width * height) throw invalidInput('mask', `${width}x${height} bytes`, gray);
  const data = new Float32Array(gray.length);
  for (let i = 0; i < gray.length; i++) data[i] = gray[i]! / 255;
  return { width, height, channels: 1, data };
}

function checkRect(name: string, r: Rect, width: number, height: number): void {
  const ok =
    [r.x, r.y, r.width, r.height].every(Number.isInteger) &&
    r.width > 0 &&
    r.height > 0 &&
    r.x >= 0 &&
    r.y >= 0 &&
    r.x + r.width <= width &&
    r.y + r.height <= height;
  if (!ok) throw invalidInput(name, `an integer rectangle inside ${width}x${height}`, JSON.stringify(r));
}

export function cropRgba(img: RgbaImage, r: Rect): RgbaImage {
  checkRgba('image', img);
  checkRect('crop', r, img.width, img.height);
  const out = new Uint8ClampedArray(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.y + y) * img.width + r.x) * 4;
    out.set(img.data.subarray(from, from + r.width * 4), y * r.width * 4);
  }
  return { width: r.width, height: r.height, data: out };
}

export function cropPlanes(p: Planes, r: Rect): Planes {
  checkPlanes('planes', p);
  checkRect('crop', r, p.width, p.height);
  const out = new Float32Array(p.channels * r.width * r.height);
  for (let c = 0; c < p.channels; c++) {
    for (let y = 0; y < r.height; y++) {
      const from = (c * p.height + r.y + y) * p.width + r.x;
      out.set(p.data.subarray(from, from + r.width), (c * r.height + y) * r.width);
    }
  }
  return { width: r.width, height: r.height, channels: p.channels, data: out };
}

/**
 * Paste-back: a copy of `dst` with `src` blended in at (at.x, at.y) by `alpha` ([1, h, w] in
 * [0, 1], the size of `src`). Where dst is opaque: out = dst + alpha (src - dst). Blending is
 * done on premultiplied colour, so a feather over transparent pixels never pulls their hidden
 * (black) colour in; and where dst is partly or fully transparent there is less to blend with,
 * so src counts for w = 1 - (1 - alpha) dst.alpha: a fill over empty canvas is src up to its
 * edge instead of a dark, fading fringe. Pixels with alpha 0 (and all pixels outside src's
 * rectangle) are copied bit for bit; alpha 1 gives src.
 */
export function composite(dst: RgbaImage, src: RgbaImage, alpha: Planes, at: { x: number; y: number } = { x: 0, y: 0 }): RgbaImage {
  checkRgba('dst', dst);
  checkRgba('src', src);
  checkPlanes('alpha', alpha, 1);
  if (alpha.width !== src.width || alpha.height !== src.height) {
    throw invalidInput('alpha', `${src.width}x${src.height} like src`, `${alpha.width}x${alpha.height}`);
  }
  checkRect('paste', { x: at.x, y: at.y, width: src.width, height: src.height }, dst.width, dst.height);
  const out = new Uint8ClampedArray(dst.data);
  for (let y = 0; y < src.height; y++) {
    for (let x = 0; x < src.width; x++) {
      const a = alpha.data[y * src.width + x]!;
      if (!(a > 0)) continue;
      const s = (y * src.width + x) * 4;
      const d = ((at.y + y) * dst.width + at.x + x) * 4;
      const dAlpha = out[d + 3]!;
      const w = a >= 1 ? 1 : dAlpha === 255 ? a : 1 - (1 - a) * (dAlpha / 255);
      if (w >= 1) {
        for (let c = 0; c < 4; c++) out[d + c] = src.data[s + c]!;
      } else if (dAlpha === 255 && src.data[s + 3] === 255) {
        for (let c = 0; c < 3; c++) out[d + c] = out[d + c]! + w * (src.data[s + c]! - out[d + c]!);
      } else {
        const [da, sa] = [dAlpha / 255, src.data[s + 3]! / 255];
        const oa = da * (1 - w) + sa * w;
        for (let c = 0; c < 3; c++) out[d + c] = oa > 0 ? (out[d + c]! * da * (1 - w) + src.data[s + c]! * sa * w) / oa : 0;
        out[d + 3] = oa * 255;
      }
    }
  }
  return { width: dst.width, height: dst.height, data: out };
}
