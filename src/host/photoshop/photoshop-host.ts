/**
 * The Photoshop adapter of the Host interface, on the UXP imaging API and DOM.
 *
 * - Reads convert to straight RGBA 8-bit sRGB (Photoshop converts colour mode, profile and
 *   bit depth when asked); the result is always rect-sized, transparent where Photoshop
 *   trimmed empty areas of a layer.
 * - Writes create a new pixel layer (never touching existing ones), put the pixels at the
 *   rect, and, for fills, put a layer mask (one-channel Gray Gamma 2.2 image) so the result
 *   stays non-destructive. Everything runs through modal.ts: one generation, one undo step.
 * - Expand grows the canvas (Document.resizeCanvas around an anchor) and adds the layer in the
 *   same step. Layers keep their pixels; as with Image > Canvas Size, a Background layer's new
 *   area takes the background colour, which the new layer covers.
 * - Every PhotoshopImageData is disposed as soon as it has been used.
 */
import { parametersText, recordText } from '../../inference/run-record.js';
import { HostError } from '../errors.js';
import { checkExpand } from '../expand-check.js';
import { memoryStore, type KeyValueStore } from '../../panel/lib/storage.js';
import type { DocumentInfo, Host, LayerRecord, NewLayer, PixelsRGBA, Rect, SelectionInfo, Sides } from '../host.js';
import { LayerRecords, type RecordDocument } from './layer-records.js';
import { readModal, withNewDocument, writeModal } from './modal.js';
import type { HostModules, PhotoshopModule } from './modules.js';
import { maskBounds } from '../mask-bounds.js';
import { blitGray, blitRgba, checkRect, clipBounds, maskTo8, rectToBounds, to16, toRgba8, type Bounds } from './pixels.js';

const SRGB = 'sRGB IEC61966-2.1';
const GRAY_GAMMA = 'Gray Gamma 2.2';

type PsDocument = PhotoshopModule['app']['activeDocument'];
type PsImageData = Awaited<ReturnType<PhotoshopModule['imaging']['createImageDataFromBuffer']>>;
type Depth = 8 | 16;

async function dispose(img: PsImageData | undefined): Promise<void> {
  try {
    await img?.dispose();
  } catch {
    // already released
  }
}

/** A document as the records know it: its id, and its path once it is saved (read defensively: unverified for unsaved documents). */
function recordDocument(d: PsDocument): RecordDocument {
  let path = '';
  try {
    path = typeof d.path === 'string' ? d.path : '';
  } catch {
    // an unsaved document may have no path to give
  }
  return { id: d.id, path };
}

function docInfo(d: PsDocument): DocumentInfo {
  return { id: String(d.id), name: d.title || d.name, width: Math.round(d.width), height: Math.round(d.height) };
}

type AnchorName = keyof PhotoshopModule['constants']['AnchorPosition'];

/**
 * The anchor that grows a canvas by `by`: the picture stays on the side that does not grow,
 * centred on an axis whose two sides grow alike. Photoshop has nothing for two sides of one
 * axis growing by different amounts.
 */
export function anchorFor(by: Sides): AnchorName {
  const axis = (before: number, after: number, [start, middle, end]: [string, string, string]) => {
    if (before > 0 && after > 0) return before === after ? middle : null;
    return before > 0 ? end : after > 0 ? start : middle;
  };
  const h = axis(by.left, by.right, ['LEFT', 'CENTER', 'RIGHT']);
  const v = axis(by.top, by.bottom, ['TOP', 'MIDDLE', 'BOTTOM']);
  if (!h || !v) {
    throw new HostError('UNSUPPORTED', `Photoshop grows a canvas around an anchor: both sides of an axis must grow alike, not ${JSON.stringify(by)}.`);
  }
  return `${v}${h}` as AnchorName;
}

function checkLayer(layer: NewLayer): void {
  const { width, height } = layer.rect;
  if (layer.rgba.length !== width * height * 4) {
    throw new HostError('BAD_PIXELS', `layer "${layer.name}": ${layer.rgba.length} bytes of RGBA for a ${width}x${height} rect; expected ${width * height * 4}`);
  }
  if (layer.mask && layer.mask.length !== width * height) {
    throw new HostError('BAD_PIXELS', `layer "${layer.name}": a mask of ${layer.mask.length} bytes for a ${width}x${height} rect; expected ${width * height}`);
  }
}

export class PhotoshopHost implements Host {
  readonly kind = 'photoshop' as const;
  private readonly ps: PhotoshopModule;
  /**
   * The records of the layers this panel added, for Recall (layer-records.ts): in the panel's
   * storage, so they outlast the session on this machine. A layer's own metadata (XMP) would
   * travel with the file, but writing it is not verified in Photoshop yet.
   */
  private readonly records: LayerRecords;

  constructor(modules: Pick<HostModules, 'photoshop'>, options: { store?: KeyValueStore } = {}) {
    this.ps = modules.photoshop;
    this.records = new LayerRecords(options.store ?? memoryStore());
  }

