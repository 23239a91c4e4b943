import { useEffect, useState } from 'preact/hooks';
import type { PanelEngine, PromptCheck } from '../jobs/types.js';

/** How long typing must pause before the prompt is checked (one worker round trip). */
export const CHECK_DELAY_MS = 150;

/**
 * What the loaded pack makes of `text` (token count, words it has not learnt, subjects to
 * suggest), re-checked
 * after each pause in typing and whenever `packKey` (the loaded pack) changes. null while
 * there is nothing to show: no pack (`packKey` null), an empty text, or a failed check (the
 * job itself reports the same as warnings).
 */
export function usePromptCheck(engine: PanelEngine, text: string, packKey: string | null): PromptCheck | null {
  const [check, setCheck] = useState<PromptCheck | null>(null);
  useEffect(() => {
    if (packKey === null || text.trim() === '') {
      setCheck(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      engine.checkPrompt(text).then(
        (c) => live && setCheck(c),
        () => live && setCheck(null),
      );
    }, CHECK_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [engine, text, packKey]);
  return check;
}
