// The panel's mode jobs over a fake Host and a fake engine: what is read, what the engine is
// asked, what is written back, and what happens on errors and cancel.
import { describe, expect, it } from 'vitest';
import { edgeColour, EXPAND_START_STRENGTH } from '../../src/inference/expand.js';
import { borderFrom, EXPAND_WORK_SIDE } from '../../src/panel/jobs/expand.js';
import { selectionAspect, START_PICTURE_SIDE } from '../../src/panel/jobs/generate.js';
import { applyCandidate, isCancelled, plainMessage, runExpand, runFill, runGenerate, runJob, runUpscale } from '../../src/panel/jobs/index.js';
import { opaqueBounds } from '../../src/panel/jobs/pixels.js';
import { strengthNote } from '../../src/panel/jobs/upscale.js';
import type { Host } from '../../src/host/host.js';
import { FakeEngine, FakeHost, solid } from './panel-fakes.js';

const settings = { prompt: 'a red heart', count: 1 };

describe('fill', () => {
  it('lets the engine decide how much detail to add (it knows its crop), unless turned off', async () => {
    const host = new FakeHost(400, 300);
    const engine = new FakeEngine();
    for (const [addDetail, want] of [[true, 'auto'], [undefined, 'auto'], [false, undefined]] as const) {
      host.select({ left: 100, top: 100, width: 80, height: 40 });
      await runFill(host, engine, { ...settings, ...(addDetail !== undefined ? { addDetail } : {}) });
      expect((engine.calls.at(-1)!.request as { detailScale?: unknown }).detailScale).toBe(want);
    }
  });


  it('keeps every pixel outside the selection and changes the ones inside', async () => {
    const host = new FakeHost(100, 80);
    const before = host.composite();
    // an ellipse inside a 30x20 box
    host.select({ left: 40, top: 30, width: 30, height: 20 }, (x, y) => ((x - 55) / 15) ** 2 + ((y - 40) / 10) ** 2 < 1);
    const engine = new FakeEngine();
    const out = await runFill(host, engine, settings);
    expect(out.placement.rect).toEqual({ left: 40, top: 30, width: 30, height: 20 });
    expect(out.placement.mask).toBe(host.sel!.mask);
    await applyCandidate(host, out, 0);
    expect(host.layers).toHaveLength(1);
    expect(host.layers[0].historyName).toBe('Fill selection');
    const after = host.composite();
    let inside = 0;
    for (let y = 0; y < 80; y++) {
      for (let x = 0; x < 100; x++) {
        const i = (y * 100 + x) * 4;
        const sel = x >= 40 && x < 70 && y >= 30 && y < 50 && ((x - 55) / 15) ** 2 + ((y - 40) / 10) ** 2 < 1;
        if (sel) {
          expect(Array.from(after.subarray(i, i + 4))).toEqual([255, 0, 255, 255]);
          inside++;
        } else {
          expect(after.subarray(i, i + 4)).toEqual(before.subarray(i, i + 4));
        }
      }
    }
    expect(inside).toBeGreaterThan(300);
  });

  it('sends the engine a crop with context around the selection, clamped to the document', async () => {
    const host = new FakeHost(100, 80);
    host.select({ left: 0, top: 70, width: 10, height: 10 });
    const engine = new FakeEngine();
    await runFill(host, engine, { prompt: ' sky ', negativePrompt: '  ', count: 9, seed: 7, steps: 3, sampler: 'ddim', candidates: 4 });
    const req = engine.calls[0].request as {
      image: { width: number; height: number }; mask: Uint8Array; prompt: string; count: number; seed: number; negativePrompt?: string; candidates?: number;
    };
    expect(req.candidates).toBe(4);
    expect([req.image.width, req.image.height]).toEqual([15, 15]); // 10 + 5 context, clamped
    expect(req.mask.filter((v) => v === 255).length).toBe(100);
    expect(req.prompt).toBe('sky');
    expect(req.count).toBe(4);
    expect(req.seed).toBe(7);
    expect(req.negativePrompt).toBeUndefined();
  });

  it('passes the strength it was given (a fill that starts from the pixels under the selection), and none by default', async () => {
    const host = new FakeHost(400, 300);
    const engine = new FakeEngine();
    host.select({ left: 100, top: 100, width: 80, height: 40 });
    await runFill(host, engine, settings);
    expect((engine.calls[0].request as { strength?: number }).strength).toBeUndefined();
    await runFill(host, engine, { ...settings, strength: 0.35 });
    expect((engine.calls[1].request as { strength?: number }).strength).toBe(0.35);
  });

  it('More like this: the chosen variation goes under the selection (only there) of the picture the engine starts from', async () => {
    const host = new FakeHost(100, 80);
    host.select({ left: 40, top: 30, width: 20, height: 10 }, (x) => x < 50); // the left half of the box
    const engine = new FakeEngine();
    const first = await runFill(host, engine, settings);
    const chosen = first.candidates[0]!; // the fake engine paints the selection magenta
    await runFill(host, engine, { ...settings, strength: 0.6, fillStart: { rect: first.placement.rect, rgba: chosen.rgba } });
    const req = engine.calls[1].request as { image: { width: number; data: Uint8Array }; strength?: number };
    expect(req.strength).toBe(0.6);
    const before = host.composite();
    // the request's area starts at (30, 20): 10 px of context around the 20 x 10 box
    const px = (x: number, y: number) => Array.from(req.image.data.subarray(4 * ((y - 20) * req.image.width + x - 30), 4 * ((y - 20) * req.image.width + x - 30) + 4));
    const doc = (x: number, y: number) => Array.from(before.subarray(4 * (y * 100 + x), 4 * (y * 100 + x) + 4));
    expect(px(45, 35)).toEqual([255, 0, 255, 255]); // selected: the variation
    expect(px(55, 35)).toEqual(doc(55, 35)); // in the box, not selected: the document
    expect(px(35, 25)).toEqual(doc(35, 25)); // context: the document
  });

  it('says so when there is no selection or an empty one', async () => {
    const host = new FakeHost();
    await expect(runFill(host, new FakeEngine(), settings)).rejects.toMatchObject({ code: 'EMPTY_SELECTION' });
    host.select({ left: 0, top: 0, width: 4, height: 4 }, () => false);
    const e = await runFill(host, new FakeEngine(), settings).catch((x) => x);
    expect(e.code).toBe('EMPTY_SELECTION');
    expect(plainMessage(e)).toMatch(/select the area/);
  });
});

