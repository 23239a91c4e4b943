/**
 * Select > Modify for the web editor: Expand, Contract and Feather a document-sized 8-bit
 * selection (255 = selected). Pure functions; no DOM.
 *
 * Expand and Contract are by true (Euclidean) distance, so a grown rectangle gets round
 * corners as in Photoshop; they read the selection as selected where it is at least half
 * (128), so a soft edge comes out hard. Contract leaves the canvas border alone: pixels are
 * taken away only near unselected pixels, not near the canvas edge (Photoshop's default,
 * "Apply effect at canvas bounds" off). Feather blurs the edge (three box blurs, close to a
 * Gaussian of sigma radius / 2), so the soft edge spans about the radius on each side.
 */
import type { Planes } from '../../inference/image.js';
import { boxBlur } from '../../inference/mask.js';

/** The largest radius Modify takes, in pixels (Photoshop's limit for Expand, Contract and Feather is 100 to 1000). */
export const MAX_MODIFY_RADIUS = 500;

function checkRadius(radius: number): void {
  if (!(Number.isInteger(radius) && radius >= 1 && radius <= MAX_MODIFY_RADIUS)) {
    throw new RangeError(`a selection is modified by a whole number of pixels from 1 to ${MAX_MODIFY_RADIUS}, not ${radius}`);
  }
}

/**
 * Squared Euclidean distance from each pixel to the nearest pixel where `isSource` holds, on a
 * w x h grid (Infinity where there is none): Felzenszwalb and Huttenlocher's two-pass transform,
 * linear in the pixel count whatever the radius.
 */
export function squaredDistance(w: number, h: number, isSource: (i: number) => boolean): Float64Array {
  const d = new Float64Array(w * h);
  for (let i = 0; i < d.length; i++) d[i] = isSource(i) ? 0 : Infinity;
  const n = Math.max(w, h);
  const f = new Float64Array(n);
  const out = new Float64Array(n);
  const v = new Int32Array(n);
  const z = new Float64Array(n + 1);
  const pass = (count: number, lines: number, at: (line: number, k: number) => number) => {
    for (let line = 0; line < lines; line++) {
      for (let k = 0; k < count; k++) f[k] = d[at(line, k)]!;
      lowerEnvelope(f, count, out, v, z);
      for (let k = 0; k < count; k++) d[at(line, k)] = out[k]!;
    }
  };
  pass(h, w, (x, y) => y * w + x); // columns
  pass(w, h, (y, x) => y * w + x); // rows
  return d;
}

/** 1-D squared distance transform of f[0..n) into out (the lower envelope of parabolas). */
function lowerEnvelope(f: Float64Array, n: number, out: Float64Array, v: Int32Array, z: Float64Array): void {
  let k = -1;
  for (let q = 0; q < n; q++) {
    if (f[q] === Infinity) continue;
    while (k >= 0) {
      const p = v[k]!;
      const s = (f[q]! + q * q - (f[p]! + p * p)) / (2 * (q - p));
      if (s > z[k]!) {
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = Infinity;
        break;
      }
      k--;
    }
    if (k < 0) {
      k = 0;
      v[0] = q;
      z[0] = -Infinity;
      z[1] = Infinity;
    }
  }
  if (k < 0) {
    out.fill(Infinity, 0, n);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (z[j + 1]! < q) j++;
    const p = v[j]!;
    out[q] = (q - p) * (q - p) + f[p]!;
  }
}

/** Select > Modify > Expand: every pixel within `radius` of the selection joins it. */
export function expandSelection(sel: Uint8Array, w: number, h: number, radius: number): Uint8Array {
  checkRadius(radius);
  const d = squaredDistance(w, h, (i) => sel[i]! >= 128);
  return Uint8Array.from(d, (v) => (v <= radius * radius ? 255 : 0));
}

/** Select > Modify > Contract: every pixel within `radius` of an unselected pixel leaves it. */
export function contractSelection(sel: Uint8Array, w: number, h: number, radius: number): Uint8Array {
  checkRadius(radius);
  const d = squaredDistance(w, h, (i) => sel[i]! < 128);
  return Uint8Array.from(d, (v) => (v > radius * radius ? 255 : 0));
}

/** Select > Modify > Feather: the selection's edge made soft over about `radius` pixels each side. */
export function featherSelection(sel: Uint8Array, w: number, h: number, radius: number): Uint8Array {
  checkRadius(radius);
  // three box blurs of width b make a near-Gaussian of variance 3 (b^2 - 1) / 12; sigma = radius / 2
  const box = Math.max(0, Math.round((Math.sqrt(radius * radius + 1) - 1) / 2));
  let planes: Planes = { width: w, height: h, channels: 1, data: Float32Array.from(sel, (v) => v / 255) };
  for (let pass = 0; pass < 3; pass++) planes = boxBlur(planes, box);
  return Uint8Array.from(planes.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}
