import { useRef, useState } from 'preact/hooks';
import type { WebDocument } from '../../document.js';
import { TOOLS, type Tool } from '../tools.js';
import { MAX_MODIFY_RADIUS } from '../../selection-modify.js';
import css from './Toolbar.module.css';

export type SelectionModify = 'expand' | 'contract' | 'feather';

export interface ToolbarProps {
  doc: WebDocument | null;
  tool: Tool;
  brushSize: number;
  onTool: (t: Tool) => void;
  onBrushSize: (n: number) => void;
  onOpen: (f: File) => void;
  onPlace: (f: File) => void;
  onNew: (w: number, h: number) => void;
  onDownload: () => void;
  /** the document with its layers, as OpenRaster */
  onSaveLayers: () => void;
  /** Free Transform of the active layer */
  onTransform: () => void;
  onSelectAll: () => void;
  onDeselect: () => void;
  /** Image > Crop to the selection's bounds */
  onCrop: () => void;
  /** Select > Inverse */
  onInvert: () => void;
  /** Select > Modify: Expand, Contract or Feather by `radius` pixels */
  onModify: (how: SelectionModify, radius: number) => void;
}

export function Toolbar(p: ToolbarProps) {
  const openRef = useRef<HTMLInputElement>(null);
  const placeRef = useRef<HTMLInputElement>(null);
  const [size, setSize] = useState({ w: 512, h: 512 });
  const [modifyRadius, setModifyRadius] = useState(4);
  const d = p.doc;
  const pick = (fn: (f: File) => void) => (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const f = input.files?.[0];
    if (f) fn(f);
    input.value = '';
  };
  return (
    <div class={css.bar}>
      <div class={css.group}>
        <button type="button" onClick={() => openRef.current?.click()} data-action="open">Open…</button>
        <input ref={openRef} type="file" accept="image/*,.ora" hidden onChange={pick(p.onOpen)} data-input="open" />
        <button type="button" disabled={!d} onClick={() => placeRef.current?.click()} data-action="place" title="Add an image file as a new layer">Place…</button>
        <input ref={placeRef} type="file" accept="image/*" hidden onChange={pick(p.onPlace)} data-input="place" />
        <span class={css.newDoc}>
          <input type="number" min={1} max={8192} value={size.w} aria-label="New width" data-field="new-width" onChange={(e) => setSize({ ...size, w: Number(e.currentTarget.value) })} />
          ×
          <input type="number" min={1} max={8192} value={size.h} aria-label="New height" data-field="new-height" onChange={(e) => setSize({ ...size, h: Number(e.currentTarget.value) })} />
          <button type="button" onClick={() => p.onNew(size.w, size.h)} data-action="new">New</button>
        </span>
        <button type="button" disabled={!d} onClick={p.onDownload} data-action="download" title="The visible picture, flattened, with the run that made its top layer">Download PNG</button>
        <button type="button" disabled={!d} onClick={p.onSaveLayers} data-action="save-ora" title="Every layer, as OpenRaster (.ora): opens here, in GIMP, Krita and MyPaint. Layer masks are applied to the layers' pixels.">Save layers (.ora)</button>
      </div>
      <div class={css.group}>
        <button type="button" disabled={!d?.canUndo} title={d?.canUndo ? `Undo ${d.canUndo} (Ctrl+Z)` : 'Nothing to undo'} onClick={() => d?.undo()} data-action="undo">Undo</button>
        <button type="button" disabled={!d?.canRedo} title={d?.canRedo ? `Redo ${d.canRedo} (Ctrl+Shift+Z)` : 'Nothing to redo'} onClick={() => d?.redo()} data-action="redo">Redo</button>
      </div>
      <div class={css.group} role="radiogroup" aria-label="Tool">
        {TOOLS.map((t) => (
          <button type="button" key={t.id} role="radio" aria-checked={p.tool === t.id} class={p.tool === t.id ? css.on : ''} title={t.id === 'move' ? 'Move the active layer (V); the arrow keys nudge it 1 px, 10 with Shift' : `${t.label} selection (${t.key.toUpperCase()}); Shift adds, Alt subtracts`} onClick={() => p.onTool(t.id)} data-tool={t.id}>
            {t.label}
          </button>
        ))}
        {p.tool === 'brush' && (
          <label class={css.brush}>
            size
            <input type="range" min={2} max={200} value={p.brushSize} onInput={(e) => p.onBrushSize(Number(e.currentTarget.value))} />
          </label>
        )}
        <button type="button" disabled={!d?.selection} onClick={p.onCrop} data-action="crop" title="Crop the canvas to the selection's bounds (one undo step; layers keep their pixels beyond it)">Crop</button>
        <button type="button" disabled={!d?.activeLayer} onClick={p.onTransform} data-action="transform" title="Free Transform: scale and move the active layer by its handles (Ctrl+Alt+T; Ctrl+T where the browser passes it on)">Transform</button>
        <button type="button" disabled={!d} onClick={p.onSelectAll} data-action="select-all">All</button>
        <button type="button" disabled={!d?.selection} onClick={p.onDeselect} data-action="deselect">Deselect</button>
        <button type="button" disabled={!d?.selection} onClick={p.onInvert} data-action="invert" title="Select the inverse (Ctrl+Shift+I): e.g. to fill everything around a subject">Invert</button>
        <select
          disabled={!d?.selection} data-field="modify" aria-label="Modify the selection" title="Modify the selection by the pixels beside it: Expand takes in a subject's halo before a fill, Feather softens its edge"
          onChange={(e) => {
            const how = e.currentTarget.value as SelectionModify | '';
            e.currentTarget.value = ''; // a menu, not a setting: back to its title
            if (how) p.onModify(how, modifyRadius);
          }}
        >
          <option value="">Modify…</option>
          <option value="expand">Expand</option>
          <option value="contract">Contract</option>
          <option value="feather">Feather</option>
        </select>
        <input
          type="number" min={1} max={MAX_MODIFY_RADIUS} step={1} value={modifyRadius} class={css.radius} data-field="modify-radius" aria-label="Modify by (pixels)"
          onChange={(e) => setModifyRadius(e.currentTarget.valueAsNumber)}
        />
        px
      </div>
    </div>
  );
}
