import { useCallback, useEffect, useState } from 'preact/hooks';
import { plainMessage } from '../jobs/errors.js';
import type { EngineInfo, PanelEngine } from '../jobs/types.js';
import type { LoadRequest } from '../../worker/api.js';

export type ModelState =
  | { status: 'loading'; url: string }
  | { status: 'ready'; url: string; info: EngineInfo }
  | { status: 'error'; url: string; message: string };

/**
 * Loads the pack at `url` into the engine whenever the URL changes; `refresh` re-reads the
 * engine's info (after a job, the backend may have fallen back).
 */
export function useModel(engine: PanelEngine, url: string, options: Omit<LoadRequest, 'pack'>) {
  const [state, setState] = useState<ModelState>({ status: 'loading', url });
  const optionsKey = JSON.stringify(options);
  useEffect(() => {
    let live = true;
    setState({ status: 'loading', url });
    engine.load({ ...options, pack: url }).then(
      (info) => live && setState({ status: 'ready', url, info }),
      (e) => live && setState({ status: 'error', url, message: plainMessage(e) }),
    );
    return () => {
      live = false;
    };
    // options is compared by value (optionsKey)
  }, [engine, url, optionsKey]);
  const refresh = useCallback(() => {
    engine.info().then(
      (info) => setState((s) => (s.status === 'ready' && s.url === url ? { ...s, info } : s)),
      () => undefined,
    );
  }, [engine, url]);
  return { model: state, refresh };
}
