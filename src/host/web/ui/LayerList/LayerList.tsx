import type { WebDocument } from '../../document.js';
import css from './LayerList.module.css';

/** The layers, top first: visibility, order, delete, and which one is active. */
export function LayerList({ doc }: { doc: WebDocument | null }) {
  if (!doc) return <div class={css.empty}>No document</div>;
  const top = [...doc.layers].reverse();
  return (
    <ul class={css.list} aria-label="Layers" data-role="layers">
      {top.map((l, i) => (
        <li key={l.id} class={l.id === doc.activeId ? `${css.row} ${css.active}` : css.row} data-layer={l.id} onClick={() => doc.setActive(l.id)}>
          <input type="checkbox" checked={l.visible} title={l.visible ? 'Hide' : 'Show'} aria-label={`Show ${l.name}`} onClick={(e) => e.stopPropagation()} onChange={(e) => doc.setVisible(l.id, e.currentTarget.checked)} />
          <span class={css.name} title={`${l.name} (${l.rect.width}×${l.rect.height}${l.mask ? ', masked' : ''})`}>
            {l.name}
          </span>
          {l.mask && <span class={css.tag}>mask</span>}
          {l.record && (
            <span class={css.tag} data-tag="record" title={`${l.record.parameters ?? 'Made by Diffusion Layers'}\n\nThe panel's Recall sets these settings again.`}>
              run
            </span>
          )}
          <button type="button" disabled={i === 0} title="Move up" onClick={(e) => (e.stopPropagation(), doc.moveLayer(l.id, 1))}>↑</button>
          <button type="button" disabled={i === top.length - 1} title="Move down" onClick={(e) => (e.stopPropagation(), doc.moveLayer(l.id, -1))}>↓</button>
          <button type="button" title="Delete layer" data-action="delete-layer" onClick={(e) => (e.stopPropagation(), doc.deleteLayer(l.id))}>✕</button>
        </li>
      ))}
    </ul>
  );
}
