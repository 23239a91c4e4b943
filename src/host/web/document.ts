/**
 * The web editor's document: a stack of RGBA layers (bottom first), a document-sized 8-bit
 * selection mask, and undo/redo of layer changes (each addition, deletion, duplication, move, transform,
 * reordering, renaming, merge, opacity or visibility change is one step, and so is a crop or a canvas expansion with
 * the layer that fills it). Layers are
 * immutable values, so a history step is a list of references and the canvas size.
 */
import type { RecordText, Rect, Sides } from '../host.js';

export interface Layer {
  readonly id: string;
  readonly name: string;
  readonly rect: Rect;
  /** rect.width * rect.height * 4, straight alpha */
  readonly rgba: Uint8Array;
  /** rect-sized, 255 = visible */
  readonly mask?: Uint8Array;
  readonly visible: boolean;
  /** the layer's opacity, 0-1, applied when it is composited (its pixels keep full alpha); absent: 1 */
  readonly opacity?: number;
  /** what made it: a layer the panel added, or a PNG opened with its record */
  readonly record?: RecordText;
}

interface Snapshot {
  layers: readonly Layer[];
  activeId: string | null;
  width: number;
  height: number;
}

interface Step {
  name: string;
  before: Snapshot;
  after: Snapshot;
}

let nextId = 1;
const newId = (prefix: string) => `${prefix}${nextId++}`;

