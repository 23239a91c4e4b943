/**
 * Orders variations by the pack's optional reranker (a CLIP-style scorer, docs/model-pack.md):
 * score = cosine similarity of each image's and the prompt's embeddings; best first.
 */
import type { Session } from '../backend.js';
import { throwIfCancelled, type AbortSignalLike } from '../errors.js';
import { resize } from '../resize.js';
import type { PromptTokenizer } from '../tokenizer.js';

export interface Ranking {
  /** indices into the candidates, best first */
  order: number[];
  /** score of each candidate, in the candidates' original order */
  scores: number[];
}

/**
 * Scores `count` images [count,3,H,H] in [-1, 1] against `prompt`. The images are shrunk to the
 * reranker's input size by area averaging (how its training images were made).
 */
export async function rankImages(
  session: Session,
  imageSize: number,
  tokenizer: PromptTokenizer,
  prompt: string,
  images: Float32Array,
  count: number,
  size: number,
  signal?: AbortSignalLike,
): Promise<Ranking> {
  throwIfCancelled(signal);
  const R = imageSize;
  const plane = 3 * size * size;
  const small = new Float32Array(count * 3 * R * R);
  for (let b = 0; b < count; b++) {
    const src = { width: size, height: size, channels: 3, data: images.subarray(b * plane, (b + 1) * plane) };
    small.set(size === R ? src.data : resize(src, R, R, { filter: 'area' }).data, b * 3 * R * R);
  }
  const text = tokenizer.encodeBatch(Array.from({ length: count }, () => prompt));
  const out = await session.run({
    image: { type: 'float32', data: small, dims: [count, 3, R, R] },
    tokens: { type: 'int64', data: text.tokens, dims: [count, text.contextLength] },
    mask: { type: 'float32', data: text.mask, dims: [count, text.contextLength] },
  });
  const scores = Array.from(out.score!.data as Float32Array);
  if (scores.length !== count) throw new Error(`reranker returned ${scores.length} scores for ${count} images`);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
  return { order, scores };
}

/** Reorders a [count, ...] batch (equal-sized items) by `order`. */
export function reorderBatch(data: Float32Array, order: readonly number[]): Float32Array {
  const n = data.length / order.length;
  const out = new Float32Array(data.length);
  order.forEach((from, to) => out.set(data.subarray(from * n, (from + 1) * n), to * n));
  return out;
}
