import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SOURCES, enumerateSource } from './sources.mjs';

const source = (id) => SOURCES.find((s) => s.id === id);

test('the Fluent colour set takes its codepoints from the flat set, whose icon names it shares', () => {
  const color = enumerateSource(source('fluent-emoji-color'));
  const flat = enumerateSource(source('fluent-emoji-flat'));
  const rocket = color.items.filter((i) => i.name === 'rocket');
  assert.deepEqual(rocket.map((i) => i.raw), ['1f680']);
  assert.equal(rocket[0].style, 'colorful');
  assert.match(rocket[0].load.svg, /Gradient/, 'the colour drawing, not the flat one');
  // nearly every flat image has its colour twin under the same name and codepoints
  const colorKeys = new Set(color.items.map((i) => `${i.name}|${i.raw}`));
  const twins = flat.items.filter((i) => colorKeys.has(`${i.name}|${i.raw}`)).length;
  assert.ok(twins / flat.items.length > 0.95, `${twins} of ${flat.items.length} flat images have a colour twin`);
});

test('every style is a different word, and a tied style names an existing one', () => {
  const styles = SOURCES.map((s) => s.style);
  assert.equal(new Set(styles).size, styles.length);
  for (const s of SOURCES.filter((x) => x.splitWith)) assert.ok(styles.includes(s.splitWith), s.id);
});
