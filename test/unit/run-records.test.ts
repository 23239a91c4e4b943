// Run records from the panel's side: each variation carries what made it, the web editor keeps
// it with the layer and in the PNGs it opens and saves, and Recall turns one back into the
// panel's settings.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { Editor } from '../../src/host/web/editor.js';
import { readRecordChunks, withRecordChunks } from '../../src/host/web/record-chunks.js';
import { WebHost } from '../../src/host/web/web-host.js';
import { DEFAULT_CONTEXT_MARGIN } from '../../src/inference/jobs/inpaint.js';
import { parseRecord } from '../../src/inference/run-record-check.js';
import { fileName, PARAMETERS_KEY, parametersText, parseParametersText, RECORD_KEY, recordText, runRecord, type RunRecord } from '../../src/inference/run-record.js';
import { writePng } from '../../src/cli/png.js';
import { applyCandidate, runExpand, runFill, runGenerate, runUpscale } from '../../src/panel/jobs/index.js';
import { recallFromParameters, recallSettings } from '../../src/panel/lib/recall.js';
import { FakeEngine, FakeHost } from './panel-fakes.js';

const settings = { prompt: 'a red heart', count: 1 };

/** A record as the command line would write it (independent of the panel's jobs). */
function cliRecord(command: RunRecord['command'], options: Partial<RunRecord['options']>, image = { index: 0, of: 1 }, extra: Partial<RunRecord> = {}): RunRecord {
  return { format: 'diffusion-layers-run', version: 1, app: '0.1.0', model: 'default-s', command, options: { seed: 7, steps: 20, sampler: 'dpmpp2m', ...options }, image, ...extra };
}

function pngBytes(w = 3, h = 2): Uint8Array {
  const png = new PNG({ width: w, height: h });
  png.data.fill(200);
  return new Uint8Array(PNG.sync.write(png));
}

const made = runRecord({ command: 'generate', app: '0.1.0', model: 'default-s', prompt: 'café ♥', negative: '' }, { seed: 5, settings: { steps: 20, sampler: 'ddim', strength: 1, guidance: 3 }, images: [{}, {}] as never }, 1);

describe('panel jobs record each variation', () => {
  it('generate: the record of each candidate names its place in the engine order, whatever the reranker made of it', async () => {
    const host = new FakeHost();
    const out = await runGenerate(host, new FakeEngine({ scores: [0.1, 0.9, 0.5] }), { ...settings, negativePrompt: ' blurry ', count: 3, seed: 11 });
    // sorted by score: engine pictures 1, 2, 0
    expect(out.candidates.map((c) => c.record?.image)).toEqual([{ index: 1, of: 3 }, { index: 2, of: 3 }, { index: 0, of: 3 }]);
    const r = out.candidates[0].record!;
    expect(r).toMatchObject({ command: 'generate', model: 'fake', app: 'dev', format: 'diffusion-layers-run', version: 1 });
    // the fake engine reports 2 DDIM steps at strength 1: the record says what ran, not what was asked
    expect(r.options).toEqual({ prompt: 'a red heart', negative: 'blurry', seed: 11, steps: 2, sampler: 'ddim', transparent: false });
    expect(r.inputs).toBeUndefined();
    // a valid record, as the CLI's --recall and the worker read it
    expect(parseRecord(recordText(r), 'x')).toEqual(r);
    // the layer the candidate becomes carries it
    await applyCandidate(host, out, 0);
    expect(host.layers[0].record).toBe(r);
  });

  it('generate from the active layer records that it was redrawn, and at what strength', async () => {
    const host = new FakeHost(100, 80);
    host.activeLayer = { rect: { left: 0, top: 0, width: 10, height: 10 }, rgba: new Uint8Array(400).fill(255) };
    const out = await runGenerate(host, new FakeEngine(), { ...settings, startFrom: 'layer', strength: 0.5 });
    expect(out.candidates[0].record!.inputs).toEqual({ init: 'active layer' });
    // the fake reports strength 1 whatever it was asked: the record keeps the engine's word
    expect(out.candidates[0].record!.options.strength).toBe(1);
  });

  it('fill records the command line inpaint: the engine default context, the seamless blend, the document by name', async () => {
    const host = new FakeHost(100, 80);
    host.select({ left: 40, top: 30, width: 20, height: 10 });
    const out = await runFill(host, new FakeEngine(), { ...settings, seed: 3 });
    const r = out.candidates[0].record!;
    expect(r.command).toBe('inpaint');
    expect(r.options).toMatchObject({ prompt: 'a red heart', seed: 3, context: DEFAULT_CONTEXT_MARGIN, blend: 'seamless', strength: 1 });
    expect(r.inputs).toEqual({ image: 'Test', mask: 'selection' });
  });

  it('expand records its share and sides; upscale its prompt only when there is one', async () => {
    const host = new FakeHost(40, 30);
    const ex = await runExpand(host, new FakeEngine(), { ...settings, expandBy: 0.5, expandDirection: 'left' });
    expect(ex.candidates[0].record!.options).toMatchObject({ by: 0.5, sides: 'left', blend: 'seamless' });
    host.activeLayer = { rect: { left: 0, top: 0, width: 8, height: 8 }, rgba: new Uint8Array(256).fill(255) };
    const up = await runUpscale(host, new FakeEngine(), { prompt: '  ' });
    expect(up.candidates[0].record).toMatchObject({ command: 'upscale', inputs: { image: 'active layer' } });
    expect(up.candidates[0].record!.options.prompt).toBeUndefined();
    const prompted = await runUpscale(host, new FakeEngine(), { prompt: 'a fox face' });
    expect(prompted.candidates[0].record!.options.prompt).toBe('a fox face');
  });
});

