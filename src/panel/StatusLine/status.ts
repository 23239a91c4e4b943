/** The words of the status line (pure, for tests). */
import type { ModelState } from '../lib/useModel.js';

export interface StatusText {
  model: string;
  backend: string;
  /** set when the model is a random-weight test pack */
  warning?: string;
}

const BACKEND_NAMES = { webgpu: 'WebGPU', wasm: 'WebAssembly (CPU)', 'onnx-node': 'ONNX Runtime (Node)' } as Record<string, string>;

export function statusText(m: ModelState, testModel: boolean): StatusText {
  if (m.status === 'loading') return { model: 'Loading the model…', backend: '' };
  if (m.status === 'error') return { model: 'No model loaded', backend: '' };
  const { pack, backend } = m.info;
  const random = testModel || /random/i.test(`${pack?.name ?? ''} ${pack?.description ?? ''}`);
  const name = pack ? `${pack.name}${pack.config ? ` (${pack.config})` : ''}` : 'no model';
  return {
    model: `Model: ${name}`,
    backend: backend ? `Running on ${BACKEND_NAMES[backend.kind] ?? backend.kind} · ${backend.reason.replace(/^[^:]*:\s*/, '')}` : 'no backend',
    ...(random ? { warning: 'Random test model: it makes noise, not pictures' } : {}),
  };
}
