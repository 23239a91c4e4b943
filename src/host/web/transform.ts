/**
 * Free Transform (Ctrl+T) for the web editor: scaling, rotating and moving a layer by its
 * box's handles, as Photoshop does it, and resampling its pixels once, when it is applied.
 *
 * Geometry: the box is an upright rectangle of whole pixels turned by an angle about its
 * centre. A corner handle scales proportionally (Photoshop's default since CC 2019; Shift frees
 * it), a side handle one axis, Alt scales about the centre, the round handle above the box
 * rotates it (Shift: in steps of 15 degrees), a drag inside moves it. Handles act along the
 * box's own axes when it is turned. The box never flips or shrinks below 1 px; no skew.
 *
 * Pixels: colours are resampled premultiplied by alpha, so the colour under transparent pixels
 * (often black) does not bleed into the edge of what shows: area averaging when shrinking an
 * axis, bicubic when enlarging it (inference/resize.ts), then, when turned, bilinear sampling
 * into the turned box's bounds (quarter turns move pixels exactly).
 */
import type { Rect } from '../host.js';
import { resize, type ResizeFilter } from '../../inference/resize.js';
import type { WebDocument } from './document.js';
import type { Point } from './selection-tools.js';

/** The box's eight handles by compass point, its rotation handle, and the inside of the box (a move). */
export type Handle = 'nw' | 'n' | 'ne' | 'e' | 'se' | 's' | 'sw' | 'w' | 'rotate' | 'move';
export const HANDLES: readonly Exclude<Handle, 'move' | 'rotate'>[] = ['nw', 'n', 'ne', 'e', 'se', 's', 'sw', 'w'];

/** A transform's box: an upright rectangle turned by `angle` degrees (clockwise on screen) about its centre. */
export interface Box {
  rect: Rect;
  angle: number;
}

/** Rotation snaps to these steps with Shift, as in Photoshop. */
export const ANGLE_STEP = 15;

export interface DragKeys {
  /** Shift: a corner scales freely instead of proportionally */
  shift?: boolean;
  /** Alt: scale about the centre of the box */
  alt?: boolean;
}