describe('every mode without a document', () => {
  for (const mode of ['generate', 'fill', 'upscale'] as const) {
    it(`${mode}: NO_DOCUMENT, and the engine is not called`, async () => {
      const host = new FakeHost();
      host.doc = null;
      const engine = new FakeEngine();
      const e = await runJob(mode, host, engine, settings).catch((x) => x);
      expect(e.code).toBe('NO_DOCUMENT');
      expect(plainMessage(e)).toMatch(/No document is open/);
      expect(engine.calls).toHaveLength(0);
    });
  }
});

describe('cancel', () => {
  it('adds no layer, cancels the engine, and the next run works', async () => {
    const host = new FakeHost();
    const held = new FakeEngine({ hold: true });
    const ac = new AbortController();
    const run = runGenerate(host, held, settings, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 5));
    ac.abort();
    const e = await run.catch((x) => x);
    expect(isCancelled(e)).toBe(true);
    expect(plainMessage(e)).toMatch(/Cancelled/);
    expect(held.cancelled).toBe(1);
    expect(host.layers).toHaveLength(0);

    const out = await runGenerate(host, new FakeEngine(), settings);
    await applyCandidate(host, out, 0);
    expect(host.layers).toHaveLength(1);
  });

  it('a result that arrives after the abort is dropped; applying with an aborted signal adds nothing', async () => {
    const host = new FakeHost();
    const engine = new FakeEngine();
    const ac = new AbortController();
    const orig = engine.generate.bind(engine);
    engine.generate = async (r, p) => {
      const res = await orig(r, p);
      ac.abort();
      return res;
    };
    await expect(runGenerate(host, engine, settings, { signal: ac.signal })).rejects.toMatchObject({ code: 'CANCELLED' });
    const out = await runGenerate(host, new FakeEngine(), settings);
    await expect(applyCandidate(host, out, 0, ac.signal)).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(host.layers).toHaveLength(0);
  });
});

