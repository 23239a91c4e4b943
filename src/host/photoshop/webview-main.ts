/**
 * The page inside the panel's `<webview src="plugin:/webview.html">`. The UXP panel runtime
 * has no Workers and no WebGPU; the webview (WebView2 / WKWebView) has both. This page starts
 * the inference worker and serves its API to the panel over the JSON message bridge.
 */
import * as Comlink from 'comlink';
import type { DiffusionApi, LoadRequest, WireError } from '../../worker/api.js';
import { createWebviewEndpoint, type WebviewWindowLike } from './bridge.js';
import { forwardRemote } from './forward.js';
import { pageLoadRequest } from './webview-pack.js';

function status(text: string): void {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
}

function start(): void {
  let failure: WireError | undefined;
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'diffusion-layers' });
  worker.addEventListener('error', (e) => {
    const detail = e instanceof ErrorEvent && e.message ? e.message : 'the script did not load';
    failure = { name: 'DiffusionError', code: 'BACKEND_UNAVAILABLE', message: `the inference worker failed to start (${detail})` };
    status(`Engine failed: ${failure.message}`);
  });
  const remote = Comlink.wrap<DiffusionApi>(worker);
  const load = async (request: unknown) => remote.load(await pageLoadRequest(request as LoadRequest, location.href, (u) => fetch(u)));
  const api = forwardRemote(remote, { failure: () => failure, overrides: { load } });
  const bridge = createWebviewEndpoint(window as unknown as WebviewWindowLike);
  Comlink.expose(api, bridge);
  status('Engine started; waiting for the panel');
  void bridge.ready.then(() => status(failure ? `Engine failed: ${failure.message}` : 'Engine connected'));
}

try {
  start();
} catch (e) {
  status(`Engine failed: ${e instanceof Error ? e.message : String(e)}`);
}
