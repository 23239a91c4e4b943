#!/usr/bin/env node
// Build the clip-art image set (Debian's openclipart-svg: public-domain SVGs) for the upsampler.
// Usage: node training/dataset/clipart.mjs --out data/clipart [--src /usr/share/openclipart/svg]
//        [--sizes 32,64,128] [--limit N] [--seed S] [--val-fraction F]
//
// The upsampler is not text-conditioned, so the clip art's titles (its file names) only go into
// the manifest; what it adds is variety: line art, shading and text-free drawings of every kind,
// where the emoji set has ~14,000 pictures in four styles. Output layout as data/emoji's
// (docs/dataset.md), so training/data.py reads it unchanged.
import { parseArgs } from 'node:util';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { parseSizes } from './build.mjs';
import { BASE_SIZE, renderSvg, compositeOnColour, areaDownsample } from './render.mjs';
import { WHITE } from './palette.mjs';
import { hashString } from './prng.mjs';
import { DatasetWriter, lockOutDir } from './shards.mjs';

export const DEFAULT_SRC = '/usr/share/openclipart/svg';
export const LICENSE = 'public domain (Open Clip Art Library dedication)';
/** Larger files are mostly scanned bitmaps or photo traces: slow to render and not clip art. */
export const MAX_SVG_BYTES = 2 << 20;
const PROGRESS_EVERY = 500;

/** "pizza_slice_fco._andrade_01.svg" -> "pizza slice fco. andrade" (the title with its number dropped). */
export function titleFromFile(file) {
  return path.basename(file, '.svg')
    .replace(/[_-]+/g, ' ')
    .replace(/\s+\d+\s*$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const PUBLIC_DOMAIN = new Set([
  'http://web.resource.org/cc/PublicDomain',
  'http://creativecommons.org/licenses/publicdomain/',
  'Public Domain',
]);

/**
 * The licence a file's own metadata declares (`<cc:license rdf:resource=...>`), or null. The
 * package as a whole is dedicated to the public domain, but a few files say otherwise (GPL) or
 * nothing: only those that declare the dedication themselves are used.
 */
export function declaredLicense(svg) {
  const m = /<cc:license\b[^>]*\brdf:resource\s*=\s*"([^"]*)"/.exec(svg);
  return m && m[1].trim() ? m[1].trim() : null;
}

export function isPublicDomain(license) {
  return PUBLIC_DOMAIN.has(license);
}

/**
 * Many files of the collection's era omit the SVG (and xlink) namespace on the root element,
 * which browsers' and resvg's XML parsers reject ("no root node"); declare them when missing.
 */
export function withSvgNamespaces(svg) {
  const m = /<svg\b[^>]*>/.exec(svg);
  if (!m) return svg;
  let tag = m[0];
  const add = [];
  if (!/\sxmlns\s*=/.test(tag)) add.push('xmlns="http://www.w3.org/2000/svg"');
  if (!/\sxmlns:xlink\s*=/.test(tag) && /\bxlink:/.test(svg)) add.push('xmlns:xlink="http://www.w3.org/1999/xlink"');
  if (add.length === 0) return svg;
  tag = `<svg ${add.join(' ')}${tag.slice(4)}`;
  return svg.slice(0, m.index) + tag + svg.slice(m.index + m[0].length);
}

/** Every *.svg under `root`, sorted, as paths relative to it. */
export function listSvgs(root) {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.svg')) out.push(rel);
    }
  };
  walk('');
  return out.sort();
}

/**
 * One entry per distinct file content (the package files many drawings under several
 * categories): the first path in sorted order names it, every path's category is kept.
 */
export function dedupeByContent(files, readBytes) {
  const byHash = new Map();
  for (const rel of files) {
    const hash = createHash('sha1').update(readBytes(rel)).digest('hex');
    const seen = byHash.get(hash);
    if (seen) seen.categories.add(rel.split('/')[0]);
    else byHash.set(hash, { rel, hash, categories: new Set([rel.split('/')[0]]) });
  }
  return [...byHash.values()].map((e) => ({ ...e, categories: [...e.categories].sort() }));
}

/** Validation by content hash: the same drawing always lands in the same split. */
export function splitOf(hash, seed, valFraction) {
  return hashString(`${seed}|clipart|${hash}`) / 2 ** 32 < valFraction ? 'val' : 'train';
}

export async function buildClipart({ src = DEFAULT_SRC, out, sizes, limit = 0, seed = '0', valFraction = 0.05, log = console.log }) {
  const t0 = Date.now();
  const files = listSvgs(src);
  if (files.length === 0) throw new Error(`no SVG files under ${src} (install Debian's openclipart-svg, or pass --src)`);
  let items = dedupeByContent(files, (rel) => readFileSync(path.join(src, rel)));
  if (limit) items = items.slice(0, limit);
  log(`${files.length} SVG files, ${items.length} distinct; rendering at ${sizes.join(',')} px`);
  const release = lockOutDir(out);
  const writer = new DatasetWriter(out, sizes);
  const skipped = [];
  let bytes;
  try {
    for (const [n, item] of items.entries()) {
      const file = path.join(src, item.rel);
      try {
        if (statSync(file).size > MAX_SVG_BYTES) throw new Error(`larger than ${MAX_SVG_BYTES} bytes`);
        const svg = readFileSync(file, 'utf8');
        const license = declaredLicense(svg);
        if (!isPublicDomain(license)) throw new Error(`licence ${JSON.stringify(license)} is not a public-domain dedication`);
        const rgb = compositeOnColour(renderSvg(withSvgNamespaces(svg), BASE_SIZE), WHITE.rgb);
        const bySize = new Map(sizes.map((s) => [s, areaDownsample(rgb, BASE_SIZE, BASE_SIZE, 3, BASE_SIZE / s)]));
        const title = titleFromFile(item.rel);
        writer.add({
          id: item.hash.slice(0, 16), source: 'openclipart', license: LICENSE, license_url: license, file: item.rel, categories: item.categories,
          title, concept: title, label: title, group: 'clipart', style: 'clipart', background: 'white',
          split: splitOf(item.hash, seed, valFraction),
        }, bySize);
      } catch (err) {
        skipped.push({ file: item.rel, reason: String(err.message ?? err).slice(0, 200) });
      }
      if ((n + 1) % PROGRESS_EVERY === 0) log(`${n + 1}/${items.length} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    }
  } finally {
    bytes = writer.close();
    release();
  }
  const summary = {
    source: src, files: files.length, distinct: items.length, images: writer.count, skipped, sizes, seed, valFraction,
    license: LICENSE, bytes, seconds: Math.round((Date.now() - t0) / 1000),
  };
  writer.writeJson('summary.json', summary);
  writer.writeText('ATTRIBUTION.md', `# Attribution\n\nClip art from the Open Clip Art Library (Debian package openclipart-svg), ${LICENSE}: no attribution is required; the source file of every image is in manifest.jsonl.\n`);
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'data/clipart' },
      src: { type: 'string', default: DEFAULT_SRC },
      sizes: { type: 'string', default: '32,64,128' },
      limit: { type: 'string', default: '0' },
      seed: { type: 'string', default: '0' },
      'val-fraction': { type: 'string', default: '0.05' },
    },
  });
  const summary = await buildClipart({
    src: values.src, out: path.resolve(values.out), sizes: parseSizes(values.sizes), limit: Number(values.limit),
    seed: values.seed, valFraction: Number(values['val-fraction']),
  });
  console.log(`wrote ${summary.images} images (${summary.skipped.length} skipped) to ${values.out} in ${summary.seconds} s`);
}
