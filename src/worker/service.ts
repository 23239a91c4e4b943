/**
 * The worker API implemented over the engine. Errors leave as WireError objects so their code
 * survives structured cloning; each job gets an AbortController that `cancel()` fires.
 */
import type { Backend } from '../inference/backend.js';
import { createOrtWebBackend, type OrtWebOptions } from '../inference/backends/ort-web.js';
import { DiffusionError, isDiffusionError } from '../inference/errors.js';
import { loadPack, type ModelPack } from '../inference/pack.js';
import { Engine, type JobResult, type ProgressEvent } from '../inference/pipeline.js';
import { parseRecord } from '../inference/run-record-check.js';
import type { DiffusionApi, LoadRequest, ProgressCallback, WireError, WireResult } from './api.js';

export interface ServiceOptions {
  /** how to make a backend (default onnxruntime-web as the request says) */
  createBackend?: (options: OrtWebOptions) => Promise<Backend>;
}

export function toWireError(e: unknown): WireError {
  if (isDiffusionError(e)) return { name: 'DiffusionError', code: e.code, message: e.message, details: { ...e.details } };
  const message = e instanceof Error ? e.message : String(e);
  return { name: 'DiffusionError', code: 'INTERNAL', message };
}

/** Turns a WireError back into a DiffusionError (client side). */
export function fromWireError(e: WireError): DiffusionError {
  return new DiffusionError(e.code, e.message, { details: e.details });
}

function toWire(r: JobResult): WireResult {
  return {
    ...r,
    images: r.images.map((i) => ({
      width: i.width,
      height: i.height,
      data: new Uint8Array(i.data.buffer, i.data.byteOffset, i.data.byteLength),
    })),
  };
}

export function createService(options: ServiceOptions = {}): DiffusionApi {
  const engine = new Engine();
  const createBackend = options.createBackend ?? createOrtWebBackend;
  const running = new Set<AbortController>();
  let latest: ProgressEvent | null = null;

  async function guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw toWireError(e);
    }
  }

  function job(fn: (hooks: { signal: AbortSignal; onProgress: (e: ProgressEvent) => void }) => Promise<JobResult>, cb?: ProgressCallback) {
    const ac = new AbortController();
    running.add(ac);
    const onProgress = (e: ProgressEvent) => {
      latest = e;
      // a proxied callback returns a promise; a closed port must not fail the job
      Promise.resolve(cb?.(e)).catch(() => undefined);
    };
    return guard(async () => {
      try {
        return toWire(await fn({ signal: ac.signal, onProgress }));
      } finally {
        running.delete(ac);
        if (running.size === 0) latest = null;
      }
    });
  }

  return {
    load: (req: LoadRequest) =>
      guard(async () => {
        const pack: ModelPack = await loadPack(req.pack);
        const backend = await createBackend({ device: req.device, wasmPaths: req.wasmPaths, numThreads: req.numThreads });
        return engine.load(pack, { backend });
      }),
    generate: (req, cb) => job((hooks) => engine.generate(req, hooks), cb),
    inpaint: (req, cb) => job((hooks) => engine.inpaint(req, hooks), cb),
    upscale: (req, cb) => job((hooks) => engine.upscale(req, hooks), cb),
    cancel: async () => {
      for (const ac of running) ac.abort();
    },
    info: async () => engine.info(),
    checkPrompt: (prompt: string) => guard(async () => engine.checkPrompt(prompt)),
    readRecord: (text: string, source: string) => guard(async () => parseRecord(text, source)),
    progress: async () => latest,
  };
}
