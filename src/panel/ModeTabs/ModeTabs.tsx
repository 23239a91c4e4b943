import type { Mode } from '../jobs/types.js';
import css from './ModeTabs.module.css';

const LABELS: Record<Mode, string> = { generate: 'Generate', fill: 'Fill', expand: 'Expand', upscale: 'Upscale' };
const TITLES: Record<Mode, string> = {
  generate: 'A new layer from the prompt, in the selection or the middle of the document',
  fill: 'Repaint the selection from the prompt',
  expand: 'Grow the canvas and draw what lies beyond the picture',
  upscale: 'Enlarge a layer or the image with the diffusion upsampler',
};

export function ModeTabs(props: { mode: Mode; disabled?: boolean; onChange: (m: Mode) => void }) {
  return (
    <div class={css.tabs} role="tablist" aria-label="Mode">
      {(Object.keys(LABELS) as Mode[]).map((m) => (
        <button
          type="button"
          role="tab"
          key={m}
          data-mode={m}
          title={TITLES[m]}
          aria-selected={props.mode === m}
          class={props.mode === m ? `${css.tab} ${css.active}` : css.tab}
          disabled={props.disabled}
          onClick={() => props.onChange(m)}
        >
          {LABELS[m]}
        </button>
      ))}
    </div>
  );
}