  private current(): PsDocument | null {
    const { app } = this.ps;
    if (!app.documents || app.documents.length === 0) return null;
    return app.activeDocument ?? null;
  }

  private requireDocument(): PsDocument {
    const d = this.current();
    if (!d) throw new HostError('NO_DOCUMENT', 'No document is open in Photoshop: open or create an image first.');
    return d;
  }

  /** The bit depth new pixels are written with; RGB documents of 8 or 16 bits only. */
  private writableDepth(d: PsDocument): Depth {
    const mode = String(d.mode);
    if (mode !== 'RGBColorMode') {
      const name = mode.replace(/ColorMode$|Mode$/, '');
      throw new HostError('UNSUPPORTED', `The document is in ${name} mode; Diffusion Layers adds RGB layers. Convert it with Image > Mode > RGB Color.`);
    }
    const bits = String(d.bitsPerChannel);
    if (bits === 'bitDepth8') return 8;
    if (bits === 'bitDepth16') return 16;
    throw new HostError('UNSUPPORTED', `The document has ${bits.replace('bitDepth', '')} bits per channel; Diffusion Layers writes 8- or 16-bit layers. Change it with Image > Mode > 8 Bits/Channel.`);
  }

  async activeDocument(): Promise<DocumentInfo | null> {
    const d = this.current();
    return d ? docInfo(d) : null;
  }

  async selection(): Promise<SelectionInfo | null> {
    const d = this.current();
    if (!d) return null;
    const { width, height } = docInfo(d);
    // Document.selection (Photoshop 25+) says whether there is one without reading pixels.
    const known = d.selection ? (d.selection.bounds as Bounds | null) : { left: 0, top: 0, right: width, bottom: height };
    if (!known) return null;
    const b = clipBounds(known, width, height);
    if (b.right <= b.left || b.bottom <= b.top) return null;

    return readModal(this.ps, 'Read the selection', async () => {
      const r = await this.ps.imaging.getSelection({ documentID: d.id, sourceBounds: b });
      const img = r.imageData;
      try {
        if (img.components !== 1) {
          throw new HostError('HOST_FAILED', `Photoshop returned a selection with ${img.components} channels; expected one grayscale channel`);
        }
        const mask = maskTo8(await img.getData({ chunky: true }));
        const at = r.sourceBounds ?? b;
        const box = maskBounds(mask, img.width, img.height);
        if (!box) return null; // a selection with nothing selected
        if (box.width === img.width && box.height === img.height) return { bounds: { left: at.left, top: at.top, width: img.width, height: img.height }, mask };
        const tight = new Uint8Array(box.width * box.height);
        blitGray(tight, box.width, box.height, mask, img.width, img.height, -box.left, -box.top);
        return { bounds: { left: at.left + box.left, top: at.top + box.top, width: box.width, height: box.height }, mask: tight };
      } finally {
        await dispose(img);
      }
    });
  }

  async readPixels(source: 'composite' | 'activeLayer', rect?: Rect): Promise<PixelsRGBA> {
    const d = this.requireDocument();
    const { width, height } = docInfo(d);
    const r = rect ?? { left: 0, top: 0, width, height };
    checkRect(r, width, height);
    let layerID: number | undefined;
    if (source === 'activeLayer') {
      const layer = d.activeLayers.length > 0 ? d.activeLayers[0] : undefined;
      if (!layer) throw new HostError('NO_LAYER', 'No layer is selected: select the layer to read in the Layers panel.');
      if (String(layer.kind) === 'group') throw new HostError('NO_LAYER', `"${layer.name}" is a group; select a pixel layer in the Layers panel.`);
      layerID = layer.id;
    }

    return readModal(this.ps, 'Read pixels', async () => {
      const res = await this.ps.imaging.getPixels({
        documentID: d.id,
        ...(layerID === undefined ? {} : { layerID }),
        sourceBounds: rectToBounds(r),
        colorSpace: 'RGB',
        colorProfile: SRGB,
        componentSize: 8,
      });
      const img = res.imageData;
      try {
        const rgba = new Uint8Array(r.width * r.height * 4); // transparent where Photoshop trimmed
        if (img.width > 0 && img.height > 0) {
          const data = toRgba8(await img.getData({ chunky: true }), img.components, img.width, img.height);
          const at = res.sourceBounds ?? rectToBounds(r);
          blitRgba(rgba, r.width, r.height, data, img.width, img.height, at.left - r.left, at.top - r.top);
        }
        return { rect: { ...r }, rgba };
      } finally {
        await dispose(img);
      }
    });
  }

  async addLayer(layer: NewLayer, historyName: string): Promise<{ layerId: string }> {
    const d = this.requireDocument();
    const { width, height } = docInfo(d);
    checkRect(layer.rect, width, height, `layer "${layer.name}"`);
    checkLayer(layer);
    const depth = this.writableDepth(d);

    const added = await writeModal(this.ps, { documentID: d.id, commandName: historyName }, () => this.createLayer(d, layer, depth));
    this.keepRecord(d, added.layerId, layer);
    return added;
  }

