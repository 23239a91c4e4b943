/**
 * Filling a selection: crop around it with context, resize to the base resolution, sample with
 * the outside of the selection as the known region (base and upsampler), resize back to the
 * crop and paste with a feather that lies inside the selection, so every pixel outside the
 * selection is returned bit for bit. With `detailScale` the cascade's patches are upscaled again
 * (detail.ts) before they are resized to the crop, so a large selection is not filled with an
 * enlarged 128 px picture; 'auto' decides from the crop's size.
 */
import { composite, cropPlanes, grayToMask, rgbaToPlanes, rgbaToPlanesBinned, tensorToRgbaBatch, type Planes, type RgbaImage } from '../image.js';
import { checkImage, checkMask } from '../limits.js';
import { featherMask, maskBounds, selectionCrop } from '../mask.js';
import { seamlessPatch } from '../seamless.js';
import { ProgressReporter } from '../progress.js';
import type { InpaintRequest, ResolvedSampling } from '../requests.js';
import { resize } from '../resize.js';
import { NoiseSource } from '../rng.js';
import { InputError, requireInteger, requireNumber } from '../errors.js';
import { encodePrompts, newTimings, runCascade, samplingSettings, type JobContext, type JobHooks, type JobResult } from './context.js';
import { addDetail, detailScaleFor } from './detail.js';

/** Known region of `size` x `size` from the crop: image [1,3,s,s] and keep-mask [1,1,s,s]. */
export function knownRegion(crop: Planes, fill: Planes, size: number): { image: Float32Array; mask: Float32Array } {
  const image = resize(crop, size, size).data;
  for (let i = 0; i < image.length; i++) image[i] = Math.min(Math.max(image[i], -1), 1);
  const f = resize(fill, size, size, { filter: fill.width >= size ? 'area' : 'bicubic' }).data;
  const mask = new Float32Array(size * size);
  // keep only pixels with no selected pixel under them: the selection is always regenerated
  for (let i = 0; i < mask.length; i++) mask[i] = f[i] > 1e-4 ? 0 : 1;
  return { image, mask };
}

/**
 * [3, h, w] planes resized to `width` x `height` opaque RGBA, one channel at a time: the same
 * bytes as planesToRgba(resize(p, ...)) with a third of its float copy.
 */
export function resizeToRgba(p: Planes, width: number, height: number): RgbaImage {
  const n = p.width * p.height;
  const out = new Uint8ClampedArray(4 * width * height).fill(255);
  for (let c = 0; c < 3; c++) {
    const channel = resize({ width: p.width, height: p.height, channels: 1, data: p.data.subarray(c * n, (c + 1) * n) }, width, height).data;
    for (let i = 0; i < channel.length; i++) out[4 * i + c] = (channel[i]! + 1) * 127.5;
  }
  return { width, height, data: out };
}

/**
 * Context around a selection, a share of its longer side on each side. The base draws 32-64 px:
 * with a quarter the selection filled most of its view and it painted things where the
 * picture's background went on; with three quarters, fills of 48 validation pictures came out
 * 3.5-5 dB closer to the real pixels (docs/fill.md).
 */
export const DEFAULT_CONTEXT_MARGIN = 0.75;

/**
 * How far a prompted fill's seamless blend reaches into the selection, a share of its shorter
 * side. The whole-fill membrane tinted an inserted object with the colours around it (its middle
 * moved 38-44 levels of 255 on 48 held-out pictures); this reach moves it 2.3 levels and still
 * takes away most of the seam (docs/fill.md, eval_fill.py --job insert).
 */
export const SEAM_REACH_WITH_PROMPT = 0.1;

