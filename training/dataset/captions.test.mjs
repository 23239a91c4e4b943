import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCaptions, pickTags, tokenize, cleanText, MAX_TOKENS } from './captions.mjs';
import { mulberry32 } from './prng.mjs';

test('buildCaptions gives the five variants, lower-cased', () => {
  const caps = buildCaptions({ label: 'Red Heart', tags: ['Love', 'valentine'], style: 'noto', background: 'Light Blue' });
  assert.deepEqual(caps, [
    'red heart',
    'red heart, noto emoji',
    'red heart, love, valentine, noto emoji, on a light blue background',
    'a red heart',
    'a red heart, noto emoji',
  ]);
});

test('buildCaptions without tags and with a skin-tone label', () => {
  const caps = buildCaptions({ label: 'waving hand: medium skin tone', tags: [], style: '3d', background: 'white' });
  assert.deepEqual(caps, [
    'waving hand: medium skin tone',
    'waving hand: medium skin tone, 3d emoji',
    'waving hand: medium skin tone, 3d emoji, on a white background',
    'a waving hand: medium skin tone',
    'a waving hand: medium skin tone, 3d emoji',
  ]);
});

test('buildCaptions keeps at most 3 tags and rejects unknown styles', () => {
  const caps = buildCaptions({ label: 'x', tags: ['a', 'b', 'c', 'd'], style: 'twemoji', background: 'red' });
  assert.equal(caps[2], 'x, a, b, c, twemoji emoji, on a red background');
  assert.throws(() => buildCaptions({ label: 'x', style: 'pixel', background: 'red' }));
});

test('buildCaptions uses "an" before a vowel colour', () => {
  const caps = buildCaptions({ label: 'red heart', tags: [], style: 'flat', background: 'orange' });
  assert.equal(caps[2], 'red heart, flat emoji, on an orange background');
  assert.equal(buildCaptions({ label: 'apple', style: 'flat', background: 'red' })[3], 'an apple');
});

test('pickTags drops tags already in the label and duplicates', () => {
  assert.deepEqual(pickTags(['hand', 'Wave', 'wave', 'hi', 'waving hand', 'bye'], 'waving hand'), ['wave', 'hi', 'bye']);
  assert.deepEqual(pickTags([], 'x'), []);
  const a = pickTags(['a', 'b', 'c', 'd', 'e'], 'x', mulberry32(7));
  const b = pickTags(['a', 'b', 'c', 'd', 'e'], 'x', mulberry32(7));
  assert.equal(a.length, 3);
  assert.deepEqual(a, b);
});

test('cleanText straightens quotes', () => {
  assert.equal(cleanText('Flag: Côte d\u2019Ivoire'), "flag: côte d'ivoire");
});

test('tokenize with r50k_base and truncation', () => {
  const short = tokenize('red heart');
  assert.equal(short.truncated, false);
  assert.ok(short.ids.length >= 2 && short.ids.every(Number.isInteger));
  const long = tokenize(Array(40).fill('heart').join(' '));
  assert.equal(long.truncated, true);
  assert.equal(long.ids.length, MAX_TOKENS);
});
