import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Host } from '../../host/host.js';
import { applyCandidate, isCancelled, plainMessage, runJob } from '../jobs/index.js';
import type { JobOutput, JobSettings, Mode, PanelEngine, ProgressEvent } from '../jobs/types.js';

export type JobState =
  | { phase: 'idle' }
  | { phase: 'running'; mode: Mode; startedAt: number; progress: ProgressEvent | null; preview: ProgressEvent['preview'] | null }
  /** `settings`: what the run was asked, for "More like this" */
  | { phase: 'done'; output: JobOutput; settings: JobSettings; selected: number; added: number[] }
  | { phase: 'cancelled' }
  | { phase: 'error'; message: string };

/**
 * One job at a time: run (read host, ask engine), cancel (Esc), choose a variation, add it as
 * a layer. Errors become plain words in the state; nothing is thrown at the UI.
 */
export function useJob(host: Host, engine: PanelEngine, onFinished?: (o: JobOutput | null) => void) {
  const [state, setState] = useState<JobState>({ phase: 'idle' });
  const abort = useRef<AbortController | null>(null);
  const [applying, setApplying] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => () => abort.current?.abort(), []);

  const run = useCallback(
    async (mode: Mode, settings: JobSettings) => {
      if (abort.current) return;
      const ac = new AbortController();
      abort.current = ac;
      setNotice(null);
      setState({ phase: 'running', mode, startedAt: Date.now(), progress: null, preview: null });
      const onProgress = (e: ProgressEvent) => {
        if (ac.signal.aborted) return;
        setState((s) => (s.phase === 'running' ? { ...s, progress: e, preview: e.preview ?? s.preview } : s));
      };
      try {
        const output = await runJob(mode, host, engine, settings, { signal: ac.signal, onProgress });
        setState({ phase: 'done', output, settings, selected: 0, added: [] });
        onFinished?.(output);
      } catch (e) {
        setState(isCancelled(e) ? { phase: 'cancelled' } : { phase: 'error', message: plainMessage(e) });
        onFinished?.(null);
      } finally {
        abort.current = null;
      }
    },
    [host, engine, onFinished],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);

  const select = useCallback((i: number) => setState((s) => (s.phase === 'done' ? { ...s, selected: i } : s)), []);

  const apply = useCallback(async () => {
    if (state.phase !== 'done' || applying) return;
    const { output, selected } = state;
    setApplying(true);
    try {
      const r = await applyCandidate(host, output, selected);
      setState((s) => (s.phase === 'done' && s.output === output ? { ...s, added: [...s.added, selected] } : s));
      setNotice(r.kind === 'newDocument' ? `Opened a new document with "${output.layerName}".` : `Added layer "${output.layerName}".`);
    } catch (e) {
      setNotice(null);
      setState({ phase: 'error', message: plainMessage(e) });
    } finally {
      setApplying(false);
    }
  }, [host, state, applying]);

  const dismiss = useCallback(() => setState({ phase: 'idle' }), []);

  return { state, run, cancel, select, apply, applying, notice, dismiss };
}