describe('the web editor keeps records', () => {
  function setup() {
    const editor = new Editor();
    const host = new WebHost(editor);
    const doc = editor.newDocument('d', 20, 20);
    return { host, doc };
  }

  it('a layer added with a record keeps it as a PNG would hold it; Recall reads the active layer', async () => {
    const { host, doc } = setup();
    expect(await host.activeLayerRecord()).toBeNull(); // the background has none
    await host.addLayer({ name: 'Generated: café', rect: { left: 2, top: 2, width: 4, height: 3 }, rgba: new Uint8Array(48), record: made }, 'Generate layer');
    const kept = (await host.activeLayerRecord())!;
    expect(kept.layer).toBe('Generated: café');
    // ASCII JSON that reads back to the same record, prompt and all
    expect(kept.json).toMatch(/^[\x20-\x7e]+$/);
    expect(parseRecord(kept.json, 'x')).toEqual(made);
    // the readable text gives the layer's size
    expect(kept.parameters).toBe('café ♥\nSteps: 20, Sampler: DDIM, CFG scale: 3, Seed: 5, Size: 4x3, Model: default-s, Image: 2 of 2, Job: generate, Version: diffusion-layers 0.1.0');
    expect(doc.visibleRecord).toEqual({ json: kept.json, parameters: kept.parameters });
  });

  it('a saved PNG takes the record of the topmost visible layer that has one', async () => {
    const { host, doc } = setup();
    const other = { ...made, options: { ...made.options, seed: 9 } };
    await host.addLayer({ name: 'a', rect: { left: 0, top: 0, width: 1, height: 1 }, rgba: new Uint8Array(4), record: made }, 'x');
    await host.addLayer({ name: 'b', rect: { left: 0, top: 0, width: 1, height: 1 }, rgba: new Uint8Array(4), record: other }, 'x');
    await host.addLayer({ name: 'plain', rect: { left: 0, top: 0, width: 1, height: 1 }, rgba: new Uint8Array(4) }, 'x');
    expect(parseRecord(doc.visibleRecord!.json, 'x').options.seed).toBe(9);
    doc.setVisible(doc.layers[2].id, false);
    expect(parseRecord(doc.visibleRecord!.json, 'x').options.seed).toBe(5);
    doc.undo();
    expect(parseRecord(doc.visibleRecord!.json, 'x').options.seed).toBe(9);
  });

  it('without an active layer Recall says so', async () => {
    const editor = new Editor();
    const host = new WebHost(editor);
    await expect(host.activeLayerRecord()).rejects.toMatchObject({ code: 'NO_DOCUMENT' });
    const doc = editor.newDocument('d', 4, 4);
    doc.deleteLayer(doc.layers[0].id);
    await expect(host.activeLayerRecord()).rejects.toMatchObject({ code: 'NO_LAYER' });
  });

  it('PNG chunks: written and read back exactly (UTF-8 prompt in the readable text); none for other files', () => {
    const json = recordText(made);
    const parameters = parametersText(made, { width: 3, height: 2 });
    const png = withRecordChunks(pngBytes(), { json, parameters });
    expect(readRecordChunks(png)).toEqual({ json, parameters });
    // still a PNG of the same picture
    const back = PNG.sync.read(Buffer.from(png));
    expect([back.width, back.height, back.data[0]]).toEqual([3, 2, 200]);
    expect(readRecordChunks(pngBytes())).toBeUndefined();
    expect(readRecordChunks(new TextEncoder().encode('GIF89a not a png'))).toBeUndefined();
    expect(readRecordChunks(withRecordChunks(pngBytes(), { json }))).toEqual({ json });
  });

  it("reads the chunks of a PNG the command line wrote (the editor opens it with Recall's record)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dl-records-'));
    try {
      const file = path.join(dir, 'cli.png');
      const parameters = parametersText(made, { width: 2, height: 2 });
      await writePng(file, { width: 2, height: 2, data: new Uint8ClampedArray(16).fill(90) }, { [PARAMETERS_KEY]: parameters, [RECORD_KEY]: recordText(made) });
      const got = readRecordChunks(new Uint8Array(readFileSync(file)))!;
      expect(got.parameters).toBe(parameters);
      expect(parseRecord(got.json, 'cli.png')).toEqual(made);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Recall: settings from a record', () => {
  it('generate: prompt, seed fixed, steps, sampler, guidance, candidates; the whole run of variations', () => {
    const r = recallSettings(cliRecord('generate', { prompt: 'a fox face', negative: 'blurry', guidance: 3, count: 3, candidates: 4, upsamplerSteps: 10, detail: 1, transparent: true }, { index: 2, of: 3 }), { model: 'default-s' });
    expect(r.patch).toEqual({
      mode: 'generate', prompt: 'a fox face', negativePrompt: 'blurry', seed: 7, randomSeed: false, steps: 20, sampler: 'dpmpp2m', guidance: 3,
      upsamplerSteps: 10, candidates: 4, count: 3, transparentBackground: true, startFrom: 'noise',
    });
    expect(r.summary).toBe('Recalled Generate: "a fox face", seed 7, 20 steps.');
    expect(r.notes).toEqual(['It was picture 3 of 3: Variations is set to 3, and it is among them.']);
  });

  it('a picture drawn to a shape says that the selection gives the shape', () => {
    const r = recallSettings(cliRecord('generate', { prompt: 'a red heart', aspect: 2.5 }));
    expect(r.notes).toEqual(['It was drawn 2.5 times as wide as tall for its selection: select an area of that shape to draw it again.']);
    expect(recallSettings(cliRecord('generate', { prompt: 'a red heart', aspect: 1 / 3 })).notes[0]).toMatch(/drawn 3 times as tall as wide/);
  });

  it('a redraw asks for the layer; added detail turns Add detail on', () => {
    const r = recallSettings(cliRecord('generate', { prompt: 'a cat face', strength: 0.6, detail: 2 }, undefined, { inputs: { init: 'cat.png' } }));
    expect(r.patch).toMatchObject({ startFrom: 'layer', startStrength: 0.6, addDetail: true, count: 1 });
    expect(r.notes.join(' ')).toMatch(/redrawn from a picture \(cat\.png\) at strength 0\.6: .*select the layer/);
  });

  it('fill and expand: their strengths, share and sides; what the panel cannot set is said', () => {
    const fill = recallSettings(cliRecord('inpaint', { prompt: 'a blue sky', strength: 0.8, context: 0.25, blend: 'feather' }));
    expect(fill.patch).toMatchObject({ mode: 'fill', fillStrength: 0.8 });
    expect(fill.notes).toEqual(["It saw 0.25 of the selection's size around it; the panel always uses 0.75.", 'It feathered its edge; the panel always blends it seamlessly.']);
    expect(recallSettings(cliRecord('inpaint', { strength: 1 })).patch.fillStrength).toBeNull();
    const ex = recallSettings(cliRecord('expand', { prompt: '', by: 0.6, sides: 'horizontal', strength: 0.9 }));
    expect(ex.patch).toMatchObject({ mode: 'expand', expandBy: 0.5, expandDirection: 'horizontal', expandStrength: 0.9, prompt: '' });
    expect(ex.notes).toEqual(['It grew the canvas by 60 %, which the panel does not offer: By is set to 50 %.']);
    expect(ex.summary).toBe('Recalled Expand: no prompt, seed 7, 20 steps.');
  });

  it('upscale: its steps go to the upsampler, its scale to Scale (the whole factor is the default)', () => {
    expect(recallSettings(cliRecord('upscale', { steps: 10, strength: 0.3, scale: 4 }), { upscaleFactor: 4 }).patch).toEqual({
      mode: 'upscale', seed: 7, randomSeed: false, upsamplerSteps: 10, upscaleStrength: 0.3, upscaleScale: null,
    });
    expect(recallSettings(cliRecord('upscale', { steps: 10, strength: 1, scale: 2 }), { upscaleFactor: 4 }).patch.upscaleScale).toBe(2);
    const odd = recallSettings(cliRecord('upscale', { steps: 10, strength: 1, scale: 2.5 }), { upscaleFactor: 4 });
    expect(odd.patch.upscaleScale).toBe(2);
    expect(odd.notes).toEqual(['It was upscaled 2.5x, which the panel does not offer: Scale is set to 2x.']);
  });

  it('a run of more variations than the panel draws, and another model, are said', () => {
    const r = recallSettings(cliRecord('generate', { prompt: 'x', count: 6 }, { index: 5, of: 6 }), { model: 'other' });
    expect(r.patch.count).toBe(4);
    expect(recallSettings(cliRecord('generate', { prompt: 'x', count: 6 }, { index: 1, of: 6 })).notes).toEqual(['It was picture 2 of a run of 6; the panel draws the first 4 of that run, and it is among them.']);
    expect(r.notes).toEqual([
      "It was picture 6 of a run of 6; the panel draws the first 4 of that run, and it is not among them (the command line's --recall makes it).",
      'It was made with the model "default-s", and "other" is loaded: the same settings draw a different picture.',
    ]);
  });
});

describe("Recall from another tool's parameters text", () => {
  // as another diffusion tool writes it: a two-line prompt, a two-line negative prompt, quoted values with commas
  const foreign = [
    'a lighthouse at dusk,',
    'oil painting',
    'Negative prompt: blurry, lowres',
    'watermark',
    'Steps: 28, Sampler: DPM++ 2M, Schedule type: Karras, CFG scale: 6.5, Seed: 4026531839, Size: 512x768, Model hash: 6ce0161689, Model: v1-5-pruned, Lora hashes: "a: 1f2e, b: 3d4c", Version: v1.10.1',
  ].join('\n');

  it('splits the prompt, the negative prompt and the fields', () => {
    const p = parseParametersText(foreign);
    expect(p.prompt).toBe('a lighthouse at dusk,\noil painting');
    expect(p.negative).toBe('blurry, lowres\nwatermark');
    expect(p.fields).toEqual({
      Steps: '28', Sampler: 'DPM++ 2M', 'Schedule type': 'Karras', 'CFG scale': '6.5', Seed: '4026531839', Size: '512x768',
      'Model hash': '6ce0161689', Model: 'v1-5-pruned', 'Lora hashes': 'a: 1f2e, b: 3d4c', Version: 'v1.10.1',
    });
    // a text with no fields line is all prompt; CRLF line ends are read too
    expect(parseParametersText('just a prompt\r\nsecond line')).toEqual({ prompt: 'just a prompt\nsecond line', negative: '', fields: {} });
  });

  it('reads back what this tool writes', () => {
    const p = parseParametersText(parametersText({ ...made, options: { ...made.options, negative: 'blurry' } }, { width: 4, height: 3 }));
    expect([p.prompt, p.negative, p.fields.Steps, p.fields.Sampler, p.fields['CFG scale'], p.fields.Seed, p.fields.Size]).toEqual(['café ♥', 'blurry', '20', 'DDIM', '3', '5', '4x3']);
  });

  it("sets the prompts, seed, steps, CFG scale and a sampler this panel has; says what it left", () => {
    const r = recallFromParameters(parseParametersText(foreign));
    expect(r.patch).toEqual({ prompt: 'a lighthouse at dusk,\noil painting', negativePrompt: 'blurry, lowres\nwatermark', seed: 4026531839, randomSeed: false, steps: 28, guidance: 6.5, sampler: 'dpmpp2m' });
    expect(r.notes).toEqual(['It was not made by Diffusion Layers (model "v1-5-pruned"): its prompt, seed, steps, CFG scale and sampler are set, and a different model draws a different picture.']);
    const other = recallFromParameters(parseParametersText('a cat\nSteps: 5000, Sampler: Euler a, CFG scale: 7, Seed: -1'));
    expect(other.patch).toEqual({ prompt: 'a cat', negativePrompt: '', guidance: 7 });
    expect(other.notes[1]).toBe('Not taken: seed -1; the sampler "Euler a", which this panel does not have.');
  });
});

describe('fileName', () => {
  it('keeps the last part of either kind of path', () => {
    expect(['/home/me/pics/heart.png', 'C:\\Users\\me\\heart.png', 'heart.png', 'dir/', 'active layer'].map(fileName)).toEqual(['heart.png', 'heart.png', 'heart.png', 'dir', 'active layer']);
  });
});
