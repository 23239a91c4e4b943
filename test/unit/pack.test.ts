// Pack loading and model.json validation: every failure names the file, the field and what
// was expected.
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiffusionError } from '../../src/inference/errors.js';
import { loadPack, sha256Hex, validateManifest } from '../../src/inference/pack.js';
import { TINY_PACK } from '../helpers/reference.js';

const files = new Map(readdirSync(TINY_PACK).map((n) => [n, new Uint8Array(readFileSync(TINY_PACK + n))]));
const manifest = () => JSON.parse(new TextDecoder().decode(files.get('model.json'))) as Record<string, any>;

function withManifest(edit: (m: Record<string, any>) => void): Map<string, Uint8Array> {
  const m = manifest();
  edit(m);
  return new Map([...files, ['model.json', new TextEncoder().encode(JSON.stringify(m))]]);
}

async function failure(p: Promise<unknown>): Promise<DiffusionError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(DiffusionError);
    return e as DiffusionError;
  }
  throw new Error('expected a rejection');
}

describe('loadPack', () => {
  it('loads the tiny pack from a directory and reads verified files', async () => {
    const pack = await loadPack(TINY_PACK);
    expect(pack.manifest.name).toBe('tiny-random');
    const { bytes, file } = await pack.readFile('base');
    expect(file.path).toBe('base.fp32.onnx');
    expect(bytes.byteLength).toBe(file.bytes);
    // no fp16 file in the tiny pack: fp32 is read
    expect((await pack.readFile('upsampler', 'fp16')).file.precision).toBe('fp32');
  });

  it('sha256 uses WebCrypto and matches model.json', async () => {
    expect(await sha256Hex(files.get('text_encoder.fp32.onnx')!)).toBe(manifest().textEncoder.files[0].sha256);
  });

  it('rejects an unknown formatVersion naming both versions', async () => {
    const e = await failure(loadPack({ files: withManifest((m) => (m.formatVersion = 9)) }));
    expect(e.code).toBe('MODEL_VERSION');
    expect(e.message).toMatch(/model\.json: formatVersion is 9, but this version of Diffusion Layers reads version 1/);
  });

  it('names a missing field', async () => {
    const e = await failure(loadPack({ files: withManifest((m) => delete m.base.files) }));
    expect(e.code).toBe('MODEL_INVALID');
    expect(e.message).toBe('model.json: base.files is missing');
  });

  it('turns schema errors into sentences with the field path', () => {
    const m = manifest();
    m.base.schedule.kind = 'cosine';
    m.upsampler.files[0].bytes = -3;
    m.defaults.steps = 'many';
    let err: DiffusionError | undefined;
    try {
      validateManifest(m);
    } catch (e) {
      err = e as DiffusionError;
    }
    expect(err?.code).toBe('MODEL_INVALID');
    expect(err?.message).toContain('base.schedule.kind should be one of "squaredcos_cap_v2" or "linear"');
    expect(err?.message).toContain('upsampler.files[0].bytes should be >= 1');
    expect(err?.message).toContain('defaults.steps should be an integer');
  });

  it('accepts a list of subject strings and names a bad entry', async () => {
    expect((await loadPack({ files: files })).manifest.subjects).toContain('red heart');
    const e = await failure(loadPack({ files: withManifest((m) => (m.subjects = ['pizza', ''])) }));
    expect(e.code).toBe('MODEL_INVALID');
    expect(e.message).toMatch(/subjects\[1\]/);
    const f = await failure(loadPack({ files: withManifest((m) => (m.subjects = 'pizza')) }));
    expect(f.message).toBe('model.json: subjects should be an array');
  });

  it('checks relatedWords: single lower-case words naming subjects that exist', async () => {
    const related = (r: unknown) => withManifest((m) => ((m.subjects = ['pizza', 'pie']), (m.relatedWords = r)));
    expect((await loadPack({ files: related({ tart: [1, 0] }) })).manifest.relatedWords).toEqual({ tart: [1, 0] });
    const past = await failure(loadPack({ files: related({ tart: [1, 2] }) }));
    expect(past.code).toBe('MODEL_INVALID');
    expect(past.message).toBe('model.json: relatedWords.tart names subject 2, but subjects has 2');
    const word = await failure(loadPack({ files: related({ 'two words': [0] }) }));
    expect(word.message).toMatch(/relatedWords/);
    const empty = await failure(loadPack({ files: related({ tart: [] }) }));
    expect(empty.message).toMatch(/relatedWords\.tart/);
  });

  it('checks the graph inputs and the upsampler scale', () => {
    const m = manifest();
    m.base.inputs = m.base.inputs.filter((i: { name: string }) => i.name !== 'inpaint_mask');
    m.upsampler.resolution = 48;
    expect(() => validateManifest(m)).toThrow(/base\.inputs lacks inpaint_mask.*upsampler\.resolution is 48; expected 4 x lowResolution \(64\)/);
  });

  it('accepts an upsampler note of 1-500 characters and names a bad one', () => {
    const m = manifest();
    m.upsampler.note = 'Trained on emoji only.';
    expect(() => validateManifest(m)).not.toThrow();
    m.upsampler.note = '';
    expect(() => validateManifest(m)).toThrow(/upsampler\.note/);
    m.upsampler.note = 'x'.repeat(501);
    expect(() => validateManifest(m)).toThrow(/upsampler\.note/);
    m.upsampler.note = 3;
    expect(() => validateManifest(m)).toThrow(/upsampler\.note should be a string/);
  });

  it('accepts 0-16 smooth consistency passes and names a bad count', () => {
    const m = manifest();
    for (const ok of [0, 4, 16]) {
      m.defaults.upsamplerConsistencyPasses = ok;
      expect(() => validateManifest(m)).not.toThrow();
    }
    for (const bad of [-1, 2.5, 17, '4']) {
      m.defaults.upsamplerConsistencyPasses = bad;
      expect(() => validateManifest(m)).toThrow(/defaults\.upsamplerConsistencyPasses/);
    }
  });

  it('accepts an upscale strength in (0, 1] or one per kind of picture, and names a bad one', () => {
    const m = manifest();
    for (const ok of [1, 0.3, { photo: 0.3, graphic: 1 }]) {
      m.defaults.upscaleStrength = ok;
      expect(() => validateManifest(m)).not.toThrow();
    }
    for (const bad of [0, 1.5, '0.3', { photo: 0.3 }, { photo: 0, graphic: 1 }, { photo: 0.3, graphic: 1, drawing: 1 }]) {
      m.defaults.upscaleStrength = bad;
      expect(() => validateManifest(m)).toThrow(/defaults\.upscaleStrength/);
    }
  });

  it('accepts default candidates only with a reranker to choose among them', () => {
    const m = manifest();
    m.defaults.candidates = 1;
    expect(() => validateManifest(m)).not.toThrow();
    m.defaults.candidates = 4;
    expect(() => validateManifest(m)).toThrow(/defaults\.candidates is 4, but the pack has no reranker to choose among them/);
    m.defaults.candidates = 9;
    expect(() => validateManifest(m)).toThrow(/defaults\.candidates/);
  });

  it('reports invalid JSON and a wrong format id', async () => {
    const bad = new Map([...files, ['model.json', new TextEncoder().encode('{"format": ')]]);
    expect((await failure(loadPack({ files: bad }))).message).toMatch(/model\.json in memory is not valid JSON/);
    const other = await failure(loadPack({ files: withManifest((m) => (m.format = 'other')) }));
    expect(other.message).toBe('model.json: format is "other"; expected "diffusion-layers-pack"');
  });

  it('names a missing model file', async () => {
    const e = await failure(loadPack('/nonexistent/pack'));
    expect(e.code).toBe('MODEL_FILE_MISSING');
    expect(e.message).toMatch(/model\.json is missing from the model pack at \/nonexistent\/pack/);
    const noBase = new Map(files);
    noBase.delete('base.fp32.onnx');
    const pack = await loadPack({ files: noBase, name: 'test map' });
    expect((await failure(pack.readFile('base'))).message).toMatch(/^base\.fp32\.onnx is missing from the model pack at test map/);
  });

  it('detects a truncated file (size) and a damaged file (sha256)', async () => {
    const short = new Map(files);
    short.set('base.fp32.onnx', files.get('base.fp32.onnx')!.subarray(0, 1000));
    // the real size and hash, taken from the file itself rather than model.json
    const real = files.get('base.fp32.onnx')!;
    const realSha = createHash('sha256').update(real).digest('hex');
    const e1 = await failure((await loadPack({ files: short })).readFile('base'));
    expect(e1).toMatchObject({ code: 'MODEL_CORRUPT', message: expect.stringMatching(new RegExp(`^base\\.fp32\\.onnx has 1000 bytes; model\\.json says ${real.length}`)) });
    const flipped = new Map(files);
    const b = Uint8Array.from(files.get('base.fp32.onnx')!);
    b[500] ^= 0xff;
    flipped.set('base.fp32.onnx', b);
    const e2 = await failure((await loadPack({ files: flipped })).readFile('base'));
    expect(e2).toMatchObject({ code: 'MODEL_CORRUPT', message: expect.stringMatching(new RegExp(`^base\\.fp32\\.onnx has sha256 [0-9a-f]{64}; model\\.json says ${realSha}`)) });
  });

  describe('from a URL', () => {
    let server: Server;
    let url: string;
    let requests: string[] = [];
    beforeAll(async () => {
      server = createServer((req, res) => {
        requests.push(req.url!);
        const body = files.get(req.url!.slice('/pack/'.length));
        if (body) res.writeHead(200).end(Buffer.from(body));
        else res.writeHead(404).end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pack`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('fetches files and keeps verified model files in the Cache API', async () => {
      const store = new Map<string, Uint8Array>();
      const cache = {
        match: async (k: string) => (store.has(k) ? new Response(store.get(k) as Uint8Array<ArrayBuffer>) : undefined),
        put: async (k: string, r: Response) => void store.set(k, new Uint8Array(await r.arrayBuffer())),
        delete: async (k: string) => store.delete(k),
      };
      (globalThis as any).caches = { open: async () => cache };
      try {
        requests = [];
        const pack = await loadPack(url);
        await pack.readFile('textEncoder');
        await (await loadPack(url)).readFile('textEncoder');
        expect(requests).toEqual(['/pack/model.json', '/pack/text_encoder.fp32.onnx', '/pack/model.json']);
        expect([...store.keys()]).toEqual([`${url}/text_encoder.fp32.onnx#${manifest().textEncoder.files[0].sha256}`]);
        const missing = await failure(pack.readFile('reranker'));
        expect(missing.message).toBe('model.json has no reranker stage');
      } finally {
        delete (globalThis as any).caches;
      }
    });

    it('names the URL of a missing pack', async () => {
      const e = await failure(loadPack(`${url}/../nothing/`));
      expect(e.code).toBe('MODEL_FILE_MISSING');
      expect(e.message).toMatch(/HTTP 404 for http:\/\/127\.0\.0\.1:\d+\/nothing\/model\.json/);
    });
  });
});
