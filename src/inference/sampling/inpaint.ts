/**
 * Inpainting by re-imposing the known region on the predicted x0 after every step (GLIDE):
 * x0 <- x0 (1 - m) + image m, with m = 1 on known (kept) pixels.
 */
import type { X0Processor } from './denoiser.js';

/**
 * `image` [B,3,H,W] in [-1, 1]; `mask` [B,1,H,W] (1 = keep). A batch of 1 in either is
 * broadcast over the sampler's batch.
 */
export function reimposeKnown(image: Float32Array, mask: Float32Array): X0Processor {
  return (x0, shape) => {
    const plane = shape.height * shape.width;
    const imgB = image.length / (3 * plane);
    const maskB = mask.length / plane;
    if (!Number.isInteger(imgB) || !Number.isInteger(maskB) || (imgB !== 1 && imgB !== shape.batch) ||
        (maskB !== 1 && maskB !== shape.batch)) {
      throw new RangeError(
        `inpainting image/mask sizes ${image.length}/${mask.length} do not match a [${shape.batch},3,${shape.height},${shape.width}] batch`,
      );
    }
    for (let b = 0; b < shape.batch; b++) {
      const img = image.subarray((imgB === 1 ? 0 : b) * 3 * plane);
      const m = mask.subarray((maskB === 1 ? 0 : b) * plane);
      for (let c = 0; c < 3; c++) {
        const o = (b * 3 + c) * plane;
        for (let i = 0; i < plane; i++) {
          const k = m[i];
          if (k !== 0) x0[o + i] = x0[o + i] * (1 - k) + img[c * plane + i] * k;
        }
      }
    }
  };
}
