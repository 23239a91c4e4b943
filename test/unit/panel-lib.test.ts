// The panel's pure helpers: settings, pack URLs, PNG encoding, progress and status wording, resampling.
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { sentence } from '../../src/panel/jobs/common.js';
import { coverRgba, resizeRgba } from '../../src/panel/jobs/pixels.js';
import { caretOnEdgeLine, HISTORY_SIZE, NOT_RECALLING, remember, step, type Recall } from '../../src/panel/lib/history.js';
import { checkPackUrl } from '../../src/panel/lib/pack-url.js';
import { encodePng, encodePngAsync } from '../../src/panel/lib/png.js';
import { DEFAULT_SETTINGS, loadSettings, sanitize, saveSettings } from '../../src/panel/lib/settings.js';
import { memoryStore } from '../../src/panel/lib/storage.js';
import { summarize } from '../../src/panel/ProgressView/progress.js';
import { statusText } from '../../src/panel/StatusLine/status.js';

describe('settings', () => {
  it('round-trip through a store; invalid stored fields fall back to defaults', () => {
    const store = memoryStore();
    saveSettings(store, { ...DEFAULT_SETTINGS, prompt: 'cat', count: 3, sampler: 'ddim', seed: 9, randomSeed: false, candidates: 4 });
    expect(loadSettings(store)).toMatchObject({ prompt: 'cat', count: 3, sampler: 'ddim', seed: 9, randomSeed: false, candidates: 4 });
    expect(sanitize({ mode: 'paint', count: 7, steps: -1, sampler: 'euler', guidance: 'x', prompt: 3, candidates: 9 })).toEqual(DEFAULT_SETTINGS);
    expect(sanitize({ candidates: 0 }).candidates).toBeNull();
    expect(sanitize({ candidates: 2.5 }).candidates).toBeNull();
    expect(sanitize({ upscaleStrength: 0.4 }).upscaleStrength).toBe(0.4);
    expect(sanitize({ upscaleScale: 2 }).upscaleScale).toBe(2);
    expect(sanitize({ upscaleSource: 'image' }).upscaleSource).toBe('image');
    for (const bad of ['composite', null, 1]) expect(sanitize({ upscaleSource: bad }).upscaleSource).toBe('layer');
    for (const bad of [1, 2.5, '2', -3]) expect(sanitize({ upscaleScale: bad }).upscaleScale).toBeNull();
    for (const bad of [0, -0.5, 1.5, '0.4']) {
      expect(sanitize({ upscaleStrength: bad }).upscaleStrength).toBeNull();
      expect(sanitize({ fillStrength: bad, startStrength: bad })).toMatchObject({ fillStrength: null, startStrength: null });
    }
    expect(sanitize({ fillStrength: 0.3, startStrength: 1, startFrom: 'layer' })).toMatchObject({ fillStrength: 0.3, startStrength: 1, startFrom: 'layer' });
    expect(sanitize({ startFrom: 'image' }).startFrom).toBe('noise');
    expect(sanitize({ transparentBackground: 'yes' }).transparentBackground).toBe(false);
    expect(sanitize({ transparentBackground: true }).transparentBackground).toBe(true);
    expect(loadSettings(memoryStore({ 'settings.v1': '{not json' }))).toEqual(DEFAULT_SETTINGS);
  });

  it('keeps the stored prompt history, without blanks or non-strings, at most HISTORY_SIZE', () => {
    expect(sanitize({ history: ['a cat', 3, '', '  ', null, 'a dog'] }).history).toEqual(['a cat', 'a dog']);
    expect(sanitize({ history: 'a cat' }).history).toEqual([]);
    expect(sanitize({ history: Array.from({ length: 50 }, (_, i) => `p${i}`) }).history).toHaveLength(HISTORY_SIZE);
  });
});

