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
