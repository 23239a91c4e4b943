/**
 * Counter-based noise: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as
 * 1, 2, 3", SC 2011) + Box-Muller.
 *
 * Notation: a block is philox(counter, key) = four 32-bit words. The stream of a
 * NoiseSource is the sequence of words w_0, w_1, ... with w_{4b+j} = philox([b_lo, b_hi,
 * s_lo, s_hi], [seed_lo, seed_hi])[j] (b the block index, s the stream id). Every draw is a
 * pure function of (seed, stream, word index), so the same seed gives the same noise on
 * every backend, and draws can be split freely: two draws of n equal one draw of 2n.
 */
import { invalidInput, requireInteger } from './errors.js';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9; // golden ratio
const W1 = 0xbb67ae85; // sqrt(3) - 1
const TWO_32 = 4294967296;

/** High 32 bits of the 64-bit product of two uint32 (exact, in doubles of 16-bit halves). */
function mulhi(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lo = aLo * bLo;
  const mid1 = aHi * bLo;
  const mid2 = aLo * bHi;
  const carry = (lo >>> 16) + (mid1 & 0xffff) + (mid2 & 0xffff);
  return (aHi * bHi + (mid1 >>> 16) + (mid2 >>> 16) + (carry >>> 16)) >>> 0;
}

/**
 * One Philox4x32 block: `rounds` rounds (10 is the standard, crush-resistant choice) on a
 * 128-bit counter (4 words, word 0 least significant) and a 64-bit key (2 words).
 * Writes the 4 output words into `out` (allocation-free in loops) and returns it.
 */
export function philox4x32(
  counter: ArrayLike<number>,
  key: ArrayLike<number>,
  rounds = 10,
  out: Uint32Array = new Uint32Array(4),
): Uint32Array {
  let c0 = counter[0]! >>> 0;
  let c1 = counter[1]! >>> 0;
  let c2 = counter[2]! >>> 0;
  let c3 = counter[3]! >>> 0;
  let k0 = key[0]! >>> 0;
  let k1 = key[1]! >>> 0;
  for (let r = 0; r < rounds; r++) {
    if (r > 0) {
      k0 = (k0 + W0) >>> 0;
      k1 = (k1 + W1) >>> 0;
    }
    const hi0 = mulhi(M0, c0);
    const lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2);
    const lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/** Splits a seed (any integer; taken modulo 2^64) into the two key words. */
function seedWords(seed: number | bigint): [number, number] {
  let s: bigint;
  if (typeof seed === 'bigint') {
    s = BigInt.asUintN(64, seed);
  } else {
    if (!Number.isSafeInteger(seed)) throw invalidInput('seed', 'a safe integer or a bigint', seed);
    s = BigInt.asUintN(64, BigInt(seed));
  }
  return [Number(s & 0xffffffffn), Number(s >> 32n)];
}

export interface NoiseSourceOptions {
  /** Independent stream id for the same seed (goes into the upper counter words). */
  stream?: number;
}

/**
 * A seeded source of uniform and Gaussian noise with a stream position measured in 32-bit
 * words. `normal(n)` and `uniform(n)` each consume n words.
 */
export class NoiseSource {
  readonly seed: bigint;
  readonly stream: number;
  private readonly key: [number, number];
  private readonly ctr = new Uint32Array(4);
  private readonly block = new Uint32Array(4);
  private cachedBlock = -1;
  private pos = 0;

  constructor(seed: number | bigint, options: NoiseSourceOptions = {}) {
    const stream = requireInteger('stream', options.stream ?? 0, 0, Number.MAX_SAFE_INTEGER);
    this.key = seedWords(seed);
    this.seed = (BigInt(this.key[1]) << 32n) | BigInt(this.key[0]);
    this.stream = stream;
    this.ctr[2] = stream % TWO_32;
    this.ctr[3] = Math.floor(stream / TWO_32);
  }

  /** Words consumed so far. */
  get position(): number {
    return this.pos;
  }

  /** Moves the stream to an absolute word index (random access). */
  seek(position: number): void {
    this.pos = requireInteger('position', position, 0, Number.MAX_SAFE_INTEGER);
  }

  /** Word i of the stream. */
  private word(i: number): number {
    const b = Math.floor(i / 4);
    if (b !== this.cachedBlock) {
      this.ctr[0] = b % TWO_32;
      this.ctr[1] = Math.floor(b / TWO_32);
      philox4x32(this.ctr, this.key, 10, this.block);
      this.cachedBlock = b;
    }
    return this.block[i & 3]!;
  }

  /** Uniform in the open interval (0, 1): (w + 0.5) / 2^32. Float64 (float32 would round to 1). */
  private uniformAt(i: number): number {
    return (this.word(i) + 0.5) / TWO_32;
  }

  /** Standard normal at word i: Box-Muller on the word pair (2j, 2j+1); even i takes the cosine. */
  private normalAt(i: number): number {
    const j = i - (i & 1);
    const r = Math.sqrt(-2 * Math.log(this.uniformAt(j)));
    const theta = 2 * Math.PI * this.uniformAt(j + 1);
    return (i & 1) === 0 ? r * Math.cos(theta) : r * Math.sin(theta);
  }

  /** `count` raw 32-bit words. */
  words(count: number): Uint32Array {
    const n = requireInteger('count', count, 0);
    const out = new Uint32Array(n);
    for (let k = 0; k < n; k++) out[k] = this.word(this.pos + k);
    this.pos += n;
    return out;
  }

  /** `count` uniforms in (0, 1). */
  uniform(count: number): Float64Array {
    const n = requireInteger('count', count, 0);
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = this.uniformAt(this.pos + k);
    this.pos += n;
    return out;
  }

  /** `count` standard normals (mean 0, variance 1), e.g. a [B, C, H, W] tensor's worth. */
  normal(count: number): Float32Array {
    const n = requireInteger('count', count, 0);
    const out = new Float32Array(n);
    for (let k = 0; k < n; k++) out[k] = this.normalAt(this.pos + k);
    this.pos += n;
    return out;
  }
}
