/**
 * onnxruntime-node backend (CLI, bench, tests): native CPU, or its WebGPU EP (Dawn) when
 * requested and an adapter exists. ORT is imported when the backend is created.
 */
import type { InferenceSession } from 'onnxruntime-common';
import { newStats, SerialQueue, type Backend } from '../backend.js';
import { BackendError, InputError } from '../errors.js';
import { createOrtSession, type OrtModule } from './ort-session.js';

export type NodeDevice = 'cpu' | 'webgpu';

export interface OrtNodeOptions {
  device?: NodeDevice;
  /** CPU intra-op threads (default: ORT's choice) */
  numThreads?: number;
}

async function importNode(): Promise<OrtModule> {
  try {
    return (await import('onnxruntime-node')) as unknown as OrtModule;
  } catch (e) {
    throw new BackendError('BACKEND_UNAVAILABLE', `onnxruntime-node could not be loaded: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

function cpuBackend(ort: OrtModule, reason: string, numThreads?: number): Backend {
  const queue = new SerialQueue();
  const stats = newStats();
  const options: InferenceSession.SessionOptions = {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3, // errors only: no EP-assignment warnings on the terminal
    ...(numThreads ? { intraOpNumThreads: numThreads } : {}),
  };
  return {
    kind: 'cpu',
    reason,
    precision: 'fp32',
    stats,
    createSession: (bytes, name) => createOrtSession(ort, bytes, name, options, queue, stats),
  };
}

export async function createOrtNodeBackend(options: OrtNodeOptions = {}): Promise<Backend> {
  const device = options.device ?? 'cpu';
  if (device !== 'cpu' && device !== 'webgpu') {
    throw new InputError(`device "${String(device)}" is unknown; expected cpu or webgpu`);
  }
  const ort = await importNode();
  if (device === 'cpu') return cpuBackend(ort, 'native CPU (onnxruntime-node)', options.numThreads);
  const queue = new SerialQueue();
  const stats = newStats();
  const sessionOptions: InferenceSession.SessionOptions = {
    executionProviders: ['webgpu'],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };
  return {
    kind: 'webgpu',
    reason: 'WebGPU (onnxruntime-node, Dawn), fp32',
    precision: 'fp32',
    stats,
    createSession: (bytes, name) => createOrtSession(ort, bytes, name, sessionOptions, queue, stats),
    fallback: async (why) => cpuBackend(ort, `native CPU: ${why}`, options.numThreads),
  };
}

/** Whether onnxruntime-node's WebGPU EP finds an adapter here; the reason when it does not. */
export async function probeNodeWebGpu(probeModel: Uint8Array): Promise<{ ok: boolean; reason: string }> {
  try {
    const b = await createOrtNodeBackend({ device: 'webgpu' });
    const s = await b.createSession(probeModel, 'probe');
    await s.release();
    return { ok: true, reason: b.reason };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const m = /Failed to get a WebGPU adapter[^\n]*/.exec(msg);
    return { ok: false, reason: m ? m[0] : msg.split('\n')[0]! };
  }
}
