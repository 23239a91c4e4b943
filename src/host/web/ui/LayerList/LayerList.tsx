import { useState } from 'preact/hooks';
import type { Layer, WebDocument } from '../../document.js';
import { mergeDown } from '../../merge.js';
import { combine, layerSelection } from '../../selection-tools.js';
import css from './LayerList.module.css';

/**
 * The layers, top first, as Photoshop's Layers panel has them: the active layer's opacity above
 * the list with Merge down; per layer visibility, name (double-click renames), order, duplicate and delete.
 * Ctrl+click (Cmd on a Mac) selects a layer's pixels: with Shift added to the selection, with Alt taken from it.
 */
export function LayerList({ doc, onProblem }: { doc: WebDocument | null; onProblem: (why: string | null) => void }) {
  const [renaming, setRenaming] = useState<string | null>(null);
  if (!doc) return <div class={css.empty}>No document</div>;
  const top = [...doc.layers].reverse();
  const active = doc.activeLayer;
  return (
    <div>
      {active && (
        <div class={css.bar}>
          <OpacityField doc={doc} layer={active} />
          <button type="button" title="Merge the active layer into the one below (Ctrl+E)" data-action="merge-down" disabled={doc.layers[0]?.id === active.id} onClick={() => onProblem(mergeDown(doc))}>
            Merge down
          </button>
        </div>
      )}
      <ul class={css.list} aria-label="Layers" data-role="layers">
        {top.map((l, i) => (
          <li
            key={l.id} class={l.id === doc.activeId ? `${css.row} ${css.active}` : css.row} data-layer={l.id}
            onClick={(e) => {
              if (!(e.ctrlKey || e.metaKey)) return doc.setActive(l.id);
              const op = e.altKey ? 'subtract' : e.shiftKey ? 'add' : 'replace';
              doc.setSelection(combine(doc.selection, layerSelection(l, doc.width, doc.height), op));
              if (!doc.selection && op === 'replace') onProblem(`${l.name} has no pixels on the canvas to select.`);
            }}
          >
            <input type="checkbox" checked={l.visible} title={l.visible ? 'Hide' : 'Show'} aria-label={`Show ${l.name}`} onClick={(e) => e.stopPropagation()} onChange={(e) => doc.setVisible(l.id, e.currentTarget.checked)} />
            {renaming === l.id ? (
              <NameField layer={l} onDone={(name) => (name !== null && doc.renameLayer(l.id, name), setRenaming(null))} />
            ) : (
              <span class={css.name} title={`${l.name} (${l.rect.width}×${l.rect.height}${l.mask ? ', masked' : ''}${l.opacity !== undefined ? `, ${Math.round(l.opacity * 100)} %` : ''}); double-click to rename, Ctrl+click to select its pixels`} onDblClick={(e) => (e.stopPropagation(), setRenaming(l.id))}>
                {l.name}
              </span>
            )}
            {l.opacity !== undefined && <span class={css.tag} data-tag="opacity">{Math.round(l.opacity * 100)} %</span>}
            {l.mask && <span class={css.tag}>mask</span>}
            {l.record && (
              <span class={css.tag} data-tag="record" title={`${l.record.parameters ?? 'Made by Diffusion Layers'}\n\nThe panel's Recall sets these settings again.`}>
                run
              </span>
            )}
            <button type="button" disabled={i === 0} title="Move up" onClick={(e) => (e.stopPropagation(), doc.moveLayer(l.id, 1))}>↑</button>
            <button type="button" disabled={i === top.length - 1} title="Move down" onClick={(e) => (e.stopPropagation(), doc.moveLayer(l.id, -1))}>↓</button>
            <button type="button" title="Duplicate layer (Ctrl+J)" data-action="duplicate-layer" onClick={(e) => (e.stopPropagation(), doc.duplicateLayer(l.id))}>+</button>
            <button type="button" title="Delete layer" data-action="delete-layer" onClick={(e) => (e.stopPropagation(), doc.deleteLayer(l.id))}>✕</button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The name being edited: Enter or leaving the field keeps it, Escape drops it (null). */
function NameField({ layer, onDone }: { layer: Layer; onDone: (name: string | null) => void }) {
  let done = false;
  const finish = (name: string | null) => {
    if (done) return; // Enter, then the blur that removing the field causes
    done = true;
    onDone(name);
  };
  return (
    <input
      class={css.rename}
      aria-label={`Name of ${layer.name}`}
      defaultValue={layer.name}
      ref={(el) => {
        if (el && document.activeElement !== el) {
          el.focus();
          el.select();
        }
      }}
      onClick={(e) => e.stopPropagation()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') finish(e.currentTarget.value);
        else if (e.key === 'Escape') finish(null);
      }}
      onBlur={(e) => finish(e.currentTarget.value)}
    />
  );
}

/**
 * The active layer's opacity in per cent, as at the top of Photoshop's Layers panel: the slider
 * and the field each change it once they are let go of (one undo step), not at every pixel of a drag.
 */
function OpacityField({ doc, layer }: { doc: WebDocument; layer: Layer }) {
  const percent = Math.round((layer.opacity ?? 1) * 100);
  const set = (value: number) => {
    if (Number.isFinite(value)) doc.setOpacity(layer.id, Math.min(100, Math.max(0, Math.round(value))) / 100);
  };
  return (
    <label class={css.opacity} title="Opacity of the active layer (its pixels are not changed)">
      Opacity
      <input type="range" min={0} max={100} step={1} value={percent} aria-label="Opacity slider" onChange={(e) => set(e.currentTarget.valueAsNumber)} />
      <input type="number" min={0} max={100} step={1} value={percent} data-role="opacity" onChange={(e) => set(e.currentTarget.valueAsNumber)} />%
    </label>
  );
}
