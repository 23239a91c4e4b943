/**
 * The API the inference worker exposes (comlink). Shared with the panel by `import type`.
 * Everything crossing it is structured-cloneable plain data; pixel buffers are Uint8Array so a
 * caller may transfer them, but nothing requires a transfer. Progress comes through a
 * callback (a `Comlink.proxy` on a MessagePort endpoint) or, where callbacks cannot cross (a
 * JSON-only bridge), by polling `progress()`.
 */
import type { ErrorCode } from '../inference/errors.js';
import type { EngineInfo, JobResult, ProgressEvent, PromptCheck } from '../inference/pipeline.js';
import type { SamplingRequest } from '../inference/requests.js';
import type { RunRecord } from '../inference/run-record.js';
import type { WebDevice } from '../inference/backends/ort-web.js';

export type { EngineInfo, ProgressEvent, PromptCheck, SamplingRequest };

/** Straight-alpha RGBA, width * height * 4 bytes. */
export interface WireImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface LoadRequest {
  /** URL of the pack folder (fetched, cached), or its files in memory (path -> bytes) */
  pack: string | { files: Record<string, Uint8Array>; name?: string };
  /** 'auto' (default): WebGPU when there is an adapter, else wasm */
  device?: WebDevice;
  /** where onnxruntime-web's .wasm/.mjs files are served from (bundled with the plugin) */
  wasmPaths?: string;
  numThreads?: number;
}

export type GenerateRequest = SamplingRequest & {
  layerSize?: { width: number; height: number };
  /** width / height to extend the squares to (the engine's GenerateRequest.aspect) */
  aspect?: number;
  /** a picture to start from, redrawn at `strength` (the engine's GenerateRequest.init) */
  init?: WireImage;
};

export interface InpaintRequest extends SamplingRequest {
  image: WireImage;
  /** one byte per pixel, 255 = fill */
  mask: Uint8Array;
  contextMargin?: number;
  featherRadius?: number;
  blend?: 'seamless' | 'feather';
}

export interface UpscaleRequest {
  image: WireImage;
  prompt?: string;
  seed?: number;
  steps?: number;
  sampler?: SamplingRequest['sampler'];
  overlap?: number;
  /** in (0, 1], or 'auto' for the pack's strength for this kind of picture (the engine's UpscaleRequest.strength) */
  strength?: number | 'auto';
  /** output size / input size, in (1, the upsampler's factor] (the engine's UpscaleRequest.scale) */
  scale?: number;
}

/** A job's result with its images as plain bytes (see `JobResult` for the fields). */
export type WireResult = Omit<JobResult, 'images'> & { images: WireImage[] };

/** How errors cross the boundary (an Error's own fields would be lost by structured clone). */
export interface WireError {
  name: 'DiffusionError';
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function isWireError(e: unknown): e is WireError {
  return typeof e === 'object' && e !== null && (e as WireError).name === 'DiffusionError' && typeof (e as WireError).code === 'string';
}

export type { RunRecord };

export type ProgressCallback = (e: ProgressEvent) => void;

export interface DiffusionApi {
  /** Loads a pack and picks the backend; the result says which and why. */
  load(request: LoadRequest): Promise<EngineInfo>;
  generate(request: GenerateRequest, onProgress?: ProgressCallback): Promise<WireResult>;
  inpaint(request: InpaintRequest, onProgress?: ProgressCallback): Promise<WireResult>;
  upscale(request: UpscaleRequest, onProgress?: ProgressCallback): Promise<WireResult>;
  /** Cancels the running and queued jobs: they reject with code CANCELLED. */
  cancel(): Promise<void>;
  info(): Promise<EngineInfo>;
  /** Token count, the words the loaded pack does not know and its matching subjects; runs no model, answers during a job. */
  checkPrompt(prompt: string): Promise<PromptCheck>;
  /**
   * A run record (the JSON a picture's or a layer's record holds) checked against its schema, for
   * the panel's Recall; a damaged or newer one is refused (INVALID_INPUT) with what is wrong.
   * `source` names it in messages (e.g. the layer). Runs no model.
   */
  readRecord(text: string, source: string): Promise<RunRecord>;
  /** The latest progress event of the running job (null when idle), for bridges without callbacks. */
  progress(): Promise<ProgressEvent | null>;
}
