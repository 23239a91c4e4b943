/** Pieces every mode job shares: the document check, the engine call with cancel, sampling fields. */
import { HostError } from '../../host/errors.js';
import type { DocumentInfo, Host, SelectionInfo } from '../../host/host.js';
import { APP_VERSION, runRecord, type RunFacts } from '../../inference/run-record.js';
import type { GenerateRequest, WireImage, WireResult } from '../../worker/api.js';
import { JobCancelled, throwIfAborted } from './errors.js';
import { anySet } from './pixels.js';
import type { Candidate, JobOptions, JobSettings, PanelEngine, RunRecord } from './types.js';

export const MAX_VARIATIONS = 4;

export async function requireDocument(host: Host): Promise<DocumentInfo> {
  const doc = await host.activeDocument();
  if (!doc) throw new HostError('NO_DOCUMENT', 'No document is open: open an image or create a new document first.');
  return doc;
}

/** The selection, or null when there is none or nothing in it is selected. */
export async function usableSelection(host: Host): Promise<SelectionInfo | null> {
  const sel = await host.selection();
  if (!sel || sel.bounds.width <= 0 || sel.bounds.height <= 0 || !anySet(sel.mask)) return null;
  return sel;
}

/** The sampling part of an engine request, from the panel's settings. */
export function samplingRequest(s: JobSettings): GenerateRequest {
  const count = Math.min(Math.max(Math.round(s.count ?? 1), 1), MAX_VARIATIONS);
  const r: GenerateRequest = { prompt: s.prompt.trim(), count };
  if (s.negativePrompt?.trim()) r.negativePrompt = s.negativePrompt.trim();
  if (s.steps !== undefined) r.steps = s.steps;
  if (s.guidance !== undefined) r.guidance = s.guidance;
  if (s.sampler !== undefined) r.sampler = s.sampler;
  if (s.upsamplerSteps !== undefined) r.upsamplerSteps = s.upsamplerSteps;
  if (s.candidates !== undefined) r.candidates = s.candidates;
  if (s.strength !== undefined) r.strength = s.strength;
  if (s.seed !== undefined) r.seed = s.seed;
  return r;
}

/**
 * Runs one engine call; an abort of `signal` cancels it in the engine, and a result that
 * arrives after the abort is dropped (the caller adds nothing).
 */
export async function engineCall<T extends WireResult>(
  call: () => Promise<T>,
  cancel: () => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<T> {
  throwIfAborted(signal);
  const onAbort = () => void cancel().catch(() => undefined);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await call();
    throwIfAborted(signal);
    return result;
  } catch (e) {
    if (signal?.aborted) throw new JobCancelled();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

/** What a panel run's record says beyond the engine's result (the app and the model are added here). */
export type PanelFacts = Omit<RunFacts, 'app' | 'model'>;

/**
 * The record of each of the engine's images (same order), for the layer it may become. The
 * model's name comes from the engine: the pack that ran, not the one the panel asked for.
 */
export async function runRecords(engine: PanelEngine, facts: PanelFacts, result: WireResult): Promise<RunRecord[]> {
  const model = (await engine.info()).pack?.name ?? 'unknown';
  return result.images.map((_, i) => runRecord({ ...facts, app: APP_VERSION, model }, result, i));
}

/**
 * Engine images (with an optional reranker score) -> candidates, best score first; `keepSource`
 * keeps each engine image beside it, `records` (same order as `images`) what made each.
 */
export function rankCandidates(
  images: Array<WireImage & { score?: number }>,
  map: (img: WireImage) => Uint8Array,
  size: { width: number; height: number },
  keepSource = false,
  records?: readonly RunRecord[],
): Candidate[] {
  const out: Candidate[] = images.map((img, i) => ({
    rgba: map(img),
    width: size.width,
    height: size.height,
    ...(typeof img.score === 'number' ? { score: img.score } : {}),
    ...(keepSource ? { source: { width: img.width, height: img.height, data: img.data } } : {}),
    ...(records?.[i] ? { record: records[i] } : {}),
  }));
  if (out.every((c) => c.score !== undefined)) out.sort((a, b) => b.score! - a.score!);
  return out;
}

export const progressOf = (o: JobOptions) => o.onProgress;

/** An engine message (lower-case, no full stop, as the CLI prints it) as a sentence for the panel. */
export function sentence(message: string): string {
  const m = message.trim();
  return m ? `${m[0]!.toUpperCase()}${m.slice(1)}${/[.!?]$/.test(m) ? '' : '.'}` : m;
}

/** A short layer name from a prompt. */
export function layerName(prefix: string, prompt: string): string {
  const p = prompt.trim().replace(/\s+/g, ' ');
  if (!p) return prefix;
  return `${prefix}: ${p.length > 40 ? `${p.slice(0, 39)}…` : p}`;
}
