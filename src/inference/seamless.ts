/**
 * Seamless paste-back of a fill. The model's fill rarely meets the picture exactly along the
 * selection's edge: a little lighter or darker, a slightly different hue, which shows as a seam.
 * That step (the picture just outside the edge minus the fill just inside it) is spread over
 * the selection as the smoothest field that takes those values along the edge (a harmonic
 * membrane, as in Poisson image editing, Perez et al. 2003, and membrane cloning, Farbman et
 * al. 2009, with the step across the edge taken as zero) and added to the fill: the fill keeps
 * its own detail and meets the picture without a step.
 *
 * The membrane is solved on a grid of at most MEMBRANE_GRID cells a side, each the mean of a
 * block of pixels, and enlarged bilinearly: it is smooth by construction, the block means keep
 * the picture's own texture along the edge out of it, and the cost does not grow with the crop.
 */
import type { Rect, RgbaImage } from './image.js';

/** Cells along the longer side of the grid the membrane is solved on. */
export const MEMBRANE_GRID = 64;
/** Successive over-relaxation: its factor and sweeps (a 64-cell grid converges well within them). */
const SOR_OMEGA = 1.9;
const SOR_SWEEPS = 400;

export interface SeamlessOptions {
  /**
   * How far into the selection the correction reaches, as a share of the selection's shorter
   * side: the membrane is screened (Laplace plus a decay term) so that it fades over about that
   * distance and the middle of the fill keeps its own colours. Infinity (default): the plain
   * harmonic membrane, which shifts the whole fill.
   */
  reach?: number;
}

/**
 * `patch` (the fill of `rect`, rect-sized RGBA) shifted by the membrane that matches it to
 * `image` along the selection's edge; `mask` is the image's selection, one byte a pixel, a pixel
 * counting as selected from 128 up. Transparent picture pixels (alpha below 128) set no edge
 * value. Returns `patch` itself when the selection has no edge inside the rectangle.
 */
export function seamlessPatch(image: RgbaImage, patch: RgbaImage, rect: Rect, mask: ArrayLike<number>, options: SeamlessOptions = {}): RgbaImage {
  const { width: w, height: h } = rect;
  const block = Math.max(1, Math.ceil(Math.max(w, h) / MEMBRANE_GRID));
  const gw = Math.ceil(w / block);
  const gh = Math.ceil(h / block);
  const cells = gw * gh;
  const selected = new Float32Array(cells); // selected pixels per cell
  const count = new Float32Array(cells); // pixels per cell
  const fillSum = new Float32Array(3 * cells); // the patch over selected pixels
  const pictureSum = new Float32Array(3 * cells); // the picture over unselected opaque pixels
  const pictureCount = new Float32Array(cells);
  for (let y = 0; y < h; y++) {
    const row = (rect.y + y) * image.width + rect.x;
    const g = Math.floor(y / block) * gw;
    for (let x = 0; x < w; x++) {
      const c = g + Math.floor(x / block);
      count[c]!++;
      const i = row + x;
      const p = 4 * (y * w + x);
      if (mask[i]! >= 128) {
        selected[c]!++;
        for (let k = 0; k < 3; k++) fillSum[3 * c + k]! += patch.data[p + k]!;
      } else if (image.data[4 * i + 3]! >= 128) {
        pictureCount[c]!++;
        for (let k = 0; k < 3; k++) pictureSum[3 * c + k]! += image.data[4 * i + k]!;
      }
    }
  }
  // cells: inside (solved) when mostly selected; edge (fixed) when outside, next to an inside
  // cell, with picture pixels: its value is the step from the fill next to it to the picture
  const inside = new Uint8Array(cells);
  for (let c = 0; c < cells; c++) inside[c] = selected[c]! * 2 >= count[c]! ? 1 : 0;
  const field = new Float32Array(3 * cells);
  const fixed = new Uint8Array(cells);
  let edgeCells = 0;
  const edgeMean = [0, 0, 0];
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      const c = gy * gw + gx;
      if (inside[c] || pictureCount[c] === 0) continue;
      const nbrs = neighbours(c, gx, gy, gw, gh).filter((n) => inside[n]);
      if (!nbrs.length) continue;
      fixed[c] = 1;
      edgeCells++;
      for (let k = 0; k < 3; k++) {
        const fillNext = nbrs.reduce((sum, n) => sum + fillSum[3 * n + k]! / selected[n]!, 0) / nbrs.length;
        field[3 * c + k] = pictureSum[3 * c + k]! / pictureCount[c]! - fillNext;
        edgeMean[k]! += field[3 * c + k]!;
      }
    }
  }
  if (edgeCells === 0) return patch;
  const reach = options.reach ?? Infinity;
  // a decay length of L cells: each cell also pulls towards 0 with weight 1 / L^2
  const decay = Number.isFinite(reach) ? 1 / Math.max(1, reach * selectionSide(inside, gw, gh)) ** 2 : 0;
  for (let c = 0; c < cells; c++) if (inside[c]) for (let k = 0; k < 3; k++) field[3 * c + k] = decay > 0 ? 0 : edgeMean[k]! / edgeCells;
  solveMembrane(field, inside, fixed, gw, gh, decay);
  // outside cells that are not fixed keep 0 correction at rest; the patch is only shown where
  // the selection is, so they matter only through the bilinear enlargement next to the edge:
  // give them their nearest solved or fixed neighbour's value so the edge is not pulled to 0
  fillOutside(field, inside, fixed, gw, gh);
  const out = new Uint8ClampedArray(patch.data);
  for (let y = 0; y < h; y++) {
    const fy = Math.min(Math.max((y + 0.5) / block - 0.5, 0), gh - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, gh - 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      if (mask[(rect.y + y) * image.width + rect.x + x]! === 0) continue;
      const fx = Math.min(Math.max((x + 0.5) / block - 0.5, 0), gw - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, gw - 1);
      const tx = fx - x0;
      const p = 4 * (y * w + x);
      for (let k = 0; k < 3; k++) {
        const a = field[3 * (y0 * gw + x0) + k]! * (1 - tx) + field[3 * (y0 * gw + x1) + k]! * tx;
        const b = field[3 * (y1 * gw + x0) + k]! * (1 - tx) + field[3 * (y1 * gw + x1) + k]! * tx;
        out[p + k] = patch.data[p + k]! + a * (1 - ty) + b * ty;
      }
    }
  }
  return { width: w, height: h, data: out };
}

