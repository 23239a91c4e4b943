// Best of several candidates: the default pack's reranker chooses among base images before the
// upsampler. Checked against invariants: the same seed draws the same base images whether they
// are candidates or variations, the choice is the reranker's first, and the upsampled image
// keeps the chosen base image (the pack's low-res consistency makes its block means equal it).
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrtNodeBackend } from '../../src/inference/backends/ort-node.js';
import { DiffusionError } from '../../src/inference/errors.js';
import { loadPack } from '../../src/inference/pack.js';
import { Engine } from '../../src/inference/pipeline.js';
import { TINY_PACK } from '../helpers/reference.js';

const DEFAULT_PACK = fileURLToPath(new URL('../../models/default/', import.meta.url));
const engine = new Engine();
const tiny = new Engine();

beforeAll(async () => {
  await engine.load(await loadPack(DEFAULT_PACK), { backend: await createOrtNodeBackend({ device: 'cpu', numThreads: 1 }) });
  await tiny.load(await loadPack(TINY_PACK), { backend: await createOrtNodeBackend({ device: 'cpu', numThreads: 1 }) });
}, 120_000);

afterAll(async () => {
  await engine.dispose();
  await tiny.dispose();
});

const request = { prompt: 'a red heart', seed: 7, steps: 3, guidance: 5 };

describe('candidates (default pack, onnxruntime-node)', () => {
  it('keeps the reranker\'s best of the same base images that variations would show', async () => {
    const variations = await engine.generate({ ...request, count: 3, candidates: 1, upscale: false });
    const best = await engine.generate({ ...request, count: 1, candidates: 3, upscale: false });
    expect(best.images).toHaveLength(1);
    expect(best.width).toBe(32);
    // variations come best first, so the one candidate kept is the first variation, bit for bit
    expect(Buffer.from(best.images[0]!.data).equals(Buffer.from(variations.images[0]!.data))).toBe(true);
    expect(best.scores).toHaveLength(1);
    expect(best.scores![0]).toBeCloseTo(variations.scores![0]!, 5);
    expect(variations.scores![0]!).toBeGreaterThanOrEqual(variations.scores![2]!);
  }, 60_000);

  it('upsamples only the chosen candidate', async () => {
    const variations = await engine.generate({ ...request, count: 3, candidates: 1, upscale: false });
    const big = await engine.generate({ ...request, count: 1, candidates: 3, upsamplerSteps: 2 });
    expect(big.images).toHaveLength(1);
    expect(big.width).toBe(128);
    // low-res consistency: each 4x4 block of the result averages to its 32 px input (up to the
    // final clip and 8-bit rounding), so the block means name the candidate that was upsampled
    const b = big.images[0]!.data;
    const meanError = (s: Uint8ClampedArray | Uint8Array) => {
      let total = 0;
      for (let y = 0; y < 32; y++) {
        for (let x = 0; x < 32; x++) {
          for (let c = 0; c < 3; c++) {
            let sum = 0;
            for (let dy = 0; dy < 4; dy++) for (let dx = 0; dx < 4; dx++) sum += b[4 * ((4 * y + dy) * 128 + 4 * x + dx) + c]!;
            total += Math.abs(sum / 16 - s[4 * (y * 32 + x) + c]!);
          }
        }
      }
      return total / (32 * 32 * 3);
    };
    const errors = variations.images.map((v) => meanError(v.data));
    expect(errors[0]).toBeLessThan(2);
    expect(errors[0]).toBeLessThan(Math.min(errors[1]!, errors[2]!) / 2);
  }, 60_000);

  it('refuses candidates where the pack has no reranker, and out-of-range counts, naming the option', async () => {
    for (const [engineUnderTest, candidates, pattern] of [
      [tiny, 2, /candidates: this model has no reranker/],
      [engine, 0, /candidates/],
      [engine, 9, /candidates/],
      [engine, 1.5, /candidates/],
    ] as const) {
      const e = await engineUnderTest.generate({ ...request, candidates }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(DiffusionError);
      expect((e as Error).message).toMatch(pattern);
    }
  }, 60_000);
});
