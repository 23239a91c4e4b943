/**
 * Selection shapes rasterised into a document-sized 8-bit mask (255 = selected), and how a new
 * shape combines with the current selection. Pure functions; pointer handling is in the UI.
 */
import { maskedPixels } from './composite.js';

export type SelectionOp = 'replace' | 'add' | 'subtract';
export interface Point { x: number; y: number }

/** Pixels whose centre lies in the axis-aligned box spanned by a and b. */
export function rectShape(w: number, h: number, a: Point, b: Point): Uint8Array {
  const m = new Uint8Array(w * h);
  const x0 = Math.max(0, Math.round(Math.min(a.x, b.x)));
  const x1 = Math.min(w, Math.round(Math.max(a.x, b.x)));
  const y0 = Math.max(0, Math.round(Math.min(a.y, b.y)));
  const y1 = Math.min(h, Math.round(Math.max(a.y, b.y)));
  for (let y = y0; y < y1; y++) m.fill(255, y * w + x0, y * w + x1);
  return m;
}

/** Pixels whose centre lies in the ellipse inscribed in the box spanned by a and b. */
export function ellipseShape(w: number, h: number, a: Point, b: Point): Uint8Array {
  const m = new Uint8Array(w * h);
  const cx = (a.x + b.x) / 2;
  const cy = (a.y + b.y) / 2;
  const rx = Math.abs(b.x - a.x) / 2;
  const ry = Math.abs(b.y - a.y) / 2;
  if (rx < 0.5 || ry < 0.5) return m;
  for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(h, Math.ceil(cy + ry)); y++) {
    const dy = (y + 0.5 - cy) / ry;
    if (dy * dy > 1) continue;
    const half = rx * Math.sqrt(1 - dy * dy);
    const x0 = Math.max(0, Math.ceil(cx - half - 0.5));
    const x1 = Math.min(w, Math.floor(cx + half - 0.5) + 1);
    if (x1 > x0) m.fill(255, y * w + x0, y * w + x1);
  }
  return m;
}

/** Pixels whose centre is inside the closed polygon (even-odd rule). */
export function polygonShape(w: number, h: number, pts: readonly Point[]): Uint8Array {
  const m = new Uint8Array(w * h);
  if (pts.length < 3) return m;
  const xs: number[] = [];
  for (let y = 0; y < h; y++) {
    const py = y + 0.5;
    xs.length = 0;
    for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
      const a = pts[i];
      const b = pts[j];
      if (a.y > py !== b.y > py) xs.push(a.x + ((py - a.y) * (b.x - a.x)) / (b.y - a.y));
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const x0 = Math.max(0, Math.ceil(xs[k] - 0.5));
      const x1 = Math.min(w, Math.ceil(xs[k + 1] - 0.5));
      if (x1 > x0) m.fill(255, y * w + x0, y * w + x1);
    }
  }
  return m;
}

/** Stamps discs of `radius` along the segment a-b into `mask` (in place). */
export function brushSegment(mask: Uint8Array, w: number, h: number, a: Point, b: Point, radius: number, value = 255): void {
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  const n = Math.max(1, Math.ceil(len / Math.max(1, radius / 2)));
  for (let s = 0; s <= n; s++) {
    const cx = a.x + ((b.x - a.x) * s) / n;
    const cy = a.y + ((b.y - a.y) * s) / n;
    for (let y = Math.max(0, Math.floor(cy - radius)); y < Math.min(h, Math.ceil(cy + radius)); y++) {
      for (let x = Math.max(0, Math.floor(cx - radius)); x < Math.min(w, Math.ceil(cx + radius)); x++) {
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius * radius) mask[y * w + x] = value;
      }
    }
  }
}

/** The selection after applying `shape` to `current` with `op`. */
export function combine(current: Uint8Array | null, shape: Uint8Array, op: SelectionOp): Uint8Array {
  if (op === 'replace' || !current) return op === 'subtract' ? new Uint8Array(shape.length) : shape;
  const out = current.slice();
  for (let i = 0; i < out.length; i++) out[i] = op === 'add' ? Math.max(out[i], shape[i]) : Math.min(out[i], 255 - shape[i]);
  return out;
}

/** Select > Inverse (Ctrl+Shift+I): what was not selected becomes selected, soft edges reversed; no selection stays none. */
export function invertSelection(current: Uint8Array | null): Uint8Array | null {
  return current ? current.map((v) => 255 - v) : null;
}

/**
 * A layer's pixels as a selection (Ctrl+click on the layer in Photoshop's Layers panel): each
 * pixel as selected as the layer is opaque there (its alpha times its mask), on a w x h canvas;
 * what lies off the canvas is left out.
 */
export function layerSelection(
  layer: { rect: { left: number; top: number; width: number; height: number }; rgba: Uint8Array; mask?: Uint8Array },
  w: number,
  h: number,
): Uint8Array {
  const m = new Uint8Array(w * h);
  const { left, top, width, height } = layer.rect;
  const shown = maskedPixels(layer); // alpha with the mask multiplied in, as compositing sees it
  for (let y = Math.max(0, top); y < Math.min(h, top + height); y++) {
    for (let x = Math.max(0, left); x < Math.min(w, left + width); x++) m[y * w + x] = shown[4 * ((y - top) * width + (x - left)) + 3]!;
  }
  return m;
}

export { maskBounds } from '../mask-bounds.js';

/** Indices of selected pixels with an unselected 4-neighbour (or on the border): the outline. */
export function outline(mask: Uint8Array, w: number, h: number): Uint32Array {
  const out: number[] = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      if (!mask[i]) continue;
      if (x === 0 || y === 0 || x === w - 1 || y === h - 1 || !mask[i - 1] || !mask[i + 1] || !mask[i - w] || !mask[i + w]) out.push(i);
    }
  }
  return Uint32Array.from(out);
}