export async function runInpaint(ctx: JobContext, r: InpaintRequest, req: ResolvedSampling, hooks: JobHooks = {}): Promise<JobResult> {
  const t0 = performance.now();
  const img = r.image;
  checkImage('image', img);
  checkMask(r.mask, img.width, img.height);
  const margin = requireNumber('contextMargin', r.contextMargin ?? DEFAULT_CONTEXT_MARGIN, 0, 4);
  const fillFull = grayToMask(r.mask, img.width, img.height);
  const bounds = maskBounds(fillFull)!;
  const rect = selectionCrop(bounds, img, { margin, minSize: Math.min(ctx.manifest.base.resolution, img.width, img.height) });
  // the known regions are drawn at most at the upsampler's size: a large crop is binned first,
  // so it makes no full-size float copy (a 6000 x 4000 crop would take 288 MB as planes)
  const m = ctx.manifest;
  const bin = Math.max(1, Math.floor(Math.max(rect.width, rect.height) / (4 * m.upsampler.resolution)));
  const cropColour = rgbaToPlanesBinned({ width: img.width, height: img.height, data: img.data }, rect, bin);
  const fill = cropPlanes(fillFull, rect);
  const fillSmall = bin > 1 ? resize(fill, cropColour.width, cropColour.height, { filter: 'area' }) : fill;
  const detail = detailScaleFor(req, rect, ctx.manifest);

  const timings = newTimings();
  const progress = new ProgressReporter(hooks.onProgress, req.previewEvery);
  const prompts = await encodePrompts(ctx, req.prompt, req.negativePrompt, req.steps, hooks.signal);
  const { report, warnings } = prompts;
  timings.textMs = performance.now() - t0;
  progress.emit({ stage: 'text', step: 1, total: 1, etaMs: 0 });

  const baseKnown = knownRegion(cropColour, fillSmall, m.base.resolution);
  const upKnown = req.upscale ? knownRegion(cropColour, fillSmall, m.upsampler.resolution) : undefined;
  const noise = new NoiseSource(req.seed);
  // strength < 1 starts the selection from its own pixels (a fill that keeps their shapes and colours)
  const { data, size, scores } = await runCascade({
    ctx, req, prompts, noise, progress, signal: hooks.signal, timings, baseKnown, upKnown, baseStart: baseKnown.image,
  });

  const blend = r.blend ?? 'seamless';
  const seamReach = r.seamReach ?? (req.prompt.trim() ? SEAM_REACH_WITH_PROMPT : 'all');
  if (seamReach !== 'all') requireNumber('seamReach', seamReach, 0.01, 100);
  if (blend !== 'seamless' && blend !== 'feather') throw new InputError(`blend: expected "seamless" or "feather", got ${JSON.stringify(blend)}`, { details: { name: 'blend' } });
  const radius = requireInteger('featherRadius', r.featherRadius ?? Math.max(1, Math.round(Math.max(rect.width, rect.height) / 64)), 0, 512);
  const alpha = featherMask(fill, radius);
  // the cascade's patches as float planes; with detail, as the upscale job's 8-bit results
  const per = 3 * size * size;
  let patches: Planes[] = Array.from({ length: req.count }, (_, b) => ({ width: size, height: size, channels: 3, data: data.subarray(b * per, (b + 1) * per) }));
  if (detail > 1) {
    const tDetail = performance.now();
    const detailed = await addDetail(ctx, tensorToRgbaBatch(data, req.count, size, size), detail, req, hooks);
    patches = detailed.map((p) => rgbaToPlanes(p));
    timings.upsamplerMs += performance.now() - tDetail;
  }
  const images: RgbaImage[] = [];
  for (const p of patches) {
    let patch = resizeToRgba(p, rect.width, rect.height); // opaque: a fill on a transparent area is visible
    if (blend === 'seamless') patch = seamlessPatch(img, patch, rect, r.mask, { reach: seamReach === 'all' ? Infinity : seamReach });
    images.push(composite({ width: img.width, height: img.height, data: img.data }, patch, alpha, rect));
  }
  timings.totalMs = performance.now() - t0;
  return {
    images, width: img.width, height: img.height, seed: req.seed, prompt: report, warnings, timings, ...(scores ? { scores } : {}),
    settings: { ...samplingSettings(req, detail), ...(blend === 'seamless' ? { seamReach } : {}) },
  };
}

