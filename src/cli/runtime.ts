/** Where the CLI finds its model and how it makes a backend. */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '../inference/backend.js';
import { createOrtNodeBackend } from '../inference/backends/ort-node.js';
import { createOrtWebBackend } from '../inference/backends/ort-web.js';

export const BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
export type CliBackend = (typeof BACKENDS)[number];

/** The folder holding this package's package.json (works from src/ and from dist/). */
export function packageRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj) && JSON.parse(readFileSync(pj, 'utf8')).name === 'diffusion-layers') return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** --model DIR, else models/default when it has a model.json, else the tiny random test pack (with a note). */
export function resolveModel(dir: string | undefined): { dir: string; note?: string } {
  if (dir) return { dir: path.resolve(dir) };
  const root = packageRoot();
  const def = path.join(root, 'models', 'default');
  if (existsSync(path.join(def, 'model.json'))) return { dir: def };
  return {
    dir: path.join(root, 'test', 'fixtures', 'tiny-pack'),
    note: 'note: models/default/ has no model.json, so the random test model test/fixtures/tiny-pack is used: it makes noise, not pictures. Pass --model DIR for a real pack.',
  };
}

/** onnxruntime-web's wasm files, from node_modules (never a CDN). */
export function ortWasmDir(): string {
  const require = createRequire(import.meta.url);
  return `${path.dirname(require.resolve('onnxruntime-web'))}${path.sep}`;
}

export async function createBackend(kind: CliBackend, threads?: number): Promise<Backend> {
  if (kind === 'wasm') return createOrtWebBackend({ device: 'wasm', wasmPaths: ortWasmDir(), numThreads: threads });
  return createOrtNodeBackend({ device: kind, numThreads: threads });
}
