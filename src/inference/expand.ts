/**
 * Expanding a picture (outpainting): how many pixels each side grows by, and the enlarged
 * canvas and mask that the inpaint job fills. The new border is transparent in the image and
 * selected in the mask, so the fill's paste-back (image.ts composite) makes it opaque to its
 * edge and returns every old pixel bit for bit. No engine code here: the panel and the CLI
 * both import it and call inpaint.
 */
import { InputError, invalidInput } from './errors.js';
import { outerRing } from './image.js';
import { checkImage, exceededLimit, MAX_PIXELS, MAX_SIDE, type ImageLike } from './limits.js';

/** Pixels added on each side. */
export interface Sides {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Which sides grow: both of a dimension share its growth equally. */
export const EXPAND_DIRECTIONS = ['all', 'horizontal', 'vertical', 'left', 'right', 'top', 'bottom'] as const;
export type ExpandDirection = (typeof EXPAND_DIRECTIONS)[number];

/** The growth the panel offers, as a fraction of the grown dimension. */
export const EXPAND_AMOUNTS = [0.1, 0.25, 0.5, 1] as const;
/** At most this much growth per dimension (twice its size): the model draws the new part from what it sees. */
export const MAX_EXPAND = 2;

/**
 * Pixels per side for growing `size` by `by` (a fraction of each grown dimension) towards
 * `direction`. When both sides of a dimension grow they get the same whole number of pixels
 * (round(size * by / 2) each), so a centred canvas resize (Photoshop's anchor) matches exactly;
 * a side that grows gets at least one pixel.
 */
export function expandSides(size: { width: number; height: number }, by: number, direction: ExpandDirection): Sides {
  if (typeof by !== 'number' || !(by > 0 && by <= MAX_EXPAND)) throw invalidInput('expand by', `a fraction above 0 and at most ${MAX_EXPAND}`, by);
  if (!(EXPAND_DIRECTIONS as readonly string[]).includes(direction)) throw invalidInput('expand direction', EXPAND_DIRECTIONS.join(', '), direction);
  const both = (n: number) => Math.max(1, Math.round((n * by) / 2));
  const one = (n: number) => Math.max(1, Math.round(n * by));
  const h = direction === 'all' || direction === 'horizontal' ? both(size.width) : 0;
  const v = direction === 'all' || direction === 'vertical' ? both(size.height) : 0;
  return {
    left: direction === 'left' ? one(size.width) : h,
    right: direction === 'right' ? one(size.width) : h,
    top: direction === 'top' ? one(size.height) : v,
    bottom: direction === 'bottom' ? one(size.height) : v,
  };
}

/** The size of `size` grown by `sides`. */
export function expandedSize(size: { width: number; height: number }, s: Sides): { width: number; height: number } {
  return { width: size.width + s.left + s.right, height: size.height + s.top + s.bottom };
}

/**
 * How much of the new border the model redraws by default, starting from the picture's edge
 * colour (`expandCanvas(..., 'edge-colour')`). Measured on 192 validation pictures with an empty
 * prompt (training/eval_outpaint.py, step 77,249, DPM++ 20 steps): from noise 13.14 dB, better
 * than a plain edge-colour fill on 51 % of them; from the edge colour at 0.6 / 0.7 / 0.8 / 0.9 /
 * 0.95: 14.34 / 14.59 / 14.92 / 15.33 / 15.58 dB, better on 81 / 80 / 79 / 77 / 76 %. With the
 * caption naming the background, 0.9 gives 17.35 dB and 80 % (from noise 16.97, 74 %). 0.9
 * rather than 0.95: with 10 steps 0.95 rounds to all of them, a start from noise.
 */
export const EXPAND_START_STRENGTH = 0.9;

/** What the new border holds before the model draws it: nothing, or the picture's edge colour (a start for strength < 1). */
export type BorderStart = 'transparent' | 'edge-colour';

/**
 * The enlarged canvas: `img` at (left, top) on transparency (or on its edge colour, see
 * `edgeColour`), and the one-byte mask of the new border (255 = fill). Refuses a result past the
 * engine's size limits before allocating it.
 */
export function expandCanvas(
  img: ImageLike & { data: Uint8Array | Uint8ClampedArray },
  s: Sides,
  border: BorderStart = 'transparent',
): { image: { width: number; height: number; data: Uint8Array }; mask: Uint8Array } {
  checkImage('image', img);
  for (const k of ['left', 'top', 'right', 'bottom'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < 0) throw invalidInput(`expand ${k}`, 'a whole number of pixels, 0 or more', s[k]);
  }
  const { width: W, height: H } = expandedSize(img, s);
  if (W === img.width && H === img.height) throw new InputError('expand: no side grows; choose how much to add', { details: { name: 'expand' } });
  if (exceededLimit(W, H)) {
    throw new InputError(
      `expanding ${img.width}x${img.height} gives ${W}x${H} pixels, more than the ${MAX_SIDE} px per side and ${MAX_PIXELS / (1024 * 1024)} MP supported: expand by less`,
      { details: { name: 'expand', width: W, height: H } },
    );
  }
  const data = new Uint8Array(W * H * 4);
  if (border === 'edge-colour') {
    const [r, g, b] = edgeColour(img);
    for (let i = 0; i < W * H; i++) data.set([r, g, b, 255], 4 * i);
  }
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), ((s.top + y) * W + s.left) * 4);
  return { image: { width: W, height: H, data }, mask: borderMask(img, s) };
}

