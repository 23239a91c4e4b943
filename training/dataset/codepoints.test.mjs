import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseCodepoints, conceptOf, hasSkinTone, toEmoji } from './codepoints.mjs';

test('normaliseCodepoints table', () => {
  const table = [
    ['1f44b_1f3fd', '1f44b-1f3fd'],
    ['2764-fe0f', '2764'],
    ['a9', '00a9'],
    ['A9-FE0F', '00a9'],
    ['00a9-fe0f.webp', '00a9'],
    ['23-fe0f-20e3', '0023-20e3'],
    ['0023-FE0F-20E3', '0023-20e3'],
    ['1f441-fe0f-200d-1f5e8-fe0f', '1f441-200d-1f5e8'],
    ['1F469-1F3FB-200D-2764-FE0F-200D-1F468-1F3FC', '1f469-1f3fb-200d-2764-200d-1f468-1f3fc'],
    ['1f3f4-e0067_e0062_e0065_e006e_e0067', '1f3f4-e0067-e0062-e0065-e006e-e0067'],
    ['1f004.svg', '1f004'],
    ['0001f600', '1f600'],
  ];
  for (const [input, expected] of table) assert.equal(normaliseCodepoints(input), expected, input);
});

test('normaliseCodepoints rejects non-hex names', () => {
  assert.throws(() => normaliseCodepoints('grinning-face'));
  assert.throws(() => normaliseCodepoints('fe0f'));
  assert.throws(() => normaliseCodepoints(''));
});

test('conceptOf strips skin tones only', () => {
  assert.equal(conceptOf('1f44b-1f3fd'), '1f44b');
  assert.equal(conceptOf('1f44b'), '1f44b');
  assert.equal(conceptOf('1f9d1-1f3fb-200d-1f91d-200d-1f9d1-1f3ff'), '1f9d1-200d-1f91d-200d-1f9d1');
  assert.equal(conceptOf('1f3fb'), '1f3fb'); // the modifier on its own is its own concept
  assert.equal(hasSkinTone('1f44b-1f3fd'), true);
  assert.equal(hasSkinTone('2764'), false);
});

test('toEmoji', () => {
  assert.equal(toEmoji('1f44b-1f3fd'), '\u{1f44b}\u{1f3fd}');
  assert.equal(toEmoji('00a9'), '\u00a9');
});
