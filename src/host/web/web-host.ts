/** The Host of the standalone web editor, over its Editor state. */
import { HostError } from '../errors.js';
import { checkExpand } from '../expand-check.js';
import { parametersText, recordText } from '../../inference/run-record.js';
import type { DocumentInfo, Host, LayerRecord, NewLayer, PixelsRGBA, Rect, SelectionInfo, Sides } from '../host.js';
import { intersect } from '../../panel/jobs/pixels.js';
import { compositeLayers, maskedPixels } from './composite.js';
import { WebDocument, type Layer } from './document.js';
import type { Editor } from './editor.js';
import { maskBounds } from './selection-tools.js';

const noDocument = () => new HostError('NO_DOCUMENT', 'No document is open: open an image or create a new document first.');

function checkLayer(l: NewLayer): void {
  const { width, height } = l.rect;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || !Number.isInteger(l.rect.left) || !Number.isInteger(l.rect.top)) {
    throw new HostError('BAD_RECT', `A layer needs a whole-pixel rectangle with a positive size, not ${JSON.stringify(l.rect)}.`);
  }
  if (l.rgba.length !== width * height * 4) throw new HostError('BAD_PIXELS', `The layer's pixels are ${l.rgba.length} bytes; ${width}x${height} RGBA needs ${width * height * 4}.`);
  if (l.mask && l.mask.length !== width * height) throw new HostError('BAD_PIXELS', `The layer mask is ${l.mask.length} bytes; ${width}x${height} needs ${width * height}.`);
}

/** The document keeps its own copy (the caller may reuse its buffers), with the record as a PNG would hold it. */
function ownCopy(l: NewLayer): Omit<Layer, 'id' | 'visible'> {
  const record = l.record ? { json: recordText(l.record), parameters: parametersText(l.record, l.rect) } : undefined;
  return { name: l.name, rect: { ...l.rect }, rgba: l.rgba.slice(), ...(l.mask ? { mask: l.mask.slice() } : {}), ...(record ? { record } : {}) };
}

function cropTo(rgba: Uint8Array, from: Rect, to: Rect): Uint8Array {
  const out = new Uint8Array(to.width * to.height * 4);
  for (let y = 0; y < to.height; y++) {
    const src = ((to.top - from.top + y) * from.width + (to.left - from.left)) * 4;
    out.set(rgba.subarray(src, src + to.width * 4), y * to.width * 4);
  }
  return out;
}

export class WebHost implements Host {
  readonly kind = 'web' as const;

  constructor(private readonly editor: Editor) {}

  private doc() {
    const d = this.editor.active;
    if (!d) throw noDocument();
    return d;
  }

  async activeDocument(): Promise<DocumentInfo | null> {
    const d = this.editor.active;
    return d ? { id: d.id, name: d.name, width: d.width, height: d.height } : null;
  }

  async selection(): Promise<SelectionInfo | null> {
    const d = this.editor.active;
    if (!d?.selection) return null;
    const bounds = maskBounds(d.selection, d.width, d.height);
    if (!bounds) return null;
    const mask = new Uint8Array(bounds.width * bounds.height);
    for (let y = 0; y < bounds.height; y++) {
      const from = (bounds.top + y) * d.width + bounds.left;
      mask.set(d.selection.subarray(from, from + bounds.width), y * bounds.width);
    }
    return { bounds, mask };
  }

  async readPixels(source: 'composite' | 'activeLayer', rect?: Rect): Promise<PixelsRGBA> {
    const d = this.doc();
    const docRect = { left: 0, top: 0, width: d.width, height: d.height };
    if (source === 'composite') {
      const r = intersect(rect ?? docRect, docRect);
      if (!r) throw new HostError('BAD_RECT', `The area ${JSON.stringify(rect)} lies outside the ${d.width}x${d.height} document.`);
      return { rect: r, rgba: compositeLayers(d.layers, r) };
    }
    const l = d.activeLayer;
    if (!l) throw new HostError('NO_LAYER', 'There is no active layer: add or select a layer first.');
    const px = maskedPixels(l);
    if (!rect) return { rect: { ...l.rect }, rgba: px };
    const r = intersect(rect, l.rect);
    if (!r) throw new HostError('BAD_RECT', `The area ${JSON.stringify(rect)} does not overlap the active layer.`);
    return { rect: r, rgba: cropTo(px, l.rect, r) };
  }

  async activeLayerRecord(): Promise<LayerRecord | null> {
    const l = this.doc().activeLayer;
    if (!l) throw new HostError('NO_LAYER', 'There is no active layer: select the layer whose settings to recall.');
    return l.record ? { layer: l.name, ...l.record } : null;
  }

  async addLayer(layer: NewLayer, historyName: string): Promise<{ layerId: string }> {
    const d = this.doc();
    checkLayer(layer);
    return { layerId: d.addLayer(ownCopy(layer), historyName) };
  }

  async expandCanvas(by: Sides, layer: NewLayer, historyName: string, expectedSize: { width: number; height: number }): Promise<{ layerId: string }> {
    const d = this.doc();
    checkExpand(by, d, expectedSize);
    checkLayer(layer);
    return { layerId: d.expandWithLayer(by, ownCopy(layer), historyName) };
  }

  async createDocumentWithLayer(layer: NewLayer, name: string): Promise<void> {
    checkLayer(layer);
    const { left, top, width, height } = layer.rect;
    const doc = new WebDocument(name, left + width, top + height);
    doc.addLayer(ownCopy(layer));
    doc.clearHistory();
    this.editor.open(doc);
  }
}
