/**
 * Classifier-free guidance (Ho & Salimans 2022) as GLIDE applies it: the network sees the batch
 * [cond; uncond] in one call; eps = eps_u + s (eps_c - eps_u) on channels 0-2, v = v_c.
 */
import type { BatchShape, Denoiser } from './denoiser.js';

/**
 * `net(x2, t)` evaluates a [2B,3,H,W] batch (the conditional half first) and returns [2B,6,H,W].
 * The result is a Denoiser over [B,3,H,W]. With `scale` 1 the unconditional half changes
 * nothing and is still evaluated (the batch is the contract); callers that want to save it
 * pass a conditional-only net instead.
 */
export function classifierFreeGuidance(net: Denoiser, scale: number, shape: BatchShape): Denoiser {
  const n = 3 * shape.height * shape.width; // one sample's eps (or v) block
  const half = shape.batch * 3 * shape.height * shape.width;
  return async (x, t) => {
    if (x.length !== half) throw new RangeError(`guidance got ${x.length} values; expected ${half}`);
    const x2 = new Float32Array(2 * half);
    x2.set(x, 0);
    x2.set(x, half);
    const out2 = await net(x2, t);
    const out = new Float32Array(2 * half);
    for (let b = 0; b < shape.batch; b++) {
      const c = 2 * n * b; // cond sample b: [eps(n), v(n)]
      const u = 2 * n * (b + shape.batch); // uncond sample b
      const o = 2 * n * b;
      for (let i = 0; i < n; i++) {
        const eu = out2[u + i];
        out[o + i] = eu + scale * (out2[c + i] - eu);
      }
      out.set(out2.subarray(c + n, c + 2 * n), o + n);
    }
    return out;
  };
}
