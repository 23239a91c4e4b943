// The engine end to end on the tiny random pack with onnxruntime-web (wasm) in Node.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SEAM_REACH_WITH_PROMPT } from '../../src/inference/jobs/inpaint.js';
import { createOrtWebBackend } from '../../src/inference/backends/ort-web.js';
import { DiffusionError } from '../../src/inference/errors.js';
import { loadPack } from '../../src/inference/pack.js';
import { Engine, type ProgressEvent } from '../../src/inference/pipeline.js';
import { tensorToRgbaBatch } from '../../src/inference/image.js';
import { NoiseSource } from '../../src/inference/rng.js';
import { diffusionFor } from '../../src/inference/sampling/diffusion.js';
import { encodeText, sampleBase, sampleUpsampler } from '../../src/inference/stages.js';
import { PromptTokenizer } from '../../src/inference/tokenizer.js';
import { TINY_PACK } from '../helpers/reference.js';

const engine = new Engine();

function rgba(w: number, h: number, f: (x: number, y: number) => [number, number, number, number]): Uint8ClampedArray {
  const d = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) d.set(f(x, y), 4 * (y * w + x));
  return d;
}

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DiffusionError);
    return { code: (e as DiffusionError).code, message: (e as Error).message };
  }
  throw new Error('expected a rejection');
}

/** An engine on the tiny pack with some of its defaults changed. */
async function tinyPackWith(defaults: Record<string, unknown>): Promise<Engine> {
  const files = new Map(readdirSync(TINY_PACK).map((n) => [n, new Uint8Array(readFileSync(path.join(TINY_PACK, n)))]));
  const m = JSON.parse(new TextDecoder().decode(files.get('model.json')));
  Object.assign(m.defaults, defaults);
  files.set('model.json', new TextEncoder().encode(JSON.stringify(m)));
  const e = new Engine();
  await e.load(await loadPack({ files }), { backend: await createOrtWebBackend({ device: 'wasm', numThreads: 1 }) });
  return e;
}

beforeAll(async () => {
  const pack = await loadPack(TINY_PACK);
  await engine.load(pack, { backend: await createOrtWebBackend({ device: 'wasm', numThreads: 1 }) });
}, 60_000);

