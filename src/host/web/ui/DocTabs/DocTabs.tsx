import type { Editor } from '../../editor.js';
import css from './DocTabs.module.css';

export function DocTabs({ editor }: { editor: Editor }) {
  if (editor.docs.length === 0) return null;
  return (
    <div class={css.tabs} role="tablist" aria-label="Documents">
      {editor.docs.map((d) => (
        <div key={d.id} role="tab" aria-selected={d === editor.active} class={d === editor.active ? `${css.tab} ${css.on}` : css.tab} data-doc={d.id}>
          <button type="button" class={css.name} onClick={() => editor.activate(d)}>
            {d.name}{d.unsaved ? ' •' : ''} <span class={css.size}>{d.width}×{d.height}</span>
          </button>
          <button
            type="button" class={css.close} aria-label={`Close ${d.name}`}
            onClick={() => (!d.unsaved || window.confirm(`"${d.name}" has changes that are not saved. Close it anyway?`)) && editor.close(d)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
