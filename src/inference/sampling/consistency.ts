/**
 * Upsampler low-res consistency (ILVR, Choi et al. 2021), applied to the predicted x0 after
 * every step: x0 <- clip(x0 + nearest_up(lowRes - area_down(x0)), -1, 1).
 *
 * area_down averages f x f blocks (f = output size / input size), which is how the training
 * data's low-res images were made, so before the clip the result's block averages equal the
 * input exactly: colours and layout come from the input, the network only adds detail. The
 * pack turns it on with `defaults.upsamplerLowResConsistency` (small, briefly trained
 * upsamplers drift in colour without it). Mirrors `low_res_consistency` in training/.
 *
 * The nearest-neighbour correction is constant over each block, so where the network is off
 * by a little in a smooth area it leaves f-pixel steps (banding in skies and blurred
 * backgrounds). `smoothPasses` (pack `defaults.upsamplerConsistencyPasses`) first adds the
 * residual enlarged bicubically that many times; each pass shrinks what is left (to at most
 * 0.59 of it, fastest for smooth residuals), so the final block-wise step carries little.
 */
import { resize } from '../resize.js';
import type { X0Processor } from './denoiser.js';

/** lowRes - area_down(x0) for one image: [3, s, s] from the [3, H, H] plane at `offset` (area
 * resizing by an integer factor is the exact mean of each block). */
function blockResidual(x0: Float32Array, offset: number, H: number, lowRes: Float32Array, lowOffset: number, s: number): Float32Array {
  const plane = { width: H, height: H, channels: 3, data: x0.subarray(offset, offset + 3 * H * H) };
  const r = resize(plane, s, s, { filter: 'area' }).data;
  for (let i = 0; i < r.length; i++) r[i] = lowRes[lowOffset + i]! - r[i]!;
  return r;
}

/** `lowRes` [B,3,s,s] in [-1, 1] (before augmentation); a batch of 1 is broadcast. */
export function lowResConsistency(lowRes: Float32Array, lowSize: number, smoothPasses = 0): X0Processor {
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
    for (let b = 0; b < shape.batch; b++) {
      const o = b * 3 * H * H;
      const lo = (lowB === 1 ? 0 : b) * 3 * lowPlane;
      for (let pass = 0; pass < smoothPasses; pass++) {
        const r = blockResidual(x0, o, H, lowRes, lo, lowSize);
        const up = resize({ width: lowSize, height: lowSize, channels: 3, data: r }, H, H, { filter: 'bicubic' }).data;
        for (let i = 0; i < up.length; i++) x0[o + i]! += up[i]!;
      }
      const r = blockResidual(x0, o, H, lowRes, lo, lowSize);
      for (let c = 0; c < 3; c++) {
        for (let y = 0; y < H; y++) {
          const row = o + c * H * H + y * H;
          const rRow = c * lowPlane + Math.floor(y / f) * lowSize;
          for (let x = 0; x < H; x++) {
            const v = x0[row + x]! + r[rRow + Math.floor(x / f)]!;
            x0[row + x] = v > 1 ? 1 : v < -1 ? -1 : v;
          }
        }
      }
    }
  };
}
