/** Reads test/fixtures/reference.json (arrays as {dtype, shape, data: base64 little-endian}). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const TINY_PACK = fileURLToPath(new URL('../fixtures/tiny-pack/', import.meta.url));

export interface RefArray {
  dtype: 'float32' | 'int64';
  shape: number[];
  data: string;
}

export function f32(a: RefArray): Float32Array {
  if (a.dtype !== 'float32') throw new Error(`expected float32, got ${a.dtype}`);
  const buf = Buffer.from(a.data, 'base64');
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export function i64(a: RefArray): BigInt64Array {
  if (a.dtype !== 'int64') throw new Error(`expected int64, got ${a.dtype}`);
  const buf = Buffer.from(a.data, 'base64');
  return new BigInt64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
}

export interface BaseRun {
  name: string;
  sampler: 'ddim' | 'ddpm' | 'dpmpp2m';
  respacing: string;
  guidance: number;
  dynamicThreshold: number | null;
  eta: number;
  prompt: number;
  uncondPrompt: number;
  x_T: RefArray;
  noises: RefArray;
  x0_first: RefArray;
  out: RefArray;
  inpaint_image?: RefArray;
  inpaint_mask?: RefArray;
  /** an img2img start: the picture and the share of steps run */
  init_image?: RefArray;
  strength?: number;
}

export interface Reference {
  prompts: string[];
  r50k: number[][];
  truncated: boolean[];
  tokens: RefArray;
  mask: RefArray;
  xf_proj: RefArray;
  xf_out: RefArray;
  base_call: { inputs: Record<string, RefArray>; out: RefArray };
  upsampler_call: { inputs: Record<string, RefArray>; out: RefArray };
  base_runs: BaseRun[];
  upsampler_run: {
    sampler: 'ddim';
    respacing: string;
    augLevel: number;
    temperature: number;
    low_res: RefArray;
    aug_noise: RefArray;
    noise: RefArray;
    low_res_augmented: RefArray;
    out: RefArray;
  };
  /** the same run with low-res consistency on */
  upsampler_run_consistent: { respacing: string; out: RefArray };
  upsampler_run_smooth: { respacing: string; passes: number; out: RefArray };
  /** the smooth run started img2img-style from the noised enlargement (training/sample.py upsampler_start) */
  upsampler_run_strength: { respacing: string; passes: number; strength: number; out: RefArray };
}

let cached: Reference | undefined;
export function reference(): Reference {
  cached ??= JSON.parse(readFileSync(`${FIXTURES}reference.json`, 'utf8')) as Reference;
  return cached;
}

/** max |a - b| */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return Number.isNaN(m) ? Infinity : m;
}

export function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** The k-th [1,3,S,S] slice of a [N,1,3,S,S] noise stack. */
export function slice(stack: Float32Array, k: number, size: number): Float32Array {
  return stack.subarray(k * size, (k + 1) * size);
}
