import { describe, expect, it } from 'vitest';
import { NoiseSource, philox4x32 } from '../../src/inference/rng.js';

// Random123 known-answer vectors (Random123 tests/kat_vectors): counter[4], key[2] -> out[4].
const KAT: Array<[number, number[], number[], number[]]> = [
  [10, [0, 0, 0, 0], [0, 0], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8]],
  [10, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd]],
  [10, [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1]],
  [7, [0, 0, 0, 0], [0, 0], [0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48]],
  [7, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662]],
  [7, [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a]],
];

/** A second Philox4x32 written independently with BigInt products (bump after each round). */
function philoxBigInt(counter: number[], key: number[], rounds: number): number[] {
  const mask = 0xffffffffn;
  let [c0, c1, c2, c3] = counter.map(BigInt) as [bigint, bigint, bigint, bigint];
  let [k0, k1] = key.map(BigInt) as [bigint, bigint];
  for (let r = 0; r < rounds; r++) {
    const p0 = 0xd2511f53n * c0;
    const p1 = 0xcd9e8d57n * c2;
    [c0, c1, c2, c3] = [((p1 >> 32n) ^ c1 ^ k0) & mask, p1 & mask, ((p0 >> 32n) ^ c3 ^ k1) & mask, p0 & mask];
    k0 = (k0 + 0x9e3779b9n) & mask;
    k1 = (k1 + 0xbb67ae85n) & mask;
  }
  return [c0, c1, c2, c3].map(Number);
}

describe('philox4x32', () => {
  it.each(KAT)('matches the Random123 known answer (%i rounds) for counter %j', (rounds, ctr, key, want) => {
    expect(Array.from(philox4x32(ctr, key, rounds))).toEqual(want);
  });

  it('agrees with an independent BigInt implementation on random inputs', () => {
    const words = new NoiseSource(123).words(6 * 200);
    for (let i = 0; i < 200; i++) {
      const w = Array.from(words.subarray(6 * i, 6 * i + 6));
      const ctr = w.slice(0, 4);
      const key = w.slice(4, 6);
      expect(Array.from(philox4x32(ctr, key))).toEqual(philoxBigInt(ctr, key, 10));
    }
  });
});

describe('NoiseSource', () => {
  it('seed 0, stream 0 starts with the block philox(0, 0)', () => {
    expect(Array.from(new NoiseSource(0).words(4))).toEqual(KAT[0]![3]);
  });

  it('word 4b+j comes from counter [b, 0, stream, 0] and key [seed_lo, seed_hi]', () => {
    const seed = 0x0123456789abcdefn;
    const src = new NoiseSource(seed, { stream: 5 });
    src.seek(4 * 7);
    const got = Array.from(src.words(4));
    expect(got).toEqual(philoxBigInt([7, 0, 5, 0], [0x89abcdef, 0x01234567], 10));
  });

  it('two draws of n equal one draw of 2n, also for odd n and across kinds of draw', () => {
    const a = new NoiseSource(42);
    const first = a.normal(7);
    const second = a.normal(7);
    const whole = new NoiseSource(42).normal(14);
    expect(Array.from(first)).toEqual(Array.from(whole.subarray(0, 7)));
    expect(Array.from(second)).toEqual(Array.from(whole.subarray(7)));
    expect(a.position).toBe(14);

    const u = new NoiseSource(9);
    const u1 = u.uniform(3);
    const u2 = u.uniform(5);
    const uAll = new NoiseSource(9).uniform(8);
    expect([...u1, ...u2]).toEqual([...uAll]);
  });

  it('seek gives random access', () => {
    const all = new NoiseSource(3).normal(100);
    const s = new NoiseSource(3);
    s.seek(37);
    expect(Array.from(s.normal(20))).toEqual(Array.from(all.subarray(37, 57)));
  });

  it('maps words to uniforms (w + 0.5) / 2^32 and pairs of uniforms through Box-Muller', () => {
    const w = new NoiseSource(77).words(4);
    const u = new NoiseSource(77).uniform(4);
    const z = new NoiseSource(77).normal(4);
    for (let i = 0; i < 4; i++) expect(u[i]).toBe((w[i]! + 0.5) / 2 ** 32);
    for (const j of [0, 2]) {
      const r = Math.sqrt(-2 * Math.log(u[j]!));
      expect(z[j]).toBe(Math.fround(r * Math.cos(2 * Math.PI * u[j + 1]!)));
      expect(z[j + 1]).toBe(Math.fround(r * Math.sin(2 * Math.PI * u[j + 1]!)));
    }
  });

  it('takes number and bigint seeds alike, modulo 2^64', () => {
    expect(Array.from(new NoiseSource(12345).words(8))).toEqual(Array.from(new NoiseSource(12345n).words(8)));
    expect(Array.from(new NoiseSource(-1).words(8))).toEqual(Array.from(new NoiseSource(2n ** 64n - 1n).words(8)));
    expect(new NoiseSource(2n ** 64n + 5n).seed).toBe(5n);
    expect(() => new NoiseSource(1.5)).toThrow(/seed: expected a safe integer/);
  });

  it('different seeds and streams give different noise', () => {
    const a = new NoiseSource(1).normal(16);
    const b = new NoiseSource(2).normal(16);
    const c = new NoiseSource(1, { stream: 1 }).normal(16);
    expect(a).not.toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('uniforms lie in the open interval (0, 1) with mean 1/2 and variance 1/12', () => {
    const n = 1_000_000;
    const u = new NoiseSource(2024).uniform(n);
    let min = 1;
    let max = 0;
    let s = 0;
    let s2 = 0;
    for (const v of u) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      s += v;
      s2 += v * v;
    }
    expect(min).toBeGreaterThan(0);
    expect(max).toBeLessThan(1);
    const mean = s / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(s2 / n - mean * mean - 1 / 12)).toBeLessThan(0.001);
  });

  it('normals have mean 0, variance 1, kurtosis 3 and 68.27% within one sigma (1e6 samples)', () => {
    const n = 1_000_000;
    const z = new NoiseSource(7).normal(n);
    let s = 0;
    let s2 = 0;
    let s4 = 0;
    let within = 0;
    for (const v of z) {
      s += v;
      s2 += v * v;
      s4 += v ** 4;
      if (Math.abs(v) < 1) within++;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    // 5 standard errors: mean se 1/sqrt(n), variance se sqrt(2/n), kurtosis se sqrt(96/n)
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(s4 / n - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    expect(Math.abs(within / n - 0.682689)).toBeLessThan(5 * Math.sqrt(0.2173 / n));
  });
});
