import { useMemo } from 'preact/hooks';
import type { Candidate } from '../jobs/types.js';
import { pngDataUrl } from '../lib/png.js';
import css from './Variations.module.css';

export interface VariationsProps {
  candidates: Candidate[];
  selected: number;
  added: number[];
  applying: boolean;
  addLabel: string;
  onSelect: (i: number) => void;
  onAdd: () => void;
  /** Generate, Fill and Expand: run again from the chosen variation ("More like this"); absent: no button */
  onSimilar?: () => void;
}

/** The thumbnails of a run (best first when scored), the button that adds the chosen one, and "More like this". */
export function Variations(p: VariationsProps) {
  const urls = useMemo(() => p.candidates.map((c) => pngDataUrl(c.rgba, c.width, c.height)), [p.candidates]);
  return (
    <div class={css.box}>
      <div class={css.strip} role="listbox" aria-label="Variations">
        {urls.map((u, i) => (
          <button
            type="button" key={i} role="option" aria-selected={i === p.selected} data-variation={i}
            class={i === p.selected ? `${css.thumb} ${css.selected}` : css.thumb}
            title={p.candidates[i].score !== undefined ? `Score ${p.candidates[i].score!.toFixed(3)}` : `Variation ${i + 1}`}
            onClick={() => p.onSelect(i)}
            onDblClick={p.onAdd}
          >
            <img src={u} alt={`Variation ${i + 1}`} />
            {p.added.includes(i) && <span class={css.badge}>added</span>}
          </button>
        ))}
      </div>
      <div class={css.actions}>
        <button type="button" class={css.add} disabled={p.applying} onClick={p.onAdd} data-action="add-layer">
          {p.applying ? 'Adding…' : p.addLabel}
        </button>
        {p.onSimilar && (
          <button
            type="button" class={css.similar} disabled={p.applying} onClick={p.onSimilar} data-action="similar"
            title="New variations that start from the chosen one and stay close to it (Advanced > Strength; in Fill and Expand, 0.6 unless it is set below 1)."
          >
            More like this
          </button>
        )}
      </div>
    </div>
  );
}
