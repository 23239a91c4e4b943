/**
 * onnxruntime-web backend: WebGPU (native EP from `onnxruntime-web/webgpu`) when the browser
 * has an adapter, fp16 model files when the adapter has `shader-f16`; else wasm, with threads
 * when the page is cross-origin isolated. In Node `onnxruntime-web` is wasm only.
 * ORT is imported when a backend is created, never at module load (no import-time effects),
 * and its wasm files come from `wasmPaths` (never a CDN).
 */
import type { Env, InferenceSession } from 'onnxruntime-common';
import { newStats, SerialQueue, type Backend } from '../backend.js';
import { BackendError, InputError } from '../errors.js';
import { createOrtSession, type OrtModule } from './ort-session.js';

export type WebDevice = 'auto' | 'webgpu' | 'wasm';

export interface OrtWebOptions {
  /** 'auto': WebGPU when an adapter exists, else wasm */
  device?: WebDevice;
  /** URL prefix (browser) or directory (Node) holding ORT's .wasm and .mjs files */
  wasmPaths?: string;
  /** wasm threads; default min(4, cores) when cross-origin isolated (or in Node), else 1 */
  numThreads?: number;
  /** use fp16 files on WebGPU when the adapter has shader-f16 (default true) */
  allowFp16?: boolean;
}

type OrtWeb = OrtModule & { env: Env };

interface GpuAdapterLike {
  features: { has(name: string): boolean };
  info?: { description?: string; vendor?: string; architecture?: string; device?: string };
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

const isNode = (): boolean =>
  typeof process !== 'undefined' && typeof (process as { versions?: { node?: string } }).versions?.node === 'string';

function adapterName(a: GpuAdapterLike): string {
  const i = a.info ?? {};
  return [i.description, i.vendor, i.architecture].filter((s) => s && s.length > 0).join(' ') || 'unknown adapter';
}

/** ORT's wasm runtime is set up once per module: later settings are ignored, so keep the first. */
const configured = new WeakMap<object, number>();

function configureWasm(ort: OrtWeb, o: OrtWebOptions): number {
  const done = configured.get(ort.env);
  if (done !== undefined) return done;
  const g = globalThis as { crossOriginIsolated?: boolean; navigator?: { hardwareConcurrency?: number } };
  const cores = g.navigator?.hardwareConcurrency ?? 2;
  const threads = o.numThreads ?? (g.crossOriginIsolated || isNode() ? Math.min(4, cores) : 1);
  if (o.wasmPaths !== undefined) ort.env.wasm.wasmPaths = o.wasmPaths;
  ort.env.wasm.numThreads = threads;
  configured.set(ort.env, threads);
  return threads;
}

function wasmBackend(ort: OrtWeb, reason: string, threads: number): Backend {
  const queue = new SerialQueue();
  const stats = newStats();
  const options: InferenceSession.SessionOptions = { executionProviders: ['wasm'], graphOptimizationLevel: 'all' };
  return {
    kind: 'wasm',
    reason: `${reason} (${threads} thread${threads === 1 ? '' : 's'})`,
    precision: 'fp32',
    stats,
    createSession: (bytes, name) => createOrtSession(ort, bytes, name, options, queue, stats),
  };
}

async function importWasm(): Promise<OrtWeb> {
  // The Node build of the main entry is wasm only; browsers take the wasm-only bundle.
  return (isNode() ? await import('onnxruntime-web') : await import('onnxruntime-web/wasm')) as unknown as OrtWeb;
}

async function findAdapter(): Promise<{ adapter: GpuAdapterLike | null; why: string }> {
  const gpu = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
  if (isNode()) return { adapter: null, why: 'onnxruntime-web has no WebGPU in Node' };
  if (!gpu) return { adapter: null, why: 'no WebGPU in this browser' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    return adapter ? { adapter, why: '' } : { adapter: null, why: 'no WebGPU adapter' };
  } catch (e) {
    return { adapter: null, why: `no WebGPU adapter (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** Picks WebGPU or wasm as `options.device` says; the backend's `reason` tells the user why. */
export async function createOrtWebBackend(options: OrtWebOptions = {}): Promise<Backend> {
  const device = options.device ?? 'auto';
  if (!['auto', 'webgpu', 'wasm'].includes(device)) {
    throw new InputError(`device "${device}" is unknown; expected one of auto, webgpu, wasm`);
  }
  if (device === 'wasm') {
    const ort = await importWasm();
    return wasmBackend(ort, 'wasm: requested', configureWasm(ort, options));
  }
  const { adapter, why } = await findAdapter();
  if (!adapter) {
    if (device === 'webgpu') throw new BackendError('BACKEND_UNAVAILABLE', `WebGPU was requested but is not available: ${why}`);
    const ort = await importWasm();
    return wasmBackend(ort, `wasm: ${why}`, configureWasm(ort, options));
  }
  const ort = (await import('onnxruntime-web/webgpu')) as unknown as OrtWeb;
  const threads = configureWasm(ort, options);
  try {
    (ort.env.webgpu as { adapter?: unknown }).adapter = adapter;
  } catch {
    // read-only in some versions: ORT then requests its own adapter
  }
  const fp16 = options.allowFp16 !== false && adapter.features.has('shader-f16');
  const queue = new SerialQueue();
  const stats = newStats();
  const sessionOptions: InferenceSession.SessionOptions = {
    executionProviders: [{ name: 'webgpu' }],
    graphOptimizationLevel: 'all',
  };
  return {
    kind: 'webgpu',
    reason: `WebGPU: ${adapterName(adapter)}, ${fp16 ? 'fp16' : 'fp32'}`,
    precision: fp16 ? 'fp16' : 'fp32',
    stats,
    createSession: (bytes, name) => createOrtSession(ort, bytes, name, sessionOptions, queue, stats),
    // the webgpu bundle also carries the wasm EP
    fallback: async (reason) => wasmBackend(ort, `wasm: ${reason}`, threads),
  };
}
