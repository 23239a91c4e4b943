/**
 * Requests of the engine (jobs are data: STYLE rule 9) and their resolution against the pack's
 * defaults, with validation that names the option and what was expected.
 */
import { InputError, requireInteger, requireNumber } from './errors.js';
import { MAX_CANDIDATES, type ImageLike } from './limits.js';
import type { PackManifest } from './pack-types.js';
import { SAMPLER_NAMES, type SamplerName } from './sampling/samplers.js';
import { checkStrength } from './sampling/strength.js';

export interface SamplingRequest {
  prompt: string;
  /** replaces the empty caption in the unconditional half of guidance */
  negativePrompt?: string;
  /** any safe integer; default random (returned in the result) */
  seed?: number;
  steps?: number;
  guidance?: number;
  sampler?: SamplerName;
  /** images per run (batch) */
  count?: number;
  /**
   * base images drawn per output image; the pack's reranker keeps the best `count` of
   * `count * candidates` before the upsampler (default the pack's `defaults.candidates`, else 1)
   */
  candidates?: number;
  /** percentile p in (0, 1] for dynamic thresholding, null for static clipping; default the pack's */
  dynamicThreshold?: number | null;
  /** run the 4x upsampler after the base (default true) */
  upscale?: boolean;
  /** DDIM eta (default 0) */
  eta?: number;
  /** steps of the upsampler (default the pack's) */
  upsamplerSteps?: number;
  /** a preview every N steps (default: about 5 per stage; 0: none) */
  previewEvery?: number;
  /**
   * Adding detail (jobs/detail.ts): a whole number from 1 (none, the default) to the upsampler's
   * factor upscales each result of the cascade again by that much with the tiled upscale job, for
   * a picture larger than the cascade draws; more than 1 needs `upscale`. 'auto' lets the job
   * choose from the size the picture will cover (an inpaint's crop, a generate's `layerSize`):
   * none below 1.5 times the cascade's output, and none without the upsampler.
   */
  detailScale?: number | 'auto';
  /**
   * in (0, 1]: how much the base redraws (img2img, sampling/strength.ts). 1 starts from noise;
   * less starts from a picture, a generate's `init` or the inpaint's own pixels under the
   * selection, noised part of the way and running that share of the steps: lower keeps more of
   * its colours and layout. Default 1, or DEFAULT_INIT_STRENGTH for a generate with an `init`.
   */
  strength?: number;
}

/** A generate's strength when it has an `init` picture and no strength of its own. */
export const DEFAULT_INIT_STRENGTH = 0.6;

export interface GenerateRequest extends SamplingRequest {
  /**
   * a picture to start from (RGBA, straight alpha; transparency counts as white), centre-cropped
   * to a square and shrunk to the base's resolution: "more like this" of a variation, or a layer
   * to redraw from the prompt; how much is redrawn is `strength`
   */
  init?: ImageLike & { data: Uint8Array | Uint8ClampedArray };
  /**
   * the size the caller will show each image at (e.g. a selection's bounds); with
   * `detailScale: 'auto'` it decides how much detail to add. The result keeps the cascade's square.
   */
  layerSize?: { width: number; height: number };
  /**
   * width / height of the result, from 1/3 to 3 (jobs/extend.ts): each square the cascade draws
   * is extended to this shape by outpainting its sides, so a wide or tall layer shows the whole
   * subject instead of a cut-out of it. Default: the cascade's square.
   */
  aspect?: number;
}

export interface InpaintRequest extends SamplingRequest {
  /** RGBA, straight alpha, `width * height * 4` bytes */
  image: ImageLike & { data: Uint8Array | Uint8ClampedArray };
  /** one byte per pixel, 255 = fill (selected), 0 = keep */
  mask: Uint8Array | Uint8ClampedArray;
  /** context around the selection, a share of its longer side on each side (default 0.75, DEFAULT_CONTEXT_MARGIN) */
  contextMargin?: number;
  /** feather of the paste-back inside the selection, pixels (default: about 1/64 of the crop) */
  featherRadius?: number;
  /**
   * how the fill meets the picture: 'seamless' (the default) shifts it by the smooth field that
   * takes away its step against the picture along the selection's edge (seamless.ts), then
   * feathers; 'feather' only feathers
   */
  blend?: 'seamless' | 'feather';
  /**
   * the seamless blend's reach into the selection, a share of its shorter side (seamless.ts
   * SeamlessOptions.reach), or 'all': the whole fill shifts. Default: 'all' with an empty prompt
   * (a removal continues what is around it), SEAM_REACH_WITH_PROMPT with one (a prompted object
   * keeps its own colours; docs/fill.md)
   */
  seamReach?: number | 'all';
}

