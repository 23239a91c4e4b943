/**
 * Lifting a drawn subject off its plain background: the default model draws emoji-like subjects
 * on one flat colour (the training pictures were composited on white or on a named plain
 * colour), so a layer of just the subject is a colour key of that background, limited to the
 * background that touches the picture's edge (a white eye inside a face on white stays).
 *
 * - The background colour is the per-channel median of the picture's outermost pixels; when
 *   fewer than MIN_PLAIN_SHARE of them lie within `hi` of it there is no plain background and
 *   nothing is changed (the caller says so).
 * - Distance d = max over channels |pixel - background|. A pixel is background-like when d < hi;
 *   those connected to the edge (4-neighbours) get alpha (d - lo) / (hi - lo), clamped to [0, 1],
 *   so anti-aliased edges fade instead of leaving a halo; every other pixel stays as it was.
 * - Where alpha is fractional the background's share is taken out of the colour
 *   (c = (p - (1 - a) bg) / a), so the edge has no fringe of the old background colour; the
 *   subject's outermost ring gets its alpha from its position between the background and the
 *   subject's colour further in. Islands of at most 1/4096 of the picture out in the background
 *   (the sampler's grain) are cleared too.
 */
import { outerRing, type RgbaImage } from './image.js';

/** Distances (0-255) below `lo` are background; from `hi` on, subject. */
export const MATTE_LO = 16;
export const MATTE_HI = 48;
/** Share of the edge pixels that must be within `hi` of their median for a plain background. */
export const MIN_PLAIN_SHARE = 0.6;
/** More than this share cleared: the picture was all background, and nothing is changed. */
export const MAX_CLEARED = 0.98;

/** Why a picture keeps its background: the edge is not one colour, or nothing but it would be left. */
export type MatteProblem = 'no plain background' | 'only background';

export interface MatteResult {
  /** the picture with the edge-connected background made transparent (a new buffer), or null when `problem` says why not */
  image: RgbaImage | null;
  problem: MatteProblem | null;
  /** the background colour found (the edge's median) */
  background: [number, number, number];
  /** share of the edge within `hi` of that colour */
  plainShare: number;
  /** share of the picture made fully transparent */
  cleared: number;
}

/** Why a picture keeps its background, in the words the panel and the command line show. */
export const MATTE_PROBLEM_WORDS: Record<MatteProblem, string> = {
  'no plain background': 'no plain background was found around the subject',
  'only background': 'nothing but background would be left',
};

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Islands of at most this share of the picture (1 / SPECK_SHARE) lying in the background are specks. */
export const SPECK_SHARE = 4096;

/**
 * Flood fill over 4-neighbours from `starts` (marked in `mark` already) into every pixel `enter`
 * allows that `mark` does not hold yet; marks them with `value` and returns all it visited.
 */
function flood4(w: number, h: number, starts: number[], mark: Uint8Array, value: number, enter: (j: number) => boolean): number[] {
  const visited: number[] = [];
  const stack = starts.slice();
  while (stack.length) {
    const i = stack.pop()!;
    visited.push(i);
    const x = i % w;
    for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
      if (j >= 0 && j < w * h && !mark[j] && enter(j)) {
        mark[j] = value;
        stack.push(j);
      }
    }
  }
  return visited;
}

/** The 4-connected groups of unreached pixels of at most `limit` pixels. */
function smallIslands(reached: Uint8Array, w: number, h: number, limit: number): number[][] {
  const seen = new Uint8Array(reached.length);
  const out: number[][] = [];
  for (let s = 0; s < reached.length; s++) {
    if (reached[s] || seen[s]) continue;
    seen[s] = 1;
    const group = flood4(w, h, [s], seen, 1, (j) => !reached[j]);
    if (group.length <= limit) out.push(group);
  }
  return out;
}

/**
 * Sets pixel `i` of `out` to coverage `a` of the subject over `background`: cleared at 0, else
 * the background's share taken out of `data`'s colour (c = (p - (1 - a) bg) / a).
 */
