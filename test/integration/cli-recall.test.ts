// What the command line writes into its PNGs, and --recall making the same picture from it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { readPng, readPngText, writePng } from '../../src/cli/png.js';
import { parseRecord } from '../../src/inference/run-record-check.js';
import { parametersText, RECORD_KEY, recordText, type RunRecord } from '../../src/inference/run-record.js';
import { withRecordChunks } from '../../src/host/web/record-chunks.js';
import { runGenerate } from '../../src/panel/jobs/index.js';
import { createService } from '../../src/worker/service.js';
import { FakeHost } from '../unit/panel-fakes.js';
import { TINY_PACK } from '../helpers/reference.js';

const dir = mkdtempSync(path.join(tmpdir(), 'dl-recall-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const model = ['--model', TINY_PACK];
const at = (f: string) => path.join(dir, f);

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { stdout: { write: (s: string) => void (out += s) }, stderr: { write: (s: string) => void (err += s) }, out: () => out, err: () => err };
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return runBare([...args, ...model]);
}

/** A command that loads no model (show). */
async function runBare(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

/** The tEXt chunks of a PNG file, read straight from its bytes (keyword NUL text, Latin-1). */
function textChunks(file: string): Record<string, string> {
  const b = readFileSync(file);
  const out: Record<string, string> = {};
  for (let i = 8; i < b.length; ) {
    const n = b.readUInt32BE(i);
    if (b.toString('latin1', i + 4, i + 8) === 'tEXt') {
      const body = b.subarray(i + 8, i + 8 + n);
      const nul = body.indexOf(0);
      out[body.toString('latin1', 0, nul)] = body.toString('latin1', nul + 1);
    }
    i += 12 + n;
  }
  return out;
}

async function record(file: string): Promise<RunRecord> {
  return parseRecord(await readPngText(file, RECORD_KEY), file);
}

async function samePixels(a: string, b: string): Promise<boolean> {
  const [x, y] = [await readPng(a), await readPng(b)];
  return x.width === y.width && x.height === y.height && Buffer.compare(Buffer.from(x.data), Buffer.from(y.data)) === 0;
}

function picture(file: string, w: number, h: number, f: (x: number, y: number) => number[]): string {
  const p = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p.data.set(f(x, y), 4 * (y * w + x));
  writeFileSync(file, PNG.sync.write(p));
  return file;
}

describe('the record in the PNGs and --recall', () => {
  const args = ['generate', '--prompt', 'a red heart', '--negative', 'blurry', '--seed', '11', '--steps', '4', '--sampler', 'ddim', '--guidance', '2.5', '--count', '3'];

  it('each picture carries its parameters in the form other tools show, and its own place in the run', async () => {
    expect((await run([...args, '--out', at('run.png')])).code).toBe(0);
    const text = textChunks(at('run-2.png'));
    // the tiny pack's upsampler makes 64 px; it has no reranker, so 1 candidate
    expect(text.parameters).toBe(
      'a red heart\nNegative prompt: blurry\n' +
        'Steps: 4, Sampler: DDIM, CFG scale: 2.5, Seed: 11, Size: 64x64, Model: tiny-random, Candidates: 1, Image: 2 of 3, Job: generate, Version: diffusion-layers dev',
    );
    const r = JSON.parse(text['diffusion-layers']!) as RunRecord;
    expect(r.image).toEqual({ index: 1, of: 3 });
    expect(r.options).toMatchObject({ prompt: 'a red heart', negative: 'blurry', seed: 11, steps: 4, sampler: 'ddim', guidance: 2.5, count: 3, upscale: true, detail: 1 });
    // no strength for a generate without a start picture (--strength needs --init)
    expect(r.options.strength).toBeUndefined();
  });

  it('--recall makes the same picture from it, bit for bit, and writes only that one', async () => {
    const r = await run(['generate', '--recall', at('run-2.png'), '--out', at('again.png')]);
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(at('again.png'));
    expect(r.err).toMatch(/recalled generate from .*run-2\.png \(seed 11, picture 2 of 3\)/);
    expect(await samePixels(at('again.png'), at('run-2.png'))).toBe(true);
    expect(await samePixels(at('again.png'), at('run-1.png'))).toBe(false);
    expect((await record(at('again.png'))).image).toEqual({ index: 1, of: 3 });
  });

  it('options given with --recall win: another seed, or the whole run with --count', async () => {
    expect((await run(['generate', '--recall', at('run-2.png'), '--seed', '12', '--out', at('seed12.png')])).code).toBe(0);
    expect(await samePixels(at('seed12.png'), at('run-2.png'))).toBe(false);
    expect((await record(at('seed12.png'))).options).toMatchObject({ seed: 12, steps: 4, sampler: 'ddim', guidance: 2.5, negative: 'blurry' });
    const all = await run(['generate', '--recall', at('run-2.png'), '--count', '3', '--out', at('all.png')]);
    expect(all.out.trim().split('\n')).toEqual([at('all-1.png'), at('all-2.png'), at('all-3.png')]);
    expect(await samePixels(at('all-3.png'), at('run-3.png'))).toBe(true);
  });

  it('generate --aspect makes a wide picture whose record recalls it; a shape beyond 3:1 is refused', async () => {
    expect((await run(['generate', '--prompt', 'a red heart', '--seed', '4', '--steps', '2', '--aspect', '16:9', '--out', at('wide.png')])).code).toBe(0);
    const wide = await readPng(at('wide.png'));
    expect([wide.width, wide.height]).toEqual([114, 64]); // round(64 * 16 / 9)
    expect((await record(at('wide.png'))).options.aspect).toBeCloseTo(16 / 9, 12);
    expect(textChunks(at('wide.png')).parameters).toMatch(/Size: 114x64/);
    expect((await run(['generate', '--recall', at('wide.png'), '--out', at('wide-again.png')])).code).toBe(0);
    expect(await samePixels(at('wide.png'), at('wide-again.png'))).toBe(true);
    expect((await run(['generate', '--prompt', 'a red heart', '--seed', '4', '--steps', '2', '--aspect', '0.5', '--out', at('tall.png')])).code).toBe(0);
    expect([(await readPng(at('tall.png'))).width, (await readPng(at('tall.png'))).height]).toEqual([64, 128]);
    // a lifted subject is padded to the shape with transparency (the sides would only be keyed out)
    expect((await run(['generate', '--prompt', 'a red heart', '--seed', '4', '--steps', '2', '--aspect', '2:1', '--transparent', '--out', at('cut.png')])).code).toBe(0);
    const cut = await readPng(at('cut.png'));
    expect([cut.width, cut.height]).toEqual([128, 64]);
    const alphaAt = (x: number, y: number) => cut.data[4 * (y * 128 + x) + 3];
    for (const y of [0, 31, 63]) for (const x of [0, 31, 96, 127]) expect(alphaAt(x, y)).toBe(0);
    expect((await record(at('cut.png'))).options).toMatchObject({ transparent: true, aspect: 2 });
    expect((await run(['generate', '--recall', at('cut.png'), '--out', at('cut-again.png')])).code).toBe(0);
    expect(await samePixels(at('cut.png'), at('cut-again.png'))).toBe(true);
    const bad = await run(['generate', '--prompt', 'a red heart', '--aspect', '4:1', '--out', at('no.png')]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toMatch(/--aspect must be width:height \(e\.g\. 16:9\) or a number, from 1:3 to 3:1/);
    expect((await run(['generate', '--prompt', 'a red heart', '--aspect', 'wide', '--out', at('no.png')])).err).toMatch(/--aspect must be/);
  });

  it('a prompt outside ASCII is kept exactly: the record is plain ASCII and JSON escapes bring it back', async () => {
    const prompt = 'a red heart, café ♥';
    expect((await run(['generate', '--prompt', prompt, '--seed', '2', '--steps', '2', '--out', at('accent.png')])).code).toBe(0);
    const raw = textChunks(at('accent.png'))['diffusion-layers']!;
    expect([...raw].every((c) => c.charCodeAt(0) < 128)).toBe(true);
    expect((await record(at('accent.png'))).options.prompt).toBe(prompt);
  });

  it('inpaint and expand recall their strength, --by and --sides; the pictures they read are given again', async () => {
    const image = picture(at('scene.png'), 32, 24, (x, y) => [x * 8, y * 10, 120, 255]);
    const mask = picture(at('mask.png'), 32, 24, (x, y) => (x > 8 && x < 20 && y > 6 && y < 18 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const fill = ['inpaint', '--image', image, '--mask', mask, '--prompt', 'a cat face', '--seed', '5', '--steps', '3', '--strength', '0.5'];
    expect((await run([...fill, '--out', at('fill.png')])).code).toBe(0);
    expect((await record(at('fill.png'))).inputs).toEqual({ image: 'scene.png', mask: 'mask.png' });
    // a prompted fill's blend reaches a tenth of the selection; the record says so
    expect((await record(at('fill.png'))).options).toMatchObject({ strength: 0.5, context: 0.75, blend: 'seamless', seamReach: 0.1 });
    expect((await run(['inpaint', '--recall', at('fill.png'), '--image', image, '--mask', mask, '--out', at('fill-again.png')])).code).toBe(0);
    expect(await samePixels(at('fill.png'), at('fill-again.png'))).toBe(true);
    // a record made before the reach existed shifted the whole fill: its recall does too
    const whole = ['--seed', '5', '--steps', '3', '--strength', '0.5', '--image', image, '--mask', mask];
    expect((await run(['inpaint', '--prompt', 'a cat face', '--seam-reach', 'all', ...whole, '--out', at('fill-all.png')])).code).toBe(0);
    expect(await samePixels(at('fill-all.png'), at('fill.png'))).toBe(false);
    const old = await record(at('fill-all.png'));
    delete old.options.seamReach;
    await writePng(at('fill-old.png'), await readPng(at('fill-all.png')), { [RECORD_KEY]: JSON.stringify(old) });
    expect((await run(['inpaint', '--recall', at('fill-old.png'), '--image', image, '--mask', mask, '--out', at('fill-old-again.png')])).code).toBe(0);
    expect(await samePixels(at('fill-old-again.png'), at('fill-all.png'))).toBe(true);
    // an empty prompt (a removal) shifts the whole fill
    expect((await run(['inpaint', '--prompt', '', ...whole, '--out', at('removal.png')])).code).toBe(0);
    expect((await record(at('removal.png'))).options.seamReach).toBe('all');

    expect((await run(['expand', '--image', image, '--prompt', '', '--by', '0.5', '--sides', 'horizontal', '--seed', '4', '--steps', '3', '--out', at('wide.png')])).code).toBe(0);
    expect((await record(at('wide.png'))).options).toMatchObject({ by: 0.5, sides: 'horizontal', strength: 0.9, prompt: '', seamReach: 'all' });
    expect((await run(['expand', '--recall', at('wide.png'), '--image', image, '--out', at('wide-again.png')])).code).toBe(0);
    const wide = await readPng(at('wide-again.png'));
    expect([wide.width, wide.height]).toEqual([48, 24]);
    expect(await samePixels(at('wide.png'), at('wide-again.png'))).toBe(true);
  });

  it('upscale records the strength and scale it ran at, and recalls them', async () => {
    const image = picture(at('small.png'), 12, 12, (x, y) => [(x * 20) % 255, (y * 20) % 255, 90, 255]);
    expect((await run(['upscale', '--image', image, '--scale', '2', '--strength', '0.5', '--seed', '3', '--out', at('up.png')])).code).toBe(0);
    expect((await record(at('up.png'))).options).toEqual({ seed: 3, steps: expect.any(Number), sampler: expect.any(String), strength: 0.5, scale: 2 });
    expect(textChunks(at('up.png')).parameters).toMatch(/^Steps: \d+, Sampler: \w+, Seed: 3, Size: 24x24, Model: tiny-random, Denoising strength: 0.5, Upscale: 2x, Job: upscale, /);
    expect((await run(['upscale', '--recall', at('up.png'), '--image', image, '--out', at('up-again.png')])).code).toBe(0);
    expect(await samePixels(at('up.png'), at('up-again.png'))).toBe(true);
  });

  it('refuses with a specific message: no record, a damaged or newer one, another command, a start picture not given again', async () => {
    const plain = picture(at('plain.png'), 4, 4, () => [0, 0, 0, 255]);
    const none = await run(['generate', '--recall', plain, '--out', at('x.png')]);
    expect([none.code, none.err]).toEqual([4, expect.stringMatching(/plain\.png has no Diffusion Layers record: it was not made by this tool, or its metadata was removed/)]);

    const good = JSON.parse(textChunks(at('run-1.png'))['diffusion-layers']!) as RunRecord;
    const img = await readPng(at('run-1.png'));
    const variant = async (name: string, r: unknown) => (await writePng(at(name), img, { [RECORD_KEY]: typeof r === 'string' ? r : JSON.stringify(r) }), at(name));
    const damaged = await run(['generate', '--recall', await variant('damaged.png', { ...good, options: { ...good.options, steps: 0, sampler: 'euler' } }), '--out', at('x.png')]);
    expect(damaged.code).toBe(4);
    expect(damaged.err).toMatch(/damaged\.png: its Diffusion Layers record is damaged: options\.steps should be >= 1; options\.sampler should be one of "ddim" or "ddpm" or "dpmpp2m"/);
    const notJson = await run(['generate', '--recall', await variant('notjson.png', '{"format":'), '--out', at('x.png')]);
    expect(notJson.err).toMatch(/notjson\.png: its Diffusion Layers record is not valid JSON/);
    const newer = await run(['generate', '--recall', await variant('newer.png', { ...good, version: 2 }), '--out', at('x.png')]);
    expect(newer.err).toMatch(/newer\.png was made by a newer Diffusion Layers \(record version 2; this one reads 1\)/);

    const other = await run(['inpaint', '--recall', at('run-1.png'), '--image', at('scene.png'), '--mask', at('mask.png'), '--out', at('x.png')]);
    expect([other.code, other.err]).toEqual([4, expect.stringMatching(/run-1\.png was made by generate: recall it with `diffusion-layers generate --recall`/)]);

    const init = picture(at('start.png'), 16, 16, () => [200, 40, 40, 255]);
    expect((await run(['generate', '--prompt', 'a red heart', '--init', init, '--steps', '4', '--out', at('redrawn.png')])).code).toBe(0);
    expect((await record(at('redrawn.png'))).options.strength).toBe(0.6);
    const noInit = await run(['generate', '--recall', at('redrawn.png'), '--out', at('x.png')]);
    expect([noInit.code, noInit.err]).toEqual([4, expect.stringMatching(/redrawn\.png was redrawn from a picture \(start\.png\): give it again with --init/)]);

    const missing = await run(['generate', '--out', at('x.png')]);
    expect([missing.code, missing.err]).toEqual([2, expect.stringMatching(/required option '--prompt <text>' not specified \(or --recall a picture made with one\)/)]);
  });

  it('says when the recalled picture was made with another model', async () => {
    const good = JSON.parse(textChunks(at('run-1.png'))['diffusion-layers']!) as RunRecord;
    await writePng(at('othermodel.png'), await readPng(at('run-1.png')), { [RECORD_KEY]: JSON.stringify({ ...good, model: 'default-m' }) });
    const r = await run(['generate', '--recall', at('othermodel.png'), '--out', at('x.png')]);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/warning: the recalled picture was made with the model "default-m", and this is "tiny-random"/);
  });

  it("a picture the web editor saved is recalled by the command line: the panel's record, the same pixels on the same backend", async () => {
    // the panel's generate over the worker's own service (onnxruntime-web, as in the browser)
    const api = createService();
    await api.load({ pack: TINY_PACK, device: 'wasm', numThreads: 1 });
    const out = await runGenerate(new FakeHost(64, 64), api, { prompt: 'a red heart', negativePrompt: 'blurry', count: 2, steps: 4, seed: 21 });
    const second = out.candidates.find((c) => c.record?.image.index === 1)!;
    const file = at('from-editor.png');
    await writePng(file, { width: second.source!.width, height: second.source!.height, data: new Uint8ClampedArray(second.source!.data) });
    writeFileSync(file, withRecordChunks(new Uint8Array(readFileSync(file)), { json: recordText(second.record!), parameters: parametersText(second.record!, second.source!) }));
    const r = await run(['generate', '--recall', file, '--backend', 'wasm', '--threads', '1', '--out', at('from-editor-again.png')]);
    expect([r.code, r.err]).toEqual([0, expect.stringMatching(/recalled generate from .*from-editor\.png \(seed 21, picture 2 of 2\)/)]);
    expect(await samePixels(at('from-editor-again.png'), file)).toBe(true);
    expect((await record(at('from-editor-again.png'))).options).toEqual(second.record!.options);
  });

  it('show prints what made a picture and how to make it again; --json its record; a picture without one is refused', async () => {
    const shown = await runBare(['show', at('run-2.png')]);
    expect(shown.code).toBe(0);
    expect(shown.out).toBe(
      `${textChunks(at('run-2.png')).parameters}\nmake it again: diffusion-layers generate --recall ${at('run-2.png')} --out <file.png>\n`,
    );
    const j = await runBare(['show', '--json', at('run-2.png')]);
    expect(JSON.parse(j.out)).toEqual(await record(at('run-2.png')));
    // another tool's PNG: its text as it wrote it (UTF-8), and no recall
    const other = at('other-tool.png');
    await writePng(other, await readPng(at('run-1.png')), { parameters: 'une tête de renard ♥\nSteps: 30, Sampler: Euler a, Seed: 9' });
    const o = await runBare(['show', other]);
    expect(o.out).toBe('une tête de renard ♥\nSteps: 30, Sampler: Euler a, Seed: 9\n(no Diffusion Layers record: made by another tool, so --recall cannot make it again)\n');
    const none = await runBare(['show', picture(at('plain.png'), 2, 2, () => [0, 0, 0, 255])]);
    expect([none.code, none.err]).toEqual([4, expect.stringMatching(/plain\.png has no Diffusion Layers record/)]);
  });

  it('parametersText leaves out what a run did not have', () => {
    const r: RunRecord = {
      format: 'diffusion-layers-run', version: 1, app: '1.2.3', model: 'm', command: 'generate',
      options: { prompt: '', seed: 0, steps: 10, sampler: 'dpmpp2m' }, image: { index: 0, of: 1 },
    };
    expect(parametersText(r, { width: 128, height: 96 })).toBe('\nSteps: 10, Sampler: DPM++ 2M, Seed: 0, Size: 128x96, Model: m, Job: generate, Version: diffusion-layers 1.2.3');
  });
});