describe('Engine on the tiny pack (wasm)', () => {
  it('reports what is loaded and why this backend', () => {
    const info = engine.info();
    expect(info.loaded).toBe(true);
    expect(info.pack?.name).toBe('tiny-random');
    expect(info.backend?.reason).toMatch(/^wasm: /);
    expect(info.limits.maxSide).toBe(16384);
    // the pack's upsampler note, for the Upscale tab
    expect(info.pack?.upscaleNote).toBe('Random weights: upscaling makes noise, not detail.');
  });

  it('generates a batch at the upsampler size, reproducibly per seed, with progress and previews', async () => {
    const events: ProgressEvent[] = [];
    const req = { prompt: 'a red heart', seed: 42, steps: 4, count: 2, previewEvery: 2, upsamplerSteps: 2 };
    const a = await engine.generate(req, { onProgress: (e) => events.push(e) });
    expect(a.images).toHaveLength(2);
    expect(a.width).toBe(64);
    expect(a.images[0]!.data.length).toBe(64 * 64 * 4);
    expect(a.prompt.truncated).toBe(false);
    expect(events.map((e) => e.stage)).toEqual(['text', 'base', 'base', 'base', 'base', 'upsampler', 'upsampler']);
    const base = events.filter((e) => e.stage === 'base');
    expect(base.map((e) => e.step)).toEqual([1, 2, 3, 4]);
    expect(base.map((e) => !!e.preview)).toEqual([false, true, false, true]);
    expect(base[1]!.preview).toMatchObject({ width: 16, height: 16 });
    expect(events.every((e) => e.elapsedMs >= 0 && e.etaMs >= 0)).toBe(true);
    const b = await engine.generate(req);
    expect(Buffer.from(b.images[1]!.data).equals(Buffer.from(a.images[1]!.data))).toBe(true);
    const c = await engine.generate({ ...req, seed: 43 });
    expect(Buffer.from(c.images[0]!.data).equals(Buffer.from(a.images[0]!.data))).toBe(false);
  });

  it('draws noise from one seeded stream in the documented order', async () => {
    // base x_T, one tensor per base step that needs noise (ddpm: all but the last), then the
    // upsampler's augmentation noise, its x_T, its per-step noise (ddim: none)
    const seed = 1234;
    const r = await engine.generate({ prompt: 'a red heart', seed, steps: 3, sampler: 'ddpm', guidance: 2, dynamicThreshold: null });
    const pack = await loadPack(TINY_PACK);
    const m = pack.manifest;
    const backend = await createOrtWebBackend({ device: 'wasm' });
    const session = async (s: 'textEncoder' | 'base' | 'upsampler') => backend.createSession((await pack.readFile(s)).bytes, s);
    const tok = new PromptTokenizer(m.tokenizer).encodeBatch(['a red heart', '']);
    const text = await encodeText(await session('textEncoder'), tok.tokens, tok.mask, 2);
    const noise = new NoiseSource(seed);
    const n = 3 * 16 * 16;
    const xT = noise.normal(n);
    const base = await sampleBase({
      session: await session('base'), resolution: 16, batch: 1, text, phases: [{ until: Infinity, cond: [0], uncond: 1 }], guidance: 2, dynamicThreshold: null,
      sampler: 'ddpm', diffusion: diffusionFor(m.base.schedule, '3'), xT, noise: () => noise.normal(n),
    });
    const augNoise = noise.normal(n);
    const unit = noise.normal(3 * 64 * 64);
    const { out } = await sampleUpsampler({
      session: await session('upsampler'), resolution: 64, lowResolution: 16, batch: 1, lowRes: base, augLevel: m.defaults.augLevel!,
      augNoise, noise: unit, temperature: m.defaults.upsamplerTemperature!, sampler: 'ddim',
      diffusion: diffusionFor(m.upsampler.schedule, `ddim${m.defaults.upsamplerSteps}`),
    });
    const want = tensorToRgbaBatch(out, 1, 64, 64)[0]!;
    expect(Buffer.from(r.images[0]!.data).equals(Buffer.from(want.data))).toBe(true);
  });

  it('returns the base image when upscale is false, with every sampler', async () => {
    for (const sampler of ['ddim', 'ddpm', 'dpmpp2m'] as const) {
      const r = await engine.generate({ prompt: 'a fox face', seed: 1, steps: 3, sampler, upscale: false });
      expect([r.width, r.height, r.images[0]!.data.length]).toEqual([16, 16, 16 * 16 * 4]);
    }
  });

  it('generates from an init picture: its centred square, kept at a low strength, drawn over at strength 1; the steps shrink', async () => {
    // 48 x 16: a red third, a green centre square, a blue third; only the green square is used
    const init = { width: 48, height: 16, data: rgba(48, 16, (x) => (x < 16 ? [230, 20, 20, 255] : x < 32 ? [30, 200, 60, 255] : [20, 20, 230, 255])) };
    const green = [30, 200, 60];
    const meanError = (img: { data: Uint8ClampedArray | Uint8Array }) => {
      let e = 0;
      for (let i = 0; i < 16 * 16; i++) for (let c = 0; c < 3; c++) e += Math.abs(img.data[4 * i + c]! - green[c]!);
      return e / (16 * 16 * 3);
    };
    const steps: number[] = [];
    // strength 0.1 of 10 steps keeps one step at t = 0, where the picture carries all but 1 % of the noise's weight
    const kept = await engine.generate(
      { prompt: 'a red heart', init, strength: 0.1, seed: 4, steps: 10, sampler: 'ddim', upscale: false },
      { onProgress: (e) => e.stage === 'base' && steps.push(e.total) },
    );
    expect(meanError(kept.images[0]!)).toBeLessThan(6);
    expect(new Set(steps)).toEqual(new Set([1]));
    // from noise the random network's picture is nowhere near it
    const redrawn = await engine.generate({ prompt: 'a red heart', init, strength: 1, seed: 4, steps: 10, sampler: 'ddim', upscale: false });
    expect(meanError(redrawn.images[0]!)).toBeGreaterThan(30);
    // an init alone takes the default strength (0.6 of 10 steps: 6)
    steps.length = 0;
    await engine.generate({ prompt: 'a red heart', init, seed: 4, steps: 10, upscale: false }, { onProgress: (e) => e.stage === 'base' && steps.push(e.total) });
    expect(new Set(steps)).toEqual(new Set([6]));
    // a large init is binned before it becomes floats; its centred square is what counts
    const big = { width: 2400, height: 1600, data: rgba(2400, 1600, (x) => (x < 400 || x >= 2000 ? [230, 20, 20, 255] : [30, 200, 60, 255])) };
    const fromBig = await engine.generate({ prompt: 'a red heart', init: big, strength: 0.1, seed: 4, steps: 10, sampler: 'ddim', upscale: false });
    expect(meanError(fromBig.images[0]!)).toBeLessThan(6);
  });

  it('a fill at a low strength starts from the pixels under the selection', async () => {
    const W = 32, H = 32;
    const data = rgba(W, H, (x, y) => (x >= 8 && x < 24 && y >= 8 && y < 24 ? [40, 90, 220, 255] : [250, 250, 250, 255]));
    const mask = new Uint8Array(W * H);
    for (let y = 10; y < 22; y++) for (let x = 10; x < 22; x++) mask[y * W + x] = 255;
    const meanInside = async (strength: number) => {
      // the paste-back as drawn: a seamless one would pull a far fill towards the picture too
      const r = await engine.inpaint({ image: { width: W, height: H, data }, mask, prompt: 'a slice of pizza', seed: 2, steps: 10, sampler: 'ddim', strength, upscale: false, featherRadius: 0, blend: 'feather' });
      let e = 0;
      for (let i = 0; i < W * H; i++) if (mask[i]) for (let c = 0; c < 3; c++) e += Math.abs(r.images[0]!.data[4 * i + c]! - data[4 * i + c]!);
      return e / (144 * 3);
    };
    expect(await meanInside(0.1)).toBeLessThan(8);
    expect(await meanInside(1)).toBeGreaterThan(30);
  });

  it('reports a truncated 10,000-character prompt instead of failing', async () => {
    const r = await engine.generate({ prompt: 'pizza '.repeat(1667).slice(0, 10_000), seed: 3, steps: 2, upscale: false });
    expect(r.prompt.truncated).toBe(true);
    expect(r.prompt.tokens).toBeGreaterThan(1000);
    expect(r.warnings.join(' ')).toMatch(/reads the first 8/);
  });

  it('names the words the pack has not learnt, in the result and before any run', async () => {
    // the tiny pack's vocabulary: "a red heart", "a fox face", "a slice of pizza" (training/fixtures.py)
    expect(engine.checkPrompt('a rocket over a rainbow')).toEqual({ tokens: 5, maxTokens: 8, truncated: false, unknownWords: ['rocket', 'over', 'a', 'rainbow'], suggestions: [] });
    // and offers the subjects the pack's model.json lists (training/fixtures.py TINY_SUBJECTS)
    expect(engine.checkPrompt('a piz')).toMatchObject({ suggestions: ['pizza', 'slice of pizza'], unknownWords: [] });
    // "piz" is not flagged while it is being typed and matches; once a space follows it, it is
    expect(engine.checkPrompt('a piz ')).toMatchObject({ suggestions: ['pizza', 'slice of pizza'], unknownWords: ['piz'] });
    expect(engine.checkPrompt('a zzz').unknownWords).toEqual(['zzz']);
    expect(engine.checkPrompt('a red heart').suggestions).toEqual([]);
    const r = await engine.generate({ prompt: 'a red heart', negativePrompt: 'a rainbow', seed: 3, steps: 2, upscale: false });
    expect(r.warnings).toEqual(['this model has not learnt "rainbow" in the negative prompt: no training caption had it, so it carries no meaning']);
    const several = await engine.generate({ prompt: 'a rocket over a rainbow', seed: 3, steps: 2, upscale: false });
    expect(several.warnings).toEqual(['this model has not learnt "rocket", "over", "a", "rainbow" in the prompt: no training caption had them, so they carry no meaning']);
    const known = await engine.generate({ prompt: 'a fox face', seed: 3, steps: 2, upscale: false });
    expect(known.warnings).toEqual([]);
    await expect(async () => new Engine().checkPrompt('a')).rejects.toThrow(/no model is loaded/);
  });

  it('reads prompt weights: the words are checked without the brackets, and a bad weight is named before and at the run', async () => {
    // the same tokens as the plain prompt, and no "(" or "1.4" among the unknown words
    expect(engine.checkPrompt('a (red:1.4) [heart]')).toEqual({
      ...engine.checkPrompt('a red heart'),
      weighted: [{ text: 'red', weight: 1.4 }, { text: 'heart', weight: 1 / 1.1 }],
    });
    const bad = engine.checkPrompt('a (red:9) heart');
    expect(bad.weightProblem).toMatch(/9 on "red" is outside 0 to 3/);
    expect(bad.unknownWords).toEqual([]);
    expect(bad.tokens).toBe(engine.checkPrompt('a red heart').tokens);
    const { code } = await codeOf(engine.generate({ prompt: 'a (red:9) heart', seed: 3, steps: 2, upscale: false }));
    expect(code).toBe('INPUT_INVALID');
    await expect(engine.generate({ prompt: 'a red heart', negativePrompt: '(blurry:-2)', seed: 3, steps: 2, upscale: false })).rejects.toThrow(/-2 on "blurry"/);
  });

  it('edits the prompt during sampling: [from:to:when] draws from or to alone at the ends, something of both between', async () => {
    const run = (prompt: string) => engine.generate({ prompt, seed: 4, steps: 4, sampler: 'ddim', upscale: false });
    const same = (a: { images: { data: Uint8ClampedArray | Uint8Array }[] }, b: typeof a) => Buffer.from(a.images[0]!.data).equals(Buffer.from(b.images[0]!.data));
    const heart = await run('a red heart');
    const fox = await run('a fox face');
    expect(same(await run('a [fox face:red heart:0]'), heart)).toBe(true); // switched before step 1
    expect(same(await run('a [red heart:fox face:4]'), heart)).toBe(true); // switched after the last
    expect(same(await run('a [red heart:fox face:1.0]'), heart)).toBe(true); // all of the steps
    const both = await run('a [red heart:fox face:2]');
    expect(same(both, heart) || same(both, fox)).toBe(false);
    expect(same(await run('a [red heart:fox face:0.5]'), both)).toBe(true); // half of 4 steps is step 2
    // the check reads every phase over the pack's default steps, and names them
    const check = engine.checkPrompt('a [red heart:fox face:0.5]');
    expect(check.unknownWords).toEqual([]);
    expect(check.tokens).toBe(3);
    const steps = check.phaseSteps!;
    expect(check.phases).toEqual([{ until: Math.floor(steps / 2), words: 'a red heart' }, { until: steps, words: 'a fox face' }]);
    expect(engine.checkPrompt('a red heart').phases).toBeUndefined();
  });

  it('composes prompts with AND: halves of one prompt draw it, a part of weight 0 adds nothing, a second prompt changes it', async () => {
    const run = (prompt: string) => engine.generate({ prompt, seed: 6, steps: 3, sampler: 'ddim', guidance: 3, upscale: false });
    // the batch is larger (3 rows a step), so compare within a level rather than to the bit
    const maxDiff = (a: { images: { data: Uint8ClampedArray | Uint8Array }[] }, b: typeof a) =>
      Array.from(a.images[0]!.data).reduce((m, v, i) => Math.max(m, Math.abs(v - b.images[0]!.data[i]!)), 0);
    const heart = await run('a red heart');
    expect(maxDiff(await run('a red heart :0.5 AND a red heart:0.5'), heart)).toBeLessThanOrEqual(1);
    expect(maxDiff(await run('a red heart AND a fox face :0'), heart)).toBeLessThanOrEqual(1);
    expect(maxDiff(await run('a red heart AND a fox face'), heart)).toBeGreaterThan(2); // the random test model: 4 levels
    const check = engine.checkPrompt('a red heart AND a fox face :0.5');
    expect(check.composed).toEqual([{ words: 'a red heart', weight: 1 }, { words: 'a fox face', weight: 0.5 }]);
    expect(check.unknownWords).toEqual([]);
    expect(check.tokens).toBe(3);
    expect(engine.checkPrompt('a cat AND a dog:7').weightProblem).toMatch(/weight 7 of "a dog"/);
    await expect(run('a red heart AND a fox face:7')).rejects.toThrow(/outside -3 to 3/);
    await expect(run('[a red heart AND a fox face:a red heart:2]')).rejects.toThrow(/AND parts change during the run/);
  });

  it('leaves out other tools\' LoRA tags and says so, drawing what the prompt without them draws', async () => {
    expect(engine.checkPrompt('a red heart <lora:shiny:0.7>')).toEqual({ ...engine.checkPrompt('a red heart'), ignoredTags: ['<lora:shiny:0.7>'] });
    const tagged = await engine.generate({ prompt: 'a red heart <lora:shiny:0.7>', negativePrompt: '<lyco:x>', seed: 3, steps: 2, upscale: false });
    const plain = await engine.generate({ prompt: 'a red heart', seed: 3, steps: 2, upscale: false });
    expect(Buffer.from(tagged.images[0]!.data).equals(Buffer.from(plain.images[0]!.data))).toBe(true);
    expect(tagged.warnings).toEqual([
      '<lora:shiny:0.7> in the prompt was left out: this plugin has no LoRA or other extra networks',
      '<lyco:x> in the negative prompt was left out: this plugin has no LoRA or other extra networks',
    ]);
  });

  it('cancels within one step and the next run works', async () => {
    const ac = new AbortController();
    let calls = 0;
    const p = engine.generate(
      { prompt: 'a red heart', seed: 5, steps: 20 },
      { signal: ac.signal, onProgress: (e) => { if (e.stage === 'base') { calls++; if (e.step === 3) ac.abort(); } } },
    );
    const { code } = await codeOf(p);
    expect(code).toBe('CANCELLED');
    expect(calls).toBe(3); // no step after the one during which it was cancelled
    const ok = await engine.generate({ prompt: 'a red heart', seed: 5, steps: 2, upscale: false });
    expect(ok.images).toHaveLength(1);
  });

  it("a seamless fill meets the picture along the selection's edge; a feathered one keeps the model's step; a prompted one keeps its middle", async () => {
    // the tiny random pack draws noise far from the flat picture: the step at the edge is large
    const W = 64, H = 64;
    const colour = [30, 160, 90] as const;
    const data = rgba(W, H, () => [colour[0], colour[1], colour[2], 255]);
    const mask = new Uint8Array(W * H);
    for (let y = 16; y < 48; y++) for (let x = 16; x < 48; x++) mask[y * W + x] = 255;
    const fill = (blend: { blend?: 'seamless' | 'feather'; seamReach?: number | 'all' }, prompt = 'a red heart') =>
      engine.inpaint({ image: { width: W, height: H, data }, mask, prompt, seed: 4, steps: 3, featherRadius: 0, ...blend });
    // the mean colour of the selected ring next to the edge against the picture's colour
    const edgeStep = (img: { data: Uint8ClampedArray | Uint8Array }) => {
      let e = 0, n = 0;
      for (let y = 16; y < 48; y++) for (let x = 16; x < 48; x++) {
        if (x > 17 && x < 46 && y > 17 && y < 46) continue;
        for (let c = 0; c < 3; c++) e += img.data[4 * (y * W + x) + c]! - colour[c]!;
        n += 3;
      }
      return Math.abs(e / n);
    };
    // how far the middle 8 x 8 moved from the fill as drawn
    const middleMoved = (a: { data: Uint8ClampedArray | Uint8Array }, b: { data: Uint8ClampedArray | Uint8Array }) => {
      let d = 0;
      for (let y = 28; y < 36; y++) for (let x = 28; x < 36; x++) for (let c = 0; c < 3; c++) d += Math.abs(a.data[4 * (y * W + x) + c]! - b.data[4 * (y * W + x) + c]!);
      return d / (8 * 8 * 3);
    };
    const drawn = (await fill({ blend: 'feather' })).images[0]!;
    const whole = await fill({ blend: 'seamless', seamReach: 'all' });
    const prompted = await fill({});
    expect(edgeStep(drawn)).toBeGreaterThan(15);
    expect(edgeStep(whole.images[0]!)).toBeLessThan(edgeStep(drawn) / 2.5);
    // a prompt's default reach: most of the step gone at the edge, the middle as drawn
    expect(prompted.settings.seamReach).toBe(SEAM_REACH_WITH_PROMPT);
    expect(edgeStep(prompted.images[0]!)).toBeLessThan(edgeStep(drawn) * 0.6);
    expect(middleMoved(prompted.images[0]!, drawn)).toBeLessThan(2);
    expect(middleMoved(whole.images[0]!, drawn)).toBeGreaterThan(10);
    // an empty prompt (a removal) shifts the whole fill
    expect((await fill({}, '')).settings.seamReach).toBe('all');
    expect((await codeOf(engine.inpaint({ image: { width: W, height: H, data }, mask, prompt: 'x', blend: 'poisson' as 'seamless' }))).message).toMatch(/^blend: expected "seamless" or "feather"/);
  });

  it('inpaints: every pixel outside the mask is bit-identical', async () => {
    const W = 48, H = 40;
    const data = rgba(W, H, (x, y) => [x * 5, y * 6, (x * y) % 256, 200 + (x % 50)]);
    const mask = new Uint8Array(W * H);
    for (let y = 10; y < 22; y++) for (let x = 20; x < 35; x++) mask[y * W + x] = y === 10 ? 128 : 255;
    const r = await engine.inpaint({ image: { width: W, height: H, data }, mask, prompt: 'a slice of pizza', seed: 9, steps: 3, count: 2 });
    expect([r.width, r.height]).toEqual([W, H]);
    for (const img of r.images) {
      let changedInside = 0;
      for (let i = 0; i < W * H; i++) {
        const same = [0, 1, 2, 3].every((c) => img.data[4 * i + c] === data[4 * i + c]);
        if (mask[i] === 0) expect(same, `pixel ${i} outside the mask changed`).toBe(true);
        else if (!same) changedInside++;
      }
      expect(changedInside).toBeGreaterThan(100);
    }
  });

  it('a fill with detail upscales its patch again and still keeps every pixel outside the mask', async () => {
    const W = 48, H = 40;
    const data = rgba(W, H, (x, y) => [x * 5, y * 6, (x * y) % 256, 255]);
    const mask = new Uint8Array(W * H);
    for (let y = 8; y < 30; y++) for (let x = 12; x < 36; x++) mask[y * W + x] = 255;
    const req = { image: { width: W, height: H, data }, mask, prompt: 'a slice of pizza', seed: 4, steps: 2, upsamplerSteps: 1 };
    const events: ProgressEvent[] = [];
    const detailed = await engine.inpaint({ ...req, detailScale: 2 }, { onProgress: (e) => events.push(e) });
    const plain = await engine.inpaint(req);
    expect(events.filter((e) => e.stage === 'detail').at(-1)).toMatchObject({ step: 25, total: 25 }); // 64 px patch: 5 x 5 tiles
    const img = detailed.images[0]!.data;
    let differs = 0;
    for (let i = 0; i < W * H; i++) {
      const same = [0, 1, 2, 3].every((c) => img[4 * i + c] === data[4 * i + c]);
      if (mask[i] === 0) expect(same, `pixel ${i} outside the mask changed`).toBe(true);
      else if ([0, 1, 2].some((c) => img[4 * i + c] !== plain.images[0]!.data[4 * i + c])) differs++;
    }
    expect(differs).toBeGreaterThan(100); // the detail pass redrew the inside
    expect((await codeOf(engine.inpaint({ ...req, detailScale: 3.5 }))).message).toMatch(/^detailScale: expected an integer/);
  });

  it('adds detail: each generated image upscaled again, tiled, as one more progress stage; the seed repeats it', async () => {
    const events: ProgressEvent[] = [];
    const req = { prompt: 'a red heart', seed: 9, steps: 2, upsamplerSteps: 1, count: 2, detailScale: 2 };
    const a = await engine.generate(req, { onProgress: (e) => events.push(e) });
    expect([a.width, a.height, a.images.length, a.images[1]!.data.length]).toEqual([128, 128, 2, 128 * 128 * 4]);
    const detail = events.filter((e) => e.stage === 'detail');
    // 64 px images in 16 px tiles with 4 px overlap: 5 x 5 tiles, 1 step each, two images
    expect(detail.map((e) => e.step)).toEqual(Array.from({ length: 50 }, (_, k) => k + 1));
    expect(new Set(detail.map((e) => e.total))).toEqual(new Set([50]));
    const again = await engine.generate(req);
    expect(Buffer.from(again.images[1]!.data).equals(Buffer.from(a.images[1]!.data))).toBe(true);
    expect((await codeOf(engine.generate({ ...req, detailScale: 5 }))).message).toMatch(/^detailScale: expected an integer from 1 to 4/);
    expect((await codeOf(engine.generate({ ...req, upscale: false }))).message).toMatch(/detailScale upscales the cascade's result and needs the upsampler/);
  });

  it('a fill over transparent pixels (an enlarged canvas) is opaque to its edge: no faded or dark fringe', async () => {
    const W = 40, H = 24;
    // the left 12 columns are empty canvas, the rest an opaque picture; the mask is the empty part
    const data = rgba(W, H, (x, y) => (x < 12 ? [0, 0, 0, 0] : [120 + x, 80 + y, 60, 255]));
    const mask = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < 12; x++) mask[y * W + x] = 255;
    const r = await engine.inpaint({ image: { width: W, height: H, data }, mask, prompt: 'a red heart', seed: 2, steps: 2, upsamplerSteps: 1 });
    const out = r.images[0]!.data;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const i = 4 * (y * W + x);
        if (x < 12) expect(out[i + 3], `alpha at ${x},${y}`).toBe(255);
        else expect(Array.from(out.subarray(i, i + 4))).toEqual(Array.from(data.subarray(i, i + 4)));
      }
    }
  });

  it("detailScale 'auto' adds detail when the fill's crop is at least 1.5 times the output, and leaves a smaller fill as it was", async () => {
    const W = 120, H = 120;
    const data = rgba(W, H, (x, y) => [x * 2, y * 2, (x * y) % 256, 255]);
    // the tiny pack draws 64 px; the crop is the selection plus a quarter of its side each way
    const fillOf = (side: number) => {
      const mask = new Uint8Array(W * H);
      for (let y = 20; y < 20 + side; y++) for (let x = 20; x < 20 + side; x++) mask[y * W + x] = 255;
      return { image: { width: W, height: H, data }, mask, prompt: 'a slice of pizza', seed: 5, steps: 2, upsamplerSteps: 1, contextMargin: 0.25 };
    };
    const events: ProgressEvent[] = [];
    await engine.inpaint({ ...fillOf(64), detailScale: 'auto' }, { onProgress: (e) => events.push(e) }); // crop 96 = 1.5 x 64
    expect(events.filter((e) => e.stage === 'detail').at(-1)).toMatchObject({ step: 25, total: 25 }); // 2x: 5 x 5 tiles of the 64 px patch
    events.length = 0;
    const small = await engine.inpaint({ ...fillOf(56), detailScale: 'auto' }, { onProgress: (e) => events.push(e) }); // crop 84
    expect(events.some((e) => e.stage === 'detail')).toBe(false);
    const plain = await engine.inpaint(fillOf(56));
    expect(Buffer.from(small.images[0]!.data).equals(Buffer.from(plain.images[0]!.data))).toBe(true);
    // without the upsampler 'auto' adds nothing (a number would be refused)
    expect((await engine.inpaint({ ...fillOf(64), detailScale: 'auto', upscale: false })).width).toBe(W);
  });

  it("detailScale 'auto' on generate scales to cover layerSize, from at most one step above", async () => {
    const req = { prompt: 'a red heart', seed: 9, steps: 2, upsamplerSteps: 1, detailScale: 'auto' as const };
    expect((await engine.generate({ ...req, layerSize: { width: 100, height: 50 } })).width).toBe(128); // 1.56x: 2x
    expect((await engine.generate({ ...req, layerSize: { width: 95, height: 95 } })).width).toBe(64); // 1.48x: none
    expect((await engine.generate(req)).width).toBe(64); // no size to cover
    expect((await codeOf(engine.generate({ ...req, layerSize: { width: 0, height: 5 } }))).message).toMatch(/^layerSize: expected \{width, height\} in whole pixels above 0/);
    expect((await codeOf(engine.generate({ ...req, detailScale: 'max' as unknown as 'auto' }))).message).toMatch(/^detailScale: expected an integer from 1 to 4/);
  });

  it('extends generated squares to a wide or tall aspect: the square unchanged in the middle, opaque sides drawn, one more stage', async () => {
    const req = { prompt: 'a red heart', seed: 21, steps: 3, upsamplerSteps: 1, count: 2 };
    const square = await engine.generate(req);
    const events: ProgressEvent[] = [];
    const wide = await engine.generate({ ...req, aspect: 2.5 }, { onProgress: (e) => events.push(e) });
    // 64 px squares: 160 x 64, 48 px added on each side
    expect([wide.width, wide.height, wide.images[1]!.width, wide.images[1]!.height]).toEqual([160, 64, 160, 64]);
    for (const [b, img] of wide.images.entries()) {
      for (let y = 0; y < 64; y++) {
        const row = Buffer.from(img.data.subarray(4 * (y * 160 + 48), 4 * (y * 160 + 48 + 64)));
        expect(row.equals(Buffer.from(square.images[b]!.data.subarray(4 * y * 64, 4 * (y + 1) * 64)))).toBe(true);
      }
      for (let i = 3; i < img.data.length; i += 4) if (img.data[i] !== 255) throw new Error(`image ${b}: pixel ${(i - 3) / 4} is not opaque`);
    }
    // the sides are drawn (not left at the edge colour): the tiny pack draws noise
    const left = wide.images[0]!.data.subarray(0, 4 * 48);
    expect(new Set(Array.from(left.filter((_, i) => i % 4 === 0))).size).toBeGreaterThan(4);
    // one 'extend' stage after the cascade, counting on over both images
    const extend = events.filter((e) => e.stage === 'extend');
    const stages = events.map((e) => e.stage);
    expect(stages.indexOf('extend')).toBeGreaterThan(stages.lastIndexOf('upsampler'));
    expect(extend.map((e) => e.step)).toEqual(Array.from({ length: extend.length }, (_, k) => k + 1));
    expect(new Set(extend.map((e) => e.total))).toEqual(new Set([extend.length]));
    expect(wide.settings.aspect).toBe(2.5);
    expect(square.settings.aspect).toBeUndefined();
    // tall, reproducibly
    const tall = await engine.generate({ ...req, count: 1, aspect: 1 / 2 });
    expect([tall.width, tall.height]).toEqual([64, 128]);
    const again = await engine.generate({ ...req, count: 1, aspect: 1 / 2 });
    expect(Buffer.from(again.images[0]!.data).equals(Buffer.from(tall.images[0]!.data))).toBe(true);
    // at the cascade's size with no upsampler: 16 px squares
    expect((await engine.generate({ ...req, count: 1, upscale: false, aspect: 2 })).width).toBe(32);
    expect((await codeOf(engine.generate({ ...req, aspect: 4 }))).message).toMatch(/^aspect: expected width \/ height from 1\/3 to 3, got 4/);
    expect((await codeOf(engine.generate({ ...req, aspect: Number.NaN }))).message).toMatch(/^aspect: expected/);
  });

  it('an extended generate adds detail for the size it is shown at, and cancels during the extension', async () => {
    const req = { prompt: 'a red heart', seed: 9, steps: 2, upsamplerSteps: 1, detailScale: 'auto' as const, aspect: 2 };
    // 128 x 64 shown at 200 x 100: 1.56x, so 2x detail (a square at 200 px would have asked for 3x)
    const r = await engine.generate({ ...req, layerSize: { width: 200, height: 100 } });
    expect([r.width, r.height]).toEqual([256, 128]);
    const ac = new AbortController();
    const p = engine.generate({ ...req, steps: 6 }, { signal: ac.signal, onProgress: (e) => { if (e.stage === 'extend' && e.step === 2) ac.abort(); } });
    expect((await codeOf(p)).code).toBe('CANCELLED');
  });

  it('upscales a 40x24 image to 160x96 tile by tile', async () => {
    const events: ProgressEvent[] = [];
    const data = rgba(40, 24, (x, y) => [x * 6, y * 10, 128, 255]);
    const r = await engine.upscale({ image: { width: 40, height: 24, data }, seed: 2, steps: 2 }, { onProgress: (e) => events.push(e) });
    expect([r.width, r.height, r.images[0]!.data.length]).toEqual([160, 96, 160 * 96 * 4]);
    // 16 px tiles with 4 px overlap: 3 columns x 2 rows, 2 steps each
    expect(events.at(-1)).toMatchObject({ stage: 'upsampler', step: 12, total: 12 });
  });

  it('an upscale with strength < 1 runs that share of the steps per tile; strength 0 is refused', async () => {
    // what a start does to the pixels is checked against the Python reference (parity tests);
    // the tiny pack's random upsampler draws noise either way
    const image = { width: 16, height: 16, data: rgba(16, 16, (x, y) => [40 + x * 10, 60 + y * 8, 128, 255]) };
    const events: ProgressEvent[] = [];
    const part = await engine.upscale({ image, seed: 4, steps: 10, strength: 0.3 }, { onProgress: (e) => events.push(e) });
    expect(events.at(-1)).toMatchObject({ stage: 'upsampler', step: 3, total: 3 });
    const full = await engine.upscale({ image, seed: 4, steps: 10 });
    expect(Buffer.from(part.images[0]!.data).equals(Buffer.from(full.images[0]!.data))).toBe(false);
    const bad = await codeOf(engine.upscale({ image, strength: 0 }));
    expect(bad).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/^strength: expected a number in \(0, 1\], got 0/) });
  });

  it('a pack with a strength per kind of picture upscales photographs and art at their own strengths, and says which', async () => {
    const paired = await tinyPackWith({ upscaleStrength: { photo: 0.3, graphic: 1 } });
    // grain everywhere (a photograph) against two flat colours (art); 16 px: one tile
    const grain = { width: 16, height: 16, data: rgba(16, 16, (x, y) => [(x * 97 + y * 61) % 256, (x * 37 + y * 151) % 256, (x * y * 13) % 256, 255]) };
    const art = { width: 16, height: 16, data: rgba(16, 16, (x) => (x < 8 ? [230, 40, 40, 255] : [255, 255, 255, 255])) };
    const totals: number[] = [];
    const photo = await paired.upscale({ image: grain, seed: 1, steps: 10 }, { onProgress: (e) => totals.push(e.total) });
    expect(photo.upscale).toMatchObject({ strength: 0.3, content: { kind: 'photo', flatShare: 0 } });
    expect(totals.at(-1)).toBe(3);
    const drawn = await paired.upscale({ image: art, seed: 1, steps: 10 });
    expect(drawn.upscale).toMatchObject({ strength: 1, content: { kind: 'graphic' } });
    // a number in the request wins, and no analysis is reported; 'auto' asks for the pair explicitly
    expect((await paired.upscale({ image: art, seed: 1, steps: 2, strength: 0.5 })).upscale).toEqual({ strength: 0.5 });
    expect((await paired.upscale({ image: grain, seed: 1, steps: 10, strength: 'auto' })).upscale?.strength).toBe(0.3);
    await paired.dispose();
    // the tiny pack itself gives one number (none): auto is refused with what to do instead
    const refused = await codeOf(engine.upscale({ image: grain, strength: 'auto' }));
    expect(refused).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/strength 'auto' needs a model pack .*give a number in \(0, 1\]/) });
    expect((await engine.upscale({ image: grain, seed: 1, steps: 1 })).upscale).toEqual({ strength: 1 });
  });

  it('upscales by less than the whole factor to the rounded size; refuses scales outside (1, 4]', async () => {
    // what the shrinking keeps is checked on the default pack (upscale-scale.test.ts): the tiny
    // pack's random upsampler clips too much for block means to survive
    const image = { width: 16, height: 12, data: rgba(16, 12, (x, y) => [60 + x * 8, 70 + y * 9, 128, 255]) };
    const odd = await engine.upscale({ image, seed: 3, steps: 1, scale: 2.5 });
    expect([odd.width, odd.height, odd.images[0]!.data.length]).toEqual([40, 30, 40 * 30 * 4]);
    for (const bad of [1, 4.5, 0, Number.NaN]) {
      expect(await codeOf(engine.upscale({ image, scale: bad }))).toMatchObject({
        code: 'INPUT_INVALID',
        message: expect.stringMatching(/^scale: expected a number above 1 and at most 4/),
      });
    }
  });

  it('refuses an upscale that would pass the size limits before any work', async () => {
    const wide = { width: 4200, height: 2, data: new Uint8ClampedArray(4200 * 2 * 4).fill(255) };
    const events: ProgressEvent[] = [];
    for (const scale of [undefined, 1.5]) {
      // 4x is 16,800 px wide; 1.5x is blended at 4x and then shrunk, so it is refused too (2x,
      // which holds only its own 8,400 px, is allowed: upscale-size's unit test)
      const e = await codeOf(engine.upscale({ image: wide, scale }, { onProgress: (p) => events.push(p) }));
      expect(e).toMatchObject({
        code: 'INPUT_INVALID',
        message: expect.stringMatching(/^upscaling 4200x2 works at 4x, 16800x8 pixels, more than the 16384 px per side.*or by a smaller whole-number scale$/),
      });
    }
    expect(events).toEqual([]);
  });

  it('rejects bad input with specific errors', async () => {
    const img = { width: 8, height: 8, data: new Uint8ClampedArray(8 * 8 * 4) };
    const empty = await codeOf(engine.inpaint({ image: img, mask: new Uint8Array(64), prompt: 'x' }));
    expect(empty).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/mask is empty/) });
    const zero = await codeOf(engine.upscale({ image: { width: 0, height: 0, data: new Uint8ClampedArray(0) } }));
    expect(zero).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/0x0 pixels/) });
    const huge = await codeOf(engine.upscale({ image: { width: 20000, height: 1, data: new Uint8ClampedArray(4) } }));
    expect(huge).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/20000x1 pixels; the longest side supported is 16384/) });
    const sampler = await codeOf(engine.generate({ prompt: 'x', sampler: 'euler' as never }));
    expect(sampler.message).toMatch(/sampler "euler" is unknown; expected one of ddim, ddpm, dpmpp2m/);
    const steps = await codeOf(engine.generate({ prompt: 'x', steps: 0 }));
    expect(steps).toMatchObject({ code: 'INPUT_INVALID', message: expect.stringMatching(/^steps: expected an integer from 1/) });
    const noInit = await codeOf(engine.generate({ prompt: 'x', strength: 0.5 }));
    expect(noInit).toMatchObject({ code: 'INPUT_INVALID', message: 'strength below 1 redraws a picture: give the picture to start from as init' });
    const badStrength = await codeOf(engine.generate({ prompt: 'x', init: img, strength: 0 }));
    expect(badStrength.message).toMatch(/^strength: expected a number in \(0, 1\]/);
    const emptyInit = await codeOf(engine.generate({ prompt: 'x', init: { width: 0, height: 0, data: new Uint8ClampedArray(0) } }));
    expect(emptyInit.message).toBe('init is 0x0 pixels: it has no pixels to work on');
  });
});
