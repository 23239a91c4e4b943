import { useState } from 'preact/hooks';
import { checkPackUrl } from '../lib/pack-url.js';
import css from './ModelSource.module.css';

export interface ModelSourceProps {
  /** null: the bundled default */
  packUrl: string | null;
  defaultLabel: string;
  baseUrl?: string;
  disabled?: boolean;
  onChange: (url: string | null) => void;
}

/** Choose the bundled pack or load another one from a URL (checked before it is tried). */
export function ModelSource(p: ModelSourceProps) {
  const [text, setText] = useState(p.packUrl ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const load = () => {
    const c = checkPackUrl(text, p.baseUrl);
    if (!c.ok) return setProblem(c.message);
    setProblem(null);
    setText(c.url);
    p.onChange(c.url);
  };
  return (
    <details class={css.box}>
      <summary class={css.summary}>Model: {p.packUrl ? 'custom pack' : p.defaultLabel}</summary>
      <div class={css.body}>
        <label class={css.radio}>
          <input type="radio" name="dl-pack" checked={p.packUrl === null} disabled={p.disabled} onChange={() => p.onChange(null)} />
          Bundled: {p.defaultLabel}
        </label>
        <div class={css.url}>
          <input
            type="url" placeholder="https://…/my-pack/" value={text} disabled={p.disabled} data-field="packUrl"
            onInput={(e) => setText(e.currentTarget.value)}
            onKeyDown={(e) => e.key === 'Enter' && load()}
          />
          <button type="button" disabled={p.disabled} onClick={load} data-action="load-pack">Load</button>
        </div>
        {problem && <div class={css.problem} role="alert">{problem}</div>}
      </div>
    </details>
  );
}
