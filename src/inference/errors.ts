/**
 * Errors of the inference core. Every error carries a stable `code` that the worker and
 * the panel switch on, and a message that names what was wrong and what was expected, so
 * the boundary (worker API, CLI) can show it to the user as it is.
 */

export type ErrorCode =
  /** model.json (or a field of it) does not follow docs/model-pack.md */
  | 'MODEL_INVALID'
  /** model.json names a file that is not there */
  | 'MODEL_FILE_MISSING'
  /** a model file is there but its size or hash differs from model.json, or it does not load */
  | 'MODEL_CORRUPT'
  /** the pack's formatVersion is one this reader does not know */
  | 'MODEL_VERSION'
  /** a caller passed an argument outside its documented range */
  | 'INPUT_INVALID'
  /** the job was cancelled through its AbortSignal */
  | 'CANCELLED'
  /** the ONNX runtime failed to create a session or to run a graph */
  | 'BACKEND_FAILED'
  /** no requested execution provider is available on this machine */
  | 'BACKEND_UNAVAILABLE'
  /** an allocation failed (GPU or wasm memory) */
  | 'OUT_OF_MEMORY'
  /** a bug: an invariant of our own code did not hold */
  | 'INTERNAL';

export interface DiffusionErrorOptions {
  /** the underlying error, if any */
  cause?: unknown;
  /** machine-readable context (field path, file name, tensor name ...) */
  details?: Readonly<Record<string, unknown>>;
}

export class DiffusionError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: DiffusionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DiffusionError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** A pack problem: `field` is the JSON path in model.json, e.g. `base.schedule.kind`. */
export class ModelError extends DiffusionError {
  constructor(
    code: 'MODEL_INVALID' | 'MODEL_FILE_MISSING' | 'MODEL_CORRUPT' | 'MODEL_VERSION',
    message: string,
    options: DiffusionErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'ModelError';
  }
}

export class InputError extends DiffusionError {
  constructor(message: string, options: DiffusionErrorOptions = {}) {
    super('INPUT_INVALID', message, options);
    this.name = 'InputError';
  }
}

export class CancelledError extends DiffusionError {
  constructor(message = 'cancelled', options: DiffusionErrorOptions = {}) {
    super('CANCELLED', message, options);
    this.name = 'CancelledError';
  }
}

export class BackendError extends DiffusionError {
  constructor(
    code: 'BACKEND_FAILED' | 'BACKEND_UNAVAILABLE' | 'OUT_OF_MEMORY',
    message: string,
    options: DiffusionErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = 'BackendError';
  }
}

export function isDiffusionError(e: unknown): e is DiffusionError {
  return e instanceof DiffusionError;
}

/** Short, stable rendering of a value for messages (no 4 MiB arrays in an error). */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'bigint') return `${v}n`;
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return `array(${v.length})`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<unknown>).length})`;
  return 'object';
}

/** `name`: expected <expected>, got <value>. Thrown as INPUT_INVALID. */
export function invalidInput(name: string, expected: string, got: unknown): InputError {
  return new InputError(`${name}: expected ${expected}, got ${describeValue(got)}`, {
    details: { name, expected },
  });
}

/** Checks an integer argument; returns it so it can be used inline. */
export function requireInteger(name: string, v: unknown, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    const range =
      min === -Infinity && max === Infinity
        ? 'an integer'
        : max === Infinity
          ? `an integer >= ${min}`
          : min === -Infinity
            ? `an integer <= ${max}`
            : `an integer from ${min} to ${max}`;
    throw invalidInput(name, range, v);
  }
  return v;
}

/** Checks a finite number argument; returns it so it can be used inline. */
export function requireNumber(name: string, v: unknown, min = -Infinity, max = Infinity): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    const range = min === -Infinity && max === Infinity ? 'a finite number' : `a finite number in [${min}, ${max}]`;
    throw invalidInput(name, range, v);
  }
  return v;
}

/** The subset of AbortSignal the core needs (no DOM or Node types required). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** Throws CANCELLED when the signal has fired; samplers call it between steps. */
export function throwIfCancelled(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) {
    const reason = signal.reason;
    throw reason instanceof CancelledError
      ? reason
      : new CancelledError('cancelled', reason === undefined ? {} : { cause: reason });
  }
}
