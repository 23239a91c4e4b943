/**
 * Adding detail: a cascade draws at the upsampler's resolution (128 px for the default pack);
 * for a larger layer, generate and fill can upscale their images again with the tiled upscale
 * job (the pack's upscale strength) instead of leaving the caller to enlarge them.
 */
import { InputError, requireInteger } from '../errors.js';
import type { RgbaImage } from '../image.js';
import type { ProgressFn } from '../progress.js';
import type { ResolvedSampling } from '../requests.js';
import type { JobContext, JobHooks } from './context.js';
import { runUpscale } from './upscale.js';

/** A request's detailScale: a whole number from 1 (none) to the upsampler's factor; more than 1 needs the upsampler. */
export function checkDetailScale(ctx: JobContext, value: unknown, upscale: boolean): number {
  const factor = ctx.manifest.upsampler.resolution / ctx.manifest.upsampler.lowResolution;
  const detail = requireInteger('detailScale', value, 1, factor);
  if (detail > 1 && !upscale) {
    throw new InputError("detailScale upscales the cascade's result and needs the upsampler: leave upscale on", { details: { name: 'detailScale' } });
  }
  return detail;
}

/**
 * Upscales each image by `scale` with the upscale job, in order, as one 'detail' stage: its
 * steps count on over the images, and the time left adds the images still to come at the pace
 * of those done. Image i's noise comes from seed + 1 + i, so a seed still repeats a run.
 */
export async function addDetail(ctx: JobContext, images: RgbaImage[], scale: number, req: ResolvedSampling, hooks: JobHooks): Promise<RgbaImage[]> {
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
