import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignSplits } from './split.mjs';

const STYLES = ['3d', 'flat', 'noto', 'twemoji'];

function fakeImages(nConcepts) {
  const out = [];
  for (let c = 0; c < nConcepts; c++) {
    const styles = c % 10 === 0 ? ['noto'] : STYLES; // some concepts exist in one style only
    for (const style of styles) out.push({ concept: `c${c}`, style });
  }
  return out;
}

test('assignSplits holds out whole (concept, style) pairs, about 5%, deterministically', () => {
  const images = fakeImages(400);
  const a = assignSplits(images, { seed: '0', valFraction: 0.05 });
  const b = assignSplits(images, { seed: '0', valFraction: 0.05 });
  const splitsA = images.map(a.splitOf);
  assert.deepEqual(splitsA, images.map(b.splitOf));
  const val = splitsA.filter((s) => s === 'val').length;
  assert.equal(val, a.valImages);
  assert.ok(val >= a.target && val <= a.target + 2, `val ${val} target ${a.target}`);
  for (const h of a.heldOut) {
    assert.ok(h.styles.length >= 1 && h.styles.length <= 2);
    // the concept stays in training in at least one style
    const trainStyles = images.filter((i) => i.concept === h.concept && a.splitOf(i) === 'train');
    assert.ok(trainStyles.length >= 1);
  }
  const other = assignSplits(images, { seed: '1', valFraction: 0.05 });
  assert.notDeepEqual(images.map(other.splitOf), splitsA);
});

test('a tied style follows its anchor and leaves the other images where they were', () => {
  const images = fakeImages(400);
  const before = assignSplits(images, { seed: '0', valFraction: 0.05 });
  // the copy exists for most concepts, and for one concept that has no anchor image
  const copies = images.filter((i) => i.style === 'flat' && i.concept !== 'c3').map((i) => ({ ...i, style: 'colorful' }));
  copies.push({ concept: 'c10', style: 'colorful' }); // c10 exists in noto only: no flat anchor
  const withCopies = [...images, ...copies];
  const after = assignSplits(withCopies, { seed: '0', valFraction: 0.05, tiedStyles: { colorful: 'flat' } });
  assert.deepEqual(images.map(after.splitOf), images.map(before.splitOf));
  assert.deepEqual(after.heldOut, before.heldOut);
  for (const c of copies) {
    const anchor = images.find((i) => i.concept === c.concept && i.style === 'flat');
    assert.equal(after.splitOf(c), anchor ? before.splitOf(anchor) : 'train', c.concept);
  }
  assert.ok(copies.some((c) => after.splitOf(c) === 'val'), 'some copies are held out with their anchor');
  // untied, the same images are drawn differently (the copy style takes part in the draw)
  const untied = assignSplits(withCopies, { seed: '0', valFraction: 0.05 });
  assert.notDeepEqual(images.map(untied.splitOf), images.map(before.splitOf));
});
