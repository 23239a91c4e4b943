// Codepoint sequence helpers: one canonical key per emoji, shared by every source.
//
// Normalised form: lower-case hex, U+FE0F (variation selector 16) dropped,
// each codepoint padded to at least 4 hex digits, joined with "-".
// File names may use "_" or "-" as separators and may carry an extension.

export const SKIN_TONE_CODEPOINTS = Object.freeze(['1f3fb', '1f3fc', '1f3fd', '1f3fe', '1f3ff']);
const SKIN_TONES = new Set(SKIN_TONE_CODEPOINTS);

/** Normalise a codepoint string such as "1F44B_1f3fd.webp" to "1f44b-1f3fd". */
export function normaliseCodepoints(input) {
  const base = String(input).trim().toLowerCase().replace(/\.[a-z0-9]+$/, '');
  const parts = base.split(/[-_\s]+/).filter(Boolean);
  if (parts.length === 0) throw new Error(`no codepoints in ${JSON.stringify(input)}`);
  const out = [];
  for (const part of parts) {
    if (!/^[0-9a-f]{1,8}$/.test(part)) throw new Error(`not a hex codepoint: ${JSON.stringify(part)} in ${JSON.stringify(input)}`);
    const value = parseInt(part, 16);
    if (value === 0xfe0f) continue;
    out.push(value.toString(16).padStart(4, '0'));
  }
  if (out.length === 0) throw new Error(`only variation selectors in ${JSON.stringify(input)}`);
  return out.join('-');
}

/** Concept key: the normalised sequence without skin-tone modifiers. */
export function conceptOf(normalised) {
  const parts = normalised.split('-');
  const kept = parts.filter((p) => !SKIN_TONES.has(p));
  return kept.length > 0 ? kept.join('-') : normalised;
}

/** True when the sequence carries at least one skin-tone modifier. */
export function hasSkinTone(normalised) {
  return normalised.split('-').some((p) => SKIN_TONES.has(p));
}

/** The emoji string for a normalised sequence (without FE0F). */
export function toEmoji(normalised) {
  return String.fromCodePoint(...normalised.split('-').map((p) => parseInt(p, 16)));
}
