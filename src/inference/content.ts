/**
 * Is a picture a photograph or flat-coloured art (emoji, clip art, logos, UI)? The upscale job
 * asks, to pick its img2img strength when the pack gives one per kind (docs/model-pack.md,
 * sampling semantics 8 and 9).
 *
 * Why flatness: drawn art is made of regions of one colour, so most of its pixels equal their
 * neighbours; a photograph has grain, texture and gradients almost everywhere. Measured on the
 * default pack's evaluation images (MODEL_CARD.md): at 32 px, 92 % of emoji and 91 % of clip art
 * have a flat share of at least 0.2, against 2-7 % of photograph crops.
 *
 * Why block means first: the share must not depend on the picture's size. A smooth sky at
 * 128 px changes by less than 2 levels per pixel and would count as flat; averaged down to about
 * 32 px it is as busy as the photograph's 32 px version. The means also soak up JPEG noise, so a
 * compressed drawing keeps more of its flat share.
 */
import { checkRgba, type RgbaImage } from './image.js';

/** The analysis works on f x f block means, f = floor(min(width, height) / ANALYSIS_SIDE), at least 1. */
export const ANALYSIS_SIDE = 32;
/** A block is flat when no channel of its 3 x 3 neighbourhood spans more than this many levels (0-255). */
export const FLAT_TOLERANCE = 2;
/** Pictures with at least this share of flat blocks are graphics; the rest photographs. */
export const GRAPHIC_MIN_FLAT_SHARE = 0.2;

export type ContentKind = 'photo' | 'graphic';

export interface ContentAnalysis {
  kind: ContentKind;
  /** share of opaque blocks that are flat, in [0, 1] */
  flatShare: number;
}

/**
 * Share of flat blocks among the opaque ones. A block is opaque when all its pixels have alpha
 * 255; its neighbourhood is the opaque blocks among the 3 x 3 around it (inside the picture), so
 * transparent surroundings (a cut-out photograph, an emoji layer) count for neither kind. The
 * test compares block sums against FLAT_TOLERANCE * f * f, in integers, so it is exact. A picture
 * with no opaque block has nothing to be faithful to and gets 1.
 */
export function flatShare(img: RgbaImage): number {
  checkRgba('image', img);
  const { width: w, height: h, data } = img;
  const f = Math.max(1, Math.floor(Math.min(w, h) / ANALYSIS_SIDE));
  const W = Math.floor(w / f);
  const H = Math.floor(h / f);
  const sums = new Int32Array(W * H * 3);
  const opaque = new Uint8Array(W * H).fill(1);
  for (let y = 0; y < H * f; y++) {
    const by = Math.floor(y / f);
    for (let x = 0; x < W * f; x++) {
      const b = by * W + Math.floor(x / f);
      const p = 4 * (y * w + x);
      sums[3 * b] += data[p]!;
      sums[3 * b + 1] += data[p + 1]!;
      sums[3 * b + 2] += data[p + 2]!;
      if (data[p + 3] !== 255) opaque[b] = 0;
    }
  }
  const limit = FLAT_TOLERANCE * f * f;
  let counted = 0;
  let flat = 0;
  for (let by = 0; by < H; by++) {
    for (let bx = 0; bx < W; bx++) {
      if (!opaque[by * W + bx]) continue;
      counted++;
      if (isFlat(sums, opaque, W, H, bx, by, limit)) flat++;
    }
  }
  return counted ? flat / counted : 1;
}

function isFlat(sums: Int32Array, opaque: Uint8Array, W: number, H: number, bx: number, by: number, limit: number): boolean {
  for (let c = 0; c < 3; c++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let y = Math.max(0, by - 1); y <= Math.min(H - 1, by + 1); y++) {
      for (let x = Math.max(0, bx - 1); x <= Math.min(W - 1, bx + 1); x++) {
        const b = y * W + x;
        if (!opaque[b]) continue;
        const v = sums[3 * b + c]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (hi - lo > limit) return false;
  }
  return true;
}

export function analyseContent(img: RgbaImage): ContentAnalysis {
  const share = flatShare(img);
  return { kind: share >= GRAPHIC_MIN_FLAT_SHARE ? 'graphic' : 'photo', flatShare: share };
}
