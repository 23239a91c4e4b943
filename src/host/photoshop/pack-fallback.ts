/**
 * The panel asks the engine to load packs by URL (the worker in the webview fetches them).
 * Whether a webview may fetch `plugin:/` files is up to the host's web engine, so a failed
 * load of a pack inside the plugin is retried once with the pack's bytes, read by the panel
 * with UXP's storage API and sent over the bridge.
 */
import type { LoadRequest } from '../../worker/api.js';
import type { PackFiles } from './pack-files.js';

export interface Loader<I> {
  load(request: LoadRequest): Promise<I>;
}

export function withPackFallback<I, E extends Loader<I>>(engine: E, pluginBase: string, readPack: (relativeFolder: string) => Promise<PackFiles>): E {
  return {
    ...engine,
    async load(request: LoadRequest): Promise<I> {
      try {
        return await engine.load(request);
      } catch (e) {
        const url = request.pack;
        if (typeof url !== 'string' || !url.startsWith(pluginBase)) throw e;
        const files = await readPack(url.slice(pluginBase.length));
        return engine.load({ ...request, pack: files });
      }
    },
  };
}
