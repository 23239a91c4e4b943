/**
 * What the mode jobs need from the engine and what they hand back. Jobs are plain async
 * functions over a Host and a PanelEngine, so they run (and are tested) without a DOM.
 */
import type { Rect, Sides } from '../../host/host.js';
import type { ExpandDirection } from '../../inference/expand.js';
import type {
  EngineInfo,
  GenerateRequest,
  InpaintRequest,
  LoadRequest,
  ProgressEvent,
  PromptCheck,
  RunRecord,
  UpscaleRequest,
  WireImage,
  WireResult,
} from '../../worker/api.js';

export type { EngineInfo, ProgressEvent, PromptCheck, RunRecord, WireImage, WireResult };

export type Mode = 'generate' | 'fill' | 'expand' | 'upscale';
export const MODES: readonly Mode[] = ['generate', 'fill', 'expand', 'upscale'];

export type SamplerName = NonNullable<GenerateRequest['sampler']>;
export const SAMPLERS: readonly SamplerName[] = ['ddim', 'dpmpp2m', 'ddpm'];

/**
 * The engine as the panel sees it: the worker API with plain progress callbacks (the client in
 * lib/engine-client.ts turns them into comlink proxies or polling).
 */
export interface PanelEngine {
  load(request: LoadRequest): Promise<EngineInfo>;
  generate(request: GenerateRequest, onProgress?: (e: ProgressEvent) => void): Promise<WireResult>;
  inpaint(request: InpaintRequest, onProgress?: (e: ProgressEvent) => void): Promise<WireResult>;
  upscale(request: UpscaleRequest, onProgress?: (e: ProgressEvent) => void): Promise<WireResult>;
  cancel(): Promise<void>;
  info(): Promise<EngineInfo>;
  /** token count and the words the loaded pack has not learnt (no model runs) */
  checkPrompt(prompt: string): Promise<PromptCheck>;
  /** a run record's JSON checked (the worker holds the schema checker, so the panel's bundle does not) */
  readRecord(text: string, source: string): Promise<RunRecord>;
}

export const START_FROM = ['noise', 'layer'] as const;
export type StartFrom = (typeof START_FROM)[number];

export const UPSCALE_SOURCES = ['layer', 'image'] as const;
export type UpscaleSource = (typeof UPSCALE_SOURCES)[number];

/** What the user asked for, whatever the mode (upscale reads only prompt, seed, upsamplerSteps and the upscale* fields). */
export interface JobSettings {
  prompt: string;
  negativePrompt?: string;
  /** variations, 1..4 */
  count?: number;
  steps?: number;
  guidance?: number;
  sampler?: SamplerName;
  /** steps of the upsampler stage (and of Upscale) */
  upsamplerSteps?: number;
  /** Upscale only: how much the upsampler redraws, in (0, 1] */
  upscaleStrength?: number;
  /** Upscale only: output size / input size, above 1 and at most the pack's factor (default the factor) */
  upscaleScale?: number;
  /** Generate, fill and expand: add detail (a second upscale) for an area larger than the output; default true */
  addDetail?: boolean;
  /**
   * Generate and fill: how much the base redraws, in (0, 1] (the engine's strength). Fill starts
   * from the selection's pixels below 1; Generate from `init`
   */
  strength?: number;
  /** Generate only: a picture to start from ("More like this": the chosen variation); it wins over `startFrom` */
  init?: WireImage;
  /** Generate only: start from noise (default) or from the active layer's pixels */
  startFrom?: StartFrom;
  /** Generate only: lift the subject off its plain background (inference/matte.ts) */
  transparentBackground?: boolean;
  /**
   * Fill only ("More like this"): a variation (document pixels over `rect`) put under the
   * selection before the engine sees it, so that a `strength` below 1 starts from it
   */
  fillStart?: { rect: Rect; rgba: Uint8Array };
  /**
   * Expand only ("More like this"): a variation over `rect` of the grown canvas, and the document
   * size it was made for; the new border starts from it
   */
  expandStart?: { rect: Rect; rgba: Uint8Array; from: { width: number; height: number } };
  /** Upscale only: the active layer (default) or the whole visible image */
  upscaleSource?: UpscaleSource;
  /** Expand only: growth of each grown dimension, as a fraction of it (default 0.25) */
  expandBy?: number;
  /** Expand only: which sides grow (default all) */
  expandDirection?: ExpandDirection;
  /** base images per variation for the reranker to choose from (generate, fill) */
  candidates?: number;
  /** undefined: random */
  seed?: number;
}

export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: (e: ProgressEvent) => void;
}

/** One variation, already sized to the placement's rectangle. */
export interface Candidate {
  rgba: Uint8Array;
  width: number;
  height: number;
  /** reranker score, when the engine gives one (higher is better) */
  score?: number;
  /** Generate: the engine's picture before it was fitted to the placement, for "More like this" */
  source?: WireImage;
  /** what made it (inference/run-record.ts), kept with the layer it becomes where the editor can */
  record?: RunRecord;
}

export interface Placement {
  /** document pixels covered by the new layer */
  rect: Rect;
  /** rect-sized layer mask (255 = visible), e.g. the selection */
  mask?: Uint8Array;
  /**
   * 'newDocument': the result does not fit the current document; 'expand': the canvas grows by
   * `expand.by` first (rect is in the grown document's coordinates)
   */
  target: 'layer' | 'newDocument' | 'expand';
  /** for 'expand': the growth, and the document size it applies to */
  expand?: { by: Sides; from: { width: number; height: number } };
}

/** A finished run: candidates to choose from and where the chosen one goes. */
export interface JobOutput {
  mode: Mode;
  /** the document the job read from; applying checks it is still the active one */
  docId: string;
  docName: string;
  seed: number;
  warnings: string[];
  /** what the engine decided that the user may want to change (upscale: the strength chosen for the picture) */
  notes?: string[];
  placement: Placement;
  /** best first when the engine scored them, else in the engine's order */
  candidates: Candidate[];
  layerName: string;
  historyName: string;
}