describe('generate', () => {
  it('without a selection: centred at the image size', async () => {
    const host = new FakeHost(100, 80);
    const out = await runGenerate(host, new FakeEngine(), { ...settings, count: 3 });
    expect(out.candidates).toHaveLength(3);
    expect(out.placement).toEqual({ rect: { left: 18, top: 8, width: 64, height: 64 }, target: 'layer' });
    const { layerId } = (await applyCandidate(host, out, 2)) as { layerId: string };
    expect(layerId).toBe('L1');
    expect(host.layers[0].rgba.subarray(0, 4)).toEqual(new Uint8Array([120, 200, 10, 255]));
    expect(host.layers[0].name).toBe('Generated: a red heart');
  });

  it("tells the engine the selection's size for it to decide how much detail to add, unless turned off", async () => {
    const host = new FakeHost(400, 300);
    const engine = new FakeEngine();
    for (const [addDetail, want] of [[undefined, 'auto'], [true, 'auto'], [false, undefined]] as const) {
      host.select({ left: 10, top: 10, width: 200, height: 100 });
      const out = await runGenerate(host, engine, { ...settings, ...(addDetail !== undefined ? { addDetail } : {}) });
      const request = engine.calls.at(-1)!.request as { detailScale?: unknown; layerSize?: unknown };
      expect(request.detailScale).toBe(want);
      expect(request.layerSize).toEqual(want ? { width: 200, height: 100 } : undefined);
      expect(out.placement.rect).toMatchObject({ width: 200, height: 100 }); // covered either way
    }
    // no selection: nothing to cover, no detail asked
    host.sel = null;
    await runGenerate(host, engine, settings);
    expect((engine.calls.at(-1)!.request as { detailScale?: unknown }).detailScale).toBeUndefined();
  });

  it('scaled down to fit a small document', async () => {
    const host = new FakeHost(32, 20);
    const out = await runGenerate(host, new FakeEngine(), settings);
    expect(out.placement.rect).toEqual({ left: 6, top: 0, width: 20, height: 20 });
    expect(out.candidates[0].rgba.length).toBe(20 * 20 * 4);
  });

  it('with a selection: covers its bounds; the mask only when the selection is not a rectangle', async () => {
    const host = new FakeHost(100, 80);
    host.select({ left: 10, top: 5, width: 50, height: 20 });
    const out = await runGenerate(host, new FakeEngine(), settings);
    expect(out.placement).toEqual({ rect: { left: 10, top: 5, width: 50, height: 20 }, target: 'layer' });
    expect(out.candidates[0].rgba.length).toBe(50 * 20 * 4);
    host.select({ left: 10, top: 5, width: 50, height: 20 }, (x) => x < 30);
    expect((await runGenerate(host, new FakeEngine(), settings)).placement.mask).toBe(host.sel!.mask);
  });

  it('a wide or tall selection asks for the whole picture extended to its shape (at most 3:1); a nearly square one for the square', async () => {
    const host = new FakeHost(400, 300);
    const asked = async (w: number, h: number) => {
      host.select({ left: 0, top: 0, width: w, height: h });
      const engine = new FakeEngine();
      const out = await runGenerate(host, engine, settings);
      expect(out.candidates[0].rgba.length).toBe(w * h * 4);
      return (engine.calls[0].request as { aspect?: number }).aspect;
    };
    expect(await asked(200, 100)).toBe(2);
    expect(await asked(100, 250)).toBe(0.4);
    expect(await asked(390, 100)).toBe(3); // 3.9:1: the 3:1 picture, cut to the selection
    expect(await asked(115, 100)).toBeUndefined(); // 1.15: the square, cut
    expect(await asked(100, 100)).toBeUndefined();
    // no selection: the square, centred
    const engine = new FakeEngine();
    await runGenerate(new FakeHost(400, 300), engine, settings);
    expect((engine.calls[0].request as { aspect?: number }).aspect).toBeUndefined();
    expect(selectionAspect({ width: 116, height: 100 })).toBe(1.16);
    // with a transparent background the square is padded with transparency instead, and the record says the shape
    host.select({ left: 0, top: 0, width: 200, height: 100 });
    const lifted = new FakeEngine();
    const out = await runGenerate(host, lifted, { ...settings, transparentBackground: true });
    expect((lifted.calls[0].request as { aspect?: number }).aspect).toBeUndefined();
    const alpha = (x: number, y: number) => out.candidates[0].rgba[4 * (y * 200 + x) + 3];
    expect([alpha(0, 50), alpha(40, 50), alpha(100, 50), alpha(160, 50), alpha(199, 50)]).toEqual([0, 0, 255, 0, 0]);
    expect(out.candidates[0].record?.options.aspect).toBe(2);
  });

  it('orders variations by reranker score when the engine gives one', async () => {
    const out = await runGenerate(new FakeHost(), new FakeEngine({ scores: [0.1, 0.9, 0.5] }), { ...settings, count: 3 });
    expect(out.candidates.map((c) => c.score)).toEqual([0.9, 0.5, 0.1]);
    expect(out.candidates[0].rgba[0]).toBe(60);
  });

  it("keeps each variation's engine picture, whatever it was fitted to; More like this sends it back as init with the strength", async () => {
    const host = new FakeHost(100, 80);
    host.select({ left: 10, top: 5, width: 50, height: 20 });
    const engine = new FakeEngine({ scores: [0.2, 0.8] });
    const out = await runGenerate(host, engine, { ...settings, count: 2 });
    // fitted to the 50 x 20 selection, but the source is the engine's picture (64 px high, extended to 5:2), best first
    expect(out.candidates[0].rgba.length).toBe(50 * 20 * 4);
    expect(out.candidates.map((c) => [c.source?.width, c.source?.height, c.source?.data[0]])).toEqual([[160, 64, 60], [160, 64, 0]]);
    expect((engine.calls[0].request as { init?: unknown; strength?: unknown }).init).toBeUndefined();
    await runGenerate(host, engine, { ...settings, init: out.candidates[0].source!, strength: 0.4 });
    const again = engine.calls[1].request as { init?: { data: Uint8Array }; strength?: number };
    expect(again.init?.data).toBe(out.candidates[0].source!.data);
    expect(again.strength).toBe(0.4);
  });

  it("starts from the active layer: its pixels' centred square goes to the engine and the result covers it as a new layer", async () => {
    const host = new FakeHost(400, 300);
    // a canvas-sized layer (as Photoshop reads it) whose pixels are a 120 x 80 box at (100, 60)
    const rgba = new Uint8Array(400 * 300 * 4);
    for (let y = 60; y < 140; y++) for (let x = 100; x < 220; x++) rgba.set([x < 160 ? 200 : 10, 50, 90, 255], 4 * (y * 400 + x));
    host.activeLayer = { rect: { left: 0, top: 0, width: 400, height: 300 }, rgba };
    const engine = new FakeEngine();
    const out = await runGenerate(host, engine, { ...settings, startFrom: 'layer', strength: 0.5 });
    const request = engine.calls[0].request as { init?: { width: number; height: number; data: Uint8Array }; strength?: number; layerSize?: unknown };
    // the centred 80 x 80 square: x 120..199, its left half red, its right half not
    expect([request.init?.width, request.init?.height, request.strength]).toEqual([80, 80, 0.5]);
    expect([request.init!.data[0], request.init!.data[4 * 79]]).toEqual([200, 10]);
    expect(request.layerSize).toEqual({ width: 80, height: 80 });
    expect(out.placement).toEqual({ rect: { left: 120, top: 60, width: 80, height: 80 }, target: 'layer' });
    expect([out.layerName, out.historyName]).toEqual(['Redrawn: a red heart', 'Redraw layer']);
    await applyCandidate(host, out, 0);
    expect(host.layers).toHaveLength(1); // a new layer; the source layer is not touched
    // a large layer travels shrunk to START_PICTURE_SIDE; an empty one is refused before the engine runs
    const big = new FakeHost(1200, 1000);
    big.activeLayer = { rect: { left: 0, top: 0, width: 1200, height: 1000 }, rgba: solid(1200, 1000, [9, 9, 9]).data };
    const large = await runGenerate(big, engine, { ...settings, startFrom: 'layer' });
    const sent = (engine.calls[1].request as { init: { width: number; height: number; data: Uint8Array } }).init;
    expect([sent.width, sent.height, sent.data[0]]).toEqual([START_PICTURE_SIDE, START_PICTURE_SIDE, 9]);
    expect(large.placement.rect).toEqual({ left: 100, top: 0, width: 1000, height: 1000 });
    // More like this after a redraw: the variation is the start picture, and the result lands on the layer's square again
    const similar = await runGenerate(host, engine, { ...settings, startFrom: 'layer', init: out.candidates[0].source! });
    expect((engine.calls[2].request as { init?: unknown }).init).toBe(out.candidates[0].source);
    expect(similar.placement.rect).toEqual({ left: 120, top: 60, width: 80, height: 80 });
    host.activeLayer = { rect: { left: 0, top: 0, width: 10, height: 10 }, rgba: new Uint8Array(400) };
    await expect(runGenerate(host, engine, { ...settings, startFrom: 'layer' })).rejects.toMatchObject({ code: 'NO_LAYER', message: expect.stringMatching(/active layer is empty/) });
    expect(engine.calls).toHaveLength(3);
  });

  it('Transparent background lifts the subject off its plain background; a picture of background alone is kept, and the panel says so', async () => {
    // the engine draws a red disc on white
    class DiscEngine extends FakeEngine {
      override async generate(req: { count?: number }) {
        const r = await super.generate(req);
        const disc = solid(64, 64, [255, 255, 255]);
        for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) if (Math.hypot(x - 32, y - 32) < 20) disc.data.set([220, 30, 40, 255], 4 * (y * 64 + x));
        return { ...r, images: r.images.map(() => disc) };
      }
    }
    const host = new FakeHost(100, 80);
    const out = await runGenerate(host, new DiscEngine(), { ...settings, transparentBackground: true });
    const c = out.candidates[0]!;
    const alphaAt = (x: number, y: number) => c.rgba[4 * (y * c.width + x) + 3];
    expect([alphaAt(0, 0), alphaAt(32, 32)]).toEqual([0, 255]);
    expect(c.source!.data[3]).toBe(255); // More like this starts from the picture as drawn
    expect(out.warnings).toEqual([]);
    // off by default
    expect((await runGenerate(host, new DiscEngine(), settings)).candidates[0]!.rgba[3]).toBe(255);
    // the fake engine's plain colour fills: nothing but background, kept as drawn
    const plain = await runGenerate(host, new FakeEngine(), { ...settings, count: 2, transparentBackground: true });
    expect(plain.candidates.every((k) => k.rgba[3] === 255)).toBe(true);
    expect(plain.warnings).toEqual(['The variations keep their background: nothing but background would be left.']);
  });

  it('refuses to add the result to another document', async () => {
    const host = new FakeHost();
    const out = await runGenerate(host, new FakeEngine(), settings);
    host.doc = { id: 'doc2', name: 'Other', width: 10, height: 10 };
    await expect(applyCandidate(host, out, 0)).rejects.toMatchObject({ code: 'NO_DOCUMENT' });
    expect(host.layers).toHaveLength(0);
  });
});

