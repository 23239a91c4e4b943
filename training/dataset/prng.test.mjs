import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32, hashString, rngFor, sample, randInt } from './prng.mjs';

test('mulberry32 is deterministic per seed', () => {
  const seq = (seed) => { const r = mulberry32(seed); return Array.from({ length: 8 }, () => r()); };
  assert.deepEqual(seq(42), seq(42));
  assert.notDeepEqual(seq(42), seq(43));
  for (const v of seq(1)) assert.ok(v >= 0 && v < 1);
});

test('hashString and rngFor are stable', () => {
  assert.equal(hashString('red heart'), hashString('red heart'));
  assert.notEqual(hashString('a'), hashString('b'));
  assert.equal(rngFor('0', 'background', 'noto/2764')(), rngFor('0', 'background', 'noto/2764')());
});

test('sample and randInt stay in range and repeat for a seed', () => {
  const r1 = mulberry32(5);
  const r2 = mulberry32(5);
  assert.deepEqual(sample(r1, [1, 2, 3, 4, 5, 6], 3), sample(r2, [1, 2, 3, 4, 5, 6], 3));
  assert.deepEqual(sample(mulberry32(1), [1, 2], 5), [1, 2]);
  const r = mulberry32(9);
  for (let i = 0; i < 1000; i++) { const v = randInt(r, 15); assert.ok(Number.isInteger(v) && v >= 0 && v < 15); }
});