/**
 * Laplace's equation on the inside cells, fixed cells as the boundary, every other neighbour
 * (outside, or off the grid) as a mirror (no flux): successive over-relaxation in place.
 */
function solveMembrane(field: Float32Array, inside: Uint8Array, fixed: Uint8Array, gw: number, gh: number, decay = 0): void {
  // each inside cell's neighbours that take part, found once: [cell, count, n1..n4] per cell
  const plan: number[] = [];
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      const c = gy * gw + gx;
      if (!inside[c]) continue;
      const nbrs = neighbours(c, gx, gy, gw, gh).filter((n) => inside[n] === 1 || fixed[n] === 1);
      if (nbrs.length) plan.push(c, nbrs.length, ...nbrs);
    }
  }
  const steps = Int32Array.from(plan);
  for (let sweep = 0; sweep < SOR_SWEEPS; sweep++) {
    for (let i = 0; i < steps.length; i += 2 + steps[i + 1]!) {
      const c = steps[i]!;
      const n = steps[i + 1]!;
      for (let k = 0; k < 3; k++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += field[3 * steps[i + 2 + j]! + k]!;
        const v = field[3 * c + k]!;
        field[3 * c + k] = v + SOR_OMEGA * (s / (n + decay) - v);
      }
    }
  }
}

/** The shorter side, in cells, of the inside cells' bounding box. */
function selectionSide(inside: Uint8Array, gw: number, gh: number): number {
  let x0 = gw;
  let y0 = gh;
  let x1 = -1;
  let y1 = -1;
  for (let c = 0; c < inside.length; c++) {
    if (!inside[c]) continue;
    const x = c % gw;
    const y = (c - x) / gw;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  return x1 < 0 ? 1 : Math.min(x1 - x0 + 1, y1 - y0 + 1);
}

/** Outside cells that are not fixed take the mean of their inside or fixed neighbours (one ring is all the enlargement reads). */
function fillOutside(field: Float32Array, inside: Uint8Array, fixed: Uint8Array, gw: number, gh: number): void {
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      const c = gy * gw + gx;
      if (inside[c] || fixed[c]) continue;
      const nbrs = neighbours(c, gx, gy, gw, gh).filter((n) => inside[n] || fixed[n]);
      if (!nbrs.length) continue;
      for (let k = 0; k < 3; k++) field[3 * c + k] = nbrs.reduce((s, n) => s + field[3 * n + k]!, 0) / nbrs.length;
    }
  }
}

/** The 4-neighbours of cell c = (gx, gy) on a gw x gh grid. */
function neighbours(c: number, gx: number, gy: number, gw: number, gh: number): number[] {
  const out: number[] = [];
  if (gx > 0) out.push(c - 1);
  if (gx < gw - 1) out.push(c + 1);
  if (gy > 0) out.push(c - gw);
  if (gy < gh - 1) out.push(c + gw);
  return out;
}