describe('prompt history', () => {
  it('remembers the latest prompt first, once, trimmed; blanks are not kept; the list is capped', () => {
    expect(remember([], ' a cat ')).toEqual(['a cat']);
    expect(remember(['a dog', 'a cat', 'a fox'], 'a cat')).toEqual(['a cat', 'a dog', 'a fox']);
    expect(remember(['a dog'], '   ')).toEqual(['a dog']);
    expect(remember(['b', 'c', 'd'], 'a', 3)).toEqual(['a', 'b', 'c']);
  });

  it('steps back through older prompts and forward to the draft, stopping at both ends', () => {
    const history = ['newest', 'older', 'oldest'];
    let at: Recall = NOT_RECALLING;
    const go = (text: string, older: boolean) => {
      const r = step(history, at, text, older);
      if (r) at = r.at;
      return r?.text ?? null;
    };
    expect(go('my draft', false)).toBeNull(); // nothing newer than the draft
    expect(go('my draft', true)).toBe('newest');
    expect(go('newest', true)).toBe('older');
    expect(go('older', true)).toBe('oldest');
    expect(go('oldest', true)).toBeNull(); // the oldest is the end
    expect(go('oldest', false)).toBe('older');
    expect(go('older', false)).toBe('newest');
    expect(go('newest', false)).toBe('my draft'); // back to what was being written
    expect(step([], NOT_RECALLING, 'x', true)).toBeNull();
  });

  it('takes the arrow keys only on the first (up) or last (down) line and without a selection', () => {
    const text = 'line one\nline two';
    expect(caretOnEdgeLine(text, 3, 3, true)).toBe(true);
    expect(caretOnEdgeLine(text, 12, 12, true)).toBe(false);
    expect(caretOnEdgeLine(text, 12, 12, false)).toBe(true);
    expect(caretOnEdgeLine(text, 3, 3, false)).toBe(false);
    expect(caretOnEdgeLine('one line', 0, 4, true)).toBe(false);
    expect(caretOnEdgeLine('', 0, 0, true)).toBe(true);
    // a field that does not report its caret: one line only
    expect(caretOnEdgeLine('one line', undefined, undefined, true)).toBe(true);
    expect(caretOnEdgeLine(text, undefined, undefined, false)).toBe(false);
  });
});

describe('pack URLs', () => {
  it.each([
    ['https://example.org/packs/a', 'https://example.org/packs/a/'],
    ['https://example.org/packs/a/model.json', 'https://example.org/packs/a/'],
    ['models/other/', 'http://localhost:1/app/models/other/'],
  ])('%s -> %s', (input, url) => {
    expect(checkPackUrl(input, 'http://localhost:1/app/')).toEqual({ ok: true, url });
  });

  it.each([[''], ['javascript:alert(1)'], ['https://x.org/p?token=1'], ['http://[bad']])('rejects %j with a message', (input) => {
    const r = checkPackUrl(input, 'http://localhost:1/');
    expect(r.ok).toBe(false);
    expect((r as { message: string }).message.length).toBeGreaterThan(10);
  });
});

describe('PNG encoding', () => {
  it('decodes back to the same RGBA', () => {
    const rgba = Uint8Array.from({ length: 5 * 3 * 4 }, (_, i) => (i * 37) % 256);
    const png = PNG.sync.read(Buffer.from(encodePng(rgba, 5, 3)));
    expect([png.width, png.height]).toEqual([5, 3]);
    expect(new Uint8Array(png.data)).toEqual(rgba);
  });

  it('the asynchronous encoder (deflate in a worker) makes the same picture', async () => {
    const rgba = Uint8Array.from({ length: 300 * 200 * 4 }, (_, i) => (i * 37) % 251);
    const png = PNG.sync.read(Buffer.from(await encodePngAsync(rgba, 300, 200)));
    expect([png.width, png.height]).toEqual([300, 200]);
    expect(new Uint8Array(png.data)).toEqual(rgba);
  });
});

