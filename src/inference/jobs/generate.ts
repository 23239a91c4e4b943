/** Text to image: encode the prompt once, base stage, upsampler, and optionally a second, tiled upscale. */
import { tensorToRgbaBatch } from '../image.js';
import { ProgressReporter } from '../progress.js';
import type { ResolvedSampling } from '../requests.js';
import { NoiseSource } from '../rng.js';
import { encodePrompts, newTimings, runCascade, type JobContext, type JobHooks, type JobResult } from './context.js';
import { addDetail, checkDetailScale } from './detail.js';

export async function runGenerate(ctx: JobContext, req: ResolvedSampling, hooks: JobHooks = {}, detailScale = 1): Promise<JobResult> {
  const t0 = performance.now();
  const detail = checkDetailScale(ctx, detailScale, req.upscale);
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
