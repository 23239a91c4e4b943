import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { compositeLayers } from '../../composite.js';
import type { WebDocument } from '../../document.js';
import { toImageData } from '../../files.js';
import { fitZoom, stepZoom, zoomLabel } from '../../zoom.js';
import { brushSegment, combine, ellipseShape, outline, polygonShape, rectShape, type Point, type SelectionOp } from '../../selection-tools.js';
import { isTyping, type Tool } from '../tools.js';
import css from './CanvasView.module.css';

export interface CanvasViewProps {
  doc: WebDocument | null;
  /** bumps on every change of the document */
  version: number;
  tool: Tool;
  brushSize: number;
  /** files dropped on the canvas, in order */
  onDropFiles: (files: File[]) => void;
}

/** Ctrl+ these keys zoom (with or without Shift, so Ctrl++ works on any layout): in, out, 100 %, fit. */
const ZOOM_KEYS: Record<string, 'in' | 'out' | 'actual' | 'fit'> = { '=': 'in', '+': 'in', '-': 'out', _: 'out', '1': 'actual', '0': 'fit' };

/** The document's composite, the selection's marching ants, and the pointer input of the Move and selection tools. */
export function CanvasView({ doc, version, tool, brushSize, onDropFiles }: CanvasViewProps) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const [boxSize, setBoxSize] = useState({ w: 800, h: 600 });
  const [dragOver, setDragOver] = useState(false);

  useLayoutEffect(() => {
    const el = box.current!;
    const ro = new ResizeObserver(() => setBoxSize({ w: el.clientWidth, h: el.clientHeight }));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // the Move tool's drag: the layer is shown where it would go and moved once, on release
  const [moving, setMoving] = useState<{ id: string; start: Point; dx: number; dy: number } | null>(null);

  // the composite
  useEffect(() => {
    if (!doc || !canvas.current) return;
    const shown = moving ? doc.layers.map((l) => (l.id === moving.id ? { ...l, rect: { ...l.rect, left: l.rect.left + moving.dx, top: l.rect.top + moving.dy } } : l)) : doc.layers;
    const rgba = compositeLayers(shown, { left: 0, top: 0, width: doc.width, height: doc.height });
    canvas.current.getContext('2d')!.putImageData(toImageData(rgba, doc.width, doc.height), 0, 0);
  }, [doc, version, moving]);

  // the selection: a light tint and marching ants along its outline
  const selection = doc?.selection ?? null;
  useEffect(() => {
    const c = overlay.current;
    if (!doc || !c) return;
    const ctx = c.getContext('2d')!;
    ctx.clearRect(0, 0, doc.width, doc.height);
    if (!selection) return;
    const img = ctx.createImageData(doc.width, doc.height);
    const px = img.data;
    for (let i = 0; i < selection.length; i++) {
      if (selection[i]) {
        px[4 * i] = 61;
        px[4 * i + 1] = 142;
        px[4 * i + 2] = 230;
        px[4 * i + 3] = Math.round(selection[i] * 0.22);
      }
    }
    const edge = outline(selection, doc.width, doc.height);
    let phase = 0;
    const draw = () => {
      for (const i of edge) {
        const x = i % doc.width;
        const y = (i - x) / doc.width;
        const v = ((x + y + phase) >> 2) & 1 ? 255 : 0;
        px[4 * i] = px[4 * i + 1] = px[4 * i + 2] = v;
        px[4 * i + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
      phase = (phase + 1) % 8;
    };
    draw();
    const timer = setInterval(draw, 150);
    return () => clearInterval(timer);
  }, [doc, selection]);

  // the zoom chosen (Ctrl+= and Ctrl+-, Ctrl+wheel), or null to fit the document in the view; each document opens fitted
  const [chosenZoom, onZoom] = useState<number | null>(null);
  useEffect(() => onZoom(null), [doc?.id]);
  const fit = doc ? fitZoom(doc, { width: boxSize.w, height: boxSize.h }) : 1;
  const zoom = chosenZoom ?? fit;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = doc && (e.ctrlKey || e.metaKey) && !e.altKey && !isTyping(e.target) ? ZOOM_KEYS[e.key] : undefined;
      if (!doc || !action) return;
      e.preventDefault(); // the browser's own page zoom
      // from the latest choice: two presses may come before the next render
      onZoom((z) => (action === 'fit' ? null : action === 'actual' ? 1 : stepZoom(z ?? fit, action === 'in', doc)));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [doc, fit]);

  // Ctrl+wheel zooms about the pointer: the document point under it stays under it
  const anchor = useRef<{ x: number; y: number; clientX: number; clientY: number } | null>(null);
  const onWheel = (e: WheelEvent) => {
    if (!doc || !(e.ctrlKey || e.metaKey) || !canvas.current) return;
    e.preventDefault();
    const r = canvas.current.getBoundingClientRect();
    anchor.current = { x: (e.clientX - r.left) / zoom, y: (e.clientY - r.top) / zoom, clientX: e.clientX, clientY: e.clientY };
    onZoom((z) => stepZoom(z ?? fit, e.deltaY < 0, doc));
  };
  useLayoutEffect(() => {
    const a = anchor.current;
    anchor.current = null;
    if (!a || !canvas.current || !box.current) return;
    const r = canvas.current.getBoundingClientRect();
    box.current.scrollLeft += r.left + a.x * zoom - a.clientX;
    box.current.scrollTop += r.top + a.y * zoom - a.clientY;
  }, [zoom]);

  // pointer input of the selection tools
  const drag = useRef<{ op: SelectionOp; base: Uint8Array | null; start: Point; points: Point[]; stroke?: Uint8Array; moved: boolean } | null>(null);
  const toDoc = (e: PointerEvent): Point => {
    const r = overlay.current!.getBoundingClientRect();
    return { x: ((e.clientX - r.left) / r.width) * doc!.width, y: ((e.clientY - r.top) / r.height) * doc!.height };
  };
  const shapeFor = (d: NonNullable<typeof drag.current>, p: Point): Uint8Array => {
    const { width: w, height: h } = doc!;
    if (tool === 'rect') return rectShape(w, h, d.start, p);
    if (tool === 'ellipse') return ellipseShape(w, h, d.start, p);
    if (tool === 'lasso') return polygonShape(w, h, d.points);
    brushSegment(d.stroke!, w, h, d.points.at(-2) ?? p, p, brushSize / 2);
    return d.stroke!;
  };
  const onPointerDown = (e: PointerEvent) => {
    if (!doc || e.button !== 0) return;
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    const p = toDoc(e);
    if (tool === 'move') {
      if (doc.activeId) setMoving({ id: doc.activeId, start: p, dx: 0, dy: 0 });
      return;
    }
    const op: SelectionOp = e.altKey ? 'subtract' : e.shiftKey ? 'add' : 'replace';
    drag.current = { op, base: doc.selection, start: p, points: [p], moved: false, ...(tool === 'brush' ? { stroke: new Uint8Array(doc.width * doc.height) } : {}) };
    if (tool === 'brush') doc.setSelection(combine(doc.selection, shapeFor(drag.current, p), op));
  };
  const movedBy = (m: NonNullable<typeof moving>, e: PointerEvent) => {
    const p = toDoc(e);
    return { ...m, dx: Math.round(p.x - m.start.x), dy: Math.round(p.y - m.start.y) };
  };
  const onPointerMove = (e: PointerEvent) => {
    if (moving) return setMoving(movedBy(moving, e));
    const d = drag.current;
    if (!d || !doc) return;
    const p = toDoc(e);
    d.points.push(p);
    d.moved = true;
    doc.setSelection(combine(d.base, shapeFor(d, p), d.op));
  };
  const onPointerUp = (e: PointerEvent) => {
    if (moving) {
      const m = movedBy(moving, e);
      setMoving(null);
      doc?.offsetLayer(m.id, m.dx, m.dy);
      return;
    }
    const d = drag.current;
    drag.current = null;
    if (!d || !doc) return;
    if (!d.moved && tool !== 'brush') {
      if (d.op === 'replace') doc.setSelection(null); // a click deselects
      return;
    }
    d.points.push(toDoc(e));
    doc.setSelection(combine(d.base, shapeFor(d, toDoc(e)), d.op));
  };

  return (
    <div class={css.view}>
      <div
        ref={box}
        class={dragOver ? `${css.box} ${css.dragOver}` : css.box}
        onDragOver={(e) => (e.preventDefault(), setDragOver(true))}
        onDragLeave={() => setDragOver(false)}
        onWheel={onWheel}
        onDrop={(e) => {
          e.preventDefault();
          setDragOver(false);
          const files = Array.from(e.dataTransfer?.files ?? []);
          if (files.length) onDropFiles(files);
        }}
      >
        {doc ? (
          <div class={css.stage} style={{ width: `${doc.width * zoom}px`, height: `${doc.height * zoom}px` }} data-zoom={zoom}>
            <canvas ref={canvas} key={`c${doc.id}`} class={zoom >= 1 ? `${css.layer} ${css.pixelated}` : css.layer} width={doc.width} height={doc.height} data-role="document-canvas" />
            <canvas
              ref={overlay} key={`o${doc.id}`} class={`${css.layer} ${zoom >= 1 ? css.pixelated : ''} ${tool === 'move' ? css.move : css.tool}`}
              width={doc.width} height={doc.height} data-role="selection-canvas"
              onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp}
            />
          </div>
        ) : (
          <div class={css.empty}>Open an image, drop one here, or create a new document.</div>
        )}
      </div>
      {doc && (
        <button
          type="button" class={css.zoom} data-role="zoom" onClick={() => onZoom(chosenZoom === null ? 1 : null)}
          title="Zoom: Ctrl+= in, Ctrl+- out, Ctrl+1 100 %, Ctrl+0 fit, Ctrl+wheel about the pointer. Click: 100 % / fit"
        >
          {zoomLabel(zoom)}
        </button>
      )}
    </div>
  );
}
