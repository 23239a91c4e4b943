/**
 * The panel's view of the worker: a comlink Remote of DiffusionApi adapted to PanelEngine.
 * Over a MessagePort (a Worker) progress callbacks are comlink proxies; over a JSON-only bridge
 * (the UXP webview) they cannot cross, so progress is polled.
 */
import * as Comlink from 'comlink';
import type { DiffusionApi, ProgressEvent } from '../../worker/api.js';
import type { PanelEngine } from '../jobs/types.js';

export interface EngineClientOptions {
  /** false: poll `progress()` instead of passing callbacks (JSON-only bridges) */
  callbacks?: boolean;
  pollMs?: number;
}

export function panelEngine(remote: Comlink.Remote<DiffusionApi>, o: EngineClientOptions = {}): PanelEngine {
  const callbacks = o.callbacks ?? true;
  const pollMs = o.pollMs ?? 200;

  function withProgress<R, T>(call: (req: R, cb?: (e: ProgressEvent) => void) => Promise<T>) {
    return async (req: R, onProgress?: (e: ProgressEvent) => void): Promise<T> => {
      if (!onProgress) return call(req);
      if (callbacks) return call(req, Comlink.proxy(onProgress));
      let last: ProgressEvent | null = null;
      const timer = setInterval(() => {
        remote.progress().then((e) => {
          if (e && (e.step !== last?.step || e.stage !== last?.stage)) onProgress((last = e));
        }, () => undefined);
      }, pollMs);
      try {
        return await call(req);
      } finally {
        clearInterval(timer);
      }
    };
  }

  return {
    load: (r) => remote.load(r),
    generate: withProgress((r, cb) => remote.generate(r, cb)),
    inpaint: withProgress((r, cb) => remote.inpaint(r, cb)),
    upscale: withProgress((r, cb) => remote.upscale(r, cb)),
    cancel: () => remote.cancel(),
    info: () => remote.info(),
    checkPrompt: (prompt) => remote.checkPrompt(prompt),
    readRecord: (text, source) => remote.readRecord(text, source),
  };
}
