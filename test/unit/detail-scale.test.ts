// How much detail a job adds (src/inference/jobs/detail.ts detailScaleFor) and how a request's
// detailScale is checked (resolveSampling), against thresholds worked out by hand.
import { describe, expect, it } from 'vitest';
import { detailScaleFor } from '../../src/inference/jobs/detail.js';
import type { PackManifest } from '../../src/inference/pack-types.js';
import { resolveSampling } from '../../src/inference/requests.js';

// a 128 px upsampler from 32 px: factor 4, as the default pack
const m = { upsampler: { resolution: 128, lowResolution: 32 }, defaults: { steps: 10, guidance: 3, sampler: 'ddim' } } as unknown as PackManifest;
const auto = { detailScale: 'auto' as const, upscale: true };

describe('detail scale', () => {
  it("'auto' adds none below 1.5 times the output, then the whole scale that covers the longer side, at most the factor", () => {
    expect(detailScaleFor(auto, { width: 191, height: 40 }, m)).toBe(1); // 1.49x
    expect(detailScaleFor(auto, { width: 40, height: 192 }, m)).toBe(2); // 1.5x
    expect(detailScaleFor(auto, { width: 257, height: 200 }, m)).toBe(3); // 2.01x: one step above
    expect(detailScaleFor(auto, { width: 384, height: 384 }, m)).toBe(3); // exactly 3x
    expect(detailScaleFor(auto, { width: 5000, height: 10 }, m)).toBe(4); // the factor is the most
  });

  it("'auto' adds none without a size to cover or without the upsampler; a number is kept", () => {
    expect(detailScaleFor(auto, undefined, m)).toBe(1);
    expect(detailScaleFor({ ...auto, upscale: false }, { width: 1000, height: 1000 }, m)).toBe(1);
    expect(detailScaleFor({ detailScale: 3, upscale: true }, { width: 10, height: 10 }, m)).toBe(3);
  });

  it('resolveSampling keeps auto, checks numbers against the factor and the upsampler, defaults to none', () => {
    expect(resolveSampling({ prompt: 'x' }, m).detailScale).toBe(1);
    expect(resolveSampling({ prompt: 'x', detailScale: 'auto', upscale: false }, m).detailScale).toBe('auto');
    expect(resolveSampling({ prompt: 'x', detailScale: 4 }, m).detailScale).toBe(4);
    expect(() => resolveSampling({ prompt: 'x', detailScale: 5 }, m)).toThrow(/^detailScale: expected an integer from 1 to 4/);
    expect(() => resolveSampling({ prompt: 'x', detailScale: 2.5 }, m)).toThrow(/^detailScale: expected an integer/);
    expect(() => resolveSampling({ prompt: 'x', detailScale: 2, upscale: false }, m)).toThrow(/needs the upsampler: leave upscale on/);
  });
});
