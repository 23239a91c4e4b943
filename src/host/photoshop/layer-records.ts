/**
 * The records of the layers the panel added in Photoshop, kept in the panel's own storage so
 * that Recall still finds them after Photoshop restarts. A layer is known by its document and
 * its id: Photoshop keeps layer ids in the file, and a saved document by its path. An unsaved
 * document has no path, so its records are keyed to this panel session (document ids start
 * again each session) and move to the path once the document has one.
 *
 * Across sessions a record is given back only while the layer keeps the name it was added with:
 * a new file saved over an old one's path has its own layers with the same small ids.
 */
import type { KeyValueStore } from '../../panel/lib/storage.js';
import type { RecordText } from '../host.js';

const KEY = 'layer-records.v1';

interface Kept extends RecordText {
  /** the document: `path:<path>`, or `session:<nonce>:<id>` */
  doc: string;
  layerId: string;
  layer: string;
  /** when it was kept, for dropping the oldest */
  at: number;
  /** the panel session that kept it */
  session: string;
}

/** What the records need to know of a document. */
export interface RecordDocument {
  id: number;
  /** '' while it is not saved */
  path: string;
}

export class LayerRecords {
  private readonly session = Math.random().toString(36).slice(2, 10);
  private clock = 0;

  constructor(
    private readonly store: KeyValueStore,
    /** at most this many records are kept, the newest */
    private readonly max = 200,
  ) {}

  private load(): Kept[] {
    try {
      const v: unknown = JSON.parse(this.store.get(KEY) ?? '[]');
      return Array.isArray(v) ? v.filter((k): k is Kept => typeof k === 'object' && k !== null && typeof k.doc === 'string' && typeof k.layerId === 'string') : [];
    } catch {
      return [];
    }
  }

  private save(all: Kept[]): void {
    this.store.set(KEY, JSON.stringify(all.sort((a, b) => b.at - a.at).slice(0, this.max)));
  }

  private sessionKey(d: RecordDocument): string {
    return `session:${this.session}:${d.id}`;
  }

  private docKey(d: RecordDocument): string {
    return d.path ? `path:${d.path}` : this.sessionKey(d);
  }

  /** Records made before the document was saved now belong to its path. */
  private adopt(all: Kept[], d: RecordDocument): boolean {
    if (!d.path) return false;
    const from = this.sessionKey(d);
    let moved = false;
    for (const k of all) {
      if (k.doc === from) {
        k.doc = `path:${d.path}`;
        moved = true;
      }
    }
    return moved;
  }

  put(d: RecordDocument, layerId: string, layer: string, record: RecordText): void {
    const all = this.load();
    this.adopt(all, d);
    const doc = this.docKey(d);
    const rest = all.filter((k) => !(k.doc === doc && k.layerId === layerId));
    rest.push({ doc, layerId, layer, ...record, at: Date.now() * 1000 + (this.clock++ % 1000), session: this.session });
    this.save(rest);
  }

  get(d: RecordDocument, layerId: string, layer: string): RecordText | null {
    const all = this.load();
    if (this.adopt(all, d)) this.save(all);
    const doc = this.docKey(d);
    const k = all.find((x) => x.doc === doc && x.layerId === layerId);
    // a record from another session only for the layer it was made for, by its name
    if (!k || (k.session !== this.session && k.layer !== layer)) return null;
    return { ...(k.json !== undefined ? { json: k.json } : {}), ...(k.parameters !== undefined ? { parameters: k.parameters } : {}) };
  }
}
