/**
 * Upsampler low-res consistency (ILVR, Choi et al. 2021), applied to the predicted x0 after
 * every step: x0 <- clip(x0 + nearest_up(lowRes - area_down(x0)), -1, 1).
 *
 * area_down averages f x f blocks (f = output size / input size), which is how the training
 * data's low-res images were made, so before the clip the result's block averages equal the
 * input exactly: colours and layout come from the input, the network only adds detail. The
 * pack turns it on with `defaults.upsamplerLowResConsistency` (small, briefly trained
 * upsamplers drift in colour without it). Mirrors `low_res_consistency` in training/.
 */
import type { X0Processor } from './denoiser.js';

/** `lowRes` [B,3,s,s] in [-1, 1] (before augmentation); a batch of 1 is broadcast. */
export function lowResConsistency(lowRes: Float32Array, lowSize: number): X0Processor {
  return (x0, shape) => {
    const H = shape.height;
    const f = H / lowSize;
    const lowPlane = lowSize * lowSize;
    const lowB = lowRes.length / (3 * lowPlane);
    if (!Number.isInteger(f) || shape.width !== H || !Number.isInteger(lowB) || (lowB !== 1 && lowB !== shape.batch)) {
      throw new RangeError(
        `low-res input of ${lowRes.length} values (${lowSize} px) does not fit a [${shape.batch},3,${H},${shape.width}] batch`,
      );
    }
    const inv = 1 / (f * f);
    for (let b = 0; b < shape.batch; b++) {
      for (let c = 0; c < 3; c++) {
        const o = (b * 3 + c) * H * H;
        const lo = ((lowB === 1 ? 0 : b) * 3 + c) * lowPlane;
        for (let by = 0; by < lowSize; by++) {
          for (let bx = 0; bx < lowSize; bx++) {
            let sum = 0;
            for (let y = by * f; y < (by + 1) * f; y++) {
              for (let x = bx * f; x < (bx + 1) * f; x++) sum += x0[o + y * H + x]!;
            }
            const r = lowRes[lo + by * lowSize + bx]! - sum * inv;
            for (let y = by * f; y < (by + 1) * f; y++) {
              for (let x = bx * f; x < (bx + 1) * f; x++) {
                const v = x0[o + y * H + x]! + r;
                x0[o + y * H + x] = v > 1 ? 1 : v < -1 ? -1 : v;
              }
            }
          }
        }
      }
    }
  };
}
