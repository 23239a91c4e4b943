#!/usr/bin/env node
// Build the emoji text-to-image training set.
// Usage: node training/dataset/build.mjs --out data/emoji [--sizes 32,64,128] [--limit N] [--seed S] [--val-fraction F] [--styles LIST]
import { parseArgs } from 'node:util';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { rmSync, mkdirSync, readdirSync } from 'node:fs';
import sharp from 'sharp';

import { normaliseCodepoints, conceptOf, toEmoji } from './codepoints.mjs';
import { loadEmojibase, lookup } from './emojibase.mjs';
import { SOURCES, enumerateSource, packageVersion } from './sources.mjs';
import { BASE_SIZE, renderItem, compositeOnColour, areaDownsample } from './render.mjs';
import { WHITE, RANDOM_BACKGROUNDS, PALETTE } from './palette.mjs';
import { buildCaptions, pickTags, tokenize, MAX_TOKENS } from './captions.mjs';
import { rngFor, randInt } from './prng.mjs';
import { assignSplits } from './split.mjs';
import { DatasetWriter, lockOutDir } from './shards.mjs';
import { attributionMarkdown, licensesFor } from './licenses.mjs';

const PROGRESS_EVERY = 500;

export function parseSizes(text) {
  const sizes = [...new Set(String(text).split(',').map((s) => s.trim()).filter(Boolean).map(Number))].sort((a, b) => a - b);
  if (sizes.length === 0) throw new Error('--sizes: give at least one size');
  for (const s of sizes) {
    if (!Number.isInteger(s) || s < 1 || s > BASE_SIZE || BASE_SIZE % s !== 0) throw new Error(`--sizes: ${s} must be an integer that divides ${BASE_SIZE}`);
  }
  return sizes;
}

/**
 * The sources of the named styles (all when `styles` is empty), in SOURCES order, so a build of
 * some styles writes the same records as it did before the others existed.
 */