describe('upscale', () => {
  it('a layer whose 4x fits: a new layer centred on it, clamped to the document', async () => {
    const host = new FakeHost(300, 300);
    host.activeLayer = { rect: { left: 200, top: 10, width: 16, height: 16 }, rgba: solid(16, 16, [1, 2, 3]).data };
    const out = await runUpscale(host, new FakeEngine(), { prompt: '' });
    expect(out.placement).toEqual({ rect: { left: 176, top: 0, width: 64, height: 64 }, target: 'layer' });
    await applyCandidate(host, out, 0);
    expect(host.layers[0].rect.width).toBe(64);
    expect(host.layers[0].historyName).toBe('Upscale 4x');
  });

  it('a 4x that does not fit: a new document', async () => {
    const host = new FakeHost(100, 80);
    host.activeLayer = { rect: { left: 0, top: 0, width: 64, height: 64 }, rgba: solid(64, 64, [1, 2, 3]).data };
    const out = await runUpscale(host, new FakeEngine(), { prompt: '' });
    expect(out.placement.target).toBe('newDocument');
    await applyCandidate(host, out, 0);
    expect(host.layers).toHaveLength(0);
    expect(host.newDocuments[0].layer.rect).toEqual({ left: 0, top: 0, width: 256, height: 256 });
  });

  it('a host that cannot open documents: TOO_LARGE before the engine runs', async () => {
    const host = new FakeHost(100, 80);
    (host as { createDocumentWithLayer?: unknown }).createDocumentWithLayer = undefined;
    host.activeLayer = { rect: { left: 0, top: 0, width: 64, height: 64 }, rgba: solid(64, 64, [1, 2, 3]).data };
    const engine = new FakeEngine();
    await expect(runUpscale(host, engine, { prompt: '' })).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(engine.calls).toHaveLength(0);
  });

  it('passes the strength and upscaler steps it was given, and nothing it was not', async () => {
    const host = new FakeHost(300, 300);
    host.activeLayer = { rect: { left: 0, top: 0, width: 16, height: 16 }, rgba: solid(16, 16, [1, 2, 3]).data };
    const engine = new FakeEngine();
    await runUpscale(host, engine, { prompt: '', upscaleStrength: 0.4, upsamplerSteps: 5 });
    await runUpscale(host, engine, { prompt: '' });
    expect(engine.calls[0]!.request).toMatchObject({ strength: 0.4, steps: 5 });
    expect(engine.calls[1]!.request).not.toHaveProperty('strength');
  });

  it('refuses a layer whose upscale would pass the engine\'s limits before sending pixels, by the engine\'s own rule', async () => {
    const host = new FakeHost(100, 80);
    host.activeLayer = { rect: { left: 0, top: 0, width: 4200, height: 2 }, rgba: solid(4200, 2, [1, 2, 3]).data };
    const engine = new FakeEngine();
    const e = await runUpscale(host, engine, { prompt: '' }).catch((x) => x);
    expect(e).toMatchObject({ code: 'TOO_LARGE' });
    expect(plainMessage(e)).toMatch(/^Upscaling 4200x2 works at 4x, 16800x8 pixels.*or by a smaller whole-number scale\.$/);
    // 2x holds only its own 8400x4 result: allowed (it opens as a new document)
    engine.upscaleScale = 2;
    expect((await runUpscale(host, engine, { prompt: '', upscaleScale: 2 })).placement.target).toBe('newDocument');
    expect(engine.calls).toHaveLength(1);
  });

  it('upscales a layer from its pixels\' bounds when the host reads it canvas-sized (as Photoshop does)', async () => {
    const host = new FakeHost(200, 150);
    const rgba = new Uint8Array(200 * 150 * 4); // transparent canvas with a 10x6 patch at (50, 40)
    for (let y = 40; y < 46; y++) for (let x = 50; x < 60; x++) rgba.set([200, 10, 10, 255], 4 * (y * 200 + x));
    host.activeLayer = { rect: { left: 0, top: 0, width: 200, height: 150 }, rgba };
    const engine = new FakeEngine();
    const out = await runUpscale(host, engine, { prompt: '' });
    const sent = (engine.calls[0]!.request as { image: { width: number; height: number; data: Uint8Array } }).image;
    expect([sent.width, sent.height]).toEqual([10, 6]);
    expect(Array.from(sent.data.subarray(0, 4))).toEqual([200, 10, 10, 255]);
    // 40x24, centred on the patch's centre (55, 43), inside the document: a new layer
    expect(out.placement).toEqual({ rect: { left: 35, top: 31, width: 40, height: 24 }, target: 'layer' });
    expect(opaqueBounds(rgba, { left: 0, top: 0, width: 200, height: 150 })).toEqual({ left: 50, top: 40, width: 10, height: 6 });
  });

  it('upscales the whole visible image into a new document when asked, whatever layer is active', async () => {
    const host = new FakeHost(20, 10);
    host.activeLayer = { rect: { left: 0, top: 0, width: 4, height: 4 }, rgba: solid(4, 4, [9, 9, 9]).data };
    const engine = new FakeEngine();
    const out = await runUpscale(host, engine, { prompt: '', upscaleSource: 'image' });
    const sent = (engine.calls[0]!.request as { image: { width: number; height: number; data: Uint8Array } }).image;
    expect([sent.width, sent.height]).toEqual([20, 10]);
    expect(Buffer.from(sent.data).equals(Buffer.from(host.pixels))).toBe(true); // the composite, not the layer
    expect(out.placement).toMatchObject({ target: 'newDocument', rect: { left: 0, top: 0, width: 80, height: 40 } });
    await applyCandidate(host, out, 0);
    expect(host.newDocuments.map((d) => d.name)).toEqual(['Test (Upscaled 4x)']);
    expect(host.layers).toHaveLength(0); // nothing added to the source document
    // an image with nothing visible says so
    host.pixels.fill(0);
    const e = await runUpscale(host, engine, { prompt: '', upscaleSource: 'image' }).catch((x) => x);
    expect(plainMessage(e)).toMatch(/The image is empty \(every visible layer is transparent\)/);
  });

  it('upscales by a scale below the factor: the request, the placement and the layer name follow it', async () => {
    const host = new FakeHost(300, 300);
    host.activeLayer = { rect: { left: 10, top: 20, width: 30, height: 16 }, rgba: solid(30, 16, [1, 2, 3]).data };
    const engine = new FakeEngine();
    engine.upscaleScale = 2; // the fake honours the scale as the engine does
    const out = await runUpscale(host, engine, { prompt: '', upscaleScale: 2 });
    expect(engine.calls[0]!.request).toMatchObject({ scale: 2 });
    expect(out.placement.rect).toMatchObject({ width: 60, height: 32 });
    expect([out.layerName, out.historyName]).toEqual(['Upscaled 2x', 'Upscale 2x']);
    // a stored scale the pack cannot reach (8x with a 4x pack) runs at the pack's factor and sends none
    engine.upscaleScale = 4;
    const full = await runUpscale(host, engine, { prompt: '', upscaleScale: 8 });
    expect(engine.calls[1]!.request).not.toHaveProperty('scale');
    expect(full.layerName).toBe('Upscaled 4x');
  });

  it('says which strength the engine chose by the picture\'s look, and how to override it', async () => {
    const host = new FakeHost(300, 300);
    host.activeLayer = { rect: { left: 0, top: 0, width: 16, height: 16 }, rgba: solid(16, 16, [1, 2, 3]).data };
    const engine = new FakeEngine({ strengthByContent: { photo: 0.3, graphic: 1 } });
    const chosen = await runUpscale(host, engine, { prompt: '' });
    expect(chosen.notes).toEqual([
      'Looks like a photograph: upscaled at strength 0.3, which keeps its own texture. For crisp redrawn edges, as for drawings, set Advanced > Strength to 1.',
    ]);
    expect((await runUpscale(host, engine, { prompt: '', upscaleStrength: 0.6 })).notes).toBeUndefined();
    expect(strengthNote('graphic', { photo: 0.25, graphic: 0.9 })).toMatch(/^Looks like flat-coloured art: upscaled at strength 0\.9.*set Advanced > Strength to 0\.25\.$/);
  });

  it('an empty (transparent) layer: a plain error', async () => {
    const host = new FakeHost(100, 80);
    host.activeLayer = { rect: { left: 0, top: 0, width: 8, height: 8 }, rgba: new Uint8Array(256) };
    const e = await runUpscale(host, new FakeEngine(), { prompt: '' }).catch((x) => x);
    expect(plainMessage(e)).toMatch(/active layer is empty/);
  });
});

