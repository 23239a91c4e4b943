/** Compositing the web editor's layers: straight-alpha source-over, layer masks, clipping. No DOM. */
import type { Rect } from '../host.js';
import type { Layer } from './document.js';

/**
 * The visible layers (bottom first) composited over transparency inside `area`, each at its
 * opacity; straight alpha out. Pixels a layer does not cover (or masks out) are left exactly as they were.
 */
export function compositeLayers(layers: readonly Layer[], area: Rect): Uint8Array {
  const out = new Uint8Array(area.width * area.height * 4);
  for (const l of layers) if (l.visible) drawLayer(out, area, l);
  return out;
}

function drawLayer(out: Uint8Array, area: Rect, l: Layer): void {
  const x0 = Math.max(area.left, l.rect.left);
  const y0 = Math.max(area.top, l.rect.top);
  const x1 = Math.min(area.left + area.width, l.rect.left + l.rect.width);
  const y1 = Math.min(area.top + area.height, l.rect.top + l.rect.height);
  const opacity = l.opacity ?? 1;
  if (opacity <= 0) return;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const li = (y - l.rect.top) * l.rect.width + (x - l.rect.left);
      const m = l.mask ? l.mask[li] : 255;
      const sa = l.rgba[4 * li + 3];
      if (m === 0 || sa === 0) continue;
      const o = ((y - area.top) * area.width + (x - area.left)) * 4;
      const a = (sa / 255) * (m / 255) * opacity;
      if (a >= 1) {
        out[o] = l.rgba[4 * li];
        out[o + 1] = l.rgba[4 * li + 1];
        out[o + 2] = l.rgba[4 * li + 2];
        out[o + 3] = 255;
        continue;
      }
      const da = out[o + 3] / 255;
      const oa = a + da * (1 - a);
      for (let c = 0; c < 3; c++) out[o + c] = Math.round((l.rgba[4 * li + c] * a + out[o + c] * da * (1 - a)) / oa);
      out[o + 3] = Math.round(oa * 255);
    }
  }
}

/** A layer's pixels with its mask multiplied into alpha (what the layer shows). */
export function maskedPixels(l: Pick<Layer, 'rgba' | 'mask'>): Uint8Array {
  const out = l.rgba.slice();
  if (l.mask) multiplyAlpha(out, l.mask);
  return out;
}

/** Multiplies an 8-bit `mask` (one byte a pixel, 255 = all) into `rgba`'s alpha, in place. */
export function multiplyAlpha(rgba: Uint8Array, mask: Uint8Array): void {
  for (let i = 0; i < mask.length; i++) rgba[4 * i + 3] = Math.round((rgba[4 * i + 3]! * mask[i]!) / 255);
}
