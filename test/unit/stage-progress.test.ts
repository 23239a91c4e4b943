// stageOverImages: sub-runs, one per image, reported as one stage that counts on over the images.
import { describe, expect, it, vi } from 'vitest';
import { stageOverImages, type ProgressEvent } from '../../src/inference/progress.js';

const event = (stage: ProgressEvent['stage'], step: number, total: number): ProgressEvent => ({ stage, step, total, elapsedMs: 0, etaMs: 0 });

describe('stageOverImages', () => {
  it('counts each image on from the ones before, as the stage it was given', () => {
    const seen: ProgressEvent[] = [];
    const forImage = stageOverImages('detail', 3, (e) => seen.push(e));
    forImage(0, (e) => ({ step: e.step, perImage: e.total }))!(event('upsampler', 4, 10));
    forImage(2, (e) => ({ step: e.step, perImage: e.total }))!(event('upsampler', 10, 10));
    expect(seen.map((e) => [e.stage, e.step, e.total])).toEqual([
      ['detail', 4, 30],
      ['detail', 30, 30],
    ]);
    expect(seen[1]!.etaMs).toBe(0);
  });

  it('drops what `within` does not count, and keeps previews', () => {
    const seen: ProgressEvent[] = [];
    const preview = { width: 1, height: 1, rgba: new Uint8Array(4) };
    const onProgress = stageOverImages('extend', 2, (e) => seen.push(e))(1, (e) => (e.stage === 'text' ? null : { step: e.step, perImage: 8 }));
    onProgress!(event('text', 1, 1));
    onProgress!({ ...event('base', 2, 6), preview });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ stage: 'extend', step: 10, total: 16, preview });
  });

  it('estimates the time left at the pace so far: half done in 2 s leaves 2 s', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    try {
      const seen: ProgressEvent[] = [];
      const forImage = stageOverImages('detail', 2, (e) => seen.push(e));
      vi.advanceTimersByTime(2000);
      forImage(0, (e) => ({ step: e.step, perImage: e.total }))!(event('upsampler', 10, 10));
      expect(seen).toEqual([expect.objectContaining({ step: 10, total: 20, elapsedMs: 2000, etaMs: 2000 })]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives no callback without a listener', () => {
    expect(stageOverImages('detail', 2, undefined)(0, () => ({ step: 1, perImage: 1 }))).toBeUndefined();
  });
});