export function sourcesForStyles(styles) {
  if (!styles?.length) return SOURCES;
  const known = SOURCES.map((s) => s.style);
  const unknown = styles.filter((s) => !known.includes(s));
  if (unknown.length) throw new Error(`--styles: unknown ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return SOURCES.filter((s) => styles.includes(s.style));
}

/** Enumerate, join to emojibase and de-duplicate every source. */
export function collectImages(index, sources = SOURCES) {
  const images = [];
  const skipped = [];
  const notImages = [];
  const cancelTagFixes = [];
  const enumerated = {};
  for (const src of sources) {
    const { items, notImages: ni, unmapped } = enumerateSource(src);
    enumerated[src.id] = items.length + unmapped.length;
    for (const u of unmapped) skipped.push({ source: src.id, name: u.name, reason: 'no_codepoints', detail: u.reason });
    for (const n of ni) notImages.push({ source: src.id, ...n });
    const seen = new Map();
    for (const item of items) {
      let norm;
      try { norm = normaliseCodepoints(item.raw); } catch (err) {
        skipped.push({ source: src.id, name: item.name, reason: 'bad_codepoints', detail: err.message });
        continue;
      }
      const found = lookup(index, norm);
      if (!found) { skipped.push({ source: src.id, name: item.name, reason: 'no_emojibase_entry', detail: norm }); continue; }
      if (found.via !== 'exact') cancelTagFixes.push({ source: src.id, name: item.name, codepoints: found.key });
      if (seen.has(found.key)) {
        skipped.push({ source: src.id, name: item.name, reason: 'duplicate_codepoints', detail: `same as ${seen.get(found.key)}` });
        continue;
      }
      seen.set(found.key, item.name);
      const e = found.entry;
      images.push({
        source: src.id, style: src.style, license: src.license, name: item.name, load: item.load,
        codepoints: found.key, concept: conceptOf(found.key),
        label: e.label, tags: e.tags, group: e.group, tone: e.tone,
      });
    }
  }
  return { images, skipped, notImages, cancelTagFixes, enumerated };
}

/** Keep at most `limit` images, spread evenly over the sources. */
export function applyLimit(images, limit) {
  if (!limit || limit >= images.length) return images;
  const bySource = new Map();
  for (const img of images) {
    if (!bySource.has(img.source)) bySource.set(img.source, []);
    bySource.get(img.source).push(img);
  }
  const per = Math.ceil(limit / bySource.size);
  return [...bySource.values()].flatMap((list) => list.slice(0, per)).slice(0, limit);
}

function bump(obj, keys, n = 1) {
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  const last = keys.at(-1);
  o[last] = (o[last] ?? 0) + n;
}

function groupSkipped(skipped) {
  const out = {};
  for (const s of skipped) {
    const bucket = ((out[s.source] ??= {})[s.reason] ??= { count: 0, items: [] });
    bucket.count++;
    bucket.items.push(s.detail ? `${s.name} (${s.detail})` : s.name);
  }
  return out;
}

export async function build({ out, sizes, limit = 0, seed = '0', valFraction = 0.05, styles = [], log = console.log }) {
  const t0 = performance.now();
  sharp.concurrency(1);
  const index = loadEmojibase();
  const sources = sourcesForStyles(styles);
  const { images: all, skipped, notImages, cancelTagFixes, enumerated } = collectImages(index, sources);
  const images = applyLimit(all, limit);
  log(`emojibase entries: ${index.size}; images joined: ${all.length}; skipped: ${skipped.length}; building ${images.length} images x 2 backgrounds at ${sizes.join(',')} px`);

  const tiedStyles = Object.fromEntries(SOURCES.filter((s) => s.splitWith).map((s) => [s.style, s.splitWith]));
  const split = assignSplits(images, { seed, valFraction, tiedStyles });
  const unlock = lockOutDir(out);
  try {
    return await writeDataset({ out, sizes, seed, valFraction, limit, log, t0, sources, images, skipped, notImages, cancelTagFixes, enumerated, split });
  } finally {
    unlock();
  }
}

async function writeDataset({ out, sizes, seed, valFraction, limit, log, t0, sources, images, skipped, notImages, cancelTagFixes, enumerated, split }) {
  mkdirSync(out, { recursive: true });
  // We hold the lock: clear the previous outputs and any partial files a crashed build left.
  const stale = new Set(['manifest.jsonl', 'summary.json', 'ATTRIBUTION.md', ...sizes.map((s) => `images_${s}.u8`)]);
  for (const f of readdirSync(out)) if (stale.has(f) || /\.partial(-\d+)?$/.test(f)) rmSync(path.join(out, f), { force: true });
  const writer = new DatasetWriter(out, sizes);

  const counts = {};
  const truncated = [0, 0, 0, 0, 0];
  const renderFailures = [];
  let maxTokens = 0;
  let done = 0;
  // Start the next image's decode while this one is composited (sharp works off the main thread).
  let next = images.length ? renderItem(images[0].load).then((r) => ({ r }), (e) => ({ e })) : null;
  for (let i = 0; i < images.length; i++) {
    const img = images[i];
    const current = await next;
    next = i + 1 < images.length ? renderItem(images[i + 1].load).then((r) => ({ r }), (e) => ({ e })) : null;
    if (current.e) {
      renderFailures.push({ source: img.source, name: img.name, reason: 'render_failed', detail: String(current.e.message ?? current.e) });
      continue;
    }
    const rgba = current.r;
    const imageId = `${img.style}/${img.codepoints}`;
    const splitName = split.splitOf(img);
    const bgRng = rngFor(seed, 'background', imageId);
    const backgrounds = [WHITE, RANDOM_BACKGROUNDS[randInt(bgRng, RANDOM_BACKGROUNDS.length)]];
    for (const bg of backgrounds) {
      const rgb = compositeOnColour(rgba, bg.rgb);
      const bySize = new Map(sizes.map((s) => [s, areaDownsample(rgb, BASE_SIZE, BASE_SIZE, 3, BASE_SIZE / s)]));
      const tags = pickTags(img.tags, img.label, rngFor(seed, 'tags', imageId, bg.name));
      const captions = buildCaptions({ label: img.label, tags, style: img.style, background: bg.name });
      const toks = captions.map((c) => tokenize(c, MAX_TOKENS));
      toks.forEach((t, k) => { if (t.truncated) truncated[k]++; maxTokens = Math.max(maxTokens, t.ids.length); });
      writer.add({
        id: `${imageId}/${bg.name.replace(/ /g, '-')}`,
        image_id: imageId,
        source: img.source,
        license: img.license,
        codepoints: img.codepoints,
        concept: img.concept,
        emoji: toEmoji(img.codepoints),
        label: img.label,
        group: img.group,
        style: img.style,
        background: bg.name,
        captions,
        tokens: toks.map((t) => t.ids),
        truncated: toks.map((t) => t.truncated),
        split: splitName,
        file: img.name,
      }, bySize);
      bump(counts, ['records', 'by_split', splitName]);
      bump(counts, ['records', 'by_source', img.source, splitName]);
      bump(counts, ['records', 'by_background', bg.name]);
    }
    bump(counts, ['images', 'by_split', splitName]);
    bump(counts, ['images', 'by_source', img.source, splitName]);
    bump(counts, ['images', 'by_style', img.style, splitName]);
    done++;
    if (done % PROGRESS_EVERY === 0 || i === images.length - 1) {
      const s = (performance.now() - t0) / 1000;
      log(`  ${done}/${images.length} images (${writer.count} records) ${s.toFixed(1)} s, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
    }
  }
  const bytes = writer.close();
  const allSkipped = skipped.concat(renderFailures);
  const licenses = licensesFor(sources.map((s) => s.id));
  const versions = Object.fromEntries(licenses.map((l) => [l.package, packageVersion(l.package)]));
  const attribution = attributionMarkdown(versions);
  writer.writeText('ATTRIBUTION.md', attribution);
  const seconds = (performance.now() - t0) / 1000;
  const summary = {
    format: {
      images: 'images_<size>.u8: uint8, shape [records, size, size, 3], RGB, row-major, records in manifest order',
      manifest: 'manifest.jsonl: one JSON object per record, line i = index i',
      tokens: `gpt-tokenizer r50k_base ids, no special tokens, truncated to ${MAX_TOKENS}`,
    },
    sizes,
    base_size: BASE_SIZE,
    seed,
    val_fraction: valFraction,
    limit: limit || null,
    records: writer.count,
    images: done,
    counts,
    split: {
      unit: 'held-out (concept, style) pairs; concept = codepoints without skin tones',
      target_val_images: split.target,
      held_out_pairs: split.heldOut.reduce((n, h) => n + h.styles.length, 0),
      held_out_concepts: split.heldOut.length,
      held_out: split.heldOut,
    },
    enumerated,
    skipped: { total: allSkipped.length, by_source: groupSkipped(allSkipped) },
    not_images: { total: notImages.length, by_source: groupSkipped(notImages.map((n) => ({ ...n, reason: 'alias', detail: n.reason }))) },
    joined_with_cancel_tag: cancelTagFixes,
    captions: { variants: ['label', 'label, style emoji', 'label, tags, style emoji, on a colour background', 'a label', 'a label, style emoji'], truncated_per_variant: truncated, max_tokens_seen: maxTokens },
    palette: PALETTE.map((c) => ({ name: c.name, rgb: c.rgb })),
    licenses,
    package_versions: versions,
    bytes,
    build_seconds: Math.round(seconds * 10) / 10,
    attribution,
  };
  writer.writeJson('summary.json', summary);
  log(`wrote ${writer.count} records (${done} images) to ${out} in ${seconds.toFixed(1)} s; skipped ${allSkipped.length}`);
  return summary;
}

