// The worker API over real comlink message ports (Node's MessageChannel stands in for the
// Worker), and over a JSON-only bridge (as the UXP webview's postMessage).
import { MessageChannel } from 'node:worker_threads';
import type { Endpoint } from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_PACK } from '../helpers/reference.js';
import { connect, decodeBinary, encodeBinary, exposeOn, jsonEndpoint, progressProxy } from '../../src/worker/endpoint.js';
import type { ProgressEvent } from '../../src/worker/api.js';

const channel = new MessageChannel();
exposeOn(channel.port1 as unknown as Endpoint);
const api = connect(channel.port2 as unknown as Endpoint);
afterAll(() => {
  channel.port1.close();
  channel.port2.close();
});

describe('worker API over comlink', () => {
  it('loads, generates with proxied progress, and keeps error codes', async () => {
    const info = await api.load({ pack: TINY_PACK, device: 'wasm', numThreads: 1 });
    expect(info.backend?.reason).toMatch(/^wasm: requested/);
    const events: ProgressEvent[] = [];
    const r = await api.generate({ prompt: 'a red heart', seed: 1, steps: 2, previewEvery: 1 }, progressProxy((e: ProgressEvent) => void events.push(e)));
    expect(r.images[0]!.data).toBeInstanceOf(Uint8Array);
    expect(r.images[0]!.data.length).toBe(64 * 64 * 4);
    await new Promise((res) => setTimeout(res, 50)); // proxied calls are one-way messages
    expect(events.some((e) => e.stage === 'base' && e.preview?.rgba instanceof Uint8Array)).toBe(true);
    await expect(api.generate({ prompt: 'x', steps: -1 })).rejects.toMatchObject({ name: 'DiffusionError', code: 'INPUT_INVALID' });
  });

  it('cancel() rejects the running job with CANCELLED; the next job runs', async () => {
    const p = api.generate({ prompt: 'a red heart', seed: 1, steps: 50 });
    await new Promise((res) => setTimeout(res, 150));
    // a prompt check is answered while the job runs (it is not queued behind it)
    const check = await api.checkPrompt('a rainbow');
    expect(check.unknownWords).toEqual(['rainbow']);
    await api.cancel();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    const ok = await api.upscale({ image: { width: 8, height: 8, data: new Uint8Array(256).fill(200) }, steps: 1, seed: 1 });
    expect([ok.width, ok.height]).toEqual([32, 32]);
  });
});

describe('worker API: records', () => {
  it('readRecord checks a record in the worker (which holds the schema checker) and names what is damaged', async () => {
    const good = { format: 'diffusion-layers-run', version: 1, app: '0.1.0', model: 'm', command: 'generate', options: { seed: 1, steps: 4, sampler: 'ddim', prompt: 'a' }, image: { index: 0, of: 1 } };
    expect(await api.readRecord(JSON.stringify(good), 'The layer "x"')).toEqual(good);
    const bad = { ...good, options: { ...good.options, steps: 0 } };
    await expect(api.readRecord(JSON.stringify(bad), 'The layer "x"')).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/^The layer "x": its Diffusion Layers record is damaged: .*steps/) });
    await expect(api.readRecord('{', 'The layer "x"')).rejects.toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/not valid JSON/) });
  });
});

describe('JSON-only bridge', () => {
  it('binary round-trips through base64', () => {
    const v = { a: new Uint8Array([1, 2, 250]), b: [new Float32Array([1.5])], c: 'x' };
    const wire = JSON.parse(JSON.stringify(encodeBinary(v)));
    expect(decodeBinary(wire)).toEqual(v);
  });

  it('serves the API over endpoints that pass JSON text only', async () => {
    // two in-process "sides" that only exchange JSON strings, like panel <-> webview
    const toServer: ((m: unknown) => void)[] = [];
    const toClient: ((m: unknown) => void)[] = [];
    const server = jsonEndpoint((m) => queueMicrotask(() => toClient.forEach((f) => f(JSON.parse(JSON.stringify(m))))), (f) => toServer.push(f));
    const client = jsonEndpoint((m) => queueMicrotask(() => toServer.forEach((f) => f(JSON.parse(JSON.stringify(m))))), (f) => toClient.push(f));
    exposeOn(server);
    const remote = connect(client);
    await remote.load({ pack: TINY_PACK, device: 'wasm' });
    const r = await remote.upscale({ image: { width: 4, height: 4, data: new Uint8Array(64).fill(90) }, steps: 1, seed: 3 });
    expect(r.images[0]!.data).toBeInstanceOf(Uint8Array);
    expect(r.images[0]!.data.length).toBe(16 * 16 * 4);
    expect(await remote.progress()).toBeNull();
  });
});
