// Upscaling by less than the upsampler's factor on the default pack (onnxruntime-node): the 4x
// result shrunk by area averaging. Checked against an invariant of the pack's low-res
// consistency: the 4x result's 4 x 4 block means are the input, so the 2x result's 2 x 2 block
// means are too (up to 8-bit rounding and the final clip to the colour range, which bites where
// the network puts an edge a little off the input's: the mean error stays small); and against
// bicubic enlargement, which it must beat in sharpness.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrtNodeBackend } from '../../src/inference/backends/ort-node.js';
import { rgbaToPlanes } from '../../src/inference/image.js';
import { loadPack } from '../../src/inference/pack.js';
import { Engine } from '../../src/inference/pipeline.js';
import { resize } from '../../src/inference/resize.js';

const DEFAULT_PACK = fileURLToPath(new URL('../../models/default/', import.meta.url));
const engine = new Engine();

beforeAll(async () => {
  await engine.load(await loadPack(DEFAULT_PACK), { backend: await createOrtNodeBackend({ device: 'cpu', numThreads: 1 }) });
}, 120_000);

afterAll(() => engine.dispose());

/** A red disc with a dark rim on white, 32 px: flat-coloured art, one tile. */
function disc(n: number): Uint8ClampedArray {
  const d = new Uint8ClampedArray(n * n * 4);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const r = Math.hypot(x + 0.5 - n / 2, y + 0.5 - n / 2);
      d.set(r < n * 0.3 ? [220, 40, 50, 255] : r < n * 0.36 ? [90, 20, 30, 255] : [255, 255, 255, 255], 4 * (y * n + x));
    }
  }
  return d;
}

/** Mean absolute difference (levels) between the 2 x 2 block means of a 64 px result and the 32 px input shifted by `dx`. */
function blockError(out: Uint8ClampedArray | Uint8Array, input: Uint8ClampedArray, dx: number): number {
  let total = 0;
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = 0; k < 4; k++) sum += out[4 * ((2 * y + (k >> 1)) * 64 + 2 * x + (k & 1)) + c]!;
        total += Math.abs(sum / 4 - input[4 * (y * 32 + Math.min(31, x + dx)) + c]!);
      }
    }
  }
  return total / (32 * 32 * 3);
}

/** Mean absolute difference of neighbouring pixels (colour levels): a sharpness measure. */
function gradient(img: Uint8ClampedArray | Uint8Array, w: number, h: number): number {
  let s = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x + 1 < w; x++) for (let c = 0; c < 3; c++) s += Math.abs(img[4 * (y * w + x + 1) + c]! - img[4 * (y * w + x) + c]!);
  return s / (h * (w - 1) * 3);
}

describe('upscale scale (default pack)', () => {
  it('2x keeps the input as its 2 x 2 block means and is sharper than bicubic', async () => {
    const image = { width: 32, height: 32, data: disc(32) };
    const r = await engine.upscale({ image, seed: 5, scale: 2 });
    expect([r.width, r.height]).toEqual([64, 64]);
    const d = r.images[0]!.data;
    expect(blockError(d, image.data, 0)).toBeLessThan(2);
    // a different picture would be far off: the same measure against the disc shifted by a pixel
    expect(blockError(d, image.data, 1)).toBeGreaterThan(5);
    const bic = resize(rgbaToPlanes(image, { background: null }), 64, 64, { filter: 'bicubic' });
    const bicRgba = new Uint8ClampedArray(64 * 64 * 4);
    for (let i = 0; i < 64 * 64; i++) for (let c = 0; c < 3; c++) bicRgba[4 * i + c] = (bic.data[c * 64 * 64 + i]! + 1) * 127.5;
    expect(gradient(d, 64, 64)).toBeGreaterThan(gradient(bicRgba, 64, 64));
  }, 60_000);
});
