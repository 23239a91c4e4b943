/** Types of model.json, format version 1 (docs/model-pack.md). */
import type { SamplerName } from './sampling/samplers.js';
import type { ScheduleKind } from './schedule.js';

export type Precision = 'fp32' | 'fp16';

export interface PackFile {
  precision: Precision;
  path: string;
  bytes: number;
  sha256: string;
}

export interface TensorSpec {
  name: string;
  type: string;
  dims: (number | string)[];
}

export interface StageEntry {
  files: PackFile[];
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface StageSchedule {
  kind: ScheduleKind;
  trainingSteps: number;
  prediction: 'epsilon';
  learnedSigma: true;
}

/** Upscale strengths for photographs and for flat-coloured art (content.ts tells them apart). */
export interface UpscaleStrengthByContent {
  photo: number;
  graphic: number;
}

export interface PackManifest {
  format: 'diffusion-layers-pack';
  formatVersion: 1;
  name: string;
  description?: string;
  license: string;
  attribution?: { source: string; license: string; notice?: string }[];
  config?: string;
  tokenizer: {
    type: 'gpt2-bpe';
    encoding: 'r50k_base';
    lowercase: boolean;
    contextLength: number;
    padId: number;
    remap?: number[];
    unknownId?: number;
  };
  textEncoder: StageEntry & { width: number; projDim: number };
  base: StageEntry & { resolution: number; textConditioned: true; inpainting?: boolean; schedule: StageSchedule };
  upsampler: StageEntry & {
    resolution: number;
    lowResolution: number;
    textConditioned: boolean;
    conditioningAugmentation?: boolean;
    /** what a user should know before upscaling with it (shown in the Upscale tab), e.g. what it was trained on */
    note?: string;
    schedule: StageSchedule;
  };
  defaults: {
    sampler: SamplerName;
    steps: number;
    guidance: number;
    dynamicThreshold?: number | null;
    upsamplerSampler?: SamplerName;
    upsamplerSteps?: number;
    augLevel?: number;
    upsamplerTemperature?: number;
    upsamplerLowResConsistency?: boolean;
    /** smooth (bicubic) corrections before the block-wise one, when low-res consistency is on */
    upsamplerConsistencyPasses?: number;
    /**
     * the upscale job's img2img strength in (0, 1] (default 1: from noise; sampling/strength.ts),
     * or one per kind of picture, chosen by content.ts (docs/model-pack.md, sampling 9)
     */
    upscaleStrength?: number | UpscaleStrengthByContent;
    /** base images drawn per output image for the reranker to choose from (needs `reranker`) */
    candidates?: number;
  };
  reranker?: StageEntry & { imageSize: number; embedDim: number };
  /** what the training captions named ("red heart", "flag: Japan"), offered as prompt suggestions */
  subjects?: string[];
  /**
   * single lower-case words -> indices into `subjects` nearest in meaning ("puppy" -> "dog"),
   * offered when a prompt's words match no subject (docs/model-pack.md)
   */
  relatedWords?: Record<string, number[]>;
}

export type StageName = 'textEncoder' | 'base' | 'upsampler' | 'reranker';

/** Inputs every graph must take (docs/model-pack.md); text inputs of the upsampler are optional. */
export const REQUIRED_INPUTS: Record<Exclude<StageName, 'reranker'>, readonly string[]> = {
  textEncoder: ['tokens', 'mask'],
  base: ['x_t', 't', 'xf_proj', 'xf_out', 'inpaint_image', 'inpaint_mask'],
  upsampler: ['x_t', 't', 'low_res', 'aug_level'],
};
