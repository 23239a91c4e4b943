/**
 * The shape of a generated picture (width / height) and the pixels its square grows by on each
 * side to reach it (jobs/extend.ts draws them). No engine code here: the panel and the command
 * line import it too.
 */
import { InputError } from './errors.js';
import type { Sides } from './expand.js';

/** The widest (and, inverted, the tallest) shape a square is extended to: Expand's limit, twice the side added. */
export const MAX_ASPECT = 3;

/** A number from 1 / MAX_ASPECT to MAX_ASPECT (with a rounding error's slack: "1:3" divides to just under 1/3). */
export function isAspect(aspect: unknown): aspect is number {
  return typeof aspect === 'number' && aspect >= 1 / MAX_ASPECT - 1e-9 && aspect <= MAX_ASPECT + 1e-9;
}

/** A request's aspect (width / height): a number from 1 / MAX_ASPECT to MAX_ASPECT, or undefined. */
export function checkAspect(aspect: unknown): number | undefined {
  if (aspect === undefined) return undefined;
  if (!isAspect(aspect)) {
    throw new InputError(`aspect: expected width / height from 1/${MAX_ASPECT} to ${MAX_ASPECT}, got ${JSON.stringify(aspect)}`, { details: { name: 'aspect' } });
  }
  return aspect;
}

/**
 * Pixels to add on each side of a `size` x `size` square for `aspect`: the long dimension
 * becomes round(size * aspect) (or round(size / aspect)), split evenly with the odd pixel on the
 * right or bottom; none when that rounds to the square itself.
 */
export function aspectSides(size: number, aspect: number): Sides {
  const long = Math.round(size * Math.max(aspect, 1 / aspect));
  const add = long - size;
  const first = Math.floor(add / 2);
  const none = { left: 0, top: 0, right: 0, bottom: 0 };
  if (add <= 0) return none;
  return aspect >= 1 ? { ...none, left: first, right: add - first } : { ...none, top: first, bottom: add - first };
}

/**
 * The area a detail pass should cover for a picture extended to `extended` that will be shown at
 * `cover`: the cover shrunk by how much larger the extended picture is than the cascade's square,
 * so that detail is chosen for the scale the picture is shown at, not for its width.
 */
export function detailCover(cover: { width: number; height: number }, square: number, extended: { width: number; height: number }) {
  return { width: Math.round((cover.width * square) / extended.width), height: Math.round((cover.height * square) / extended.height) };
}

/** The seed of image i's extension: apart from the cascade's and the detail pass's (seed + 1 + i). */
export function extensionSeed(seed: number, i: number): number {
  return (seed + 1001 + i) % 2 ** 53;
}

/**
 * The picture centred on a transparent canvas of `aspect` (aspectSides' sizes): the shape of a
 * subject lifted off its background, where drawing the sides would only give the matte more to
 * key out (grain it keeps as specks).
 */
export function padToAspect(img: { width: number; height: number; data: Uint8Array | Uint8ClampedArray }, aspect: number): { width: number; height: number; data: Uint8Array } {
  const s = aspectSides(Math.min(img.width, img.height), aspect);
  const width = img.width + s.left + s.right;
  const height = img.height + s.top + s.bottom;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < img.height; y++) data.set(img.data.subarray(y * img.width * 4, (y + 1) * img.width * 4), ((s.top + y) * width + s.left) * 4);
  return { width, height, data };
}
