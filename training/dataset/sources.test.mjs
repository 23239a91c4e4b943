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

test('a build of some styles takes their sources in the usual order, and names a style it does not know', async () => {
  const { sourcesForStyles } = await import('./build.mjs');
  assert.deepEqual(sourcesForStyles(['twemoji', '3d', 'flat', 'noto']).map((s) => s.style), ['3d', 'flat', 'noto', 'twemoji']);
  assert.equal(sourcesForStyles([]), SOURCES);
  assert.throws(() => sourcesForStyles(['3d', 'color']), /--styles: unknown color \(known: 3d, flat, colorful, noto, twemoji\)/);
});

test('the licences and attribution of a build name only the packages it read', async () => {
  const { licensesFor, attributionMarkdown } = await import('./licenses.mjs');
  const four = SOURCES.filter((s) => s.style !== 'colorful').map((s) => s.id);
  const rows = licensesFor(four);
  assert.deepEqual(rows.map((l) => l.package).sort(),
    ['@iconify-json/fluent-emoji-flat', '@iconify-json/noto', '@lobehub/fluent-emoji-3d', '@twemoji/svg', 'emojibase-data']);
  const text = attributionMarkdown(Object.fromEntries(rows.map((l) => [l.package, '1.0.0'])));
  assert.match(text, /\*\*Fluent Emoji\*\* \(`@lobehub\/fluent-emoji-3d` 1\.0\.0, `@iconify-json\/fluent-emoji-flat` 1\.0\.0\)/);
  assert.doesNotMatch(text, /`@iconify-json\/fluent-emoji`/);
  assert.match(text, /Twemoji.*CC-BY 4\.0/);
  const all = licensesFor(SOURCES.map((s) => s.id));
  assert.equal(all.length, rows.length + 1);
  assert.match(attributionMarkdown(Object.fromEntries(all.map((l) => [l.package, '1.0.0']))), /`@iconify-json\/fluent-emoji` 1\.0\.0\)/);
});
