import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PromptTokenizer, toInt64 } from '../../src/inference/tokenizer.js';

const fixture = (p: string) => JSON.parse(readFileSync(new URL(`../fixtures/${p}`, import.meta.url), 'utf8'));

describe('PromptTokenizer', () => {
  it('gives the GPT-2 (r50k) ids', () => {
    const t = new PromptTokenizer({ contextLength: 8, lowercase: false });
    expect(t.encodeIds('hello world')).toEqual([31373, 995]);
    expect(t.encodeIds(' hello')).toEqual([23748]);
  });

  it('lower-cases the prompt first, as GLIDE', () => {
    const t = new PromptTokenizer({ contextLength: 8 });
    expect(t.encodeIds('Hello World')).toEqual([31373, 995]);
    expect(new PromptTokenizer({ contextLength: 8, lowercase: false }).encodeIds('Hello World')).not.toEqual([31373, 995]);
  });

  it('pads with 50256 at the end; mask 1 on tokens, 0 on padding', () => {
    const r = new PromptTokenizer({ contextLength: 8 }).encode('hello world');
    expect(Array.from(r.ids)).toEqual([31373, 995, 50256, 50256, 50256, 50256, 50256, 50256]);
    expect(Array.from(r.mask)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(r.tokens).toEqual(BigInt64Array.from([31373n, 995n, 50256n, 50256n, 50256n, 50256n, 50256n, 50256n]));
    expect(r.truncated).toBe(false);
    expect(r.tokenCount).toBe(2);
  });

  it('encodes the empty prompt as all padding with an all-zero mask', () => {
    const r = new PromptTokenizer({ contextLength: 4, padId: 7 }).encode('');
    expect(Array.from(r.ids)).toEqual([7, 7, 7, 7]);
    expect(Array.from(r.mask)).toEqual([0, 0, 0, 0]);
    expect(r.tokenCount).toBe(0);
  });

  it('truncates long prompts to the context and says so', () => {
    const t = new PromptTokenizer({ contextLength: 128 });
    const long = 'a cat sitting on a red sofa. '.repeat(400).slice(0, 10_000);
    expect(long.length).toBe(10_000);
    const r = t.encode(long);
    expect(r.truncated).toBe(true);
    expect(r.tokenCount).toBe(128);
    expect(r.fullTokenCount).toBeGreaterThan(128);
    expect(Array.from(r.mask).every((m) => m === 1)).toBe(true);
    expect(Array.from(r.ids)).toEqual(t.encodeIds(long).slice(0, 128));
    const exact = t.encode('hello world');
    expect(exact.truncated).toBe(false);
    expect(new PromptTokenizer({ contextLength: 2 }).encode('hello world').truncated).toBe(false);
    expect(new PromptTokenizer({ contextLength: 1 }).encode('hello world').truncated).toBe(true);
  });

  it('remaps r50k ids to compact ids; unknown ids (and an unlisted pad) become unknownId', () => {
    // compact 0 = "a" (64), 1 = " red" (2266), 2 = pad (50256); " heart" (2612) is not listed
    const t = new PromptTokenizer({ contextLength: 6, remap: [64, 2266, 50256], unknownId: 3 });
    const r = t.encode('A red heart');
    expect(Array.from(r.ids)).toEqual([0, 1, 3, 2, 2, 2]);
    expect(Array.from(r.mask)).toEqual([1, 1, 1, 0, 0, 0]);
    const noPad = new PromptTokenizer({ contextLength: 4, remap: [64] });
    expect(Array.from(noPad.encode('a').ids)).toEqual([0, 1, 1, 1]); // unknownId defaults to remap.length
  });

  it('matches the Python reference on the tiny pack (GLIDE padding + remap done in Python)', () => {
    const pack = fixture('tiny-pack/model.json');
    const ref = fixture('reference.json');
    const t = new PromptTokenizer(pack.tokenizer);
    const batch = t.encodeBatch(ref.prompts);
    const want = new BigInt64Array(new Uint8Array(Buffer.from(ref.tokens.data, 'base64')).buffer);
    const wantMask = new Float32Array(new Uint8Array(Buffer.from(ref.mask.data, 'base64')).buffer);
    expect(ref.tokens.shape).toEqual([batch.batch, batch.contextLength]);
    expect(batch.tokens).toEqual(want);
    expect(batch.mask).toEqual(wantMask);
    expect(batch.truncated).toEqual(ref.truncated);
    // and the r50k ids themselves
    const raw = new PromptTokenizer({ contextLength: 8 });
    expect(ref.prompts.map((p: string) => raw.encodeIds(p))).toEqual(ref.r50k);
  });

  it('treats special-token text as plain text instead of failing', () => {
    const r = new PromptTokenizer({ contextLength: 16 }).encode('a <|endoftext|> b');
    expect(r.tokenCount).toBeGreaterThan(3);
    expect(Array.from(r.ids.subarray(0, r.tokenCount))).not.toContain(50256);
  });

  it('rejects invalid configurations with MODEL_INVALID naming the field', () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as { code: string; message: string };
      }
      throw new Error('did not throw');
    };
    expect(err(() => new PromptTokenizer({ contextLength: 0 }))).toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringMatching(/tokenizer.contextLength: expected an integer from 1/),
    });
    expect(err(() => new PromptTokenizer({ contextLength: 4, remap: [1, 2, 1] }))).toMatchObject({
      code: 'MODEL_INVALID',
      message: expect.stringMatching(/tokenizer.remap\[2\]: r50k id 1 appears twice/),
    });
    expect(err(() => new PromptTokenizer({ contextLength: 4, remap: [60000] }))).toMatchObject({
      message: expect.stringMatching(/tokenizer.remap\[0\]: expected an integer from 0 to 50256, got 60000/),
    });
  });

  describe('check', () => {
    // the tiny pack's vocabulary is the tokens of "a red heart", "a fox face", "a slice of pizza"
    // (training/fixtures.py VOCAB_PROMPTS) and the padding
    const tiny = () => new PromptTokenizer(fixture('tiny-pack/model.json').tokenizer);

    it('names the words the vocabulary lacks, in order, once each', () => {
      expect(tiny().check('A Rocket over the rainbow, a rocket').unknownWords).toEqual(['rocket', 'over', 'the', 'rainbow', ',', 'a']);
      // " a" (a space and a) is another token than the opening "a", and no vocabulary prompt has it
      expect(tiny().check('a heart a').unknownWords).toEqual(['a']);
      expect(tiny().check('a red heart').unknownWords).toEqual([]);
      expect(tiny().check('A Fox Face, pizza slice of Pizza').unknownWords).toEqual([',']);
    });

    it('names symbols and emoji that become unknown tokens', () => {
      expect(tiny().check('a red heart ❤️ 🍕!').unknownWords).toEqual(['❤️', '🍕!']);
    });

    it('counts the same tokens as encode, whatever the text', () => {
      const t = new PromptTokenizer({ contextLength: 4 });
      for (const p of ['', 'a red heart', "it's a fox's face,\n  twice  ", 'naïve café 123 ❤️🍕 <|endoftext|>', 'Hello World']) {
        const c = t.check(p);
        expect(c.tokens).toBe(t.encode(p).fullTokenCount);
        expect(c.truncated).toBe(t.encode(p).truncated);
        expect(c.maxTokens).toBe(4);
      }
    });

    it('knows every word without a remap table, and an unknownId that is also a real id does not hide a word', () => {
      expect(new PromptTokenizer({ contextLength: 8 }).check('a rocket over a rainbow').unknownWords).toEqual([]);
      // " heart" (2612) is unlisted and unknownId 0 is the compact id of "a"
      const t = new PromptTokenizer({ contextLength: 8, remap: [64, 2266, 50256], unknownId: 0 });
      expect(t.check('a red heart').unknownWords).toEqual(['heart']);
    });
  });

  it('toInt64 converts ids', () => {
    expect(toInt64([1, 50256])).toEqual(BigInt64Array.from([1n, 50256n]));
  });
});