export class WebDocument {
  readonly id = newId('doc');
  layers: readonly Layer[] = [];
  activeId: string | null = null;
  /** width * height, 255 = selected; null: no selection */
  selection: Uint8Array | null = null;
  private undoStack: Step[] = [];
  private redoStack: Step[] = [];
  /** the stack when it was opened or last saved (layers are immutable, so identity tells a change) */
  private saved: { layers: readonly Layer[]; width: number; height: number } | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    public name: string,
    public width: number,
    public height: number,
  ) {}

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private changed(): void {
    for (const fn of this.listeners) fn();
  }

  get activeLayer(): Layer | null {
    return this.layers.find((l) => l.id === this.activeId) ?? null;
  }

  /** The record of the topmost visible layer that has one: what made the picture's latest change (saved with it). */
  get visibleRecord(): RecordText | null {
    for (let i = this.layers.length - 1; i >= 0; i--) if (this.layers[i]!.visible && this.layers[i]!.record) return this.layers[i]!.record!;
    return null;
  }

  get canUndo(): string | null {
    return this.undoStack.at(-1)?.name ?? null;
  }

  get canRedo(): string | null {
    return this.redoStack.at(-1)?.name ?? null;
  }

  /** Applies a change of the layer stack (and of the canvas size) as one undo step. */
  private commit(name: string, layers: readonly Layer[], activeId: string | null, size = { width: this.width, height: this.height }): void {
    const before = { layers: this.layers, activeId: this.activeId, width: this.width, height: this.height };
    const after = { layers, activeId, ...size };
    this.undoStack.push({ name, before, after });
    this.redoStack = [];
    this.restore(after);
  }

  /**
   * Enlarges the canvas by `by` and adds `l` (in the enlarged coordinates) above the active
   * layer, as one undo step. The other layers move with the picture (their pixels are the same
   * objects); the selection is dropped, as it was drawn on the old canvas.
   */
  expandWithLayer(by: Sides, l: Omit<Layer, 'id' | 'visible'>, historyName: string): string {
    const moved = this.layers.map((x) => ({ ...x, rect: { ...x.rect, left: x.rect.left + by.left, top: x.rect.top + by.top } }));
    const layer: Layer = { visible: true, ...l, id: newId('layer') };
    const size = { width: this.width + by.left + by.right, height: this.height + by.top + by.bottom };
    this.commit(historyName, this.aboveActive(moved, layer), layer.id, size);
    return layer.id;
  }

  /**
   * Image > Crop: the canvas becomes `to` (in canvas pixels, inside the canvas), as one undo
   * step. Layers move with the picture and keep their pixels outside the new canvas (they are
   * hidden, not deleted, so a later Expand or undo shows them again); the selection is dropped.
   */
  crop(to: Rect): void {
    const inside = to.left >= 0 && to.top >= 0 && to.width >= 1 && to.height >= 1 && to.left + to.width <= this.width && to.top + to.height <= this.height;
    if (!inside || ![to.left, to.top, to.width, to.height].every(Number.isInteger)) {
      throw new RangeError(`a crop must be a whole-pixel rectangle inside the ${this.width}x${this.height} canvas`);
    }
    if (to.width === this.width && to.height === this.height) return;
    const moved = this.layers.map((x) => ({ ...x, rect: { ...x.rect, left: x.rect.left - to.left, top: x.rect.top - to.top } }));
    this.commit('Crop', moved, this.activeId, { width: to.width, height: to.height });
  }

  /** Adds a layer above the active one (or on top); one undo step. Returns its id. */
  addLayer(l: Omit<Layer, 'id' | 'visible'> & { visible?: boolean }, historyName = `Add ${l.name}`): string {
    const layer: Layer = { visible: true, ...l, id: newId('layer') };
    this.commit(historyName, this.aboveActive(this.layers, layer), layer.id);
    return layer.id;
  }

  /** `layers` (the stack's layers, maybe moved) with `layer` put above the active one, or on top. */
  private aboveActive(layers: readonly Layer[], layer: Layer): Layer[] {
    const at = this.activeId ? layers.findIndex((x) => x.id === this.activeId) + 1 : layers.length;
    return [...layers.slice(0, at), layer, ...layers.slice(at)];
  }

  deleteLayer(id: string): void {
    const i = this.layers.findIndex((l) => l.id === id);
    if (i < 0) return;
    const layers = this.layers.filter((l) => l.id !== id);
    const activeId = this.activeId === id ? (layers[Math.min(i, layers.length - 1)]?.id ?? null) : this.activeId;
    this.commit(`Delete ${this.layers[i].name}`, layers, activeId);
  }

  setVisible(id: string, visible: boolean): void {
    const l = this.layers.find((x) => x.id === id);
    if (!l || l.visible === visible) return;
    this.commit(`${visible ? 'Show' : 'Hide'} ${l.name}`, this.layers.map((x) => (x.id === id ? { ...x, visible } : x)), this.activeId);
  }

  /** Photoshop's layer opacity (0-1), one undo step ("Opacity Change"); the pixels are not touched. */
  setOpacity(id: string, opacity: number): void {
    if (!(opacity >= 0 && opacity <= 1)) throw new RangeError(`a layer's opacity is 0-100 %, not ${opacity * 100} %`);
    const l = this.layers.find((x) => x.id === id);
    if (!l || (l.opacity ?? 1) === opacity) return;
    const changed: Layer = { ...l, opacity };
    if (opacity === 1) delete (changed as { opacity?: number }).opacity; // an opaque layer stays as it was stored
    this.commit('Opacity Change', this.layers.map((x) => (x.id === id ? changed : x)), this.activeId);
  }

  /** Renames a layer (spaces at the ends dropped; an empty name keeps the old one); one undo step. */
  renameLayer(id: string, name: string): void {
    const l = this.layers.find((x) => x.id === id);
    const clean = name.trim();
    if (!l || !clean || clean === l.name) return;
    this.commit('Rename Layer', this.layers.map((x) => (x.id === id ? { ...x, name: clean } : x)), this.activeId);
  }

  /**
   * Duplicates a layer above itself, as Photoshop's Layer > Duplicate Layer (Ctrl+J without a
   * selection): same pixels, mask, opacity, visibility and record, named "<name> copy" (then
   * "copy 2", ...); the copy becomes active. One undo step. Returns the copy's id.
   */
  duplicateLayer(id: string): string | null {
    const i = this.layers.findIndex((x) => x.id === id);
    if (i < 0) return null;
    const l = this.layers[i]!;
    const names = new Set(this.layers.map((x) => x.name));
    const base = `${l.name.replace(/ copy(?: \d+)?$/, '')} copy`;
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base} ${n}`;
    // layers are immutable values, so the copy can share the pixel arrays
    const copy: Layer = { ...l, name, id: newId('layer') };
    this.commit('Duplicate Layer', [...this.layers.slice(0, i + 1), copy, ...this.layers.slice(i + 1)], copy.id);
    return copy.id;
  }

  /**
   * Replaces the layer `id` and the one below it with `merged` (in the lower one's place, active);
   * one undo step ("Merge Down"). The pixels are the caller's (web/merge.ts composites them).
   */
  replaceWithMerged(id: string, merged: Omit<Layer, 'id' | 'visible'>): string {
    const i = this.layers.findIndex((x) => x.id === id);
    if (i < 1) throw new RangeError('there is no layer below to merge into');
    const layer: Layer = { visible: true, ...merged, id: newId('layer') };
    this.commit('Merge Down', [...this.layers.slice(0, i - 1), layer, ...this.layers.slice(i + 1)], layer.id);
    return layer.id;
  }

  /**
   * Moves a layer's pixels by (dx, dy) whole pixels on the canvas (the Move tool, the arrow keys);
   * one undo step. Its mask moves with it; the selection stays where it is, as in Photoshop.
   */
  offsetLayer(id: string, dx: number, dy: number): void {
    const l = this.layers.find((x) => x.id === id);
    if (!Number.isInteger(dx) || !Number.isInteger(dy)) throw new RangeError(`a layer moves by whole pixels, not ${dx}, ${dy}`);
    if (!l || (dx === 0 && dy === 0)) return;
    const moved = { ...l, rect: { ...l.rect, left: l.rect.left + dx, top: l.rect.top + dy } };
    this.commit(`Move ${l.name}`, this.layers.map((x) => (x.id === id ? moved : x)), this.activeId);
  }

  /**
   * Gives a layer new pixels in a new rectangle (Free Transform: web/transform.ts resamples
   * them); its name, opacity, visibility and record stay. One undo step named `historyName`.
   */
  replacePixels(id: string, change: Pick<Layer, 'rect' | 'rgba' | 'mask'>, historyName: string): void {
    const l = this.layers.find((x) => x.id === id);
    if (!l) return;
    const { width, height } = change.rect;
    if (change.rgba.length !== width * height * 4 || (change.mask && change.mask.length !== width * height)) {
      throw new RangeError(`pixels for a ${width}x${height} layer must be ${width * height * 4} bytes (mask ${width * height})`);
    }
    const changed: Layer = { ...l, rect: change.rect, rgba: change.rgba };
    if (change.mask) (changed as { mask?: Uint8Array }).mask = change.mask;
    else delete (changed as { mask?: Uint8Array }).mask;
    this.commit(historyName, this.layers.map((x) => (x.id === id ? changed : x)), this.activeId);
  }

  /** Moves a layer `delta` places up (+) or down (-) the stack. */
  moveLayer(id: string, delta: number): void {
    const i = this.layers.findIndex((l) => l.id === id);
    const j = Math.min(Math.max(i + delta, 0), this.layers.length - 1);
    if (i < 0 || i === j) return;
    const layers = [...this.layers];
    const [l] = layers.splice(i, 1);
    layers.splice(j, 0, l);
    this.commit(`Reorder ${l.name}`, layers, this.activeId);
  }

  /** Choosing the active layer is not an undo step. */
  setActive(id: string): void {
    if (this.layers.some((l) => l.id === id)) {
      this.activeId = id;
      this.changed();
    }
  }

  setSelection(mask: Uint8Array | null): void {
    if (mask && mask.length !== this.width * this.height) throw new RangeError(`selection must be ${this.width}x${this.height} bytes`);
    this.selection = mask && mask.some((v) => v > 0) ? mask : null;
    this.changed();
  }

  /** Forgets undo and redo (a freshly opened document starts with none). */
  clearHistory(): void {
    this.undoStack = [];
    this.redoStack = [];
    this.changed();
  }

  /** The layers as they are now are kept in a file (or were opened from one). */
  markSaved(): void {
    this.saved = { layers: this.layers, width: this.width, height: this.height };
    this.changed();
  }

  /** Whether closing it would lose changes (undoing back to the saved state counts as none). */
  get unsaved(): boolean {
    const s = this.saved;
    return !s || s.layers !== this.layers || s.width !== this.width || s.height !== this.height;
  }

  undo(): void {
    const s = this.undoStack.pop();
    if (!s) return;
    this.redoStack.push(s);
    this.restore(s.before);
  }

  redo(): void {
    const s = this.redoStack.pop();
    if (!s) return;
    this.undoStack.push(s);
    this.restore(s.after);
  }

  private restore(s: Snapshot): void {
    if (s.width !== this.width || s.height !== this.height) this.selection = null; // drawn on another canvas
    this.layers = s.layers;
    this.activeId = s.activeId;
    this.width = s.width;
    this.height = s.height;
    this.changed();
  }
}
