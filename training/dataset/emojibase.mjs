// Index of emojibase-data (English) keyed by normalised codepoints.
import { createRequire } from 'node:module';
import { normaliseCodepoints } from './codepoints.mjs';

const require = createRequire(import.meta.url);

/**
 * Build the lookup table. Skin-tone variants get their own entry with the
 * skin entry's label ("waving hand: medium skin tone") and the parent's tags.
 * @returns {Map<string, {hexcode:string,label:string,tags:string[],group:string|null,tone:number|number[]|null,baseLabel:string}>}
 */
export function loadEmojibase({ data, messages } = {}) {
  data ??= require('emojibase-data/en/data.json');
  messages ??= require('emojibase-data/en/messages.json');
  const groupNames = new Map((messages.groups ?? []).map((g) => [g.order, g.message]));
  const index = new Map();
  const add = (key, value) => {
    if (index.has(key)) throw new Error(`emojibase: two entries normalise to ${key}`);
    index.set(key, value);
  };
  for (const e of data) {
    const group = e.group === undefined ? null : groupNames.get(e.group) ?? null;
    add(normaliseCodepoints(e.hexcode), {
      hexcode: e.hexcode, label: e.label, tags: e.tags ?? [], group, tone: null, baseLabel: e.label,
    });
    for (const s of e.skins ?? []) {
      const sgroup = s.group === undefined ? group : groupNames.get(s.group) ?? group;
      add(normaliseCodepoints(s.hexcode), {
        hexcode: s.hexcode, label: s.label ?? e.label, tags: s.tags ?? e.tags ?? [], group: sgroup,
        tone: s.tone ?? null, baseLabel: e.label,
      });
    }
  }
  return index;
}

const TAG_CHAR = /^e00[2-7][0-9a-f]$/;

/**
 * Find the emojibase entry for a normalised sequence.
 * Fallback: subdivision flags (black flag + tag characters) whose file name
 * lacks the closing CANCEL TAG (e007f) are looked up with it appended.
 * @returns {{entry: object, key: string, via: 'exact'|'cancel-tag'} | null}
 */
export function lookup(index, normalised) {
  const hit = index.get(normalised);
  if (hit) return { entry: hit, key: normalised, via: 'exact' };
  const parts = normalised.split('-');
  if (parts[0] === '1f3f4' && parts.length > 1 && parts.slice(1).every((p) => TAG_CHAR.test(p)) && parts.at(-1) !== 'e007f') {
    const key = `${normalised}-e007f`;
    const fixed = index.get(key);
    if (fixed) return { entry: fixed, key, via: 'cancel-tag' };
  }
  return null;
}
