/**
 * Free Transform (Ctrl+T) for the web editor: scaling and moving a layer by its bounding box's
 * handles, as Photoshop does it, and resampling its pixels once, when the transform is applied.
 *
 * Geometry: a corner handle scales proportionally (Photoshop's default since CC 2019; Shift
 * frees it), a side handle one axis, Alt scales about the box's centre, and a drag inside the
 * box moves it. The box never flips or shrinks below 1 px; rotation and skew are not offered.
 *
 * Pixels: colours are resampled premultiplied by alpha, so the colour under transparent pixels
 * (often black) does not bleed into the edge of what shows; area averaging when shrinking an
 * axis, bicubic when enlarging it (inference/resize.ts).
 */
import type { Rect } from '../host.js';
import { resize, type ResizeFilter } from '../../inference/resize.js';
import type { WebDocument } from './document.js';
import type { Point } from './selection-tools.js';

/** The box's eight handles by compass point, and the inside of the box (a move). */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w' | 'move';
export const HANDLES: readonly Exclude<Handle, 'move'>[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

export interface DragKeys {
  /** Shift: a corner scales freely instead of proportionally */
  shift?: boolean;
  /** Alt: scale about the centre of the box */
  alt?: boolean;
}

/** Where the box `from` goes when `handle` is dragged by (dx, dy) document pixels; whole pixels. */
export function dragHandle(from: Rect, handle: Handle, dx: number, dy: number, keys: DragKeys = {}): Rect {
  if (handle === 'move') return { ...from, left: from.left + Math.round(dx), top: from.top + Math.round(dy) };
  const west = handle.includes('w');
  const east = handle.includes('e');
  const north = handle.startsWith('n');
  const south = handle.startsWith('s');
  const about = keys.alt ? 2 : 1; // about the centre both sides move, so the size changes twice as fast
  // the size the drag asks for, per axis (a side handle leaves the other axis as it was)
  let w = west ? from.width - about * dx : east ? from.width + about * dx : from.width;
  let h = north ? from.height - about * dy : south ? from.height + about * dy : from.height;
  const corner = (west || east) && (north || south);
  if (corner && !keys.shift) {
    // proportional: the axis dragged further (relative to its size) sets the scale of both
    const s = Math.abs(w / from.width - 1) >= Math.abs(h / from.height - 1) ? w / from.width : h / from.height;
    w = from.width * s;
    h = from.height * s;
  }
  const width = Math.max(1, Math.round(w));
  const height = Math.max(1, Math.round(h));
  const left = keys.alt
    ? Math.round(from.left + (from.width - width) / 2)
    : west ? from.left + from.width - width : from.left;
  const top = keys.alt
    ? Math.round(from.top + (from.height - height) / 2)
    : north ? from.top + from.height - height : from.top;
  return { left, top, width, height };
}

/** The handle under point `p` (document pixels) of the box `r`, within `reach` pixels; 'move' inside it; null outside. */
export function handleAt(r: Rect, p: Point, reach: number): Handle | null {
  const xs = { w: r.left, e: r.left + r.width, mid: r.left + r.width / 2 };
  const ys = { n: r.top, s: r.top + r.height, mid: r.top + r.height / 2 };
  for (const h of HANDLES) {
    const x = h.includes('w') ? xs.w : h.includes('e') ? xs.e : xs.mid;
    const y = h.startsWith('n') ? ys.n : h.startsWith('s') ? ys.s : ys.mid;
    if (Math.abs(p.x - x) <= reach && Math.abs(p.y - y) <= reach) return h;
  }
  const inside = p.x >= r.left && p.x <= r.left + r.width && p.y >= r.top && p.y <= r.top + r.height;
  return inside ? 'move' : null;
}

/** The CSS cursor that shows what dragging a handle does. */
export function handleCursor(h: Handle | null): string {
  if (h === null) return 'default';
  if (h === 'move') return 'move';
  return h === 'n' || h === 's' ? 'ns-resize' : h === 'e' || h === 'w' ? 'ew-resize' : h === 'nw' || h === 'se' ? 'nwse-resize' : 'nesw-resize';
}

/**
 * A layer's straight-alpha pixels (and its mask) resampled from `from`'s size to `width` x
 * `height`. 'auto' is for the result; 'nearest' is fast, for the preview during a drag.
 */
export function scalePixels(
  rgba: Uint8Array,
  mask: Uint8Array | undefined,
  from: { width: number; height: number },
  width: number,
  height: number,
  filter: ResizeFilter = 'auto',
): { rgba: Uint8Array; mask?: Uint8Array } {
  const n = from.width * from.height;
  const planes = new Float32Array(4 * n);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3]! / 255;
    planes[i] = rgba[4 * i]! * a;
    planes[n + i] = rgba[4 * i + 1]! * a;
    planes[2 * n + i] = rgba[4 * i + 2]! * a;
    planes[3 * n + i] = rgba[4 * i + 3]!;
  }
  const out = resize({ width: from.width, height: from.height, channels: 4, data: planes }, width, height, { filter }).data;
  const m = width * height;
  const px = new Uint8Array(4 * m);
  for (let i = 0; i < m; i++) {
    const alpha = Math.min(255, Math.max(0, out[3 * m + i]!));
    const a = Math.round(alpha);
    px[4 * i + 3] = a;
    if (a === 0) continue; // fully transparent: no colour to keep
    for (let c = 0; c < 3; c++) px[4 * i + c] = Math.min(255, Math.max(0, Math.round(out[c * m + i]! / (alpha / 255))));
  }
  if (!mask) return { rgba: px };
  const scaledMask = resize({ width: from.width, height: from.height, channels: 1, data: Float32Array.from(mask) }, width, height, { filter }).data;
  return { rgba: px, mask: Uint8Array.from(scaledMask, (v) => Math.min(255, Math.max(0, Math.round(v)))) };
}

/**
 * Applies a Free Transform: the layer `id` resampled into `to`, one undo step ("Free
 * Transform"); a box of the same size only moves it, with no resampling. Nothing for a box
 * unchanged.
 */
export function applyTransform(doc: WebDocument, id: string, to: Rect): void {
  const l = doc.layers.find((x) => x.id === id);
  if (!l) return;
  const r = l.rect;
  if (to.width === r.width && to.height === r.height) {
    if (to.left === r.left && to.top === r.top) return;
    doc.replacePixels(id, { rect: to, rgba: l.rgba, ...(l.mask ? { mask: l.mask } : {}) }, 'Free Transform');
    return;
  }
  doc.replacePixels(id, { rect: to, ...scalePixels(l.rgba, l.mask, r, to.width, to.height) }, 'Free Transform');
}
