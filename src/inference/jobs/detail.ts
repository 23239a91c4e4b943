/**
 * Adding detail: a cascade draws at the upsampler's resolution (128 px for the default pack);
 * for a larger layer, generate and fill can upscale their images again with the tiled upscale
 * job (the pack's upscale strength) instead of leaving the caller to enlarge them.
 */
import type { RgbaImage } from '../image.js';
import type { PackManifest } from '../pack-types.js';
import { stageOverImages } from '../progress.js';
import { upsamplerFactor, type ResolvedSampling } from '../requests.js';
import type { JobContext, JobHooks } from './context.js';
import { runUpscale } from './upscale.js';

/** Below this many times the cascade's output, plain resizing loses little: no detail pass. */
export const DETAIL_THRESHOLD = 1.5;

/**
 * The detail scale a job uses: the request's number, or for 'auto' the whole number (2 up to the
 * upsampler's factor) that brings the cascade's picture closest to covering `cover` from at most
 * one step above; 1 when `cover` is unknown, less than DETAIL_THRESHOLD times the output, or
 * there is no upsampler run to build on.
 */
export function detailScaleFor(req: Pick<ResolvedSampling, 'detailScale' | 'upscale'>, cover: { width: number; height: number } | undefined, m: PackManifest): number {
  if (req.detailScale !== 'auto') return req.detailScale;
  if (!cover || !req.upscale) return 1;
  const need = Math.max(cover.width, cover.height) / m.upsampler.resolution;
  if (!(need >= DETAIL_THRESHOLD)) return 1;
  return Math.min(upsamplerFactor(m), Math.ceil(need));
}

/**
 * Upscales each image by `scale` with the upscale job, in order, as one 'detail' stage: its
 * steps count on over the images, and the time left adds the images still to come at the pace
 * of those done. Image i's noise comes from seed + 1 + i, so a seed still repeats a run.
 */
export async function addDetail(ctx: JobContext, images: RgbaImage[], scale: number, req: ResolvedSampling, hooks: JobHooks): Promise<RgbaImage[]> {
  const out: RgbaImage[] = [];
  const forImage = stageOverImages('detail', images.length, hooks.onProgress);
  for (const [i, image] of images.entries()) {
    const onProgress = forImage(i, (e) => ({ step: e.step, perImage: e.total }));
    const r = await runUpscale(ctx, { image, seed: (req.seed + 1 + i) % 2 ** 53, steps: req.upsamplerSteps, scale, prompt: req.prompt }, { signal: hooks.signal, onProgress });
    out.push(r.images[0]!);
  }
  return out;
}
