/**
 * Errors of the panel jobs, and the one place that turns any error (host, engine, ours) into
 * plain words for the user.
 */
import { HostError, isHostError } from '../../host/errors.js';
import { isWireError } from '../../worker/api.js';

/** The user cancelled; no layer was added. */
export class JobCancelled extends Error {
  override readonly name = 'JobCancelled';
  readonly code = 'CANCELLED';
  constructor() {
    super('Cancelled: nothing was added.');
  }
}

export function isCancelled(e: unknown): boolean {
  if (e instanceof JobCancelled) return true;
  if (isWireError(e) || isHostError(e)) return e.code === 'CANCELLED';
  return typeof e === 'object' && e !== null && (e as { code?: unknown }).code === 'CANCELLED';
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JobCancelled();
}

const ENGINE_WORDS: Record<string, string> = {
  MODEL_INVALID: 'The model pack is not valid',
  MODEL_FILE_MISSING: 'A file of the model pack could not be found',
  MODEL_CORRUPT: 'A file of the model pack is damaged or incomplete',
  MODEL_VERSION: 'The model pack was made for another version of this plugin',
  INPUT_INVALID: 'A setting is out of range',
  BACKEND_FAILED: 'The graphics runtime failed',
  BACKEND_UNAVAILABLE: 'No usable graphics runtime was found',
  OUT_OF_MEMORY: 'Out of memory: try fewer variations or a smaller area',
  INTERNAL: 'Something went wrong inside the engine',
};

/** A sentence a user can read, from any thrown value. */
export function plainMessage(e: unknown): string {
  if (isCancelled(e)) return 'Cancelled: nothing was added.';
  if (e instanceof HostError) return e.message;
  if (isWireError(e)) {
    const lead = ENGINE_WORDS[e.code] ?? 'The engine failed';
    return e.message && e.code !== 'OUT_OF_MEMORY' ? `${lead}: ${e.message}` : lead + '.';
  }
  if (e instanceof Error) return e.message || e.name;
  return String(e);
}
