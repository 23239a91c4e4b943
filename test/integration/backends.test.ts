// Real onnxruntime failures turned into errors a user (and a bug report) can act on.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOrtNodeBackend } from '../../src/inference/backends/ort-node.js';
import { createOrtWebBackend } from '../../src/inference/backends/ort-web.js';
import { loadPack, sha256Hex } from '../../src/inference/pack.js';
import { Engine } from '../../src/inference/pipeline.js';
import { TINY_PACK } from '../helpers/reference.js';

const files = new Map(readdirSync(TINY_PACK).map((n) => [n, new Uint8Array(readFileSync(TINY_PACK + n))]));

describe('onnxruntime backends', () => {
  it('auto choice in Node is wasm, and says why', async () => {
    const b = await createOrtWebBackend({ numThreads: 1 });
    expect(b.kind).toBe('wasm');
    expect(b.reason).toBe('wasm: onnxruntime-web has no WebGPU in Node (1 thread)');
  });

  for (const [label, make] of [
    ['wasm', () => createOrtWebBackend({ device: 'wasm', numThreads: 1 })],
    ['node cpu', () => createOrtNodeBackend()],
  ] as const) {
    it(`${label}: corrupt ONNX bytes (with a matching model.json) -> MODEL_CORRUPT naming the file`, async () => {
      const garbage = new TextEncoder().encode('this is not an onnx model, just text of some length');
      const m = JSON.parse(new TextDecoder().decode(files.get('model.json')));
      m.base.files[0].bytes = garbage.byteLength;
      m.base.files[0].sha256 = await sha256Hex(garbage);
      const map = new Map([...files, ['base.fp32.onnx', garbage], ['model.json', new TextEncoder().encode(JSON.stringify(m))]]);
      const engine = new Engine();
      await expect(engine.load(await loadPack({ files: map }), { backend: await make() })).rejects.toMatchObject({
        code: 'MODEL_CORRUPT',
        message: expect.stringMatching(/^base\.fp32\.onnx is not a valid ONNX model \(.*\); download or export the pack again$/),
      });
    });

    it(`${label}: a failed run names every input with its type and dims`, async () => {
      const backend = await make();
      const s = await backend.createSession(files.get('text_encoder.fp32.onnx')!, 'text_encoder.fp32.onnx');
      await expect(
        s.run({
          tokens: { type: 'int64', data: new BigInt64Array(10), dims: [2, 5] },
          mask: { type: 'float32', data: new Float32Array(10), dims: [2, 5] },
        }),
      ).rejects.toMatchObject({
        code: 'BACKEND_FAILED',
        message: expect.stringMatching(/^text_encoder\.fp32\.onnx: run failed: .+ \(inputs: tokens int64 \[2,5\], mask float32 \[2,5\]\)$/s),
      });
      await s.release();
    });
  }
});