/**
 * The per-channel median (the lower one of an even count) of the picture's outermost ring of
 * pixels, transparency over white as the model sees it: the colour a plain background continues
 * as, and what training/eval_outpaint.py's `edge_fill` uses.
 */
export function edgeColour(img: ImageLike & { data: Uint8Array | Uint8ClampedArray }): [number, number, number] {
  const { data } = img;
  const ring = outerRing(img.width, img.height);
  return [0, 1, 2].map((c) => {
    const v = ring.map((i) => {
      const a = data[4 * i + 3]! / 255;
      return Math.round(data[4 * i + c]! * a + 255 * (1 - a));
    }).sort((p, q) => p - q);
    return v[Math.floor((v.length - 1) / 2)]!;
  }) as [number, number, number];
}

/** The one-byte mask of the new border of `size` grown by `s` (255 = new, 0 = the old picture). */
export function borderMask(size: { width: number; height: number }, s: Sides): Uint8Array {
  const { width: W, height: H } = expandedSize(size, s);
  const mask = new Uint8Array(W * H).fill(255);
  for (let y = 0; y < size.height; y++) mask.fill(0, (s.top + y) * W + s.left, (s.top + y) * W + s.left + size.width);
  return mask;
}

/** `s` scaled by `k`, each growing side keeping at least one pixel. */
export function scaleSides(s: Sides, k: number): Sides {
  const one = (v: number) => (v > 0 ? Math.max(1, Math.round(v * k)) : 0);
  return { left: one(s.left), top: one(s.top), right: one(s.right), bottom: one(s.bottom) };
}

/**
 * True when every pixel of the picture's outermost row or column on each growing side is fully
 * transparent: an object on transparency, whose surroundings there is nothing to continue from.
 * The model sees transparent pixels as white, so with an empty prompt it would paint an opaque
 * border of its own choosing around, say, an icon; callers refuse that and ask for a prompt.
 */
export function transparentEdges(img: ImageLike & { data: Uint8Array | Uint8ClampedArray }, s: Sides): boolean {
  const { width: w, height: h, data } = img;
  // [grows, first pixel x, y, step x, y, pixels] of each side's outermost line
  const lines = [[s.left, 0, 0, 0, 1, h], [s.right, w - 1, 0, 0, 1, h], [s.top, 0, 0, 1, 0, w], [s.bottom, 0, h - 1, 1, 0, w]].filter(([grows]) => grows! > 0);
  const clear = ([, x, y, dx, dy, n]: number[]) => {
    for (let i = 0; i < n!; i++) if (data[4 * ((y! + i * dy!) * w + x! + i * dx!) + 3] !== 0) return false;
    return true;
  };
  return lines.length > 0 && lines.every(clear);
}

/** What Expand says when `transparentEdges` holds and there is no prompt. */
export const TRANSPARENT_EDGES_MESSAGE =
  "The picture is transparent along the sides that grow, so there is nothing to continue there: say what to draw around it in the prompt (e.g. 'on a white background'), or grow the canvas without drawing (Image > Canvas Size in Photoshop) to keep the new area transparent.";
