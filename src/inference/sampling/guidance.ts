/**
 * Classifier-free guidance (Ho & Salimans 2022) as GLIDE applies it, and its composable form
 * (Liu et al. 2022, "Compositional Visual Generation with Composable Diffusion Models", shown on
 * GLIDE): the network sees the batch [cond_1; ...; cond_k; uncond] in one call and
 * eps = eps_u + s sum_i w_i (eps_i - eps_u) on channels 0-2; v = v of cond_1. With one prompt
 * of weight 1 this is GLIDE's eps_u + s (eps_c - eps_u), to the bit.
 */
import type { BatchShape, Denoiser } from './denoiser.js';

/**
 * `net(x, t)` evaluates a [(k+1)B,3,H,W] batch (the k conditional blocks first, in the order of
 * `weights`, then the unconditional one) and returns [(k+1)B,6,H,W]. The result is a Denoiser
 * over [B,3,H,W]. With `scale` 1 and one prompt the unconditional block changes nothing and is
 * still evaluated (the batch is the contract); callers that want to save it pass a
 * conditional-only net instead.
 */
export function classifierFreeGuidance(net: Denoiser, scale: number, shape: BatchShape, weights: readonly number[] = [1]): Denoiser {
  const n = 3 * shape.height * shape.width; // one sample's eps (or v) block
  const block = shape.batch * n; // one prompt's inputs for the whole batch
  const k = weights.length;
  return async (x, t) => {
    if (x.length !== block) throw new RangeError(`guidance got ${x.length} values; expected ${block}`);
    const xs = new Float32Array((k + 1) * block);
    for (let j = 0; j <= k; j++) xs.set(x, j * block);
    const outs = await net(xs, t);
    const out = new Float32Array(2 * block);
    for (let b = 0; b < shape.batch; b++) {
      const u = 2 * n * (b + k * shape.batch); // uncond sample b
      const o = 2 * n * b;
      for (let i = 0; i < n; i++) {
        const eu = outs[u + i]!;
        let sum = 0;
        for (let j = 0; j < k; j++) sum += weights[j]! * (outs[2 * n * (b + j * shape.batch) + i]! - eu);
        out[o + i] = eu + scale * sum;
      }
      out.set(outs.subarray(2 * n * b + n, 2 * n * b + 2 * n), o + n); // v of cond_1 sample b
    }
    return out;
  };
}
