// Builds the plugin (npm run package:uxp) and checks what the .ccx holds. Slower than the other
// unit tests (esbuild of the worker and the panel, zipping ~40 MB of wasm): about 15 s here.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { unzipSync, strFromU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));

let files: Record<string, Uint8Array>;
let log: string;

beforeAll(async () => {
  const r = await promisify(execFile)(process.execPath, ['scripts/build-uxp.mjs', '--ccx'], { cwd: root, maxBuffer: 1 << 24 });
  log = r.stdout;
  files = unzipSync(readFileSync(new URL(`dist/diffusion-layers-${pkg.version}.ccx`, root)));
}, 120_000);

const text = (name: string) => strFromU8(files[name]!);

describe('the .ccx package', () => {
  it('has manifest.json at its root, with the package version', () => {
    expect(log).toMatch(/packed dist\/diffusion-layers-.*\.ccx/);
    expect(Object.keys(files)).toContain('manifest.json');
    const manifest = JSON.parse(text('manifest.json'));
    expect(manifest.version).toBe(pkg.version);
    expect(manifest.main).toBe('index.html');
  });

  it('holds the panel, the webview page, the worker and the onnxruntime files they load', () => {
    for (const f of ['index.html', 'index.js', 'index.css', 'webview.html', 'webview.js', 'worker.js']) expect(files[f], f).toBeDefined();
    expect(text('index.html')).toContain('src="index.js"');
    expect(text('index.html')).toContain('href="index.css"');
    expect(text('webview.html')).toMatch(/<script type="module" src="webview.js">/);
    expect(text('webview.js')).toContain('worker.js');
    // every chunk the worker imports is in the package
    for (const m of text('worker.js').matchAll(/["']\.\/([\w.-]+\.js)["']/g)) expect(files[m[1]!], m[1]).toBeDefined();
    for (const f of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.asyncify.wasm', 'ort-wasm-simd-threaded.asyncify.mjs']) {
      expect(files[`ort/${f}`]?.length, f).toBeGreaterThan(1000);
    }
    // the panel runs in UXP: host modules stay external, no inference runtime inside it
    expect(text('index.js')).toMatch(/\("photoshop"\)/);
    expect(text('index.js')).not.toMatch(/onnxruntime|InferenceSession/);
    // nor the schema checker: records are checked in the worker (it has ajv for packs anyway)
    expect(text('index.js')).not.toMatch(/ajv|must have required property/);
    expect(text('worker.js')).toMatch(/must have required property/);
    expect(Object.keys(files).filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('holds a model pack with every file its model.json lists', () => {
    const packs = Object.keys(files).filter((f) => /^models\/[^/]+\/model\.json$/.test(f));
    expect(packs).toHaveLength(1);
    const dir = packs[0]!.replace(/model\.json$/, '');
    const model = JSON.parse(text(packs[0]!));
    const listed = ['textEncoder', 'base', 'upsampler'].flatMap((s) => (model[s]?.files ?? []).map((f: { path: string; bytes: number }) => f));
    expect(listed.length).toBeGreaterThanOrEqual(3);
    for (const f of listed) expect(files[dir + f.path]?.length, f.path).toBe(f.bytes);
    expect(text('index.js')).toContain(dir); // the panel points the engine at it
  });

  it('holds every icon the manifest names, at each scale', () => {
    const manifest = JSON.parse(text('manifest.json'));
    const icons = [...manifest.icons, ...manifest.entrypoints.flatMap((e: { icons?: unknown[] }) => e.icons ?? [])] as { path: string; scale: number[]; width: number }[];
    for (const icon of icons) {
      for (const s of icon.scale) {
        const p = s === 1 ? icon.path : icon.path.replace(/\.png$/, `@${s}x.png`);
        const png = files[p]!;
        expect(png, p).toBeDefined();
        expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]); // "PNG"
        expect(new DataView(png.buffer, png.byteOffset).getUint32(16)).toBe(icon.width * s); // IHDR width
      }
    }
  });
});
