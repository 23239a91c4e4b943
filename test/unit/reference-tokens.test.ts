// The TS tokenizer against the Python reference's ids (both come from gpt-tokenizer r50k,
// but the padding, truncation and remap rules are ours on each side).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { PromptTokenizer } from '../../src/inference/tokenizer.js';
import { f32, i64, reference, TINY_PACK } from '../helpers/reference.js';

describe('tokenizer vs reference.json', () => {
  const ref = reference();
  const manifest = JSON.parse(readFileSync(`${TINY_PACK}model.json`, 'utf8'));
  const tok = new PromptTokenizer(manifest.tokenizer);
  const raw = new PromptTokenizer({ contextLength: 1000 });

  it('r50k ids of every prompt equal the reference', () => {
    ref.prompts.forEach((p, i) => expect(raw.encodeIds(p)).toEqual(ref.r50k[i]));
  });

  it('padded, remapped tokens, mask and truncation flags equal the reference', () => {
    const batch = tok.encodeBatch(ref.prompts);
    expect(Array.from(batch.tokens)).toEqual(Array.from(i64(ref.tokens)));
    expect(Array.from(batch.mask)).toEqual(Array.from(f32(ref.mask)));
    expect(batch.truncated).toEqual(ref.truncated);
  });
});
