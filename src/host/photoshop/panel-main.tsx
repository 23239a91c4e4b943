/**
 * Entry of the UXP panel (dist/uxp/index.js, loaded by index.html). The panel runtime has no
 * Workers or WebGPU, so inference runs in a <webview> of local plugin content
 * (webview.html, Photoshop 26 / UXP 8) and the panel talks to it over the message bridge.
 * Here: the host modules, the Photoshop Host, the webview and its comlink endpoint, and the
 * panel component.
 */
import * as Comlink from 'comlink';
import { render } from 'preact';
import { localStore, Panel, panelEngine } from '../../panel/index.js';
import type { DiffusionApi } from '../../worker/api.js';
import { createPanelEndpoint, installMessageChannelPolyfill, type WebviewElementLike } from './bridge.js';
import { loadHostModules } from './modules.js';
import { withPackFallback } from './pack-fallback.js';
import { readPluginPack } from './pack-files.js';
import { PhotoshopHost } from './photoshop-host.js';
import { PLUGIN_BASE } from './webview-pack.js';

/** Written by scripts/build-uxp.mjs: the pack bundled in the plugin. */
declare const __UXP_PACK__: { path: string; label: string; testModel: boolean };


function createWebview(parent: HTMLElement): WebviewElementLike {
  const webview = document.createElement('webview');
  webview.id = 'engine-webview';
  webview.setAttribute('src', `${PLUGIN_BASE}webview.html`);
  webview.setAttribute('uxpAllowInspector', 'true');
  webview.setAttribute('width', '100%');
  webview.setAttribute('height', '24px');
  parent.appendChild(webview);
  return webview as unknown as WebviewElementLike;
}

function main(root: HTMLElement, engineSlot: HTMLElement): void {
  // comlink makes a MessageChannel for each progress callback; UXP may not have one
  installMessageChannelPolyfill();
  const modules = loadHostModules();
  const storage = localStore();
  // the records of the layers it adds outlast the session, in the panel's storage
  const host = new PhotoshopHost(modules, { store: storage });
  const bridge = createPanelEndpoint(createWebview(engineSlot), window as never);
  const engine = withPackFallback(panelEngine(Comlink.wrap<DiffusionApi>(bridge)), PLUGIN_BASE, (folder) => readPluginPack(modules.uxp, folder));

  render(
    <Panel
      host={host}
      engine={engine}
      storage={storage}
      defaultPack={{ url: PLUGIN_BASE + __UXP_PACK__.path, label: __UXP_PACK__.label, testModel: __UXP_PACK__.testModel }}
      loadOptions={{ device: 'auto', wasmPaths: `${PLUGIN_BASE}ort/` }}
      baseUrl={PLUGIN_BASE}
    />,
    root,
  );
}

const root = document.getElementById('app');
const slot = document.getElementById('engine');
if (root && slot) {
  try {
    main(root, slot);
  } catch (e) {
    root.textContent = `Diffusion Layers could not start: ${e instanceof Error ? e.message : String(e)}`;
  }
}
