/**
 * 4x upscaling of an arbitrary image with the diffusion upsampler: one tile when the image fits
 * the upsampler's low-res input, else overlapping tiles blended with linear seam ramps
 * (tiling.ts). Each tile draws its noise (augmentation, x_T, steps) from one seeded stream, in
 * tile order. Alpha is resized with bicubic filtering, colour comes from the model. A `scale`
 * below the upsampler's factor shrinks its result by area averaging (sharper than enlarging the
 * input that much; with low-res consistency the 2x result's 2 x 2 block means are the input).
 */
import { analyseContent, type ContentAnalysis } from '../content.js';
import { InputError, requireInteger } from '../errors.js';
import { rgbaToPlanes, type Planes } from '../image.js';
import { checkImage } from '../limits.js';
import { ProgressReporter } from '../progress.js';
import type { PackManifest, UpscaleStrengthByContent } from '../pack-types.js';
import { MAX_STEPS, type UpscaleRequest } from '../requests.js';
import { resize } from '../resize.js';
import { NoiseSource } from '../rng.js';
import { samplerFor } from '../sampling/samplers.js';
import { keptSteps } from '../sampling/strength.js';
import { sampleUpsampler } from '../stages.js';
import { tileLayout, upscaleTiled } from '../tiling.js';
import { outputSize } from '../upscale-size.js';
import { diffusionForSteps, encodePrompts, newTimings, upsamplerConsistency, type JobContext, type JobHooks, type JobResult } from './context.js';
import { randomSeed } from '../requests.js';

export async function runUpscale(ctx: JobContext, r: UpscaleRequest, hooks: JobHooks = {}): Promise<JobResult> {
  const t0 = performance.now();
  const img = r.image;
  checkImage('image', img);
  const u = ctx.manifest.upsampler;
  const d = ctx.manifest.defaults;
  const s = u.lowResolution;
  const H = u.resolution;
  const steps = requireInteger('steps', r.steps ?? d.upsamplerSteps ?? 10, 1, MAX_STEPS);
  const sampler = r.sampler ?? d.upsamplerSampler ?? 'ddim';
  samplerFor(sampler); // validates the name
  const choice = chooseStrength(r.strength, d.upscaleStrength, img);
  const strength = choice.strength;
  const calls = keptSteps(strength, steps); // validates it; network calls per tile
  const overlap = requireInteger('overlap', r.overlap ?? Math.max(1, Math.floor(s / 4)), 0, s - 1);
  const seed = r.seed ?? randomSeed();
  const target = outputSize(img, H / s, r.scale);
  const timings = newTimings();
  const progress = new ProgressReporter(hooks.onProgress);
  const warnings: string[] = [];
  let text = undefined;
  let report = { truncated: false, tokens: 0, maxTokens: ctx.tokenizer.contextLength };
  if (u.textConditioned) {
    // the upsampler reads the prompt as it ends (an edited prompt's last phase)
    const enc = await encodePrompts(ctx, r.prompt ?? '', '', steps, hooks.signal);
    text = { embedding: enc.text, row: enc.phases[enc.phases.length - 1]!.cond[0]! };
    report = enc.report;
    warnings.push(...enc.warnings);
    timings.textMs = performance.now() - t0;
  }
  const src = rgbaToPlanes(img);
  // tiles are blended at target.tileScale: each tile's upsampled output is shrunk to it first
  const layout = tileLayout({ width: img.width, height: img.height, tileSize: s, overlap, scale: target.tileScale });
  const tileOut = s * target.tileScale;
  const total = layout.tiles.length * calls;
  const diffusion = diffusionForSteps(u.schedule, steps, sampler);
  const noise = new NoiseSource(seed);
  const tUp = performance.now();
  let out = await upscaleTiled(
    src,
    layout,
    async (tile: Planes, info) => {
      const augNoise = noise.normal(3 * s * s);
      const unit = noise.normal(3 * H * H);
      const { out: x } = await sampleUpsampler({
        session: ctx.sessions.upsampler,
        resolution: H,
        lowResolution: s,
        batch: 1,
        lowRes: tile.data,
        augLevel: d.augLevel ?? 0.15,
        augNoise,
        noise: unit,
        temperature: d.upsamplerTemperature ?? 0.997,
        stepNoise: () => noise.normal(3 * H * H),
        sampler,
        diffusion,
        text,
        ...upsamplerConsistency(d),
        strength,
        onStep: progress.stage('upsampler', total, H, info.index * calls),
        signal: hooks.signal,
      });
      const up = { width: H, height: H, channels: 3, data: x };
      return tileOut === H ? up : resize(up, tileOut, tileOut);
    },
    { signal: hooks.signal },
  );
  timings.upsamplerMs = performance.now() - tUp;
  if (target.width !== out.width || target.height !== out.height) out = resize(out, target.width, target.height);
  const rgba = new Uint8ClampedArray(out.width * out.height * 4);
  const n = out.width * out.height;
  const alpha = upscaledAlpha(img.data, img.width, img.height, out.width, out.height);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) rgba[4 * i + c] = (out.data[c * n + i] + 1) * 127.5;
    rgba[4 * i + 3] = alpha ? alpha[i] * 255 : 255;
  }
  timings.totalMs = performance.now() - t0;
  return {
    images: [{ width: out.width, height: out.height, data: rgba }],
    width: out.width,
    height: out.height,
    seed,
    prompt: report,
    warnings,
    timings,
    upscale: choice,
    settings: { steps, sampler, strength, scale: r.scale ?? H / s },
  };
}

/** The strength an upscale runs at, and, when it was chosen by content, what the picture looked like. */
export interface StrengthChoice {
  strength: number;
  content?: ContentAnalysis;
}

/**
 * The request's strength, else the pack's, else 1. 'auto', or no request value with a pack that
 * gives one strength per kind, analyses the picture (content.ts) and takes that kind's strength.
 * Numbers are validated later, by keptSteps.
 */
export function chooseStrength(
  requested: UpscaleRequest['strength'],
  packDefault: PackManifest['defaults']['upscaleStrength'],
  img: UpscaleRequest['image'],
): StrengthChoice {
  const wanted = requested ?? packDefault ?? 1;
  if (typeof wanted === 'number') return { strength: wanted };
  if (wanted !== 'auto') return byContent(wanted, img);
  if (typeof packDefault === 'object') return byContent(packDefault, img);
  throw new InputError(
    "strength 'auto' needs a model pack that gives one upscale strength for photographs and one for graphics " +
      '(defaults.upscaleStrength: {photo, graphic}); this pack does not: give a number in (0, 1]',
    { details: { name: 'strength' } },
  );
}

function byContent(pair: UpscaleStrengthByContent, img: UpscaleRequest['image']): StrengthChoice {
  const content = analyseContent({ width: img.width, height: img.height, data: img.data });
  return { strength: pair[content.kind], content };
}

/** Bicubic-resized alpha in [0, 1], or null when the image is opaque. */
function upscaledAlpha(data: ArrayLike<number>, w: number, h: number, W: number, H: number): Float32Array | null {
  const a = new Float32Array(w * h);
  let opaque = true;
  for (let i = 0; i < w * h; i++) {
    a[i] = data[4 * i + 3] / 255;
    if (data[4 * i + 3] !== 255) opaque = false;
  }
  if (opaque) return null;
  return resize({ width: w, height: h, channels: 1, data: a }, W, H).data;
}