  /** Keeps what made a layer once it is in the document (a write that failed left no layer). */
  private keepRecord(d: PsDocument, layerId: string, layer: NewLayer): void {
    if (layer.record) this.records.put(recordDocument(d), layerId, layer.name, { json: recordText(layer.record), parameters: parametersText(layer.record, layer.rect) });
  }

  async activeLayerRecord(): Promise<LayerRecord | null> {
    const d = this.requireDocument();
    const layer = d.activeLayers.length > 0 ? d.activeLayers[0] : undefined;
    if (!layer) throw new HostError('NO_LAYER', 'No layer is selected: select the layer whose settings to recall in the Layers panel.');
    const kept = this.records.get(recordDocument(d), String(layer.id), layer.name);
    return kept ? { layer: layer.name, ...kept } : null;
  }

  async expandCanvas(by: Sides, layer: NewLayer, historyName: string, expectedSize: { width: number; height: number }): Promise<{ layerId: string }> {
    const d = this.requireDocument();
    const info = docInfo(d);
    checkExpand(by, info, expectedSize);
    const anchor = this.ps.constants.AnchorPosition[anchorFor(by)];
    const width = info.width + by.left + by.right;
    const height = info.height + by.top + by.bottom;
    checkRect(layer.rect, width, height, `layer "${layer.name}"`);
    checkLayer(layer);
    const depth = this.writableDepth(d);

    const added = await writeModal(this.ps, { documentID: d.id, commandName: historyName }, async () => {
      await d.resizeCanvas(width, height, anchor);
      const now = docInfo(d);
      if (now.width !== width || now.height !== height) {
        throw new HostError('HOST_FAILED', `Photoshop made the canvas ${now.width}x${now.height} instead of ${width}x${height}`);
      }
      return this.createLayer(d, layer, depth);
    });
    this.keepRecord(d, added.layerId, layer);
    return added;
  }

  /** A new pixel layer above the active one with `layer`'s pixels (inside a write). */
  private async createLayer(d: PsDocument, layer: NewLayer, depth: Depth): Promise<{ layerId: string }> {
    const created = await d.createPixelLayer({ name: layer.name });
    if (!created) throw new HostError('HOST_FAILED', `Photoshop did not create the layer "${layer.name}"`);
    await this.putLayer(d.id, created.id, layer, depth);
    return { layerId: String(created.id) };
  }

  async createDocumentWithLayer(layer: NewLayer, name: string): Promise<void> {
    checkLayer(layer);
    const { width, height } = layer.rect;
    if (![width, height].every((v) => Number.isInteger(v) && v > 0)) {
      throw new HostError('BAD_RECT', `a new document needs a positive whole-pixel size, got ${width}x${height}`);
    }
    const { constants } = this.ps;
    const source = this.current();
    let made: { doc: PsDocument; layerId: string } | undefined;
    await withNewDocument(
      this.ps,
      {
        commandName: name,
        create: () =>
          this.ps.app.createDocument({
            name,
            width,
            height,
            resolution: source?.resolution ?? 72,
            mode: constants.NewDocumentMode.RGB,
            fill: constants.DocumentFill.TRANSPARENT,
            depth: 8,
            profile: SRGB,
          }),
      },
      async (doc) => {
        const first = doc.layers.length > 0 ? doc.layers[0] : undefined;
        let target = first && String(first.kind) === 'pixel' && !first.isBackgroundLayer ? first : null;
        if (target) target.name = layer.name;
        else target = await doc.createPixelLayer({ name: layer.name });
        if (!target) throw new HostError('HOST_FAILED', `Photoshop did not create the layer "${layer.name}"`);
        await this.putLayer(doc.id, target.id, { ...layer, rect: { left: 0, top: 0, width, height } }, 8);
        made = { doc, layerId: String(target.id) };
      },
    );
    if (made) this.keepRecord(made.doc, made.layerId, layer);
  }

  /** putPixels at the rect, then the mask (if any) as the layer's user mask. */
  private async putLayer(documentID: number, layerID: number, layer: NewLayer, depth: Depth): Promise<void> {
    const { imaging } = this.ps;
    const { left, top, width, height } = layer.rect;
    let img: PsImageData | undefined;
    try {
      img = await imaging.createImageDataFromBuffer(depth === 16 ? to16(layer.rgba) : layer.rgba, {
        width,
        height,
        components: 4,
        chunky: true,
        colorSpace: 'RGB',
        colorProfile: SRGB,
      });
      await imaging.putPixels({ documentID, layerID, imageData: img, targetBounds: { left, top, width, height }, replace: true });
    } finally {
      await dispose(img);
    }
    if (!layer.mask) return;
    let mask: PsImageData | undefined;
    try {
      mask = await imaging.createImageDataFromBuffer(depth === 16 ? to16(layer.mask) : layer.mask, {
        width,
        height,
        components: 1,
        chunky: true,
        colorSpace: 'Grayscale',
        colorProfile: GRAY_GAMMA,
      });
      await imaging.putLayerMask({ documentID, layerID, kind: 'user', imageData: mask, targetBounds: { left, top, width, height }, replace: true });
    } finally {
      await dispose(mask);
    }
  }
}