describe('progress and status wording', () => {
  it('the bar fills across stages', () => {
    expect(summarize('generate', null).fraction).toBe(0);
    const base = summarize('generate', { stage: 'base', step: 5, total: 10, elapsedMs: 1000, etaMs: 1500 });
    const up = summarize('generate', { stage: 'upsampler', step: 5, total: 5, elapsedMs: 3000, etaMs: 0 });
    expect(base.fraction).toBeCloseTo(0.31);
    expect(base.label).toBe('Drawing: step 5 of 10');
    expect(base.eta).toMatch(/about 2s left/);
    expect(up.fraction).toBe(1);
    expect(summarize('upscale', { stage: 'upsampler', step: 1, total: 2, elapsedMs: 0, etaMs: 0 }).fraction).toBeCloseTo(0.51);
    // adding detail is a pass of its own: the bar fills again
    const detail = summarize('generate', { stage: 'detail', step: 3, total: 12, elapsedMs: 9000, etaMs: 4000 });
    expect([detail.fraction, detail.label]).toEqual([0.25, 'Adding detail: step 3 of 12']);
  });

  it('the status names the model, the backend and why, and flags the random test model', () => {
    const info = {
      loaded: true,
      pack: { name: 'tiny-random', description: 'Random-init', license: 'MIT', attribution: [], config: 'tiny', baseResolution: 16, upsamplerResolution: 64, contextLength: 8, defaults: {} as never, reranker: false, location: 'x' },
      backend: { kind: 'wasm' as const, reason: 'wasm: no WebGPU adapter (1 thread)', precision: 'fp32' as const },
      limits: { maxSide: 1, maxPixels: 1 },
    };
    const t = statusText({ status: 'ready', url: 'x', info }, false);
    expect(t.model).toBe('Model: tiny-random (tiny)');
    expect(t.backend).toBe('Running on WebAssembly (CPU) · no WebGPU adapter (1 thread)');
    expect(t.warning).toMatch(/Random test model/);
  });
});

describe('resampling', () => {
  it('box-averages when shrinking and keeps a solid colour solid', () => {
    const src = Uint8Array.from([0, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
    expect(Array.from(resizeRgba(src, 2, 2, 1, 1))).toEqual([128, 128, 128, 255]);
    const solid = new Uint8Array(8 * 8 * 4).fill(200);
    expect(resizeRgba(solid, 8, 8, 13, 5).every((v) => v === 200)).toBe(true);
  });

  it('cover crops the centre to the target aspect', () => {
    const src = new Uint8Array(4 * 2 * 4);
    for (let x = 0; x < 4; x++) for (let y = 0; y < 2; y++) src.set([x * 60, 0, 0, 255], (y * 4 + x) * 4);
    expect(Array.from(coverRgba(src, 4, 2, 2, 2)).filter((_, i) => i % 4 === 0)).toEqual([60, 120, 60, 120]);
  });
});

describe('engine client over a bridge without callbacks', () => {
  it('polls progress() while a job runs and passes no callback', async () => {
    const { panelEngine } = await import('../../src/panel/lib/engine-client.js');
    let step = 0;
    const remote = {
      progress: async () => ({ stage: 'base', step: ++step, total: 10, elapsedMs: 0, etaMs: 0 }),
      generate: async (_r: unknown, cb?: unknown) => {
        expect(cb).toBeUndefined();
        await new Promise((r) => setTimeout(r, 60));
        return { seed: 1 };
      },
    };
    const seen: number[] = [];
    const engine = panelEngine(remote as never, { callbacks: false, pollMs: 10 });
    await engine.generate({ prompt: 'x' }, (e) => seen.push(e.step));
    expect(seen.length).toBeGreaterThan(1);
    const n = seen.length;
    await new Promise((r) => setTimeout(r, 40));
    expect(seen.length).toBe(n); // polling stopped
  });
});

describe('sentence', () => {
  it("makes an engine message a sentence: capital first letter, one full stop, whatever its first word", () => {
    expect(sentence('upscaling 10x10 is too large')).toBe('Upscaling 10x10 is too large.');
    expect(sentence('expand by: expected a fraction')).toBe('Expand by: expected a fraction.');
    expect(sentence('Already a sentence.')).toBe('Already a sentence.');
    expect(sentence('')).toBe('');
  });
});