function setCoverage(out: Uint8ClampedArray, data: RgbaImage['data'], i: number, a: number, background: readonly number[]): void {
  if (a === 0) {
    out.fill(0, 4 * i, 4 * i + 4);
    return;
  }
  for (let c = 0; c < 3; c++) out[4 * i + c] = (data[4 * i + c]! - (1 - a) * background[c]!) / a;
  out[4 * i + 3] = a * data[4 * i + 3]!;
}

export function matteBackground(img: RgbaImage, lo = MATTE_LO, hi = MATTE_HI): MatteResult {
  const { width: w, height: h, data } = img;
  const n = w * h;
  const ring = outerRing(w, h);
  const edge = ring.filter((i) => data[4 * i + 3] === 255);
  const background = [0, 1, 2].map((c) => (edge.length ? median(edge.map((i) => data[4 * i + c]!)) : 0)) as [number, number, number];
  const dist = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    dist[i] = Math.max(Math.abs(data[4 * i]! - background[0]), Math.abs(data[4 * i + 1]! - background[1]), Math.abs(data[4 * i + 2]! - background[2]));
  }
  const plainShare = edge.length ? edge.filter((i) => dist[i]! < hi).length / edge.length : 0;
  if (plainShare < MIN_PLAIN_SHARE) return { image: null, problem: 'no plain background', background, plainShare, cleared: 0 };

  // background-like pixels connected to the edge, by a flood fill from the edge
  const reached = new Uint8Array(n);
  const seeds = edge.filter((i) => dist[i]! < hi);
  for (const i of seeds) reached[i] = 1;
  flood4(w, h, seeds, reached, 1, (j) => dist[j]! < hi);
  const out = new Uint8ClampedArray(data);
  let cleared = 0;
  // specks: tiny islands of the sampler's grain out in the background, cleared with it
  for (const speck of smallIslands(reached, w, h, Math.max(1, Math.floor(n / SPECK_SHARE)))) {
    for (const i of speck) reached[i] = 2;
  }
  for (let i = 0; i < n; i++) {
    if (!reached[i]) continue;
    const a = reached[i] === 2 ? 0 : Math.min(Math.max((dist[i]! - lo) / (hi - lo), 0), 1);
    if (a === 0) cleared++;
    setCoverage(out, data, i, a, background);
  }
  // the subject's outermost ring still mixes in the background (a pixel half over it is far from
  // both colours): its coverage is the pixel's share of the way from the background to the
  // subject's colour two pixels further in, and that share of the background is taken out
  for (let i = 0; i < n; i++) {
    if (reached[i]) continue;
    const x = i % w;
    const y = Math.floor(i / w);
    const out4 = [[-1, 0], [1, 0], [0, -1], [0, 1]].find(([dx, dy]) => {
      const nx = x + dx!;
      const ny = y + dy!;
      return nx >= 0 && nx < w && ny >= 0 && ny < h && reached[ny * w + nx];
    });
    if (!out4) continue;
    const fx = Math.min(Math.max(x - 2 * out4[0]!, 0), w - 1);
    const fy = Math.min(Math.max(y - 2 * out4[1]!, 0), h - 1);
    const f = fy * w + fx;
    if (reached[f]) continue;
    let dot = 0;
    let norm = 0;
    for (let c = 0; c < 3; c++) {
      const along = data[4 * f + c]! - background[c]!;
      dot += (data[4 * i + c]! - background[c]!) * along;
      norm += along * along;
    }
    if (norm < hi * hi) continue; // the subject there is too close to the background to tell
    const a = Math.min(Math.max(dot / norm, 0), 1);
    if (a < 1) setCoverage(out, data, i, a, background);
  }
  // a picture of the background alone (or nearly) would leave an empty layer
  if (cleared > MAX_CLEARED * n) return { image: null, problem: 'only background', background, plainShare, cleared: cleared / n };
  return { image: { width: w, height: h, data: out }, problem: null, background, plainShare, cleared: cleared / n };
}
