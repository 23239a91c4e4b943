/**
 * The one interface the engine needs from an ONNX runtime: create a session from bytes, run
 * it on CPU tensors, release it. Implementations: backends/ort-web.ts (onnxruntime-web:
 * WebGPU or wasm) and backends/ort-node.ts (onnxruntime-node: CPU or WebGPU).
 */
import { BackendError } from './errors.js';

export type HostTensor =
  | { type: 'float32'; data: Float32Array; dims: readonly number[] }
  | { type: 'int64'; data: BigInt64Array; dims: readonly number[] };

export type Feeds = Record<string, HostTensor>;

export interface Session {
  /** what the session was created from, e.g. `base.fp32.onnx` */
  readonly name: string;
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Feeds): Promise<Record<string, HostTensor>>;
  release(): Promise<void>;
}

export type BackendKind = 'webgpu' | 'wasm' | 'cpu';

export interface Backend {
  readonly kind: BackendKind;
  /** human reason for the choice, e.g. "wasm: no WebGPU adapter" */
  readonly reason: string;
  /** which precision of a model file to load (fp16 only where the device runs it) */
  readonly precision: 'fp32' | 'fp16';
  createSession(bytes: Uint8Array, name: string): Promise<Session>;
  /**
   * Present on GPU backends: a CPU backend to switch to after a GPU failure, whose reason
   * says why (`wasm: WebGPU session failed: <msg>`).
   */
  readonly fallback?: (why: string) => Promise<Backend>;
  /** per-run timing, for benchmarks */
  readonly stats: RunStats;
}

export interface RunStats {
  runs: number;
  runMs: number;
}

export const newStats = (): RunStats => ({ runs: 0, runMs: 0 });

/** `x_t float32 [2,3,64,64], t float32 [2]` */
export function describeFeeds(feeds: Feeds): string {
  return Object.entries(feeds)
    .map(([k, v]) => `${k} ${v.type} [${v.dims.join(',')}]`)
    .join(', ');
}

/** Runs tasks one at a time, in order (ORT sessions must not run concurrently). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Memory failures get their own code so the user is told to lower the size or batch. */
function isOutOfMemory(msg: string): boolean {
  return /out of memory|\boom\b|bad_alloc|failed to allocate|allocation failed|Aborted\(OOM\)/i.test(msg);
}

export function runFailure(name: string, feeds: Feeds, e: unknown): BackendError {
  const msg = errorText(e);
  const code = isOutOfMemory(msg) ? 'OUT_OF_MEMORY' : 'BACKEND_FAILED';
  return new BackendError(code, `${name}: run failed: ${msg} (inputs: ${describeFeeds(feeds)})`, {
    cause: e,
    details: { file: name, inputs: Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, { type: v.type, dims: [...v.dims] }])) },
  });
}

export function sessionFailure(name: string, e: unknown): BackendError {
  const msg = errorText(e);
  return new BackendError(isOutOfMemory(msg) ? 'OUT_OF_MEMORY' : 'BACKEND_FAILED', `${name}: could not create a session: ${msg}`, {
    cause: e,
    details: { file: name },
  });
}
