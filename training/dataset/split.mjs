// Train/validation split by held-out (concept, style) pairs.
import { hashString, rngFor, randInt, sample } from './prng.mjs';

/**
 * Hold out whole concepts in some styles. Concepts are visited in the order of
 * a seeded hash; each visited concept that exists in at least two styles is
 * held out in 1-2 random styles (always leaving at least one style in train),
 * until the held-out images reach `valFraction` of all images.
 *
 * `tiedStyles` maps a style to the one it copies ({ colorful: 'flat' }): a tied
 * style takes no part in the draw (so adding one leaves every other image's split
 * as it was) and each of its images goes where the same concept's anchor-style
 * image went; a concept missing from the anchor style stays in train.
 * `valImages`, `target` and `heldOut[].images` count the drawn styles only.
 * @param {{concept:string, style:string}[]} images
 * @param {{seed?: string|number, valFraction?: number, tiedStyles?: Record<string, string>}} [options]
 * @returns {{ splitOf: (img) => 'train'|'val', heldOut: {concept:string, styles:string[], images:number}[], valImages:number, target:number }}
 */
export function assignSplits(images, { seed = 0, valFraction = 0.05, tiedStyles = {} } = {}) {
  const tied = new Map(Object.entries(tiedStyles));
  const drawn = images.filter((img) => !tied.has(img.style));
  const counts = new Map(); // concept -> Map(style -> n), tied styles left out
  for (const img of drawn) {
    if (!counts.has(img.concept)) counts.set(img.concept, new Map());
    const m = counts.get(img.concept);
    m.set(img.style, (m.get(img.style) ?? 0) + 1);
  }
  const eligible = [...counts.keys()].filter((c) => counts.get(c).size >= 2);
  const order = eligible
    .map((c) => ({ c, h: hashString(`${seed}|split|${c}`) }))
    .sort((a, b) => a.h - b.h || (a.c < b.c ? -1 : a.c > b.c ? 1 : 0))
    .map((x) => x.c);
  const target = Math.round(valFraction * drawn.length);
  const held = new Set();
  const heldOut = [];
  let valImages = 0;
  for (const concept of order) {
    if (valImages >= target) break;
    const styles = [...counts.get(concept).keys()].sort();
    const rng = rngFor(seed, 'split-styles', concept);
    const k = Math.min(1 + randInt(rng, 2), styles.length - 1);
    const chosen = sample(rng, styles, k);
    let n = 0;
    for (const s of chosen) { held.add(`${concept}|${s}`); n += counts.get(concept).get(s); }
    heldOut.push({ concept, styles: chosen, images: n });
    valImages += n;
  }
  const styleOf = (img) => tied.get(img.style) ?? img.style;
  return {
    splitOf: (img) => (held.has(`${img.concept}|${styleOf(img)}`) ? 'val' : 'train'),
    heldOut,
    valImages,
    target,
  };
}
