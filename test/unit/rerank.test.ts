// Reranking variations: a stand-in scorer (score = mean brightness of the image it is given)
// makes the expected order and the area-downsampled input analytic.
import { describe, expect, it } from 'vitest';
import type { Feeds, Session } from '../../src/inference/backend.js';
import { rankImages, reorderBatch } from '../../src/inference/jobs/rerank.js';
import { PromptTokenizer } from '../../src/inference/tokenizer.js';

function brightnessScorer(seen: Feeds[]): Session {
  return {
    inputNames: ['image', 'tokens', 'mask'],
    outputNames: ['score'],
    async run(feeds: Feeds) {
      seen.push(feeds);
      const img = feeds.image!;
      const [B, , R] = img.dims as number[];
      const per = 3 * R! * R!;
      const score = new Float32Array(B!);
      for (let b = 0; b < B!; b++) {
        let s = 0;
        for (let i = 0; i < per; i++) s += (img.data as Float32Array)[b * per + i]!;
        score[b] = s / per;
      }
      return { score: { type: 'float32', data: score, dims: [B!] } };
    },
    async release() {},
  } as unknown as Session;
}

describe('rankImages', () => {
  const size = 8;
  const per = 3 * size * size;
  // three variations: constant -0.5, a left/right split averaging 0.25, constant 0.1
  const images = new Float32Array(3 * per);
  images.fill(-0.5, 0, per);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) images[per + c * 64 + y * size + x] = x < 4 ? 1 : -0.5;
  }
  images.fill(0.1, 2 * per, 3 * per);

  it('orders best first, keeps scores in candidate order and feeds area-averaged images with the prompt', async () => {
    const seen: Feeds[] = [];
    const tok = new PromptTokenizer({ contextLength: 6 });
    const r = await rankImages(brightnessScorer(seen), 4, tok, 'a red heart', images, 3, size);
    expect(r.order).toEqual([1, 2, 0]);
    expect(r.scores[0]).toBeCloseTo(-0.5, 6);
    expect(r.scores[1]).toBeCloseTo(0.25, 6);
    expect(r.scores[2]).toBeCloseTo(0.1, 6);
    const f = seen[0]!;
    expect(f.image!.dims).toEqual([3, 3, 4, 4]);
    // 2x2 block averages of the split image: 1 on the left half, -0.5 on the right
    expect(Array.from((f.image!.data as Float32Array).subarray(48, 52))).toEqual([1, 1, -0.5, -0.5]);
    expect(f.tokens!.dims).toEqual([3, 6]);
    expect(Array.from(f.tokens!.data as BigInt64Array).slice(0, 6)).toEqual(Array.from(tok.encode('a red heart').tokens));
  });

  it('reorderBatch moves whole items', () => {
    expect(Array.from(reorderBatch(Float32Array.from([1, 1, 2, 2, 3, 3]), [2, 0, 1]))).toEqual([3, 3, 1, 1, 2, 2]);
  });
});
