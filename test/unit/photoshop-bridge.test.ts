import * as Comlink from 'comlink';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { base64ToBytes, bytesToBase64 } from '../../src/host/photoshop/base64.js';
import {
  decodeValue,
  encodeValue,
  Reassembler,
  splitText,
  toFrames,
  utf8Length,
  type DataFrame,
} from '../../src/host/photoshop/bridge-codec.js';
import {
  createBridgeEndpoint,
  createPanelEndpoint,
  createWebviewEndpoint,
  memoryTransportPair,
  installMessageChannelPolyfill,
  PolyfillMessageChannel,
  type BridgeEndpoint,
} from '../../src/host/photoshop/bridge.js';
import { forwardRemote } from '../../src/host/photoshop/forward.js';
import { panelEngine } from '../../src/panel/lib/engine-client.js';
import type { DiffusionApi } from '../../src/worker/api.js';

const MiB = 1 << 20;

function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

/** Frames -> JSON text -> frames, as the real bridge carries them; returns the largest size. */
function overTheWire(frames: DataFrame[]): { frames: DataFrame[]; maxBytes: number } {
  let maxBytes = 0;
  const out = frames.map((f) => {
    // the endpoint adds dl, s, q: stamp like it does so the size is the real one
    const json = JSON.stringify({ dl: 1, s: 'abcdefgh1234', q: 123456789, ...f });
    maxBytes = Math.max(maxBytes, utf8Length(json));
    const { dl: _dl, s: _s, q: _q, ...back } = JSON.parse(json) as DataFrame & { dl: 1; s: string; q: number };
    return back as DataFrame;
  });
  return { frames: out, maxBytes };
}

