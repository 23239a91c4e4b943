/**
 * Separable resampling of CHW float planes (colour or masks).
 *
 * Per axis, by the scale of that axis:
 * - downscale: area averaging (each output pixel is the mean of the input area it covers,
 *   partial pixels weighted by coverage; exact block means for integer factors);
 * - upscale: bicubic convolution (Keys 1981, a = -0.5), pixel centres aligned
 *   (src = (dst + 0.5) * in/out - 0.5), edges replicated;
 * - same size: copy.
 * Weights are normalised to sum 1, so constants stay constant. Bicubic can overshoot:
 * clamp afterwards where the range matters. Accumulation is float64.
 */
import { invalidInput, requireInteger } from './errors.js';
import { checkPlanes, type Planes } from './image.js';

export type ResizeFilter = 'auto' | 'area' | 'bicubic' | 'nearest';

export interface ResizeOptions {
  /** 'auto' (default): area when shrinking an axis, bicubic when enlarging it */
  filter?: ResizeFilter;
}

/** Sparse 1-D resampling matrix: output i = sum_k weights[i*taps+k] * input[index[i*taps+k]]. */
interface AxisKernel {
  taps: number;
  index: Int32Array;
  weights: Float64Array;
}

const A = -0.5;

/** Keys' cubic convolution kernel. */
export function cubicKernel(x: number): number {
  const t = Math.abs(x);
  if (t < 1) return ((A + 2) * t - (A + 3)) * t * t + 1;
  if (t < 2) return ((A * t - 5 * A) * t + 8 * A) * t - 4 * A;
  return 0;
}

function areaKernel(inSize: number, outSize: number): AxisKernel {
  const s = inSize / outSize;
  const taps = Math.ceil(s) + 1;
  const index = new Int32Array(outSize * taps);
  const weights = new Float64Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const lo = i * s;
    const hi = (i + 1) * s;
    const first = Math.floor(lo);
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const j = Math.min(first + k, inSize - 1);
      const w = Math.max(0, Math.min(hi, first + k + 1) - Math.max(lo, first + k));
      index[i * taps + k] = j;
      weights[i * taps + k] = w;
      sum += w;
    }
    for (let k = 0; k < taps; k++) weights[i * taps + k]! /= sum;
  }
  return { taps, index, weights };
}

function bicubicKernel(inSize: number, outSize: number): AxisKernel {
  const taps = 4;
  const index = new Int32Array(outSize * taps);
  const weights = new Float64Array(outSize * taps);
  for (let i = 0; i < outSize; i++) {
    const c = ((i + 0.5) * inSize) / outSize - 0.5;
    const first = Math.floor(c) - 1;
    let sum = 0;
    for (let k = 0; k < taps; k++) {
      const j = first + k;
      const w = cubicKernel(c - j);
      index[i * taps + k] = Math.min(Math.max(j, 0), inSize - 1);
      weights[i * taps + k] = w;
      sum += w;
    }
    for (let k = 0; k < taps; k++) weights[i * taps + k]! /= sum;
  }
  return { taps, index, weights };
}

function nearestKernel(inSize: number, outSize: number): AxisKernel {
  const index = new Int32Array(outSize);
  for (let i = 0; i < outSize; i++) index[i] = Math.min(Math.floor(((i + 0.5) * inSize) / outSize), inSize - 1);
  return { taps: 1, index, weights: new Float64Array(outSize).fill(1) };
}

function kernelFor(filter: ResizeFilter, inSize: number, outSize: number): AxisKernel | null {
  if (filter === 'nearest') return nearestKernel(inSize, outSize);
  if (inSize === outSize) return null;
  if (filter === 'area' || (filter === 'auto' && outSize < inSize)) return areaKernel(inSize, outSize);
  return bicubicKernel(inSize, outSize);
}

/** Resamples every channel of `src` to width x height. */
export function resize(src: Planes, width: number, height: number, options: ResizeOptions = {}): Planes {
  checkPlanes('image', src);
  requireInteger('width', width, 1);
  requireInteger('height', height, 1);
  const filter = options.filter ?? 'auto';
  if (!['auto', 'area', 'bicubic', 'nearest'].includes(filter)) {
    throw invalidInput('filter', '"auto", "area", "bicubic" or "nearest"', filter);
  }
  const kx = kernelFor(filter, src.width, width);
  const ky = kernelFor(filter, src.height, height);
  const C = src.channels;
  // Horizontal pass: [C, inH, inW] -> [C, inH, outW].
  const mid = kx === null ? src.data : new Float32Array(C * src.height * width);
  if (kx !== null) {
    for (let row = 0; row < C * src.height; row++) {
      const inRow = row * src.width;
      const outRow = row * width;
      for (let i = 0; i < width; i++) {
        let acc = 0;
        for (let k = 0; k < kx.taps; k++) acc += kx.weights[i * kx.taps + k]! * src.data[inRow + kx.index[i * kx.taps + k]!]!;
        mid[outRow + i] = acc;
      }
    }
  }
  // Vertical pass: [C, inH, outW] -> [C, outH, outW].
  if (ky === null) return { width, height, channels: C, data: kx === null ? src.data.slice() : mid };
  const out = new Float32Array(C * height * width);
  for (let c = 0; c < C; c++) {
    const plane = c * src.height * width;
    for (let i = 0; i < height; i++) {
      const outRow = (c * height + i) * width;
      for (let x = 0; x < width; x++) {
        let acc = 0;
        for (let k = 0; k < ky.taps; k++) acc += ky.weights[i * ky.taps + k]! * mid[plane + ky.index[i * ky.taps + k]! * width + x]!;
        out[outRow + x] = acc;
      }
    }
  }
  return { width, height, channels: C, data: out };
}
