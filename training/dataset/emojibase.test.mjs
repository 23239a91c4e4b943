import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEmojibase, lookup } from './emojibase.mjs';

const data = [
  {
    label: 'waving hand', hexcode: '1F44B', tags: ['hello', 'wave'], group: 1,
    skins: [{ label: 'waving hand: medium skin tone', hexcode: '1F44B-1F3FD', group: 1, tone: 3 }],
  },
  { label: 'red heart', hexcode: '2764-FE0F', tags: ['love'], group: 0 },
  { label: 'flag: England', hexcode: '1F3F4-E0067-E0062-E0065-E006E-E0067-E007F', tags: ['flag'], group: 9 },
];
const messages = { groups: [{ order: 0, message: 'smileys & emotion' }, { order: 1, message: 'people & body' }, { order: 9, message: 'flags' }] };

test('skin entries use their own label and the parent tags', () => {
  const index = loadEmojibase({ data, messages });
  const hit = lookup(index, '1f44b-1f3fd');
  assert.equal(hit.entry.label, 'waving hand: medium skin tone');
  assert.deepEqual(hit.entry.tags, ['hello', 'wave']);
  assert.equal(hit.entry.group, 'people & body');
  assert.equal(lookup(index, '2764').entry.label, 'red heart');
  assert.equal(lookup(index, '1f600'), null);
});

test('subdivision flags without the cancel tag still join', () => {
  const index = loadEmojibase({ data, messages });
  const hit = lookup(index, '1f3f4-e0067-e0062-e0065-e006e-e0067');
  assert.equal(hit.via, 'cancel-tag');
  assert.equal(hit.key, '1f3f4-e0067-e0062-e0065-e006e-e0067-e007f');
});

test('the real emojibase-data loads without key collisions', () => {
  const index = loadEmojibase();
  assert.ok(index.size > 3000);
  assert.equal(lookup(index, '1f44b-1f3fd').entry.label, 'waving hand: medium skin tone');
});
