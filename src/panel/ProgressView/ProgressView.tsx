import { useMemo } from 'preact/hooks';
import type { Mode, ProgressEvent } from '../jobs/types.js';
import { pngDataUrl } from '../lib/png.js';
import { summarize } from './progress.js';
import css from './ProgressView.module.css';

export interface ProgressViewProps {
  mode: Mode;
  progress: ProgressEvent | null;
  preview: ProgressEvent['preview'] | null;
  onCancel: () => void;
}

export function ProgressView({ mode, progress, preview, onCancel }: ProgressViewProps) {
  const s = summarize(mode, progress);
  const src = useMemo(() => (preview ? pngDataUrl(preview.rgba, preview.width, preview.height) : null), [preview]);
  return (
    <div class={css.box} data-state="running">
      <div class={css.top}>
        {src ? <img class={css.preview} src={src} alt="Live preview" data-role="preview" /> : <div class={css.preview} />}
        <div class={css.text}>
          <div data-role="progress-label">{s.label}</div>
          <div class={css.eta}>{s.eta}</div>
        </div>
      </div>
      <div class={css.bar} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(s.fraction * 100)}>
        <div class={css.fill} style={{ width: `${(s.fraction * 100).toFixed(1)}%` }} />
      </div>
      <button type="button" class={css.cancel} onClick={onCancel} data-action="cancel">
        Cancel (Esc)
      </button>
    </div>
  );
}
