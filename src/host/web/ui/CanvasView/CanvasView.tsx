import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { compositeLayers } from '../../composite.js';
import type { Layer, WebDocument } from '../../document.js';
import { toImageData } from '../../files.js';
import { fitZoom, stepZoom, zoomLabel } from '../../zoom.js';
import { brushSegment, combine, ellipseShape, outline, polygonShape, rectShape, type Point, type SelectionOp } from '../../selection-tools.js';
import { applyTransform, dragBox, handleCursor, HANDLES, transformPixels, type Box, type Handle } from '../../transform.js';
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
  /** bumps when Free Transform is asked for (the toolbar's button, Ctrl+Alt+T or Ctrl+T) */
  transformRequest: number;
  /** why a transform cannot start (no layer), for the editor's message line */
  onProblem: (message: string | null) => void;
}

/** Free Transform in progress: the active layer's box as dragged so far. */
interface Transforming {
  /** the layer as it was when the transform began: any other change to it (an undo) ends the transform */
  layer: Layer;
  box: Box;
  drag: { handle: Handle; start: Point; base: Box } | null;
}

/** Ctrl+ these keys zoom (with or without Shift, so Ctrl++ works on any layout): in, out, 100 %, fit. */
const ZOOM_KEYS: Record<string, 'in' | 'out' | 'actual' | 'fit'> = { '=': 'in', '+': 'in', '-': 'out', _: 'out', '1': 'actual', '0': 'fit' };

/** The document's composite, the selection's marching ants, and the pointer input of the Move and selection tools. */
export function CanvasView({ doc, version, tool, brushSize, onDropFiles, transformRequest, onProblem }: CanvasViewProps) {
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

  // Free Transform: the box follows the handles; the pixels are resampled once, when it is applied
  const [transforming, setTransforming] = useState<Transforming | null>(null);
  useEffect(() => {
    if (!transformRequest || !doc) return;
    const l = doc.activeLayer;
    if (!l) return onProblem('Free Transform needs a layer: open or add one first.');
    setTransforming({ layer: l, box: { rect: l.rect, angle: 0 }, drag: null });
  }, [transformRequest]); // a new request starts one, not a new document or layer
  // another document, an undo or a deleted layer ends it unapplied
  const transformedLayer = transforming && doc?.layers.find((l) => l === transforming.layer);
  useEffect(() => {
    if (transforming && !transformedLayer) setTransforming(null);
  }, [transforming, transformedLayer]);
  useEffect(() => setTransforming(null), [doc?.id]);
  // the preview while dragging is the nearest-neighbour scale: fast, and the result is resampled properly
  const transformPreview = useMemo(() => {
    if (!transforming || !transformedLayer) return null;
    return { ...transformedLayer, ...transformPixels(transformedLayer.rgba, transformedLayer.mask, transformedLayer.rect, transforming.box, 'nearest') };
  }, [transforming?.box, transformedLayer]); // the box, not the drag state
  const finishTransform = (apply: boolean) => {
    if (apply && transforming && doc) applyTransform(doc, transforming.layer.id, transforming.box);
    setTransforming(null);
  };
  useEffect(() => {
    if (!transforming) return;
    // in the capture phase, so Enter and Escape reach the transform and not the panel (Escape there cancels a run)
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || (e.key !== 'Enter' && e.key !== 'Escape')) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      finishTransform(e.key === 'Enter');
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  // the composite
  useEffect(() => {
    if (!doc || !canvas.current) return;
    const shown = moving
      ? doc.layers.map((l) => (l.id === moving.id ? { ...l, rect: { ...l.rect, left: l.rect.left + moving.dx, top: l.rect.top + moving.dy } } : l))
      : transformPreview
        ? doc.layers.map((l) => (l.id === transformPreview.id ? transformPreview : l))
        : doc.layers;
    const rgba = compositeLayers(shown, { left: 0, top: 0, width: doc.width, height: doc.height });
    canvas.current.getContext('2d')!.putImageData(toImageData(rgba, doc.width, doc.height), 0, 0);
  }, [doc, version, moving, transformPreview]);

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
  const onTransformDown = (handle: Handle) => (e: PointerEvent) => {
    if (!transforming || e.button !== 0) return;
    e.stopPropagation();
    (e.currentTarget as Element).setPointerCapture(e.pointerId);
    setTransforming({ ...transforming, drag: { handle, start: toDoc(e), base: transforming.box } });
  };
  const onTransformMove = (e: PointerEvent) => {
    const d = transforming?.drag;
    if (!transforming || !d) return;
    setTransforming({ ...transforming, box: dragBox(d.base, d.handle, d.start, toDoc(e), { shift: e.shiftKey, alt: e.altKey }) });
  };
  const onTransformUp = () => transforming && setTransforming({ ...transforming, drag: null });

  const onPointerDown = (e: PointerEvent) => {
    if (!doc || e.button !== 0 || transforming) return;
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
            {transforming && (
              <div
                class={css.transformBox} data-role="transform-box" onPointerDown={onTransformDown('move')} onPointerMove={onTransformMove} onPointerUp={onTransformUp}
                onDblClick={() => finishTransform(true)}
                style={{
                  left: `${transforming.box.rect.left * zoom}px`, top: `${transforming.box.rect.top * zoom}px`,
                  width: `${transforming.box.rect.width * zoom}px`, height: `${transforming.box.rect.height * zoom}px`,
                  transform: `rotate(${transforming.box.angle}deg)`,
                }}
              >
                <span class={css.rotateStem} />
                <span
                  class={css.rotateHandle} style={{ cursor: handleCursor('rotate') }} data-handle="rotate" title="Rotate (Shift: 15° steps)"
                  onPointerDown={onTransformDown('rotate')} onPointerMove={onTransformMove} onPointerUp={onTransformUp}
                />
                {HANDLES.map((h) => (
                  <span
                    key={h} class={`${css.handle} ${css[`handle-${h}`] ?? ''}`} style={{ cursor: handleCursor(h, transforming.box.angle) }} data-handle={h}
                    onPointerDown={onTransformDown(h)} onPointerMove={onTransformMove} onPointerUp={onTransformUp}
                  />
                ))}
              </div>
            )}
          </div>
        ) : (
          <div class={css.empty}>Open an image, drop one here, or create a new document.</div>
        )}
      </div>
      {transforming && transformedLayer && (
        <div class={css.transformBar} data-role="transform-bar">
          Free Transform: {transforming.box.rect.width} × {transforming.box.rect.height} px (W {percent(transforming.box.rect.width, transformedLayer.rect.width)} %, H {percent(transforming.box.rect.height, transformedLayer.rect.height)} %), {Math.round(transforming.box.angle * 10) / 10}°.
          {' '}Corners keep the proportions (Shift frees them), Alt scales about the centre; the round handle rotates.
          <button type="button" onClick={() => finishTransform(true)} data-action="transform-apply" title="Apply (Enter, or double-click the box)">Apply</button>
          <button type="button" onClick={() => finishTransform(false)} data-action="transform-cancel" title="Cancel (Escape)">Cancel</button>
        </div>
      )}
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

const percent = (now: number, was: number) => Math.round((now / was) * 1000) / 10;