describe('base64', () => {
  it('matches Node for every tail length and decodes back', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 100, 65_537, 200_001]) {
      const bytes = pattern(n, n + 7);
      const b64 = bytesToBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(Buffer.compare(Buffer.from(base64ToBytes(b64)), Buffer.from(bytes))).toBe(0);
    }
  });

  it('works without TextDecoder (chunked String.fromCharCode)', () => {
    vi.stubGlobal('TextDecoder', undefined);
    try {
      const bytes = pattern(100_003, 5);
      expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('rejects malformed input with the position', () => {
    expect(() => base64ToBytes('abc')).toThrow(/divisible by 4/);
    expect(() => base64ToBytes('ab!d')).toThrow(/invalid character "!" at 2/);
  });
});

describe('bridge codec', () => {
  it('round-trips a 2048x2048 RGBA buffer (16 MiB) in frames under 1 MiB each', () => {
    const rgba = pattern(2048 * 2048 * 4, 42);
    const message = { id: 'x', type: 'APPLY', path: ['inpaint'], argumentList: [{ type: 'RAW', value: { image: { width: 2048, height: 2048, data: rgba } } }] };
    const t0 = performance.now();
    const frames = toFrames(1, encodeValue(message), MiB);
    const wire = overTheWire(frames);
    const r = new Reassembler();
    let done = null;
    for (const f of wire.frames) done = r.push(f) ?? done;
    expect(done).not.toBeNull();
    const back = decodeValue(done!.skeleton, done!.blobs) as typeof message;
    const ms = performance.now() - t0;

    expect(wire.maxBytes).toBeLessThanOrEqual(MiB);
    expect(frames.length).toBeGreaterThanOrEqual(22); // 16 MiB as base64 is 22.4 MB
    const data = (back.argumentList[0]!.value.image.data as Uint8Array);
    expect(data).toBeInstanceOf(Uint8Array);
    expect(data.length).toBe(rgba.length);
    expect(Buffer.compare(Buffer.from(data), Buffer.from(rgba))).toBe(0);
    expect(r.inFlight).toBe(0);
    expect(ms).toBeLessThan(20_000);
  });

  it('keeps types, shared buffers and the values JSON loses', () => {
    const buf = new Uint16Array([1, 2, 65535]).buffer;
    const value = {
      f32: new Float32Array([1.5, -2, Number.NaN]),
      clamped: new Uint8ClampedArray([0, 128, 255]),
      sub: new Uint8Array(pattern(64)).subarray(10, 20),
      buf,
      again: buf,
      dv: new DataView(new Uint8Array([9, 8, 7]).buffer),
      nothing: undefined,
      list: [undefined, Number.POSITIVE_INFINITY, -0.5, null, 'x'],
      when: new Date(0),
      map: new Map([['a', new Uint8Array([1])]]),
      set: new Set([1, 2]),
      tricky: { __dl: 'bin', i: 99 },
      err: Object.assign(new RangeError('out of range'), { code: 'E1' }),
      text: 'émoji 🎨 and "quotes"',
    };
    const enc = encodeValue(value);
    const wire = JSON.parse(JSON.stringify(enc.skeleton));
    const back = decodeValue(wire, enc.blobs.map((b) => b.slice())) as typeof value;
    expect(back.f32).toBeInstanceOf(Float32Array);
    expect([...back.f32].slice(0, 2)).toEqual([1.5, -2]);
    expect(Number.isNaN(back.f32[2])).toBe(true);
    expect(back.clamped).toBeInstanceOf(Uint8ClampedArray);
    expect([...back.sub]).toEqual([...value.sub]);
    expect(back.buf).toBeInstanceOf(ArrayBuffer);
    expect(back.again).toBe(back.buf);
    expect(new Uint16Array(back.buf)[2]).toBe(65535);
    expect(back.dv).toBeInstanceOf(DataView);
    expect(back.dv.getUint8(2)).toBe(7);
    expect('nothing' in back && back.nothing === undefined).toBe(true);
    expect(back.list).toEqual([undefined, Number.POSITIVE_INFINITY, -0.5, null, 'x']);
    expect(back.when.getTime()).toBe(0);
    expect(back.map.get('a')).toEqual(new Uint8Array([1]));
    expect([...back.set]).toEqual([1, 2]);
    expect(back.tricky).toEqual({ __dl: 'bin', i: 99 });
    expect(back.err).toBeInstanceOf(Error);
    expect([back.err.name, back.err.message, (back.err as unknown as { code: string }).code]).toEqual(['RangeError', 'out of range', 'E1']);
    expect(back.text).toBe(value.text);
  });

  it('names the path of what cannot cross', () => {
    expect(() => encodeValue({ a: { b: () => 1 } })).toThrow(/a function at a\.b/);
    const cyc: Record<string, unknown> = {};
    cyc.self = cyc;
    expect(() => encodeValue(cyc)).toThrow(/circular reference at self/);
  });

  it('splits long JSON text (multi-byte characters included) under the budget', () => {
    const text = JSON.stringify({ caption: 'ü🎨"\\\n'.repeat(40_000) });
    const parts = splitText(text, 64 * 1024);
    expect(parts.join('')).toBe(text);
    for (const p of parts) expect(utf8Length(JSON.stringify(p))).toBeLessThanOrEqual(64 * 1024);
    expect(parts.length).toBeGreaterThan(5);
  });

  it('reports a lost part instead of delivering a corrupt message', () => {
    const frames = toFrames(7, encodeValue({ data: pattern(300_000) }), 64 * 1024);
    const r = new Reassembler();
    const bins = frames.filter((f) => f.t === 'bin');
    const msgs = frames.filter((f) => f.t === 'msg');
    for (const f of bins.slice(1)) r.push(f);
    expect(() => msgs.forEach((f) => r.push(f))).toThrow(/binary part 0 has \d+ of 300000 bytes/);
  });
});

describe('bridge endpoints', () => {
  const open: BridgeEndpoint[] = [];
  afterEach(() => {
    for (const e of open.splice(0)) e.close();
  });

  function pair(maxMessageBytes = MiB, sizes: number[] = []): [BridgeEndpoint, BridgeEndpoint] {
    const [ta, tb] = memoryTransportPair((json) => sizes.push(utf8Length(json)));
    const a = createBridgeEndpoint(ta, { maxMessageBytes });
    const b = createBridgeEndpoint(tb, { maxMessageBytes });
    open.push(a, b);
    return [a, b];
  }

  it('carries a comlink call with a 16 MiB argument and result, every message under the bound', async () => {
    const sizes: number[] = [];
    const [a, b] = pair(MiB, sizes);
    const api = {
      invert(img: { width: number; height: number; data: Uint8Array }) {
        const out = new Uint8Array(img.data.length);
        for (let i = 0; i < out.length; i++) out[i] = 255 - img.data[i]!;
        return { width: img.width, height: img.height, data: out };
      },
      add: (x: number, y: number) => x + y,
    };
    Comlink.expose(api, a);
    const remote = Comlink.wrap<typeof api>(b);
    expect(await remote.add(2, 3)).toBe(5);
    const data = pattern(2048 * 2048 * 4, 3);
    const r = await remote.invert({ width: 2048, height: 2048, data });
    expect(r.data.length).toBe(data.length);
    expect(r.data[0]).toBe(255 - data[0]!);
    expect(r.data[data.length - 1]).toBe(255 - data[data.length - 1]!);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MiB);
    expect(sizes.length).toBeGreaterThan(44); // 2 x 16 MiB in ~1 MiB frames
  });

  it('carries proxied callbacks (progress) and rejections', async () => {
    const [a, b] = pair(16 * 1024);
    const api = {
      async run(steps: number, onProgress: (i: number, preview: Uint8Array) => void) {
        for (let i = 1; i <= steps; i++) await onProgress(i, new Uint8Array([i]));
        return 'done';
      },
      fail() {
        throw new Error('no document is open');
      },
    };
    Comlink.expose(api, a);
    const remote = Comlink.wrap<typeof api>(b);
    const seen: number[] = [];
    const result = await remote.run(3, Comlink.proxy((i: number, preview: Uint8Array) => void seen.push(i * 10 + preview[0]!)));
    expect(result).toBe('done');
    expect(seen).toEqual([11, 22, 33]);
    await expect(remote.fail()).rejects.toThrow('no document is open');
  });

  it("after close, comlink's late proxy release is dropped; any other message throws", () => {
    const [a] = pair();
    a.close();
    // what comlink's FinalizationRegistry sends when a proxy is collected after its endpoint closed
    expect(() => a.postMessage({ type: 'RELEASE', id: 'x' })).not.toThrow();
    expect(() => a.postMessage({ type: 'APPLY', id: 'y', path: [] })).toThrow('bridge: the endpoint is closed');
  });

  it('ports work through the polyfill MessageChannel too', async () => {
    const { port1, port2 } = new PolyfillMessageChannel();
    Comlink.expose({ twice: (x: number) => 2 * x }, port1 as unknown as Comlink.Endpoint);
    const remote = Comlink.wrap<{ twice(x: number): number }>(port2 as unknown as Comlink.Endpoint);
    expect(await remote.twice(21)).toBe(42);
    port1.close();
    port2.close();
  });

  it('waits for the page: messages posted before it loads are queued, not lost', async () => {
    // fake panel <webview> and page window wired the way UXP wires them
    type L = (ev: unknown) => void;
    const elementListeners = new Set<L>();
    const pageListeners = new Set<L>();
    let pageLoaded = false;
    const deliver = (set: Set<L>, data: unknown) => setTimeout(() => set.forEach((l) => l({ data: JSON.parse(JSON.stringify(data)) })), 0);
    const webview = {
      postMessage: (m: unknown) => {
        if (pageLoaded) deliver(pageListeners, m); // before load: dropped, as a real webview does
      },
      addEventListener: (_t: 'message', l: L) => void elementListeners.add(l),
      removeEventListener: (_t: 'message', l: L) => void elementListeners.delete(l),
    };
    const panel = createPanelEndpoint(webview);
    open.push(panel);
    const remote = Comlink.wrap<{ hello(): string }>(panel);
    const pending = remote.hello();

    await new Promise((r) => setTimeout(r, 20));
    pageLoaded = true;
    const win = {
      uxpHost: { postMessage: (m: unknown) => deliver(elementListeners, m) },
      addEventListener: (_t: 'message', l: L) => void pageListeners.add(l),
      removeEventListener: (_t: 'message', l: L) => void pageListeners.delete(l),
    };
    const page = createWebviewEndpoint(win);
    open.push(page);
    Comlink.expose({ hello: () => 'from the page' }, page);
    expect(await pending).toBe('from the page');
    await panel.ready;
    await page.ready;
  });

  it('drops frames delivered twice (two event sources)', async () => {
    const [ta, tb] = memoryTransportPair();
    const doubled = { post: (m: unknown) => { ta.post(m); ta.post(m); }, subscribe: ta.subscribe };
    const a = createBridgeEndpoint(doubled);
    const b = createBridgeEndpoint(tb);
    open.push(a, b);
    const got: unknown[] = [];
    b.addEventListener('message', ((ev: MessageEvent) => void got.push(ev.data)) as unknown as EventListener);
    a.postMessage({ n: 1, bytes: pattern(10) });
    a.postMessage({ n: 2 });
    await new Promise((r) => setTimeout(r, 30));
    expect(got.map((g) => (g as { n: number }).n)).toEqual([1, 2]);
  });
});

