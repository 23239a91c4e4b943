// The command line on the tiny pack: PNGs of the right size, exit codes, messages.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../../src/cli/main.js';
import { readPng } from '../../src/cli/png.js';
import { TINY_PACK } from '../helpers/reference.js';

const root = path.resolve(TINY_PACK, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'dl-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => void (out += s) },
    stderr: { write: (s: string) => void (err += s) },
    out: () => out,
    err: () => err,
  };
}

function png(file: string, w: number, h: number, f: (x: number, y: number) => number[]): string {
  const p = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) p.data.set(f(x, y), 4 * (y * w + x));
  writeFileSync(file, PNG.sync.write(p));
  return file;
}

const model = ['--model', TINY_PACK];
const DEFAULT_PACK = path.join(root, 'models/default');

describe('diffusion-layers CLI (in process)', () => {
  it('generate writes numbered 64x64 PNGs and prints their paths', async () => {
    const io = capture();
    const out = path.join(dir, 'gen.png');
    const code = await main(['generate', '--prompt', 'a red heart', '--out', out, '--seed', '7', '--steps', '3', '--count', '2', ...model], io);
    expect(code).toBe(0);
    expect(io.out().trim().split('\n')).toEqual([path.join(dir, 'gen-1.png'), path.join(dir, 'gen-2.png')]);
    const img = await readPng(path.join(dir, 'gen-2.png'));
    expect([img.width, img.height]).toEqual([64, 64]);
    expect(io.err()).toMatch(/model tiny-random on native CPU/);
    expect(io.err()).toMatch(/base 3\/3/);
  });

  it('generate --detail 2 upscales the images again, tiled: 128 px from the tiny pack', async () => {
    const out = path.join(dir, 'detail.png');
    const io = capture();
    expect(await main(['generate', '--prompt', 'a red heart', '--out', out, '--seed', '7', '--steps', '2', '--detail', '2', ...model], io)).toBe(0);
    const img = await readPng(out);
    expect([img.width, img.height]).toEqual([128, 128]);
    expect(io.err()).toMatch(/detail \d+\/\d+/);
    const bad = capture();
    expect(await main(['generate', '--prompt', 'x', '--out', out, '--detail', '8', ...model], bad)).toBe(4);
    expect(bad.err()).toMatch(/detailScale: expected an integer from 1 to 4/);
    const auto = capture();
    expect(await main(['generate', '--prompt', 'x', '--out', out, '--detail', 'auto', ...model], auto)).toBe(4);
    expect(auto.err()).toMatch(/generate --detail takes a whole number .*'auto' is for inpaint/);
    const word = capture();
    expect(await main(['generate', '--prompt', 'x', '--out', out, '--detail', 'lots', ...model], word)).toBe(2);
    expect(word.err()).toMatch(/--detail must be a whole number >= 1 or 'auto'/);
  });

  it('inpaint adds detail by itself to a fill 1.5 times the output or more (--detail auto), and not with --detail 1', async () => {
    // the tiny pack draws 64 px: a 64 px square selection in a 120 px image is cropped at 96 px
    const image = png(path.join(dir, 'big.png'), 120, 120, (x, y) => [x * 2, y * 2, 77, 255]);
    const mask = png(path.join(dir, 'bigmask.png'), 120, 120, (x, y) => (x >= 20 && x < 84 && y >= 20 && y < 84 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const out = path.join(dir, 'bigfill.png');
    const io = capture();
    expect(await main(['inpaint', '--image', image, '--mask', mask, '--prompt', 'a fox face', '--out', out, '--steps', '2', '--seed', '3', ...model], io)).toBe(0);
    expect(io.err()).toMatch(/detail \d+\/\d+/);
    const off = capture();
    expect(await main(['inpaint', '--image', image, '--mask', mask, '--prompt', 'a fox face', '--out', out, '--steps', '2', '--detail', '1', ...model], off)).toBe(0);
    expect(off.err()).not.toMatch(/detail \d+\/\d+/);
  });

  it('generate --init keeps the picture at a low --strength and runs that share of the steps; --strength needs --init', async () => {
    const init = png(path.join(dir, 'init.png'), 20, 20, () => [40, 180, 90, 255]);
    const out = path.join(dir, 'from-init.png');
    const io = capture();
    const args = ['generate', '--prompt', 'a red heart', '--out', out, '--seed', '3', '--steps', '10', '--sampler', 'ddim', '--no-upscale', ...model];
    expect(await main([...args, '--init', init, '--strength', '0.1'], io)).toBe(0);
    expect(io.err()).toMatch(/base 1\/1/);
    const img = await readPng(out);
    let e = 0;
    for (let i = 0; i < 16 * 16; i++) e += Math.abs(img.data[4 * i]! - 40) + Math.abs(img.data[4 * i + 1]! - 180) + Math.abs(img.data[4 * i + 2]! - 90);
    expect(e / (16 * 16 * 3)).toBeLessThan(6);
    const bad = capture();
    expect(await main([...args, '--strength', '0.5'], bad)).toBe(4);
    expect(bad.err()).toMatch(/generate --strength redraws a picture: give it with --init/);
    const range = capture();
    expect(await main([...args, '--init', init, '--strength', '1.5'], range)).toBe(2);
    expect(range.err()).toMatch(/--strength must be a number in \(0, 1\]/);
  });

  it('generate --transparent keeps a picture with no plain background as drawn and says so (the random pack draws noise)', async () => {
    const out = path.join(dir, 'lifted.png');
    const io = capture();
    expect(await main(['generate', '--prompt', 'a red heart', '--out', out, '--seed', '7', '--steps', '2', '--transparent', ...model], io)).toBe(0);
    expect(io.err()).toMatch(/image 1 keeps its background: no plain background was found around the subject/);
    const img = await readPng(out);
    expect(img.data.every((v, i) => i % 4 !== 3 || v === 255)).toBe(true);
  });

  it('generate --no-upscale gives the 16x16 base image; --backend wasm works', async () => {
    const out = path.join(dir, 'small.png');
    const code = await main(['generate', '--prompt', 'pizza', '--out', out, '--steps', '2', '--no-upscale', '--backend', 'wasm', '--threads', '1', '-q', ...model], capture());
    expect(code).toBe(0);
    expect((await readPng(out)).width).toBe(16);
  });

  it('inpaint keeps the image size and the unmasked pixels', async () => {
    const image = png(path.join(dir, 'in.png'), 30, 20, (x, y) => [x * 8, y * 12, 77, 255]);
    const mask = png(path.join(dir, 'mask.png'), 30, 20, (x, y) => (x >= 10 && x < 20 && y >= 5 && y < 15 ? [255, 255, 255, 255] : [0, 0, 0, 255]));
    const out = path.join(dir, 'filled.png');
    const code = await main(['inpaint', '--image', image, '--mask', mask, '--prompt', 'a fox face', '--out', out, '--steps', '2', '-q', ...model], capture());
    expect(code).toBe(0);
    const [a, b] = [await readPng(image), await readPng(out)];
    expect([b.width, b.height]).toEqual([30, 20]);
    expect(b.data[0]).toBe(a.data[0]);
  });

  it('expand grows the canvas and keeps the old picture bit for bit inside it', async () => {
    const image = png(path.join(dir, 'small.png'), 20, 10, (x, y) => [x * 10, y * 20, 128, 255]);
    const out = path.join(dir, 'wider.png');
    expect(await main(['expand', '--image', image, '--prompt', '', '--by', '0.5', '--sides', 'horizontal', '--out', out, '--steps', '2', '-q', ...model], capture())).toBe(0);
    const [a, b] = [await readPng(image), await readPng(out)];
    expect([b.width, b.height]).toEqual([30, 10]); // 20 * 0.5 / 2 = 5 px each side
    for (let y = 0; y < 10; y++) {
      for (let x = 0; x < 30; x++) {
        const o = (y * 30 + x) * 4;
        if (x >= 5 && x < 25) expect(Array.from(b.data.subarray(o, o + 4))).toEqual(Array.from(a.data.subarray((y * 20 + x - 5) * 4, (y * 20 + x - 4) * 4)));
        else expect(b.data[o + 3], `alpha at ${x},${y}`).toBe(255); // drawn, opaque
      }
    }
    const bad = capture();
    expect(await main(['expand', '--image', image, '--prompt', '', '--by', '3', '--out', out, ...model], bad)).toBe(4);
    expect(bad.err()).toMatch(/expand by: expected a fraction above 0 and at most 2, got 3/);
    // an icon on transparency with no prompt: nothing to continue, a message says what to do
    const icon = png(path.join(dir, 'icon.png'), 12, 12, (x, y) => [200, 30, 30, x > 2 && x < 9 && y > 2 && y < 9 ? 255 : 0]);
    const clear = capture();
    expect(await main(['expand', '--image', icon, '--prompt', '', '--out', out, ...model], clear)).toBe(4);
    expect(clear.err()).toMatch(/transparent along the sides that grow/);
  });

  it('upscale makes a 4x PNG and passes on the pack\'s upsampler note', async () => {
    const image = png(path.join(dir, 'up.png'), 20, 12, (x, y) => [x * 10, y * 20, 128, 255]);
    const out = path.join(dir, 'up4.png');
    const io = capture();
    expect(await main(['upscale', '--image', image, '--out', out, '--steps', '1', ...model], io)).toBe(0);
    expect(io.err()).toMatch(/note: Random weights: upscaling makes noise, not detail\./);
    const r = await readPng(out);
    expect([r.width, r.height]).toEqual([80, 48]);
    expect(await main(['upscale', '--image', image, '--out', out, '--steps', '4', '--strength', '0.5', '-q', ...model], capture())).toBe(0);
    const bad = capture();
    expect(await main(['upscale', '--image', image, '--out', out, '--strength', '0', ...model], bad)).toBe(2);
    expect(bad.err()).toMatch(/--strength must be a number in \(0, 1\] or 'auto'/);
    // --scale: less than the upsampler's 4x
    expect(await main(['upscale', '--image', image, '--out', out, '--steps', '1', '--scale', '2', '-q', ...model], capture())).toBe(0);
    const half = await readPng(out);
    expect([half.width, half.height]).toEqual([40, 24]);
    const big = capture();
    expect(await main(['upscale', '--image', image, '--out', out, '--scale', '5', ...model], big)).toBe(4);
    expect(big.err()).toMatch(/scale: expected a number above 1 and at most 4, got 5/);
    // the tiny pack gives no strength per kind of picture, so auto is an input problem
    const auto = capture();
    expect(await main(['upscale', '--image', image, '--out', out, '--strength', 'auto', ...model], auto)).toBe(4);
    expect(auto.err()).toMatch(/strength 'auto' needs a model pack that gives one upscale strength for photographs/);
  });

  it("upscale with the default pack says which strength the picture's look chose", async () => {
    const grain = png(path.join(dir, 'grain.png'), 24, 20, (x, y) => [(x * 97 + y * 61) % 256, (x * 37 + y * 151) % 256, (x * y * 13) % 256, 255]);
    const io = capture();
    expect(await main(['upscale', '--image', grain, '--out', path.join(dir, 'grain4.png'), '--model', DEFAULT_PACK], io)).toBe(0);
    expect(io.err()).toMatch(/strength 0\.3: the picture looks like a photograph \(0 % flat; --strength overrides\)/);
    const fixed = capture();
    expect(await main(['upscale', '--image', grain, '--out', path.join(dir, 'grain4.png'), '--strength', '0.5', '--model', DEFAULT_PACK], fixed)).toBe(0);
    expect(fixed.err()).not.toMatch(/looks like/);
  }, 60_000);

  it('exit codes: 3 for a model problem, 4 for an input problem, with actionable messages', async () => {
    const m = capture();
    expect(await main(['generate', '--prompt', 'x', '--out', path.join(dir, 'x.png'), '--model', path.join(dir, 'nope')], m)).toBe(3);
    expect(m.err()).toMatch(/error: model\.json is missing from the model pack at .*nope \(no such file\)\nhint: check --model/);
    const i = capture();
    expect(await main(['upscale', '--image', path.join(dir, 'missing.png'), '--out', path.join(dir, 'y.png'), ...model], i)).toBe(4);
    expect(i.err()).toMatch(/missing\.png: no such file/);
    const mask = png(path.join(dir, 'm2.png'), 5, 5, () => [0, 0, 0, 255]);
    const img = png(path.join(dir, 'i2.png'), 5, 5, () => [9, 9, 9, 255]);
    const e = capture();
    expect(await main(['inpaint', '--image', img, '--mask', mask, '--prompt', 'x', '--out', path.join(dir, 'z.png'), ...model], e)).toBe(4);
    expect(e.err()).toMatch(/mask is empty: select the area to fill/);
    // the tiny pack has no reranker to choose among candidates
    const c = capture();
    expect(await main(['generate', '--prompt', 'x', '--out', path.join(dir, 'c.png'), '--candidates', '4', ...model], c)).toBe(4);
    expect(c.err()).toMatch(/candidates: this model has no reranker to choose among 4 candidates; use 1/);
  });

  it('usage errors exit 2', async () => {
    const a = capture();
    expect(await main(['generate', '--prompt', 'x'], a)).toBe(2);
    expect(a.err()).toMatch(/required option '--out <file.png>' not specified/);
    const b = capture();
    expect(await main(['generate', '--prompt', 'x', '--out', 'o.png', '--sampler', 'euler'], b)).toBe(2);
    expect(b.err()).toMatch(/Allowed choices are ddim, dpmpp2m, ddpm/);
    const c = capture();
    expect(await main(['generate', '--prompt', 'x', '--out', 'o.png', '--threshold', '1.5'], c)).toBe(2);
    expect(c.err()).toMatch(/--threshold must be a percentile in \(0, 1\] or 'static'/);
    expect(await main(['frobnicate'], capture())).toBe(2);
    expect(await main([], capture())).toBe(2);
  });

  it("--threshold: 'static' clips, a percentile thresholds dynamically; the same seed repeats", async () => {
    const run = async (th: string | null, name: string) => {
      const out = path.join(dir, name);
      const io = capture();
      const code = await main(['generate', '--prompt', 'a red heart', '--out', out, '--seed', '3', '--steps', '3', '--no-upscale', ...(th ? ['--threshold', th] : []), '-q', ...model], io);
      expect(io.err()).toBe('');
      expect(code).toBe(0);
      return Array.from((await readPng(out)).data);
    };
    const s1 = await run('static', 'th-s1.png');
    const s2 = await run('STATIC', 'th-s2.png');
    const dyn = await run('0.5', 'th-d.png');
    expect(s1).toEqual(s2);
    // the random test pack predicts x0 far outside [-1, 1], so rescaling by the median |x0| changes the image
    expect(dyn).not.toEqual(s1);
    // the tiny pack's default is dynamic (0.995): 'static' must override it
    expect(await run('0.995', 'th-d995.png')).toEqual(await run(null, 'th-default.png'));
    expect(s1).not.toEqual(await run(null, 'th-default2.png'));
  });

  it('a prompt word the pack never learnt is named on stderr, even with -q, and the run still finishes', async () => {
    const io = capture();
    const code = await main(['generate', '--prompt', 'a rocket', '--out', path.join(dir, 'unknown-word.png'), '--seed', '1', '--steps', '2', '--no-upscale', '-q', ...model], io);
    expect(code).toBe(0);
    expect(io.err()).toMatch(/warning: this model has not learnt "rocket" in the prompt/);
    expect(io.err()).not.toMatch(/"a"/);
  });

  it('check names the tokens, the words not learnt and the matching subjects; subjects lists them all', async () => {
    const io = capture();
    expect(await main(['check', '--prompt', 'a rocket', ...model], io)).toBe(0);
    // the tiny pack learnt "a red heart", "a fox face", "a slice of pizza"; its subjects: training/fixtures.py
    expect(io.out()).toBe('2 / 8 tokens\nnot learnt by this model: rocket\n');
    const typing = capture();
    expect(await main(['check', '--prompt', 'a sli', ...model], typing)).toBe(0);
    expect(typing.out()).toMatch(/^\d+ \/ 8 tokens\nsubjects it knows: slice of pizza\n$/);
    const weighted = capture();
    expect(await main(['check', '--prompt', 'a (red:1.4) ((heart)) <lora:x:1>', ...model], weighted)).toBe(0);
    expect(weighted.out()).toBe('3 / 8 tokens\nweighted: red x1.4, heart x1.21\nleft out (no LoRAs here): <lora:x:1>\n');
    const edited = capture();
    expect(await main(['check', '--prompt', 'a [red heart:fox face:1]', ...model], edited)).toBe(0);
    expect(edited.out()).toMatch(/^3 \/ 8 tokens\nchanges during the run \(over (\d+) steps\): a red heart \(step 1\) → a fox face \(2(-\1)?\)\n$/);
    const composed = capture();
    expect(await main(['check', '--prompt', 'a red heart AND a fox face:0.5', ...model], composed)).toBe(0);
    expect(composed.out()).toBe('3 / 8 tokens\ncomposed: a red heart ×1 + a fox face ×0.5\n');
    const bad = capture();
    expect(await main(['check', '--prompt', 'a (red:4) heart', ...model], bad)).toBe(0);
    expect(bad.out()).toMatch(/^3 \/ 8 tokens\ncannot run: the prompt weight 4 on "red" is outside 0 to 3;/);
    const all = capture();
    expect(await main(['subjects', ...model], all)).toBe(0);
    expect(all.out()).toBe('fox face\nheart\npizza\nred heart\nslice of pizza\n');
  });

  it('cancel (Ctrl-C) exits 130', async () => {
    const ac = new AbortController();
    const io = { ...capture(), signal: ac.signal };
    setTimeout(() => ac.abort(), 600);
    const code = await main(['generate', '--prompt', 'x', '--out', path.join(dir, 'c.png'), '--steps', '200', '-q', ...model], io);
    expect(code).toBe(130);
  });
});

describe('diffusion-layers CLI (built, as a process)', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: root });
  }, 60_000);

  const run = (args: string[]) =>
    new Promise<{ code: number; stderr: string; stdout: string }>((resolve) => {
      execFile(process.execPath, ['bin/diffusion-layers.js', ...args], { cwd: root }, (err, stdout, stderr) =>
        resolve({ code: err ? (err.code as number) : 0, stdout, stderr }),
      );
    });

  it('bad arguments exit 2 with a message', async () => {
    const r = await run(['generate', '--prompt', 'x', '--out', path.join(dir, 'p.png'), '--count', 'zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--count must be a whole number >= 1/);
  });

  it('generate as a process prints the PNG path; info on the default model notes the random test model', async () => {
    const out = path.join(dir, 'proc.png');
    const r = await run(['generate', '--prompt', 'a red heart', '--out', out, '--steps', '2', '--seed', '1', ...model]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    const info = await run(['info']);
    expect(info.code).toBe(0);
    expect(JSON.parse(info.stdout)).toMatchObject({ loaded: true, limits: { maxSide: 16384 } });
    if (existsSync(path.join(root, 'models/default/model.json'))) return; // a real default pack is installed
    expect(info.stderr).toMatch(/random test model test\/fixtures\/tiny-pack is used: it makes noise, not pictures/);
  });
});
