import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  buildClipart, declaredLicense, dedupeByContent, isPublicDomain, splitOf, titleFromFile, withSvgNamespaces,
} from './clipart.mjs';
import { renderSvg } from './render.mjs';

// as the collection's files carry it: namespaces declared on the rdf:RDF element
const meta = (license) => `<metadata><rdf:RDF xmlns:cc="http://web.resource.org/cc/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">${license}</rdf:RDF></metadata>`;
const PD = meta('<cc:license rdf:resource="http://web.resource.org/cc/PublicDomain"/>');
const svgOf = (fill, { license = PD, ns = true } = {}) =>
  `<svg ${ns ? 'xmlns="http://www.w3.org/2000/svg" ' : ''}width="8" height="8">${license}<rect width="8" height="8" fill="${fill}"/></svg>`;

test('titleFromFile drops separators and the trailing number', () => {
  assert.equal(titleFromFile('food/pizza_slice_fco._andrade_01.svg'), 'pizza slice fco. andrade');
  assert.equal(titleFromFile('transportation/vehicles/rocket.svg'), 'rocket');
  assert.equal(titleFromFile('a/gradient-spectrums-rainbow-002.svg'), 'gradient spectrums rainbow');
});

test('declaredLicense reads the file\'s own cc:license; only public-domain dedications pass', () => {
  assert.equal(declaredLicense(svgOf('red')), 'http://web.resource.org/cc/PublicDomain');
  assert.equal(declaredLicense(svgOf('red', { license: meta('<cc:license rdf:resource=""/>') })), null);
  assert.equal(declaredLicense(svgOf('red', { license: '' })), null);
  assert.ok(isPublicDomain('http://web.resource.org/cc/PublicDomain'));
  assert.ok(!isPublicDomain('http://creativecommons.org/licenses/GPL/2.0/'));
  assert.ok(!isPublicDomain(null));
});

test('withSvgNamespaces makes a namespace-less file renderable and leaves a proper one alone', () => {
  const bare = svgOf('#ff0000', { ns: false });
  assert.throws(() => renderSvg(bare, 8));
  const fixed = withSvgNamespaces(bare);
  const { data } = renderSvg(fixed, 8);
  assert.deepEqual([...data.slice(0, 4)], [255, 0, 0, 255]);
  const proper = svgOf('red');
  assert.equal(withSvgNamespaces(proper), proper);
  assert.match(withSvgNamespaces('<svg width="1"><use xlink:href="#a"/></svg>'), /xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink"/);
});

test('dedupeByContent keeps one entry per content, named by its first path', () => {
  const bytes = { 'b/x.svg': 'A', 'a/y.svg': 'A', 'a/z.svg': 'B' };
  const out = dedupeByContent(['a/y.svg', 'a/z.svg', 'b/x.svg'], (rel) => bytes[rel]);
  assert.deepEqual(out.map((e) => [e.rel, e.categories]), [['a/y.svg', ['a', 'b']], ['a/z.svg', ['a']]]);
});

test('splitOf is deterministic and holds out about the asked fraction', () => {
  const hashes = Array.from({ length: 4000 }, (_, i) => `h${i}`);
  const val = hashes.filter((h) => splitOf(h, '0', 0.05) === 'val').length;
  assert.ok(val > 140 && val < 260, `${val} of 4000 held out`);
  assert.equal(splitOf('h1', '0', 0.05), splitOf('h1', '0', 0.05));
  assert.ok(hashes.every((h) => splitOf(h, '0', 0) === 'train'));
});

test('buildClipart writes white-composited images and skips files that are not public domain', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'clipart-'));
  try {
    const src = path.join(dir, 'svg');
    mkdirSync(path.join(src, 'food'), { recursive: true });
    writeFileSync(path.join(src, 'food', 'red_square_01.svg'), svgOf('#ff0000', { ns: false }));
    writeFileSync(path.join(src, 'food', 'half.svg'), svgOf('#0000ff').replace('width="8" height="8" fill', 'width="4" height="8" fill'));
    writeFileSync(path.join(src, 'food', 'gpl.svg'), svgOf('#00ff00', { license: meta('<cc:license rdf:resource="http://creativecommons.org/licenses/GPL/2.0/"/>') }));
    const out = path.join(dir, 'out');
    const summary = await buildClipart({ src, out, sizes: [4], log: () => {} });
    assert.equal(summary.images, 2);
    assert.deepEqual(summary.skipped.map((s) => s.file), ['food/gpl.svg']);
    const manifest = readFileSync(path.join(out, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(manifest.map((r) => [r.index, r.file, r.title]), [[0, 'food/half.svg', 'half'], [1, 'food/red_square_01.svg', 'red square']]);
    const px = readFileSync(path.join(out, 'images_4.u8'));
    assert.equal(px.length, 2 * 4 * 4 * 3);
    // half.svg: the left half blue, the right half transparent -> white
    assert.deepEqual([...px.subarray(0, 3)], [0, 0, 255]);
    assert.deepEqual([...px.subarray(3 * 3, 3 * 4)], [255, 255, 255]);
    // red_square: red everywhere
    assert.deepEqual([...px.subarray(48, 51)], [255, 0, 0]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
