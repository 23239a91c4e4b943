/** Text to image: encode the prompt once, base stage, upsampler, and optionally a second, tiled upscale. */
import { InputError, requireInteger } from '../errors.js';
import { tensorToRgbaBatch, type RgbaImage } from '../image.js';
import { ProgressReporter, type ProgressFn } from '../progress.js';
import type { ResolvedSampling } from '../requests.js';
import { NoiseSource } from '../rng.js';
import { encodePrompts, newTimings, runCascade, type JobContext, type JobHooks, type JobResult } from './context.js';
import { runUpscale } from './upscale.js';

export async function runGenerate(ctx: JobContext, req: ResolvedSampling, hooks: JobHooks = {}, detailScale = 1): Promise<JobResult> {
  const t0 = performance.now();
  const factor = ctx.manifest.upsampler.resolution / ctx.manifest.upsampler.lowResolution;
  const detail = requireInteger('detailScale', detailScale, 1, factor);
  if (detail > 1 && !req.upscale) {
    throw new InputError('detailScale upscales the cascade\'s result and needs the upsampler: leave upscale on', { details: { name: 'detailScale' } });
  }
  const timings = newTimings();
  const progress = new ProgressReporter(hooks.onProgress, req.previewEvery);
  const { text, report, warnings } = await encodePrompts(ctx, req.prompt, req.negativePrompt, hooks.signal);
  timings.textMs = performance.now() - t0;
  progress.emit({ stage: 'text', step: 1, total: 1, etaMs: 0 });
  const noise = new NoiseSource(req.seed);
  const { data, size, scores } = await runCascade({ ctx, req, text, noise, progress, signal: hooks.signal, timings });
  let images = tensorToRgbaBatch(data, req.count, size, size);
  if (detail > 1) {
    const tDetail = performance.now();
    images = await addDetail(ctx, images, detail, req, hooks);
    timings.upsamplerMs += performance.now() - tDetail;
  }
  timings.totalMs = performance.now() - t0;
  return {
    images,
    ...(scores ? { scores } : {}),
    width: images[0]!.width,
    height: images[0]!.height,
    seed: req.seed,
    prompt: report,
    warnings,
    timings,
  };
}

/**
 * Upscales each image by `scale` with the upscale job, in order, as one 'detail' stage: its
 * steps count on over the images, and the time left adds the images still to come at the pace
 * of those done. Image i's noise comes from seed + 1 + i, so a seed still repeats a run.
 */
async function addDetail(ctx: JobContext, images: RgbaImage[], scale: number, req: ResolvedSampling, hooks: JobHooks): Promise<RgbaImage[]> {
  const out: RgbaImage[] = [];
  const t0 = performance.now();
  for (const [i, image] of images.entries()) {
    const started = performance.now();
    const onProgress: ProgressFn | undefined = hooks.onProgress
      ? (e) => {
          const perImage = e.step > 0 ? ((performance.now() - started) * e.total) / e.step : 0;
          hooks.onProgress!({
            ...e,
            stage: 'detail',
            step: i * e.total + e.step,
            total: images.length * e.total,
            elapsedMs: e.elapsedMs + (started - t0),
            etaMs: e.etaMs + (images.length - 1 - i) * perImage,
          });
        }
      : undefined;
    const r = await runUpscale(ctx, { image, seed: (req.seed + 1 + i) % 2 ** 53, steps: req.upsamplerSteps, scale, prompt: req.prompt }, { signal: hooks.signal, onProgress });
    out.push(r.images[0]!);
  }
  return out;
}
