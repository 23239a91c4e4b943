import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Editor } from '../../editor.js';
import { encodePngAsync } from '../../../../panel/lib/png.js';
import { copiedPixels, layerViaCopy } from '../../copy.js';
import { mergeDown } from '../../merge.js';
import { invertSelection, maskBounds } from '../../selection-tools.js';
import { contractSelection, expandSelection, featherSelection } from '../../selection-modify.js';
import type { WebDocument } from '../../document.js';
import { decodeImageFile, downloadOra, downloadPng, isOraFile, readOraFile } from '../../files.js';
import { CanvasView } from '../CanvasView/CanvasView.js';
import { DocTabs } from '../DocTabs/DocTabs.js';
import { LayerList } from '../LayerList/LayerList.js';
import { Toolbar } from '../Toolbar/Toolbar.js';
import { isTyping, TOOLS, type Tool } from '../tools.js';
import { useEditor } from '../useEditor.js';
import css from './App.module.css';

const ARROWS: Record<string, readonly [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

/** The standalone editor: toolbar, documents, canvas, layers, and the panel (children) at the side. */
export function App({ editor, children }: { editor: Editor; children: ComponentChildren }) {
  const version = useEditor(editor);
  const [tool, setTool] = useState<Tool>('rect');
  const [brushSize, setBrushSize] = useState(40);
  const [problem, setProblem] = useState<string | null>(null);
  // each request (the Transform button, Ctrl+Alt+T) bumps it; CanvasView runs the transform
  const [transformRequest, requestTransform] = useState(0);
  const doc = editor.active;

  const guard = useCallback(async (fn: () => Promise<void> | void) => {
    try {
      setProblem(null);
      await fn();
    } catch (e) {
      setProblem(e instanceof Error ? e.message : String(e));
    }
  }, []);

  const openFile = async (f: File) => {
    if (await isOraFile(f)) {
      const ora = await readOraFile(f);
      editor.openLayers(ora.name, ora.width, ora.height, ora.layers);
      // what the file holds that this editor shows otherwise (blend modes, groups and their opacity)
      if (ora.notes.length) setProblem(`${f.name}: ${ora.notes.join(' ')}`);
      return;
    }
    const img = await decodeImageFile(f);
    editor.newDocument(img.name, img.width, img.height, img.rgba, img.name, img.record);
  };
  const placeFile = async (f: File) => {
    const d = editor.active;
    if (!d) return openFile(f);
    if (await isOraFile(f)) throw new Error(`${f.name} holds a whole layered document: open it with Open… instead.`);
    const img = await decodeImageFile(f);
    const left = Math.floor((d.width - img.width) / 2);
    const top = Math.floor((d.height - img.height) / 2);
    d.addLayer({ name: img.name, rect: { left, top, width: img.width, height: img.height }, rgba: img.rgba, ...(img.record ? { record: img.record } : {}) }, `Place ${img.name}`);
  };
  const open = (f: File) => guard(() => openFile(f));
  const place = (f: File) => guard(() => placeFile(f));

  /**
   * Files dropped on the canvas, as in Photoshop: onto an open document each picture becomes a
   * new layer (Place); with none open, each opens as its own document. A layered .ora always opens.
   */
  const drop = (files: File[]) => guard(async () => {
    const problems: string[] = [];
    const onto = editor.active; // with none open, the first file opened must not take the others
    for (const f of files) {
      try {
        if (onto && !(await isOraFile(f))) await placeFile(f);
        else await openFile(f);
      } catch (e) {
        problems.push(e instanceof Error ? e.message : String(e)); // the other files still come in
      }
    }
    if (problems.length) throw new Error(problems.join(' '));
  });

  /** Copy (Ctrl+C) and Copy Merged (Ctrl+Shift+C): the selected pixels of `d`, as a PNG on the clipboard. */
  const copy = (d: WebDocument, merged: boolean) => guard(async () => {
    const picked = copiedPixels(d, merged);
    if (typeof picked === 'string') throw new Error(picked);
    const png = await encodePngAsync(picked.rgba, picked.width, picked.height);
    try {
      await navigator.clipboard.write([new ClipboardItem({ 'image/png': new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' }) })]);
    } catch (e) {
      throw new Error(`The browser did not let the page write the clipboard (${e instanceof Error ? e.message : String(e)}). Download PNG saves the picture instead.`, { cause: e });
    }
  });

  // Paste (Ctrl+V) of an image from another program: a new layer, as Place; without a document, a new one.
  // Text pastes into the prompt as usual.
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const image = Array.from(e.clipboardData?.files ?? []).find((f) => f.type.startsWith('image/'));
      // text with a picture (copied from a web page) into the prompt is text
      if (!image || (isTyping(e.target) && e.clipboardData?.types.includes('text/plain'))) return;
      e.preventDefault();
      void place(new File([image], 'Pasted image', { type: image.type }));
    };
    window.addEventListener('paste', onPaste);
    return () => window.removeEventListener('paste', onPaste);
  }, [editor]); // place reads the editor when called

  // leaving the page would lose every document: the browser asks first when one has changes
  useEffect(() => {
    const onLeave = (e: BeforeUnloadEvent) => {
      if (!editor.docs.some((d) => d.unsaved)) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onLeave);
    return () => window.removeEventListener('beforeunload', onLeave);
  }, [editor]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const d = editor.active;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const action = !mod
        ? null
        : key === 'i' && e.shiftKey && d
          ? () => d.setSelection(invertSelection(d.selection))
          : key === 'z'
          ? () => (e.shiftKey ? d?.redo() : d?.undo())
          : key === 'y'
            ? () => d?.redo()
            : key === 'd'
              ? () => d?.setSelection(null)
              : key === 'a' && d
                ? () => d.setSelection(new Uint8Array(d.width * d.height).fill(255))
                : key === 'c' && d && !window.getSelection()?.toString()
                  ? () => void copy(d, e.shiftKey)
                  : key === 'j' && d
                    ? () => setProblem(layerViaCopy(d))
                    : key === 'e' && d
                      ? () => setProblem(mergeDown(d))
                      : (key === 't' || e.code === 'KeyT') && d
                        ? () => requestTransform((n) => n + 1) // Ctrl+Alt+T: browsers keep Ctrl+T for a new tab
                        : null;
      const nudge = !mod && !e.altKey && tool === 'move' ? ARROWS[e.key] : undefined;
      if (action) {
        e.preventDefault();
        action();
      } else if (nudge && d?.activeId) {
        // the Move tool's arrow keys, as in Photoshop: 1 px, 10 with Shift; one undo step each
        e.preventDefault();
        const by = e.shiftKey ? 10 : 1;
        d.offsetLayer(d.activeId, nudge[0] * by, nudge[1] * by);
      } else if (!mod && !e.altKey) {
        const t = TOOLS.find((x) => x.key === e.key.toLowerCase());
        if (t) setTool(t.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editor, tool]);

  return (
    <div class={css.app}>
      <Toolbar
        doc={doc}
        tool={tool}
        brushSize={brushSize}
        onTool={setTool}
        onBrushSize={setBrushSize}
        onOpen={open}
        onPlace={place}
        onNew={(w, h) => guard(() => {
          if (!(w >= 1 && h >= 1 && w <= 8192 && h <= 8192 && Number.isInteger(w) && Number.isInteger(h))) throw new Error('A new document needs a whole-number size from 1 to 8192 pixels.');
          editor.newDocument(`Untitled ${editor.docs.length + 1}`, w, h);
        })}
        onDownload={() => doc && guard(async () => {
          await downloadPng(doc);
          doc.markSaved();
        })}
        onSaveLayers={() => doc && guard(async () => {
          await downloadOra(doc);
          doc.markSaved();
        })}
        onTransform={() => requestTransform((n) => n + 1)}
        onSelectAll={() => doc?.setSelection(new Uint8Array(doc.width * doc.height).fill(255))}
        onDeselect={() => doc?.setSelection(null)}
        onInvert={() => doc?.setSelection(invertSelection(doc.selection))}
        onCrop={() => {
          const bounds = doc?.selection && maskBounds(doc.selection, doc.width, doc.height);
          if (doc && bounds) guard(() => doc.crop(bounds));
        }}
        onModify={(how, radius) => doc?.selection && guard(() => {
          const modify = { expand: expandSelection, contract: contractSelection, feather: featherSelection }[how];
          doc.setSelection(modify(doc.selection!, doc.width, doc.height, radius));
          if (!doc.selection) setProblem(`Contracting by ${radius} px left nothing selected.`);
        })}
      />
      {problem && (
        <div class={css.problem} role="alert">
          {problem} <button type="button" onClick={() => setProblem(null)}>×</button>
        </div>
      )}
      <div class={css.main}>
        <div class={css.work}>
          <DocTabs editor={editor} />
          <CanvasView doc={doc} version={version} tool={tool} brushSize={brushSize} onDropFiles={drop} transformRequest={transformRequest} onProblem={setProblem} />
        </div>
        <aside class={css.side}>
          <section class={css.section}>
            <h2 class={css.heading}>Layers</h2>
            <LayerList doc={doc} onProblem={setProblem} />
          </section>
          <section class={css.section}>
            <h2 class={css.heading}>Diffusion Layers</h2>
            {children}
          </section>
        </aside>
      </div>
    </div>
  );
}