export interface UpscaleRequest {
  image: ImageLike & { data: Uint8Array | Uint8ClampedArray };
  /** text for text-conditioned upsamplers (default empty) */
  prompt?: string;
  seed?: number;
  steps?: number;
  sampler?: SamplerName;
  /** overlap of neighbouring tiles in input pixels (default lowResolution / 4) */
  overlap?: number;
  /**
   * in (0, 1]: how much the upsampler redraws (default the pack's `upscaleStrength`, else 1).
   * 1 starts from noise; less starts from the smoothly enlarged image and runs that share of
   * the steps: more faithful to photographs, and faster (sampling/strength.ts). 'auto' takes the
   * pack's strength for the kind of picture this is (content.ts); it needs a pack that gives one
   * per kind.
   */
  strength?: number | 'auto';
  /**
   * output size / input size, above 1 and at most the upsampler's factor (its default, 4 for
   * GLIDE-style packs); below the factor the upsampled picture is shrunk by area averaging
   */
  scale?: number;
}

/** A request with every option decided. */
export interface ResolvedSampling {
  prompt: string;
  negativePrompt: string;
  seed: number;
  steps: number;
  guidance: number;
  sampler: SamplerName;
  count: number;
  /** base images drawn per output image (1: no selection) */
  candidates: number;
  dynamicThreshold: number | null;
  upscale: boolean;
  eta: number;
  upsamplerSteps: number;
  upsamplerSampler: SamplerName;
  augLevel: number;
  temperature: number;
  /** undefined: about 5 previews per stage */
  previewEvery: number | undefined;
  /** a checked whole number (1: none), or 'auto' for the job to choose (jobs/detail.ts) */
  detailScale: number | 'auto';
  /** the base's img2img strength in (0, 1] (1: from noise) */
  strength: number;
}

/** At most this many images per run (memory grows with it). */
export const MAX_COUNT = 16;
export const MAX_STEPS = 1000;

export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 32);
}

function samplerName(name: string, v: unknown): SamplerName {
  if (typeof v !== 'string' || !(SAMPLER_NAMES as readonly string[]).includes(v)) {
    throw new InputError(`${name} "${String(v)}" is unknown; expected one of ${SAMPLER_NAMES.join(', ')}`, { details: { name } });
  }
  return v as SamplerName;
}

function text(name: string, v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new InputError(`${name}: expected text, got ${typeof v}`, { details: { name } });
  return v;
}

/** The upsampler's factor: how much one run of it enlarges (4 for GLIDE-style packs). */
export function upsamplerFactor(m: PackManifest): number {
  return m.upsampler.resolution / m.upsampler.lowResolution;
}

/** A request's numeric detailScale: a whole number from 1 (none) to the upsampler's factor; more than 1 needs the upsampler. */
function checkDetailScale(value: unknown, m: PackManifest, upscale: boolean): number {
  const detail = requireInteger('detailScale', value, 1, upsamplerFactor(m));
  if (detail > 1 && !upscale) {
    throw new InputError("detailScale upscales the cascade's result and needs the upsampler: leave upscale on", { details: { name: 'detailScale' } });
  }
  return detail;
}

export function resolveSampling(r: SamplingRequest & Pick<GenerateRequest, 'init'>, m: PackManifest): ResolvedSampling {
  if (typeof r !== 'object' || r === null) throw new InputError('request: expected an object with at least a prompt');
  const d = m.defaults;
  const steps = requireInteger('steps', r.steps ?? d.steps, 1, MAX_STEPS);
  const upsamplerSteps = requireInteger('upsamplerSteps', r.upsamplerSteps ?? d.upsamplerSteps ?? 10, 1, MAX_STEPS);
  const th = r.dynamicThreshold === undefined ? (d.dynamicThreshold ?? null) : r.dynamicThreshold;
  const dynamicThreshold = th === null ? null : requireNumber('dynamicThreshold', th, Number.MIN_VALUE, 1);
  const seed = r.seed ?? randomSeed();
  const candidates = requireInteger('candidates', r.candidates ?? d.candidates ?? 1, 1, MAX_CANDIDATES);
  if (candidates > 1 && !m.reranker) {
    throw new InputError(`candidates: this model has no reranker to choose among ${candidates} candidates; use 1`, {
      details: { name: 'candidates' },
    });
  }
  const upscale = r.upscale ?? true;
  const detailScale = r.detailScale === 'auto' ? 'auto' : checkDetailScale(r.detailScale ?? 1, m, upscale);
  if (!Number.isSafeInteger(seed)) throw new InputError(`seed: expected a whole number, got ${String(seed)}`, { details: { name: 'seed' } });
  return {
    prompt: text('prompt', r.prompt),
    negativePrompt: text('negativePrompt', r.negativePrompt),
    seed,
    steps,
    guidance: requireNumber('guidance', r.guidance ?? d.guidance, 0, 100),
    sampler: samplerName('sampler', r.sampler ?? d.sampler),
    count: requireInteger('count', r.count ?? 1, 1, MAX_COUNT),
    candidates,
    dynamicThreshold,
    upscale,
    eta: requireNumber('eta', r.eta ?? 0, 0, 1),
    upsamplerSteps,
    upsamplerSampler: samplerName('upsamplerSampler', d.upsamplerSampler ?? 'ddim'),
    augLevel: d.augLevel ?? 0.15,
    temperature: d.upsamplerTemperature ?? 0.997,
    previewEvery: r.previewEvery === undefined ? undefined : requireInteger('previewEvery', r.previewEvery, 0),
    detailScale,
    strength: checkStrength(r.strength ?? (r.init ? DEFAULT_INIT_STRENGTH : 1)),
  };
}
