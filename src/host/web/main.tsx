/**
 * Entry of the standalone web editor (dist/web/app.js): the editor, its Host, the inference
 * worker, and the panel docked at the side.
 *
 * URL switches: `?backend=wasm|webgpu|auto` (default auto), `?pack=<url of a pack folder>`
 * (this visit only; the panel remembers packs loaded from its own field).
 */
import * as Comlink from 'comlink';
import { render } from 'preact';
import { localStore, Panel, panelEngine } from '../../panel/index.js';
import type { DiffusionApi } from '../../worker/api.js';
import { Editor } from './editor.js';
import { App } from './ui/App/App.js';
import { WebHost } from './web-host.js';

/** Written by the build: which pack is bundled (models/default, else the tiny test pack). */
interface PackIndex {
  default: { path: string; label: string; testModel: boolean };
}

const DEVICES = ['auto', 'webgpu', 'wasm'] as const;
type Device = (typeof DEVICES)[number];

async function main(root: HTMLElement): Promise<void> {
  const params = new URLSearchParams(location.search);
  const backend = (params.get('backend') ?? 'auto') as Device;
  if (!DEVICES.includes(backend)) throw new Error(`?backend=${backend} is unknown; expected one of ${DEVICES.join(', ')}`);

  const res = await fetch('models/index.json');
  if (!res.ok) throw new Error(`models/index.json is missing (${res.status}): rebuild with npm run build`);
  const packs = (await res.json()) as PackIndex;
  const packParam = params.get('pack');
  const defaultPack = packParam
    ? { url: new URL(packParam, location.href).href, label: packParam, testModel: /tiny/i.test(packParam) }
    : { url: new URL(packs.default.path, location.href).href, label: packs.default.label, testModel: packs.default.testModel };

  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'diffusion-layers' });
  const engine = panelEngine(Comlink.wrap<DiffusionApi>(worker));
  const editor = new Editor();
  const host = new WebHost(editor);
  // for the end-to-end tests and the console
  (window as unknown as Record<string, unknown>).__diffusionLayers = { editor, host };

  render(
    <App editor={editor}>
      <Panel
        host={host}
        engine={engine}
        storage={localStore()}
        defaultPack={defaultPack}
        loadOptions={{ device: backend, wasmPaths: new URL('ort/', location.href).href }}
        baseUrl={location.href}
      />
    </App>,
    root,
  );
}

const root = document.getElementById('app')!;
main(root).catch((e: unknown) => {
  root.textContent = `The editor could not start: ${e instanceof Error ? e.message : String(e)}`;
  root.className = 'fatal';
});
