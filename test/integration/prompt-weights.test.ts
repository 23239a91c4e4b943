// Prompt weights on the default pack: weight 1 is the plain prompt bit for bit, and stressing
// one of two colour words makes the pictures that colour. Measured on the hearts themselves
// (pixels that are not near white): the mean of red minus blue.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrtNodeBackend } from '../../src/inference/backends/ort-node.js';
import { loadPack } from '../../src/inference/pack.js';
import { Engine } from '../../src/inference/pipeline.js';

const DEFAULT_PACK = fileURLToPath(new URL('../../models/default/', import.meta.url));
const engine = new Engine();

beforeAll(async () => {
  await engine.load(await loadPack(DEFAULT_PACK), { backend: await createOrtNodeBackend({ device: 'cpu', numThreads: 1 }) });
}, 120_000);

afterAll(async () => {
  await engine.dispose();
});

const SEEDS = 8;
const request = (prompt: string) => ({ prompt, seed: 100, count: SEEDS, candidates: 1, steps: 25, sampler: 'dpmpp2m' as const, upscale: false });

/** Mean red minus blue of each picture's pixels that are not background white. */
function redMinusBlue(images: { data: Uint8ClampedArray | Uint8Array }[]): number[] {
  return images.map(({ data }) => {
    let sum = 0;
    let n = 0;
    for (let k = 0; k < data.length; k += 4) {
      if (Math.min(data[k]!, data[k + 1]!, data[k + 2]!) > 200) continue;
      sum += data[k]! - data[k + 2]!;
      n++;
    }
    return n ? sum / n : 0;
  });
}

describe('prompt weights (default pack, onnxruntime-node)', () => {
  it('draws the plain prompt for weight 1', async () => {
    const plain = await engine.generate({ ...request('a heart, red, blue'), count: 2 });
    const one = await engine.generate({ ...request('a heart, (red:1), blue'), count: 2 });
    plain.images.forEach((im, i) => expect(Buffer.from(one.images[i]!.data).equals(Buffer.from(im.data))).toBe(true));
  }, 60_000);

  it('colours the heart with the colour word it stresses', async () => {
    const red = redMinusBlue((await engine.generate(request('a heart, (red:1.6), blue'))).images);
    const blue = redMinusBlue((await engine.generate(request('a heart, red, (blue:1.6)'))).images);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // measured: 8 of 8 each way, means +145 and -81; without the weights both draw the plain
    // prompt's mix (6 of 8 reddish, 2 bluish, a difference of 0)
    expect(red.filter((x) => x > 0).length).toBeGreaterThanOrEqual(7);
    expect(blue.filter((x) => x < 0).length).toBeGreaterThanOrEqual(7);
    expect(mean(red) - mean(blue)).toBeGreaterThan(100);
  }, 120_000);
});