async function main() {
  const { values } = parseArgs({
    options: {
      out: { type: 'string', default: 'data/emoji' },
      sizes: { type: 'string', default: '32,64,128' },
      limit: { type: 'string', default: '0' },
      seed: { type: 'string', default: '0' },
      'val-fraction': { type: 'string', default: '0.05' },
      styles: { type: 'string', default: '' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log('node training/dataset/build.mjs --out data/emoji [--sizes 32,64,128] [--limit N] [--seed S] [--val-fraction 0.05] [--styles 3d,flat,colorful,noto,twemoji]');
    return;
  }
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 0) throw new Error('--limit must be a non-negative integer');
  const valFraction = Number(values['val-fraction']);
  if (!(valFraction >= 0 && valFraction < 1)) throw new Error('--val-fraction must be in [0, 1)');
  const summary = await build({ out: path.resolve(values.out), sizes: parseSizes(values.sizes), limit, seed: values.seed, valFraction,
    styles: values.styles.split(',').map((s) => s.trim()).filter(Boolean) });
  const c = summary.counts;
  console.log(JSON.stringify({ images: c.images, records_by_split: c.records?.by_split, skipped: summary.skipped.total, build_seconds: summary.build_seconds }, null, 1));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((err) => { console.error(err); process.exit(1); });
}
