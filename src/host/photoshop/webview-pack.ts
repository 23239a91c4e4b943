/**
 * Pack and runtime URLs as the webview page sees them. The panel names plugin files with the
 * `plugin:/` prefix; the page resolves them against its own address (whatever scheme the
 * host's web engine gives plugin content). When the result is not an address the engine
 * fetches by itself (it expects `scheme://`), the page fetches the pack's files and hands
 * them to the worker as bytes.
 */
import type { LoadRequest } from '../../worker/api.js';
import { listPackFiles, parsePackManifest, type PackFiles } from './pack-files.js';

export const PLUGIN_BASE = 'plugin:/';

/** Addresses the engine's URL reader accepts (src/inference/pack-source.ts). */
const ENGINE_URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** `plugin:/x` -> x resolved against the folder of the page (the plugin root); others unchanged. */
export function resolvePluginUrl(url: string, pageUrl: string): string {
  if (!url.startsWith(PLUGIN_BASE)) return url;
  return new URL(url.slice(PLUGIN_BASE.length).replace(/^\/+/, ''), new URL('.', pageUrl)).href;
}

type Fetch = (url: string) => Promise<{ ok: boolean; status: number; arrayBuffer(): Promise<ArrayBuffer> }>;

/** Fetches model.json under `base` and every file it lists. */
export async function fetchPackFiles(base: string, fetchFn: Fetch): Promise<PackFiles> {
  const folder = base.endsWith('/') ? base : `${base}/`;
  const get = async (path: string): Promise<Uint8Array> => {
    const res = await fetchFn(folder + path);
    if (!res.ok) throw new Error(`The model pack at ${folder}: ${path} could not be fetched (HTTP ${res.status})`);
    return new Uint8Array(await res.arrayBuffer());
  };
  const manifestBytes = await get('model.json');
  const manifest = parsePackManifest(new TextDecoder().decode(manifestBytes), folder);
  const files: Record<string, Uint8Array> = { 'model.json': manifestBytes };
  for (const path of listPackFiles(manifest)) files[path] = await get(path);
  return typeof manifest.name === 'string' ? { files, name: manifest.name } : { files };
}

/** The load request the worker gets: plugin URLs resolved, the pack fetched here if need be. */
export async function pageLoadRequest(request: LoadRequest, pageUrl: string, fetchFn: Fetch): Promise<LoadRequest> {
  const out: LoadRequest = { ...request };
  if (request.wasmPaths !== undefined) out.wasmPaths = resolvePluginUrl(request.wasmPaths, pageUrl);
  if (typeof request.pack === 'string') {
    const url = resolvePluginUrl(request.pack, pageUrl);
    out.pack = ENGINE_URL.test(url) ? url : await fetchPackFiles(url, fetchFn);
  }
  return out;
}
