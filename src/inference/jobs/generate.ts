/**
 * Text to image: encode the prompt once, base stage (from noise, or from an `init` picture at a
 * strength below 1), upsampler, optionally the squares extended to a wide or tall `aspect`
 * (extend.ts), and optionally a second, tiled upscale.
 */
import { rgbaToPlanesBinned, tensorToRgbaBatch } from '../image.js';
import { checkImage } from '../limits.js';
import { resize } from '../resize.js';
import { ProgressReporter } from '../progress.js';
import { InputError } from '../errors.js';
import type { GenerateRequest, ResolvedSampling } from '../requests.js';
import { NoiseSource } from '../rng.js';
import { encodePrompts, newTimings, runCascade, samplingSettings, type JobContext, type JobHooks, type JobResult } from './context.js';
import { addDetail, detailScaleFor } from './detail.js';
import { aspectSides, checkAspect, detailCover } from '../aspect.js';
import { extendToAspect } from './extend.js';

/** A request's layerSize: positive whole numbers, or undefined. */
function layerSizeOf(r: Pick<GenerateRequest, 'layerSize'>): { width: number; height: number } | undefined {
  const s = r.layerSize;
  if (s === undefined) return undefined;
  if (typeof s !== 'object' || s === null || !(Number.isInteger(s.width) && s.width > 0 && Number.isInteger(s.height) && s.height > 0)) {
    throw new InputError(`layerSize: expected {width, height} in whole pixels above 0, got ${JSON.stringify(s)}`, { details: { name: 'layerSize' } });
  }
  return s;
}

/**
 * An init picture as the base's start [1,3,S,S] in [-1, 1]: its centred square, transparency
 * on white (as the training pictures), resized (area averaging to shrink). A large square is
 * first binned by a whole factor to at most 4S, so no full-size float copy is made.
 */
export function initPicture(init: NonNullable<GenerateRequest['init']>, size: number): Float32Array {
  checkImage('init', init);
  const side = Math.min(init.width, init.height);
  const square = { x: Math.floor((init.width - side) / 2), y: Math.floor((init.height - side) / 2), width: side, height: side };
  const binned = rgbaToPlanesBinned(init, square, Math.max(1, Math.floor(side / (4 * size))));
  const planes = resize(binned, size, size).data; // 'auto': area averaging to shrink
  for (let i = 0; i < planes.length; i++) planes[i] = Math.min(Math.max(planes[i]!, -1), 1);
  return planes;
}

export async function runGenerate(ctx: JobContext, r: Pick<GenerateRequest, 'layerSize' | 'init' | 'aspect'>, req: ResolvedSampling, hooks: JobHooks = {}): Promise<JobResult> {
  const t0 = performance.now();
  const aspect = checkAspect(r.aspect);
  const square = req.upscale ? ctx.manifest.upsampler.resolution : ctx.manifest.base.resolution;
  const sides = aspect === undefined ? undefined : aspectSides(square, aspect);
  const extended = sides && { width: square + sides.left + sides.right, height: square + sides.top + sides.bottom };
  const layerSize = layerSizeOf(r);
  // detail for the scale the extended picture is shown at, not for its width
  const detail = detailScaleFor(req, layerSize && extended ? detailCover(layerSize, square, extended) : layerSize, ctx.manifest);
  if (req.strength < 1 && !r.init) {
    throw new InputError('strength below 1 redraws a picture: give the picture to start from as init', { details: { name: 'strength' } });
  }
  const baseStart = r.init ? initPicture(r.init, ctx.manifest.base.resolution) : undefined;
  const timings = newTimings();
  const progress = new ProgressReporter(hooks.onProgress, req.previewEvery);
  const prompts = await encodePrompts(ctx, req.prompt, req.negativePrompt, req.steps, hooks.signal);
  const { report, warnings } = prompts;
  timings.textMs = performance.now() - t0;
  progress.emit({ stage: 'text', step: 1, total: 1, etaMs: 0 });
  const noise = new NoiseSource(req.seed);
  const { data, size, scores } = await runCascade({ ctx, req, prompts, noise, progress, signal: hooks.signal, timings, baseStart });
  let images = tensorToRgbaBatch(data, req.count, size, size);
  // (extendToAspect passes a square whose shape rounds to itself through as it is)
  if (aspect !== undefined) {
    const tExtend = performance.now();
    images = await extendToAspect(ctx, images, aspect, req, hooks);
    timings.baseMs += performance.now() - tExtend;
  }
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
    settings: { ...samplingSettings(req, detail), ...(aspect !== undefined ? { aspect } : {}) },
  };
}
