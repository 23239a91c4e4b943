/**
 * Progress of a job: which stage, step i of n, elapsed time, an estimate of the time left in
 * the stage, and now and then a preview made from the predicted x0 (the first image of the
 * batch). Samplers only see a StepCallback; this turns their calls into events.
 */
import { planesToRgba } from './image.js';
import type { StepCallback } from './sampling/denoiser.js';

/**
 * 'detail': generate's and inpaint's second upscale of their images (jobs/detail.ts); 'extend':
 * a generate's squares drawn out to a wide or tall shape (jobs/extend.ts)
 */
export type Stage = 'text' | 'base' | 'upsampler' | 'detail' | 'extend';

export interface Preview {
  width: number;
  height: number;
  /** RGBA bytes, width * height * 4 */
  rgba: Uint8Array;
}

export interface ProgressEvent {
  stage: Stage;
  /** 1-based */
  step: number;
  total: number;
  /** since the job started */
  elapsedMs: number;
  /** estimated time left in this stage */
  etaMs: number;
  preview?: Preview;
}

export type ProgressFn = (e: ProgressEvent) => void;

const now = () => performance.now();

export class ProgressReporter {
  private readonly start = now();

  constructor(
    private readonly onProgress: ProgressFn | undefined,
    /** preview every N steps; undefined: about 5 per stage; 0: none */
    private readonly previewEvery?: number,
  ) {}

  get elapsedMs(): number {
    return now() - this.start;
  }

  emit(e: Omit<ProgressEvent, 'elapsedMs'>): void {
    this.onProgress?.({ ...e, elapsedMs: this.elapsedMs });
  }

  /**
   * A StepCallback for a stage of `total` steps at `size` x `size`; `offset` counts steps
   * already done in this stage (tiles of an upscale run one after another).
   */
  stage(stage: Stage, total: number, size: number, offset = 0): StepCallback {
    const started = now();
    const every = this.previewEvery ?? Math.max(1, Math.round(total / 5));
    return (k, _n, x0) => {
      if (!this.onProgress) return;
      const step = offset + k;
      const perStep = (now() - started) / k;
      const wantPreview = every > 0 && (step % every === 0 || step === total);
      const preview = wantPreview ? previewOf(x0, size) : undefined;
      this.emit({ stage, step, total, etaMs: Math.max(0, (total - step) * perStep), ...(preview ? { preview } : {}) });
    };
  }
}

/** Where a sub-run's event falls in its image's share of a stage; null: not counted. */
export type StepWithin = (e: ProgressEvent) => { step: number; perImage: number } | null;

/**
 * Progress for one `stage` made of sub-runs, one per image, run one after another (adding
 * detail, extending to a shape): `forImage(i, within)` gives image i's sub-run a ProgressFn
 * whose events become steps of `stage` counting on over the `images` (`within` places each in
 * the image's share), timed from this call, with the time left at the pace so far. Undefined
 * without `onProgress`.
 */
export function stageOverImages(stage: Stage, images: number, onProgress: ProgressFn | undefined) {
  const started = now();
  return (i: number, within: StepWithin): ProgressFn | undefined =>
    onProgress &&
    ((e) => {
      const at = within(e);
      if (!at) return;
      const step = i * at.perImage + at.step;
      const total = images * at.perImage;
      const elapsedMs = now() - started;
      onProgress({ ...e, stage, step, total, elapsedMs, etaMs: step > 0 ? (elapsedMs * (total - step)) / step : 0 });
    });
}

/** RGBA preview of the first [3, size, size] image of a batch in [-1, 1]. */
export function previewOf(x: Float32Array, size: number): Preview {
  const n = 3 * size * size;
  const img = planesToRgba({ width: size, height: size, channels: 3, data: x.subarray(0, n) });
  return { width: size, height: size, rgba: new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength) };
}
