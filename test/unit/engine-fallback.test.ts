// GPU failures switch the engine to the backend's CPU fallback, and the reason says so.
import { describe, expect, it } from 'vitest';
import { newStats, runFailure, sessionFailure, type Backend, type Feeds, type HostTensor, type Session } from '../../src/inference/backend.js';
import { loadPack } from '../../src/inference/pack.js';
import { Engine } from '../../src/inference/pipeline.js';
import { TINY_PACK } from '../helpers/reference.js';

/** Sessions that return zeros of the right shapes (no runtime needed). */
function zeroSession(name: string, fail?: 'create' | 'run'): Session {
  return {
    name,
    inputNames: [],
    outputNames: [],
    async run(feeds: Feeds): Promise<Record<string, HostTensor>> {
      if (fail === 'run') throw runFailure(name, feeds, new Error('device lost'));
      if ('tokens' in feeds) {
        const B = feeds.tokens!.dims[0]!;
        return {
          xf_proj: { type: 'float32', data: new Float32Array(B * 64), dims: [B, 64] },
          xf_out: { type: 'float32', data: new Float32Array(B * 32 * 8), dims: [B, 32, 8] },
        };
      }
      const [B, , H, W] = feeds.x_t!.dims as number[];
      return { out: { type: 'float32', data: new Float32Array(B! * 6 * H! * W!), dims: [B!, 6, H!, W!] } };
    },
    release: async () => undefined,
  };
}

function fakeBackend(kind: Backend['kind'], reason: string, fail?: 'create' | 'run'): Backend {
  return {
    kind,
    reason,
    precision: 'fp32',
    stats: newStats(),
    async createSession(_bytes, name) {
      if (fail === 'create') throw sessionFailure(name, new Error('no fp16 kernel for GroupNorm'));
      return zeroSession(name, fail);
    },
    ...(kind === 'webgpu' ? { fallback: async (why: string) => fakeBackend('wasm', `wasm: ${why}`) } : {}),
  };
}

describe('Engine backend fallback', () => {
  it('falls back when a WebGPU session cannot be created', async () => {
    const engine = new Engine();
    const info = await engine.load(await loadPack(TINY_PACK), { backend: fakeBackend('webgpu', 'WebGPU: fake', 'create') });
    expect(info.backend?.kind).toBe('wasm');
    expect(info.backend?.reason).toBe(
      'wasm: WebGPU session failed: text_encoder.fp32.onnx: could not create a session: no fp16 kernel for GroupNorm',
    );
  });

  it('falls back when a WebGPU run fails mid-job and finishes the job on the CPU', async () => {
    const engine = new Engine();
    await engine.load(await loadPack(TINY_PACK), { backend: fakeBackend('webgpu', 'WebGPU: fake', 'run') });
    expect(engine.info().backend?.kind).toBe('webgpu');
    const r = await engine.generate({ prompt: 'a red heart', seed: 1, steps: 2 });
    expect(r.images).toHaveLength(1);
    expect(engine.info().backend?.reason).toMatch(
      /^wasm: WebGPU run failed: text_encoder\.fp32\.onnx: run failed: device lost \(inputs: tokens int64 \[2,8\], mask float32 \[2,8\]\)$/,
    );
  });

  it('a CPU backend failure is reported with each input name, type and dims', async () => {
    const engine = new Engine();
    await engine.load(await loadPack(TINY_PACK), { backend: fakeBackend('wasm', 'wasm: requested', 'run') });
    await expect(engine.generate({ prompt: 'x', seed: 1, steps: 2 })).rejects.toMatchObject({
      code: 'BACKEND_FAILED',
      message: expect.stringContaining('(inputs: tokens int64 [2,8], mask float32 [2,8])'),
    });
  });
});
