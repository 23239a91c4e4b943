/**
 * Thresholding of the predicted x0.
 * Dynamic (Imagen, Saharia et al. 2022, sec. 2.3): per sample s = max(1, quantile_p |x0|),
 * x0 <- clip(x0, -s, s) / s. Static: clip to [-1, 1].
 */
import type { X0Processor } from './denoiser.js';

/**
 * torch.quantile's default ("linear") on a sorted array: rank = p (n - 1), interpolating
 * between the order statistics at floor(rank) and ceil(rank) with torch.lerp's formula.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty array');
  const rank = Math.fround(Math.fround(p) * (n - 1)); // torch computes the rank in the input dtype
  const lo = Math.floor(rank);
  const hi = Math.min(Math.ceil(rank), n - 1);
  const w = rank - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  return w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
}

/** Quantile p of |x| over one sample's values. */
export function absQuantile(x: Float32Array, p: number): number {
  const a = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) a[i] = Math.abs(x[i]);
  a.sort();
  return quantileSorted(a, p);
}

export function dynamicThreshold(p: number): X0Processor {
  if (!(p > 0 && p <= 1)) throw new RangeError(`dynamic threshold percentile ${p}: expected a number in (0, 1]`);
  return (x0, shape) => {
    const n = x0.length / shape.batch;
    for (let b = 0; b < shape.batch; b++) {
      const sample = x0.subarray(b * n, (b + 1) * n);
      const s = Math.fround(Math.max(1, absQuantile(sample, p)));
      for (let i = 0; i < n; i++) sample[i] = Math.min(Math.max(sample[i], -s), s) / s;
    }
  };
}

export const staticClip: X0Processor = (x0) => {
  for (let i = 0; i < x0.length; i++) x0[i] = Math.min(Math.max(x0[i], -1), 1);
};

/** `p` a percentile: dynamic thresholding; null/undefined: static clipping. */
export const thresholdFor = (p: number | null | undefined): X0Processor =>
  p === null || p === undefined ? staticClip : dynamicThreshold(p);