/** Where the upright box `from` goes when `handle` (not 'rotate') is dragged by (dx, dy) document pixels; whole pixels. */
export function dragHandle(from: Rect, handle: Exclude<Handle, 'rotate'>, dx: number, dy: number, keys: DragKeys = {}): Rect {
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

/**
 * Where the turned box `from` goes when `handle` is dragged from `start` to `p` (document
 * pixels): the rotation handle turns it about its centre; the others act along its own axes.
 */
export function dragBox(from: Box, handle: Handle, start: Point, p: Point, keys: DragKeys = {}): Box {
  const r = from.rect;
  const c = { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  if (handle === 'rotate') {
    const turned = (Math.atan2(p.y - c.y, p.x - c.x) - Math.atan2(start.y - c.y, start.x - c.x)) * (180 / Math.PI);
    let angle = normalAngle(from.angle + turned);
    if (keys.shift) angle = normalAngle(Math.round(angle / ANGLE_STEP) * ANGLE_STEP);
    return { rect: r, angle };
  }
  const dx = p.x - start.x;
  const dy = p.y - start.y;
  if (handle === 'move' || from.angle === 0) return { rect: dragHandle(r, handle, dx, dy, keys), angle: from.angle };
  // the drag in the box's own axes; the upright result's centre shift turned back onto the page
  const [cos, sin] = cosSin(from.angle);
  const local = dragHandle(r, handle, dx * cos + dy * sin, -dx * sin + dy * cos, keys);
  const sx = local.left + local.width / 2 - c.x;
  const sy = local.top + local.height / 2 - c.y;
  const cx = c.x + sx * cos - sy * sin;
  const cy = c.y + sx * sin + sy * cos;
  return { rect: { left: whole(cx - local.width / 2), top: whole(cy - local.height / 2), width: local.width, height: local.height }, angle: from.angle };
}

/** Rounded to a whole pixel, never -0 (Math.round(-0.4) is -0). */
const whole = (x: number) => Math.round(x) + 0;

/** An angle in degrees brought into (-180, 180]. */
export function normalAngle(deg: number): number {
  const a = ((((deg + 180) % 360) + 360) % 360) - 180;
  return a === -180 ? 180 : a === 0 ? 0 : a; // no -0
}

function cosSin(deg: number): [number, number] {
  // exact for quarter turns, so they move pixels without resampling error
  const q = deg / 90;
  if (Number.isInteger(q)) return ([[1, 0], [0, 1], [-1, 0], [0, -1]] as const)[((q % 4) + 4) % 4]! as [number, number];
  const t = (deg * Math.PI) / 180;
  return [Math.cos(t), Math.sin(t)];
}

/** The whole-pixel bounds of a turned box: where its pixels land on the page. */
export function boxBounds(b: Box): Rect {
  if (b.angle === 0) return b.rect;
  const [cos, sin] = cosSin(b.angle);
  const { left, top, width, height } = b.rect;
  const cx = left + width / 2;
  const cy = top + height / 2;
  // the turned box's extent along the page's axes
  const w = Math.abs(width * cos) + Math.abs(height * sin);
  const h = Math.abs(width * sin) + Math.abs(height * cos);
  // a quarter turn lands on whole pixels (at most half a pixel off the exact centre): no resampling
  if (Number.isInteger(b.angle / 90)) return { left: whole(cx - w / 2), top: whole(cy - h / 2), width: w, height: h };
  const hw = w / 2;
  const hh = h / 2;
  // a hair of tolerance, so float error at a quarter turn does not add a transparent row
  const x0 = Math.floor(cx - hw + 1e-9);
  const y0 = Math.floor(cy - hh + 1e-9);
  return { left: x0, top: y0, width: Math.ceil(cx + hw - 1e-9) - x0, height: Math.ceil(cy + hh - 1e-9) - y0 };
}

/** The CSS cursor that shows what dragging a handle does, turned with the box (`angle` degrees). */
export function handleCursor(h: Handle, angle = 0): string {
  if (h === 'move') return 'move';
  if (h === 'rotate') return 'grab';
  // the handle's direction from the centre (screen y down: e 0, se 45, s 90, ...), turned, to the nearest of four cursors
  const dir = { e: 0, se: 45, s: 90, sw: 135, w: 180, nw: 225, n: 270, ne: 315 }[h] + angle;
  const sector = ((Math.round(dir / 45) % 4) + 4) % 4;
  return ['ew-resize', 'nwse-resize', 'ns-resize', 'nesw-resize'][sector]!;
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
  if (filter === 'nearest') return nearestPixels(rgba, mask, from, width, height);
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

/** Nearest-neighbour scaling by copying whole pixels: the drag preview (about 20x faster than resampling). */
function nearestPixels(rgba: Uint8Array, mask: Uint8Array | undefined, from: { width: number; height: number }, width: number, height: number): { rgba: Uint8Array; mask?: Uint8Array } {
  // the source pixel whose centre is nearest each target pixel's centre, per axis (resize.ts's nearest)
  const xs = Int32Array.from({ length: width }, (_, x) => Math.min(Math.floor(((x + 0.5) * from.width) / width), from.width - 1));
  const aligned = rgba.byteOffset % 4 === 0 ? rgba : rgba.slice(); // a 32-bit view needs 4-byte alignment
  const src32 = new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
  const out = new Uint8Array(width * height * 4);
  const out32 = new Uint32Array(out.buffer);
  const m = mask ? new Uint8Array(width * height) : undefined;
  for (let y = 0; y < height; y++) {
    const row = Math.min(Math.floor(((y + 0.5) * from.height) / height), from.height - 1) * from.width;
    for (let x = 0; x < width; x++) {
      out32[y * width + x] = src32[row + xs[x]!]!;
      if (m) m[y * width + x] = mask![row + xs[x]!]!;
    }
  }
  return m ? { rgba: out, mask: m } : { rgba: out };
}

/**
 * A layer's pixels (and mask), sized `from`, put into the box `to`: scaled to its size
 * (scalePixels), then, when it is turned, sampled bilinearly (premultiplied) into its bounds;
 * outside the turned rectangle is transparent. Returns the pixels and the rectangle they fill.
 */
export function transformPixels(
  rgba: Uint8Array,
  mask: Uint8Array | undefined,
  from: { width: number; height: number },
  to: Box,
  filter: ResizeFilter = 'auto',
): { rect: Rect; rgba: Uint8Array; mask?: Uint8Array } {
  const { width: w, height: h } = to.rect;
  const sameSize = w === from.width && h === from.height;
  const scaled = sameSize ? { rgba, ...(mask ? { mask } : {}) } : scalePixels(rgba, mask, from, w, h, filter);
  if (to.angle === 0) return { rect: to.rect, ...scaled };
  const out = boxBounds(to);
  const [cos, sin] = cosSin(to.angle);
  // the turned box's centre in the output's pixels (a quarter turn's own, on whole pixels: see boxBounds)
  const quarter = Number.isInteger(to.angle / 90);
  const cx = quarter ? out.width / 2 : to.rect.left + w / 2 - out.left;
  const cy = quarter ? out.height / 2 : to.rect.top + h / 2 - out.top;
  const n = out.width * out.height;
  const px = new Uint8Array(4 * n);
  const m = scaled.mask ? new Uint8Array(n) : undefined;
  const nearest = filter === 'nearest';
  const acc = new Float64Array(5);
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      // this pixel's centre in the upright box's pixel coordinates (turned back by the angle)
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const u = dx * cos + dy * sin + w / 2 - 0.5;
      const v = -dx * sin + dy * cos + h / 2 - 0.5;
      const i = y * out.width + x;
      if (nearest) {
        // the preview: the nearest pixel copied as it is, no arithmetic on its colour
        const ui = Math.round(u);
        const vi = Math.round(v);
        if (ui < 0 || vi < 0 || ui >= w || vi >= h) continue;
        const j = vi * w + ui;
        px.set(scaled.rgba.subarray(4 * j, 4 * j + 4), 4 * i);
        if (m) m[i] = scaled.mask![j]!;
        continue;
      }
      acc.fill(0);
      const u0 = Math.floor(u);
      const v0 = Math.floor(v);
      const fu = u - u0;
      const fv = v - v0;
      addSample(acc, scaled.rgba, scaled.mask, w, h, u0, v0, (1 - fu) * (1 - fv));
      addSample(acc, scaled.rgba, scaled.mask, w, h, u0 + 1, v0, fu * (1 - fv));
      addSample(acc, scaled.rgba, scaled.mask, w, h, u0, v0 + 1, (1 - fu) * fv);
      addSample(acc, scaled.rgba, scaled.mask, w, h, u0 + 1, v0 + 1, fu * fv);
      const a = Math.round(acc[3]!);
      if (m) m[i] = Math.round(acc[4]!);
      if (a === 0) continue;
      px[4 * i + 3] = a;
      for (let c = 0; c < 3; c++) px[4 * i + c] = Math.min(255, Math.round(acc[c]! / (acc[3]! / 255)));
    }
  }
  return { rect: out, rgba: px, ...(m ? { mask: m } : {}) };
}

/** Adds weight `wt` of pixel (x, y), premultiplied, to acc [r, g, b, a, mask]; outside the picture counts as transparent. */
function addSample(acc: Float64Array, rgba: Uint8Array, mask: Uint8Array | undefined, w: number, h: number, x: number, y: number, wt: number): void {
  if (wt === 0 || x < 0 || y < 0 || x >= w || y >= h) return;
  const i = y * w + x;
  const a = rgba[4 * i + 3]!;
  acc[0]! += wt * rgba[4 * i]! * (a / 255);
  acc[1]! += wt * rgba[4 * i + 1]! * (a / 255);
  acc[2]! += wt * rgba[4 * i + 2]! * (a / 255);
  acc[3]! += wt * a;
  if (mask) acc[4]! += wt * mask[i]!;
}

/**
 * Applies a Free Transform: the layer `id` put into the box `to`, one undo step ("Free
 * Transform"); an upright box of the same size only moves it, with no resampling. Nothing for
 * a box unchanged.
 */
export function applyTransform(doc: WebDocument, id: string, to: Box): void {
  const l = doc.layers.find((x) => x.id === id);
  if (!l) return;
  const r = l.rect;
  if (to.angle === 0 && to.rect.left === r.left && to.rect.top === r.top && to.rect.width === r.width && to.rect.height === r.height) return;
  doc.replacePixels(id, transformPixels(l.rgba, l.mask, r, to), 'Free Transform');
}
