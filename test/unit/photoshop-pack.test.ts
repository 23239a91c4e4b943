// Reading a pack with UXP's storage API (faked over a Node folder) and the load fallback.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { UxpFile, UxpFolder, UxpModule } from '../../src/host/photoshop/modules.js';
import { withPackFallback } from '../../src/host/photoshop/pack-fallback.js';
import { readPackFolder, readPluginPack } from '../../src/host/photoshop/pack-files.js';
import { fetchPackFiles, pageLoadRequest, resolvePluginUrl } from '../../src/host/photoshop/webview-pack.js';
import type { LoadRequest } from '../../src/worker/api.js';

const BINARY = Symbol('binary');
const fixtures = path.resolve(import.meta.dirname, '../fixtures');

/** uxp.storage entries over a real folder (read-only, binary reads only). */
function folder(dir: string): UxpFolder {
  const entry = (p: string): UxpFile | UxpFolder => {
    const st = statSync(p);
    const base = { name: path.basename(p), isFile: st.isFile(), isFolder: st.isDirectory(), nativePath: p };
    if (st.isDirectory()) return folder(p);
    return {
      ...base,
      async read(o?: { format?: unknown }) {
        if (o?.format !== BINARY) return readFileSync(p, 'utf8');
        const b = readFileSync(p);
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      },
    };
  };
  return {
    name: path.basename(dir),
    isFile: false,
    isFolder: true,
    async getEntries() {
      return readdirSync(dir).map((n) => entry(path.join(dir, n)));
    },
    async getEntry(rel: string) {
      const p = path.join(dir, rel);
      statSync(p); // throws like UXP when missing
      return entry(p);
    },
  };
}

const uxp = {
  storage: { localFileSystem: { getPluginFolder: async () => folder(fixtures), getFolder: async () => null }, formats: { binary: BINARY, utf8: 'utf8' } },
} as unknown as UxpModule;

describe('model pack files through UXP storage', () => {
  it('reads model.json and every file its stages list', async () => {
    const pack = await readPluginPack(uxp, 'tiny-pack/');
    expect(pack.name).toBe('tiny-random');
    expect(Object.keys(pack.files).sort()).toEqual(['base.fp32.onnx', 'model.json', 'text_encoder.fp32.onnx', 'upsampler.fp32.onnx']);
    expect(pack.files['base.fp32.onnx']!.length).toBe(statSync(path.join(fixtures, 'tiny-pack/base.fp32.onnx')).size);
  });

  it('names the missing file', async () => {
    const broken = folder(path.join(fixtures, 'tiny-pack'));
    const getEntry = broken.getEntry.bind(broken);
    broken.getEntry = async (p: string) => (p === 'upsampler.fp32.onnx' ? Promise.reject(new Error('ENOENT')) : getEntry(p));
    await expect(readPackFolder(uxp, broken)).rejects.toThrow(/has no upsampler\.fp32\.onnx/);
  });

  it('retries a failed load of a pack inside the plugin with its bytes, and only then', async () => {
    const calls: LoadRequest[] = [];
    const engine = {
      async load(r: LoadRequest) {
        calls.push(r);
        if (typeof r.pack === 'string') throw new Error('Failed to fetch');
        return 'loaded';
      },
      info: () => 'info',
    };
    const e = withPackFallback(engine, 'plugin:/', (rel) => readPluginPack(uxp, rel));
    expect(await e.load({ pack: 'plugin:/tiny-pack/', device: 'wasm' })).toBe('loaded');
    expect(calls.map((c) => (typeof c.pack === 'string' ? c.pack : Object.keys(c.pack.files).length))).toEqual(['plugin:/tiny-pack/', 4]);
    expect(calls[1]!.device).toBe('wasm');
    await expect(e.load({ pack: 'https://example.org/pack/' })).rejects.toThrow('Failed to fetch');
    expect(e.info()).toBe('info');
  });
});

describe('pack URLs in the webview page', () => {
  /** fetch over the fixtures folder, for any scheme; records what was asked. */
  function fixtureFetch(asked: string[]) {
    return async (url: string) => {
      asked.push(url);
      const rel = url.replace(/^[a-z]+:\/+(?:[^/]*\/)?models\//, '');
      try {
        const b = readFileSync(path.join(fixtures, rel));
        return { ok: true, status: 200, arrayBuffer: async () => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer };
      } catch {
        return { ok: false, status: 404, arrayBuffer: async () => new ArrayBuffer(0) };
      }
    };
  }

  it('resolves plugin:/ names against the page, whatever address the page has', () => {
    expect(resolvePluginUrl('plugin:/models/tiny-pack/', 'plugin:/webview.html')).toBe('plugin:/models/tiny-pack/');
    expect(resolvePluginUrl('plugin:/ort/', 'plugin://1a2b3c/webview.html')).toBe('plugin://1a2b3c/ort/');
    expect(resolvePluginUrl('plugin:/models/x/', 'https://plugin.localhost/app/webview.html')).toBe('https://plugin.localhost/app/models/x/');
    expect(resolvePluginUrl('https://example.org/p/', 'plugin:/webview.html')).toBe('https://example.org/p/');
  });

  it('lets the engine fetch scheme:// addresses, and fetches the pack itself otherwise', async () => {
    const asked: string[] = [];
    const viaEngine = await pageLoadRequest({ pack: 'plugin:/models/tiny-pack/', wasmPaths: 'plugin:/ort/' }, 'plugin://id/webview.html', fixtureFetch(asked));
    expect(viaEngine).toEqual({ pack: 'plugin://id/models/tiny-pack/', wasmPaths: 'plugin://id/ort/' });
    expect(asked).toEqual([]);

    const here = await pageLoadRequest({ pack: 'plugin:/models/tiny-pack/', device: 'auto' }, 'plugin:/webview.html', fixtureFetch(asked));
    expect(here.device).toBe('auto');
    const files = (here.pack as { files: Record<string, Uint8Array>; name: string });
    expect(files.name).toBe('tiny-random');
    expect(Object.keys(files.files).sort()).toEqual(['base.fp32.onnx', 'model.json', 'text_encoder.fp32.onnx', 'upsampler.fp32.onnx']);
    expect(asked[0]).toBe('plugin:/models/tiny-pack/model.json');
  });

  it('names the file that could not be fetched', async () => {
    await expect(fetchPackFiles('plugin:/models/nowhere', fixtureFetch([]))).rejects.toThrow('The model pack at plugin:/models/nowhere/: model.json could not be fetched (HTTP 404)');
  });
});
