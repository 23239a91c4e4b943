import { useState } from 'preact/hooks';
import type { EngineInfo } from '../../inference/pipeline.js';
import { checkPackUrl } from '../lib/pack-url.js';
import css from './ModelSource.module.css';

export interface ModelSourceProps {
  /** null: the bundled default */
  packUrl: string | null;
  defaultLabel: string;
  baseUrl?: string;
  disabled?: boolean;
  /** the loaded pack's description, licence and the credits its data's licences require (CC-BY) */
  about?: Pick<NonNullable<EngineInfo['pack']>, 'description' | 'license' | 'attribution'>;
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
        {p.about && (
          <div class={css.about} data-role="model-about">
            {p.about.description && <p>{p.about.description}</p>}
            {p.about.license && <p>Model licence: {p.about.license}</p>}
            {p.about.attribution.length > 0 && (
              <ul class={css.credits}>
                {p.about.attribution.map((a) => (
                  <li key={a.source}>
                    {a.source} ({a.license}){a.notice ? `: ${a.notice}` : ''}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </details>
  );
}