describe('panel -> webview page -> worker', () => {
  /** A stand-in for the worker's service: echoes the seed, reports three steps. */
  const service = {
    async generate(req: { seed: number }, onProgress?: (e: { step: number; total: number }) => void) {
      for (let step = 1; step <= 3; step++) await onProgress?.({ step, total: 3 });
      return { images: [{ width: 2, height: 2, data: new Uint8Array(16).fill(req.seed) }], seed: req.seed };
    },
    async info() {
      return { backend: 'wasm' };
    },
    async inpaint() {
      throw { name: 'DiffusionError', code: 'INPUT_INVALID', message: 'mask: expected 4 bytes, got 3' };
    },
  };

  async function chain(failure?: () => unknown) {
    const { port1, port2 } = new MessageChannel(); // stands in for the Worker
    Comlink.expose(service, port1 as unknown as Comlink.Endpoint);
    const [tPanel, tPage] = memoryTransportPair();
    const page = createBridgeEndpoint(tPage);
    Comlink.expose(forwardRemote(Comlink.wrap<DiffusionApi>(port2 as unknown as Comlink.Endpoint), { failure }), page);
    const panel = createBridgeEndpoint(tPanel);
    const engine = panelEngine(Comlink.wrap<DiffusionApi>(panel));
    const close = () => {
      panel.close();
      page.close();
      (port1 as { close(): void }).close();
      (port2 as { close(): void }).close();
    };
    return { engine, close };
  }

  it.each([
    ['native MessageChannel', false],
    ['the polyfill (UXP has no MessageChannel)', true],
  ])('carries calls, results, progress callbacks and engine errors with %s', async (_name, polyfill) => {
    if (polyfill) vi.stubGlobal('MessageChannel', PolyfillMessageChannel);
    const { engine, close } = await chain();
    try {
      const steps: number[] = [];
      const r = (await engine.generate({ seed: 7 } as never, (e) => void steps.push(e.step))) as unknown as { images: { data: Uint8Array }[]; seed: number };
      expect(r.seed).toBe(7);
      expect(r.images[0]!.data).toEqual(new Uint8Array(16).fill(7));
      expect(steps).toEqual([1, 2, 3]);
      await expect(engine.inpaint({} as never)).rejects.toEqual({ name: 'DiffusionError', code: 'INPUT_INVALID', message: 'mask: expected 4 bytes, got 3' });
    } finally {
      close();
      vi.unstubAllGlobals();
    }
  });

  it('rejects every call when the worker could not start', async () => {
    const failure = { name: 'DiffusionError', code: 'BACKEND_UNAVAILABLE', message: 'the inference worker failed to start' };
    const { engine, close } = await chain(() => failure);
    await expect(engine.info()).rejects.toEqual(failure);
    close();
  });

  it('installs the MessageChannel polyfill only where there is none', () => {
    const bare: { MessageChannel?: unknown } = {};
    expect(installMessageChannelPolyfill(bare)).toBe(true);
    expect(bare.MessageChannel).toBe(PolyfillMessageChannel);
    expect(installMessageChannelPolyfill({ MessageChannel: class {} })).toBe(false);
  });
});
