/** The web editor's state: open documents and which one is active. No DOM. */
import type { RecordText } from '../host.js';
import { WebDocument, type Layer } from './document.js';

export class Editor {
  docs: WebDocument[] = [];
  active: WebDocument | null = null;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | null = null;

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  /** Opens `doc` and makes it active. */
  open(doc: WebDocument): WebDocument {
    this.docs = [...this.docs, doc];
    this.activate(doc);
    return doc;
  }

  activate(doc: WebDocument): void {
    this.unsubscribe?.();
    this.active = doc;
    this.unsubscribe = doc.onChange(() => this.changed());
    this.changed();
  }

  close(doc: WebDocument): void {
    this.docs = this.docs.filter((d) => d !== doc);
    if (this.active === doc) {
      this.unsubscribe?.();
      this.unsubscribe = null;
      this.active = null;
      const next = this.docs.at(-1);
      if (next) return this.activate(next);
    }
    this.changed();
  }

  /** A document of the layers of a file (bottom first), as it was saved: no undo, nothing unsaved. */
  openLayers(name: string, width: number, height: number, layers: ReadonlyArray<Omit<Layer, 'id'>>): WebDocument {
    const doc = new WebDocument(name, width, height);
    for (const l of layers) doc.addLayer(l);
    doc.clearHistory();
    doc.markSaved();
    return this.open(doc);
  }

  /** A new document with one opaque layer of `rgba` (or white), and the record of the picture it came from. */
  newDocument(name: string, width: number, height: number, rgba?: Uint8Array, layerName = 'Background', record?: RecordText): WebDocument {
    const doc = new WebDocument(name, width, height);
    const pixels = rgba ?? new Uint8Array(width * height * 4).fill(255);
    doc.addLayer({ name: layerName, rect: { left: 0, top: 0, width, height }, rgba: pixels, ...(record ? { record } : {}) }, 'New document');
    doc.clearHistory();
    // a file just opened, or a blank page: nothing to lose yet
    doc.markSaved();
    return this.open(doc);
  }
}
