/**
 * Where pack files come from: a directory (Node fs), a URL prefix (fetch; the Cache API keeps
 * model files where it exists) or an in-memory map of path -> bytes.
 */
import { ModelError } from './errors.js';

/** A directory path, an http(s)/file/blob URL (string or URL) of the pack folder, or files in memory. */
export type PackSource =
  | string
  | URL
  | { files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>; name?: string };

/**
 * Reads one pack-relative file. With `verify` (which throws on bad bytes) the bytes are checked
 * before they are returned, and URL sources keep only verified files in the Cache API (a cached
 * copy that fails is dropped and fetched again); `cacheKey` distinguishes versions (the sha256).
 */
export type ReadFile = (path: string, verify?: (bytes: Uint8Array) => Promise<void>, cacheKey?: string) => Promise<Uint8Array>;

const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

const missing = (path: string, where: string, why: string) =>
  new ModelError('MODEL_FILE_MISSING', `${path} is missing from the model pack at ${where} (${why})`, {
    details: { file: path },
  });

export async function fileReader(source: PackSource, cacheName: string | false): Promise<{ read: ReadFile; location: string }> {
  if (source instanceof URL || (typeof source === 'string' && URL_LIKE.test(source))) {
    return urlReader(String(source), cacheName);
  }
  if (typeof source === 'string') return dirReader(source);
  const map = source.files instanceof Map ? source.files : new Map(Object.entries(source.files));
  const location = source.name ?? 'memory';
  return {
    location,
    read: async (path, verify) => {
      const bytes = (map as ReadonlyMap<string, Uint8Array>).get(path);
      if (!bytes) throw missing(path, location, 'not in the file map');
      await verify?.(bytes);
      return bytes;
    },
  };
}

async function dirReader(dir: string): Promise<{ read: ReadFile; location: string }> {
  // A computed specifier keeps browser bundlers from resolving Node's fs.
  const fsName = 'node:fs/promises';
  const pathName = 'node:path';
  const fs = (await import(/* @vite-ignore */ fsName)) as typeof import('node:fs/promises');
  const nodePath = (await import(/* @vite-ignore */ pathName)) as typeof import('node:path');
  return {
    location: dir,
    read: async (path, verify) => {
      let bytes: Uint8Array;
      try {
        const buf = await fs.readFile(nodePath.join(dir, path));
        bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'ENOENT') throw missing(path, dir, 'no such file');
        throw new ModelError('MODEL_FILE_MISSING', `${path} in ${dir} cannot be read: ${(e as Error).message}`, {
          cause: e,
          details: { file: path },
        });
      }
      await verify?.(bytes);
      return bytes;
    },
  };
}

interface CacheLike {
  match(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | undefined>;
  put(key: string, r: Response): Promise<void>;
  delete(key: string): Promise<boolean>;
}

async function openCache(name: string | false): Promise<CacheLike | null> {
  const caches = (globalThis as { caches?: { open(n: string): Promise<CacheLike> } }).caches;
  if (!name || !caches) return null;
  try {
    return await caches.open(name);
  } catch {
    return null; // e.g. opaque origins: work without a cache
  }
}

async function urlReader(base: string, cacheName: string | false): Promise<{ read: ReadFile; location: string }> {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const cache = await openCache(cacheName);
  return {
    location: prefix,
    read: async (path, verify, cacheKey) => {
      const url = new URL(path, prefix).href;
      const key = cacheKey ? `${url}#${cacheKey}` : null;
      if (key && cache) {
        const hit = await cache.match(key);
        if (hit) {
          const cached = new Uint8Array(await hit.arrayBuffer());
          try {
            await verify?.(cached);
            return cached;
          } catch {
            await cache.delete(key).catch(() => false); // damaged copy: fetch again
          }
        }
      }
      let res: Response;
      try {
        res = await fetch(url);
      } catch (e) {
        throw new ModelError('MODEL_FILE_MISSING', `${path} could not be fetched from ${url}: ${(e as Error).message}`, {
          cause: e,
          details: { file: path, url },
        });
      }
      if (!res.ok) throw missing(path, prefix, `HTTP ${res.status} for ${url}`);
      const bytes = new Uint8Array(await res.arrayBuffer());
      await verify?.(bytes);
      if (key && cache) {
        await cache.put(key, new Response(bytes as Uint8Array<ArrayBuffer>)).catch(() => undefined); // quota: go on uncached
      }
      return bytes;
    },
  };
}
