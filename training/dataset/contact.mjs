#!/usr/bin/env node
// Contact sheet for a built data set: a grid of random records, captions to stdout.
// Usage: node training/dataset/contact.mjs --data data/emoji [--size 64] [--n 64] [--seed 1] [--out data/emoji/contact.png]
import { parseArgs } from 'node:util';
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { mulberry32, sample } from './prng.mjs';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'data/emoji' },
    size: { type: 'string', default: '64' },
    n: { type: 'string', default: '64' },
    seed: { type: 'string', default: '1' },
    split: { type: 'string' },
    out: { type: 'string' },
  },
});
const size = Number(values.size);
const n = Number(values.n);
const out = values.out ?? path.join(values.data, 'contact.png');
const records = readFileSync(path.join(values.data, 'manifest.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const pool = values.split ? records.filter((r) => r.split === values.split) : records;
const picked = sample(mulberry32(Number(values.seed) >>> 0), pool, n);
const cols = Math.ceil(Math.sqrt(picked.length));
const rows = Math.ceil(picked.length / cols);
const gap = 2;
const W = cols * (size + gap) + gap;
const H = rows * (size + gap) + gap;
const sheet = Buffer.alloc(W * H * 3, 40);
const fd = openSync(path.join(values.data, `images_${size}.u8`), 'r');
const bytes = size * size * 3;
const buf = Buffer.alloc(bytes);
picked.forEach((r, k) => {
  readSync(fd, buf, 0, bytes, r.index * bytes);
  const x0 = gap + (k % cols) * (size + gap);
  const y0 = gap + Math.floor(k / cols) * (size + gap);
  for (let y = 0; y < size; y++) buf.copy(sheet, ((y0 + y) * W + x0) * 3, y * size * 3, (y + 1) * size * 3);
  console.log(`[${Math.floor(k / cols)},${k % cols}] #${r.index} ${r.split} ${r.id}: ${r.captions[2]}`);
});
closeSync(fd);
await sharp(sheet, { raw: { width: W, height: H, channels: 3 } }).png().toFile(out);
console.log(`wrote ${out} (${cols}x${rows} grid of ${size} px records)`);
