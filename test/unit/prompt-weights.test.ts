// Prompt weighting: the bracket syntax other diffusion tools document ("(word)" x1.1, "[word]"
// /1.1, "(word:1.4)", nesting multiplies, backslash escapes), checked against weights worked
// out by hand; token weights against the GPT-2 tokens of the plain text; the scaling against
// a tensor computed by hand.
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/inference/errors.js';
import { applyTokenWeights, extraNetworkTags, parsePromptWeights, plainPrompt, tokenWeights, weightedPrompt } from '../../src/inference/prompt-weights.js';
import { PromptTokenizer } from '../../src/inference/tokenizer.js';

const parsed = (p: string) => parsePromptWeights(p).map((x) => [x.text, Number(x.weight.toFixed(6))]);

describe('parsePromptWeights', () => {
  it('leaves a prompt without brackets as it is', () => {
    expect(parsed('a red heart, 3d: glossy')).toEqual([['a red heart, 3d: glossy', 1]]);
    expect(parsed('')).toEqual([]);
  });

  it('weights (text:w), (text), [text] and nested brackets', () => {
    expect(parsed('a (red:1.4) heart')).toEqual([['a ', 1], ['red', 1.4], [' heart', 1]]);
    expect(parsed('a (red) heart')).toEqual([['a ', 1], ['red', 1.1], [' heart', 1]]);
    expect(parsed('((cat))')).toEqual([['cat', 1.21]]);
    expect(parsed('[blurry]')).toEqual([['blurry', Number((1 / 1.1).toFixed(6))]]);
    expect(parsed('(a [b] c)')).toEqual([['a ', 1.1], ['b', 1], [' c', 1.1]]);
    expect(parsed('((fox:1.5) face)')).toEqual([['fox', 1.65], [' face', 1.1]]);
    expect(parsed('(red : 0.5 ) heart')).toEqual([['red ', 0.5], [' heart', 1]]);
    expect(parsed('(red:.5)')).toEqual([['red', 0.5]]);
  });

  it('reads escapes, stray closings and a lone colon as text', () => {
    expect(parsed('a \\(red\\) heart')).toEqual([['a (red) heart', 1]]);
    expect(parsed('a \\[x\\] \\\\ y')).toEqual([['a [x] \\ y', 1]]);
    expect(parsed('smile :) and 2:1)')).toEqual([['smile :) and 2:1)', 1]]);
    expect(parsed('a heart]')).toEqual([['a heart]', 1]]);
  });

  it('weights the rest of the prompt after a bracket that is never closed', () => {
    expect(parsed('a (red heart')).toEqual([['a ', 1], ['red heart', 1.1]]);
    expect(parsed('[a (b')).toEqual([['a ', Number((1 / 1.1).toFixed(6))], ['b', 1]]);
  });

  it('refuses a weight outside 0 to 3 and names the words', () => {
    expect(() => parsePromptWeights('a (red heart:5)')).toThrow(InputError);
    expect(() => parsePromptWeights('a (red heart:5)')).toThrow(/5 on "red heart" is outside 0 to 3/);
    expect(() => parsePromptWeights('(x:-1)')).toThrow(/-1 on "x"/);
    expect(parsed('(x:0)')).toEqual([['x', 0]]);
    expect(parsed('(x:3)')).toEqual([['x', 3]]);
  });

  it('leaves out extra-network tags with the space before them, and names them', () => {
    const p = 'a cat <lora:foo_v2:0.8>, (red:1.2) <LyCORIS: x> hat <lorax> <hypernet:y:1>';
    expect(parsed(p)).toEqual([['a cat, ', 1], ['red', 1.2], [' hat <lorax>', 1]]);
    expect(extraNetworkTags(p)).toEqual(['<lora:foo_v2:0.8>', '<LyCORIS: x>', '<hypernet:y:1>']);
    expect(extraNetworkTags('a < b > c')).toEqual([]);
  });

  it('gives the text without its syntax', () => {
    expect(plainPrompt(parsePromptWeights('a ((red:1.3) heart), [blurry]'))).toBe('a red heart, blurry');
  });
});

describe('token weights', () => {
  const tok = new PromptTokenizer({ contextLength: 8 });

  it('gives each token the weight of its first character after its leading space', () => {
    // r50k: "a", " red", " heart", ","
    expect(tok.encodeIds('a red heart,').length).toBe(4);
    const { plain, weights } = weightedPrompt(tok, 'a (red:2) heart,');
    expect(plain).toBe('a red heart,');
    expect(Array.from(weights!)).toEqual([1, 2, 1, 1, 1, 1, 1, 1]);
  });

  it('weights every token of a word split into several', () => {
    const ids = tok.encodeIds(' flamingo');
    expect(ids.length).toBeGreaterThan(1);
    const { weights } = weightedPrompt(tok, 'a [(flamingo:1.5)]');
    const w = 1.5 / 1.1;
    expect(Array.from(weights!.slice(0, 1 + ids.length)).map((x) => Number(x.toFixed(5)))).toEqual([1, ...ids.map(() => Number(w.toFixed(5)))]);
  });

  it('spans the tokens encode() gives, so weights line up with the encoder input', () => {
    for (const text of ['a red heart', 'slice of pizza, 3d!!', "it's a ROCKET 🚀 over 2 hills", '  spaced   out ']) {
      expect(tok.tokenSpans(text).length).toBe(tok.encode(text).fullTokenCount);
    }
  });

  it('lower-cases as the tokenizer does and keeps weight 1 past the context', () => {
    const { plain, weights } = weightedPrompt(tok, '(A RED:1.5) Heart');
    expect(plain).toBe('a red heart');
    expect(Array.from(weights!.slice(0, 3))).toEqual([1.5, 1.5, 1]);
    const long = weightedPrompt(tok, `${'one '.repeat(10)}(two:2)`);
    expect(Array.from(long.weights!)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it('returns no weights for a prompt without brackets', () => {
    expect(weightedPrompt(tok, 'a red heart')).toEqual({ plain: 'a red heart', weights: null });
  });

  it('maps character weights onto spans', () => {
    const pieces = [{ text: 'ab ', weight: 1 }, { text: 'cd', weight: 3 }];
    expect(Array.from(tokenWeights(pieces, [{ start: 0, end: 2 }, { start: 2, end: 5 }], 3))).toEqual([1, 3, 1]);
  });
});

describe('applyTokenWeights', () => {
  it('scales one row of [B, W, L] per token position', () => {
    // B 2, W 2, L 3: values 1..12
    const x = Float32Array.from({ length: 12 }, (_, i) => i + 1);
    applyTokenWeights(x, [2, 2, 3], 1, Float32Array.from([1, 2, 0.5]));
    expect(Array.from(x)).toEqual([1, 2, 3, 4, 5, 6, 7, 16, 4.5, 10, 22, 6]);
    expect(() => applyTokenWeights(x, [2, 2, 3], 0, new Float32Array(4))).toThrow(/4 for a context of 3/);
  });
});
