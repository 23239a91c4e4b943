/** Small pixel helpers for the jobs: rectangles, crops, resampling. No DOM. */
import type { Rect } from '../../host/host.js';
import { maskBounds } from '../../host/mask-bounds.js';

export function intersect(a: Rect, b: Rect): Rect | null {
  const left = Math.max(a.left, b.left);
  const top = Math.max(a.top, b.top);
  const right = Math.min(a.left + a.width, b.left + b.width);
  const bottom = Math.min(a.top + a.height, b.top + b.height);
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

/** The smallest rectangle that holds both `a` and `b`. */
export function union(a: Rect, b: Rect): Rect {
  const left = Math.min(a.left, b.left);
  const top = Math.min(a.top, b.top);
  const right = Math.max(a.left + a.width, b.left + b.width);
  const bottom = Math.max(a.top + a.height, b.top + b.height);
  return { left, top, width: right - left, height: bottom - top };
}

/** `r` grown by `margin` on every side, clamped to `bounds`. */
export function expand(r: Rect, margin: number, bounds: Rect): Rect {
  return intersect({ left: r.left - margin, top: r.top - margin, width: r.width + 2 * margin, height: r.height + 2 * margin }, bounds)!;
}

/** A `width` x `height` rect centred on (cx, cy), moved to lie inside `bounds` (it must fit). */
export function centredIn(width: number, height: number, cx: number, cy: number, bounds: Rect): Rect {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  return {
    left: clamp(Math.round(cx - width / 2), bounds.left, bounds.left + bounds.width - width),
    top: clamp(Math.round(cy - height / 2), bounds.top, bounds.top + bounds.height - height),
    width,
    height,
  };
}

/** Copies `rect` (in `src`'s coordinates, inside it) out of a `channels`-per-pixel image. */
export function crop(src: Uint8Array, srcRect: Rect, rect: Rect, channels: number): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height * channels);
  const row = rect.width * channels;
  for (let y = 0; y < rect.height; y++) {
    const from = ((rect.top - srcRect.top + y) * srcRect.width + (rect.left - srcRect.left)) * channels;
    out.set(src.subarray(from, from + row), y * row);
  }
  return out;
}

/** A `rect`-sized 8-bit mask with `inner` (in the same coordinates) pasted in, 0 elsewhere. */
export function placeMask(rect: Rect, inner: Uint8Array, innerRect: Rect): Uint8Array {
  const out = new Uint8Array(rect.width * rect.height);
  for (let y = 0; y < innerRect.height; y++) {
    const to = (innerRect.top - rect.top + y) * rect.width + (innerRect.left - rect.left);
    out.set(inner.subarray(y * innerRect.width, (y + 1) * innerRect.width), to);
  }
  return out;
}

export const anySet = (mask: Uint8Array): boolean => mask.some((v) => v > 0);
export const allSet = (mask: Uint8Array): boolean => mask.every((v) => v === 255);

/**
 * Resamples RGBA to `w` x `h`: box average when shrinking, bilinear when enlarging (per axis),
 * on premultiplied colour so transparent pixels do not bleed.
 */
export function resizeRgba(src: Uint8Array, sw: number, sh: number, w: number, h: number): Uint8Array {
  if (sw === w && sh === h) return src.slice();
  const out = new Uint8Array(w * h * 4);
  const xs = axis(sw, w);
  const ys = axis(sh, h);
  const acc = new Float64Array(4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      acc.fill(0);
      let total = 0;
      for (const [sy, wy] of ys[y]) {
        for (const [sx, wx] of xs[x]) {
          const i = (sy * sw + sx) * 4;
          const wt = wx * wy;
          const a = src[i + 3] * wt;
          acc[0] += src[i] * a;
          acc[1] += src[i + 1] * a;
          acc[2] += src[i + 2] * a;
          acc[3] += a;
          total += wt;
        }
      }
      const o = (y * w + x) * 4;
      const alpha = acc[3] / total;
      if (acc[3] > 0) for (let c = 0; c < 3; c++) out[o + c] = Math.round(acc[c] / acc[3]);
      out[o + 3] = Math.round(alpha);
    }
  }
  return out;
}

/** For each output index, the source indices and weights along one axis. */
function axis(n: number, m: number): Array<Array<[number, number]>> {
  const scale = n / m;
  const taps: Array<Array<[number, number]>> = [];
  for (let i = 0; i < m; i++) {
    if (scale > 1) {
      // box: source interval [i*scale, (i+1)*scale)
      const a = i * scale;
      const b = a + scale;
      const t: Array<[number, number]> = [];
      for (let s = Math.floor(a); s < Math.ceil(b); s++) t.push([Math.min(s, n - 1), Math.min(b, s + 1) - Math.max(a, s)]);
      taps.push(t);
    } else {
      const c = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), n - 1);
      const s0 = Math.floor(c);
      const s1 = Math.min(s0 + 1, n - 1);
      const f = c - s0;
      taps.push(f === 0 ? [[s0, 1]] : [[s0, 1 - f], [s1, f]]);
    }
  }
  return taps;
}

/** Scales a `sw` x `sh` image to cover `w` x `h` and crops the centre (like CSS object-fit: cover). */
export function coverRgba(src: Uint8Array, sw: number, sh: number, w: number, h: number): Uint8Array {
  const scale = Math.max(w / sw, h / sh);
  const cw = Math.min(sw, Math.max(1, Math.round(w / scale)));
  const ch = Math.min(sh, Math.max(1, Math.round(h / scale)));
  const r = { left: Math.floor((sw - cw) / 2), top: Math.floor((sh - ch) / 2), width: cw, height: ch };
  const part = crop(src, { left: 0, top: 0, width: sw, height: sh }, r, 4);
  return resizeRgba(part, cw, ch, w, h);
}

/** The bounds (in document coordinates) of the pixels with alpha > 0, or null when there are none. */
export function opaqueBounds(rgba: Uint8Array, rect: Rect): Rect | null {
  const alpha = new Uint8Array(rect.width * rect.height);
  for (let i = 0; i < alpha.length; i++) alpha[i] = rgba[4 * i + 3];
  const box = maskBounds(alpha, rect.width, rect.height);
  return box && { ...box, left: rect.left + box.left, top: rect.top + box.top };
}