describe('expand', () => {
  it('asks the engine to fill the new border of the grown canvas and grows it with the layer in one step', async () => {
    const host = new FakeHost(100, 80);
    const before = host.composite();
    const engine = new FakeEngine();
    const out = await runExpand(host, engine, settings); // 25 % on all sides: 100 * 0.25 / 2 = 12.5 -> 13 px left and right, 10 top and bottom
    const req = engine.calls[0]!.request as { image: { width: number; height: number; data: Uint8Array }; mask: Uint8Array; detailScale?: unknown; strength?: number; featherRadius?: number; blend?: string };
    expect([req.image.width, req.image.height]).toEqual([126, 100]);
    expect(req.blend).toBe('seamless');
    expect(req.detailScale).toBe('auto');
    // the border starts from the picture's edge colour, and replaces it outright (no feather into it)
    expect([req.strength, req.featherRadius]).toEqual([EXPAND_START_STRENGTH, 0]);
    expect(Array.from(req.image.data.subarray(0, 4))).toEqual([...edgeColour({ width: 100, height: 80, data: before }), 255]);
    expect(req.mask.reduce((n, v) => n + (v === 255 ? 1 : 0), 0)).toBe(126 * 100 - 100 * 80);
    for (const [x, y] of [[0, 0], [99, 79], [50, 40]]) {
      const at = ((y + 10) * 126 + x + 13) * 4;
      expect(req.mask[(y + 10) * 126 + x + 13]).toBe(0);
      expect(Array.from(req.image.data.subarray(at, at + 4))).toEqual(Array.from(before.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 4)));
    }
    expect(out.placement).toMatchObject({ rect: { left: 0, top: 0, width: 126, height: 100 }, target: 'expand', expand: { by: { left: 13, right: 13, top: 10, bottom: 10 }, from: { width: 100, height: 80 } } });
    await applyCandidate(host, out, 0);
    expect(host.expansions).toEqual([{ by: { left: 13, right: 13, top: 10, bottom: 10 }, historyName: 'Expand canvas' }]);
    expect(host.layers).toHaveLength(1);
    expect(host.layers[0]!.name).toBe('Expand: a red heart');
    const after = host.composite();
    for (let y = 0; y < 100; y++) {
      for (let x = 0; x < 126; x++) {
        const o = (y * 126 + x) * 4;
        const inside = x >= 13 && x < 113 && y >= 10 && y < 90;
        const want = inside ? Array.from(before.subarray(((y - 10) * 100 + x - 13) * 4, ((y - 10) * 100 + x - 13) * 4 + 3)) : [255, 0, 255];
        expect(Array.from(after.subarray(o, o + 3)), `${x},${y}`).toEqual(want);
      }
    }
  });

  it('refuses to draw an empty-prompt border around a picture with transparent edges, before the engine runs; a prompt draws it', async () => {
    const host = new FakeHost(20, 20);
    // an icon: an opaque 10 x 10 square on transparency
    for (let i = 0; i < 400; i++) host.pixels[4 * i + 3] = i % 20 >= 5 && i % 20 < 15 && i >= 100 && i < 300 ? 255 : 0;
    const engine = new FakeEngine();
    await expect(runExpand(host, engine, { ...settings, prompt: ' ' })).rejects.toMatchObject({ code: 'NEEDS_PROMPT', message: expect.stringMatching(/transparent along the sides that grow/) });
    expect(engine.calls).toHaveLength(0);
    await runExpand(host, engine, { ...settings, prompt: 'on a white background' });
    expect(engine.calls).toHaveLength(1);
  });

  it('More like this: the new border starts from the chosen variation; refused once the canvas has grown', async () => {
    const host = new FakeHost(40, 30);
    const engine = new FakeEngine();
    const first = await runExpand(host, engine, { ...settings, expandBy: 0.5, expandDirection: 'left' });
    const chosen = first.candidates[0]!; // the fake engine paints the border magenta
    const expandStart = { rect: first.placement.rect, rgba: chosen.rgba, from: first.placement.expand!.from };
    await runExpand(host, engine, { ...settings, expandBy: 0.5, expandDirection: 'left', expandStart, strength: 0.6 });
    const req = engine.calls[1]!.request as { image: { width: number; data: Uint8Array }; strength?: number };
    expect(req.strength).toBe(0.6);
    expect(Array.from(req.image.data.subarray(0, 4))).toEqual([255, 0, 255, 255]); // border: the variation
    const inside = (5 * 60 + 30) * 4; // (30, 5): the old picture's (10, 5)
    expect(Array.from(req.image.data.subarray(inside, inside + 4))).toEqual(Array.from(host.pixels.subarray((5 * 40 + 10) * 4, (5 * 40 + 10) * 4 + 4)));
    await applyCandidate(host, first, 0); // the canvas grows to 60 x 30
    await expect(runExpand(host, engine, { ...settings, expandBy: 0.5, expandDirection: 'left', expandStart })).rejects.toMatchObject({
      code: 'NO_DOCUMENT', message: expect.stringMatching(/now 60x30, not the 40x30 that variation was made for/),
    });
    expect(engine.calls).toHaveLength(2);
  });

  it('borderFrom reads the variation at document scale for a working copy', () => {
    // a 4 x 2 working canvas at k = 0.5 of an 8 x 4 document whose left 4 columns are the border
    const image = { width: 4, height: 2, data: new Uint8Array(32) };
    const mask = Uint8Array.from([255, 255, 0, 0, 255, 255, 0, 0]);
    const rgba = new Uint8Array(4 * 4 * 4);
    for (let i = 0; i < 16; i++) rgba.set([i * 10, 0, 0, 255], 4 * i); // red = 10 x (y * 4 + x)
    borderFrom(image, mask, 0.5, { rect: { left: 0, top: 0, width: 4, height: 4 }, rgba });
    // working (1, 1) is document (3, 3): 10 x 15; (2, 0) is not border: untouched
    expect(image.data[4 * (1 * 4 + 1)]).toBe(150);
    expect(image.data[4 * 2]).toBe(0);
  });

  it('at strength 1 the border is drawn from noise: it is sent transparent', async () => {
    const engine = new FakeEngine();
    await runExpand(new FakeHost(40, 30), engine, { ...settings, strength: 1 });
    const req = engine.calls[0]!.request as { image: { data: Uint8Array }; strength?: number };
    expect(req.strength).toBe(1);
    expect(req.image.data[3]).toBe(0);
  });

  it('a layer only as large as the new strip; a second variation goes onto the grown canvas without growing it again', async () => {
    const host = new FakeHost(40, 30);
    const out = await runExpand(host, new FakeEngine(), { ...settings, count: 2, expandBy: 0.5, expandDirection: 'left', addDetail: false });
    expect(out.placement.rect).toEqual({ left: 0, top: 0, width: 20, height: 30 });
    expect(out.candidates[0]!.rgba.length).toBe(20 * 30 * 4);
    expect(out.placement.mask!.every((v) => v === 255)).toBe(true);
    await applyCandidate(host, out, 0);
    await applyCandidate(host, out, 1);
    expect(host.expansions).toHaveLength(1);
    expect(host.layers).toHaveLength(2);
    expect(host.doc).toMatchObject({ width: 60, height: 30 });
  });

  it('works on a copy at most EXPAND_WORK_SIDE long and brings the border back at full size; refuses a result past the limits', async () => {
    const host = new FakeHost(3000, 60);
    const before = host.composite();
    const engine = new FakeEngine();
    const out = await runExpand(host, engine, { ...settings, expandBy: 0.5, expandDirection: 'right', addDetail: false });
    const req = engine.calls[0]!.request as { image: { width: number; height: number } };
    // grown 4500 px wide: the engine gets it at 2048 / 4500
    expect(req.image.width).toBeLessThanOrEqual(EXPAND_WORK_SIDE);
    expect(req.image.width).toBeGreaterThan(EXPAND_WORK_SIDE - 3);
    expect(out.placement.rect).toEqual({ left: 3000, top: 0, width: 1500, height: 60 });
    await applyCandidate(host, out, 0);
    const after = host.composite();
    expect(host.doc).toMatchObject({ width: 4500, height: 60 });
    for (let y = 0; y < 60; y += 7) {
      expect(Array.from(after.subarray(y * 4500 * 4, (y * 4500 + 3000) * 4))).toEqual(Array.from(before.subarray(y * 3000 * 4, (y + 1) * 3000 * 4)));
      expect(Array.from(after.subarray((y * 4500 + 3000) * 4, (y * 4500 + 3000) * 4 + 3))).toEqual([255, 0, 255]); // drawn, right at the seam
    }
    await expect(runExpand(new FakeHost(12000, 10), engine, { ...settings, expandBy: 0.5, expandDirection: 'left' })).rejects.toThrow(/would make the document 18000x10 pixels, more than the 16384 px per side/);
  });

  it('refuses a document that changed size since, and an editor that cannot grow its canvas', async () => {
    const host = new FakeHost(40, 30);
    const engine = new FakeEngine();
    const out = await runExpand(host, engine, settings);
    expect((engine.calls[0]!.request as { detailScale?: unknown }).detailScale).toBe('auto');
    host.doc = { ...host.doc!, width: 41 };
    await expect(applyCandidate(host, out, 0)).rejects.toThrow(/now 41x30, but the result was made for 40x30: run Expand again/);
    const plain: Host = Object.assign(new FakeHost(40, 30), { expandCanvas: undefined });
    await expect(runExpand(plain, engine, settings)).rejects.toThrow(/cannot grow its canvas/);
  });
});
