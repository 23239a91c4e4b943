// Caption variants and their token ids.
import { encode } from 'gpt-tokenizer/encoding/r50k_base';
import { sample } from './prng.mjs';

export const STYLE_WORDS = Object.freeze({
  '3d': '3d',
  flat: 'flat',
  // Fluent's colour set. A word the existing models' vocabulary already holds, so training
  // can resume on the new data without growing the text encoder's or the reranker's tables.
  colorful: 'colorful',
  noto: 'noto',
  twemoji: 'twemoji',
});

export const MAX_TOKENS = 32;
export const MAX_TAGS = 3;

/** Lower-case, straighten typographic quotes, collapse whitespace. */
export function cleanText(s) {
  return String(s)
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Up to `max` tags that add something to the label: cleaned, de-duplicated,
 * not equal to the label and not already one of its words. With an rng the
 * choice is a seeded sample (kept in emojibase order), otherwise the first ones.
 */
export function pickTags(tags, label, rng = null, max = MAX_TAGS) {
  const cleanLabel = cleanText(label);
  const labelWords = new Set(cleanLabel.split(/[\s:,]+/).filter(Boolean));
  const seen = new Set();
  const usable = [];
  for (const t of tags ?? []) {
    const c = cleanText(t);
    if (!c || c === cleanLabel || labelWords.has(c) || seen.has(c)) continue;
    seen.add(c);
    usable.push(c);
  }
  return rng ? sample(rng, usable, max) : usable.slice(0, max);
}

/**
 * The five caption variants:
 *  (a) "<label>"
 *  (b) "<label>, <style> emoji"
 *  (c) "<label>, <tags...>, <style> emoji, on a <colour> background"
 *      ("on an" before a vowel, e.g. "on an orange background")
 *  (d) "a <label>" / "an <label>"
 *  (e) "a <label>, <style> emoji"
 */
export function buildCaptions({ label, tags = [], style, background }) {
  const styleWord = STYLE_WORDS[style];
  if (!styleWord) throw new Error(`unknown style ${style}`);
  const l = cleanText(label);
  const a = l;
  const b = `${l}, ${styleWord} emoji`;
  const parts = [l, ...tags.slice(0, MAX_TAGS).map(cleanText), `${styleWord} emoji`, `on ${article(cleanText(background))} ${cleanText(background)} background`];
  const c = parts.join(', ');
  // Users type "a red heart": GPT-2 BPE gives " red" (with its space) a different id from a
  // caption-initial "red", so the article forms are needed for prompts to match training.
  const withArticle = `${article(l)} ${l}`;
  return [a, b, c, withArticle, `${withArticle}, ${styleWord} emoji`];
}

export function article(word) {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** r50k_base token ids, truncated to `max` tokens. */
export function tokenize(text, max = MAX_TOKENS) {
  const ids = encode(text);
  return ids.length > max ? { ids: ids.slice(0, max), truncated: true } : { ids, truncated: false };
}
