/**
 * A fake `photoshop` module for the Photoshop adapter's tests. It keeps documents and layers as
 * plain RGBA buffers and enforces the rules the imaging and DOM documentation states:
 *
 * - documents change only inside `core.executeAsModal` (createPixelLayer, layer renames,
 *   putPixels, putLayerMask, createDocument); a second modal scope while one runs is refused;
 * - `executeAsModal` needs a commandName; hostControl.suspendHistory / resumeHistory are paired,
 *   a committed suspension is one history step, a rolled-back one restores the document;
 *   `registerAutoCloseDocument` closes the document when the scope exits;
 * - `imaging.getSelection` returns one grayscale channel; `getPixels` trims a layer's empty
 *   borders and says so in `sourceBounds`; RGB data with no alpha has 3 components;
 * - `putPixels` needs a pixel layer and RGB data; `putLayerMask` needs one-component
 *   Grayscale data in "Gray Gamma 2.2"; `createImageDataFromBuffer` needs
 *   width * height * components elements; disposed image data cannot be read or used.
 *
 * One rule is an assumption, not documentation: written data has the document's bit depth
 * (the adapter converts to 16 bits for 16-bit documents). It proves our use of the API, not
 * Photoshop itself.
 */
import type { PhotoshopModule } from '../../src/host/photoshop/modules.js';

type Bounds = { left: number; top: number; right: number; bottom: number };
type BoundsLike = Bounds | { left: number; top: number; width: number; height: number };

export class FakeImageData {
  disposed = false;
  readonly type = 'image/uncompressed';
  readonly chunky = true;
  constructor(
    readonly width: number,
    readonly height: number,
    readonly components: number,
    readonly componentSize: 8 | 16 | 32,
    readonly colorSpace: string,
    readonly colorProfile: string,
    private readonly data: Uint8Array | Uint16Array | Float32Array,
    private readonly registry: Set<FakeImageData>,
  ) {
    registry.add(this);
  }
  get hasAlpha(): boolean {
    return this.components === 2 || this.components === 4;
  }
  get pixelFormat(): string {
    return ['Grayscale', 'GrayscaleAlpha', 'RGB', 'RGBA'][this.components - 1] ?? 'RGBA';
  }
  async getData(_options?: { chunky?: boolean }): Promise<Uint8Array | Uint16Array | Float32Array> {
    this.check();
    return this.data.slice();
  }
  /** raw access for the fake itself */
  values(): Uint8Array | Uint16Array | Float32Array {
    this.check();
    return this.data;
  }
  async dispose(): Promise<void> {
    this.disposed = true;
    this.registry.delete(this);
  }
  private check(): void {
    if (this.disposed) throw new Error('imaging: this image data has been disposed');
  }
}

export class FakeLayer {
  mask: Uint8Array | null = null;
  private _name: string;
  constructor(
    private readonly ps: FakePhotoshop,
    readonly id: number,
    name: string,
    readonly kind: 'pixel' | 'group' | 'text',
    /** document-sized RGBA; a new buffer when the canvas is resized */
    public pixels: Uint8Array,
    readonly isBackgroundLayer = false,
  ) {
    this._name = name;
  }
  get name(): string {
    return this._name;
  }
  set name(v: string) {
    this.ps.requireModal('rename a layer');
    this._name = v;
  }
}

interface Suspension {
  id: number;
  name: string;
  snapshot: DocumentState;
}
interface DocumentState {
  width: number;
  height: number;
  layers: LayerState[];
}
interface LayerState {
  layer: FakeLayer;
  name: string;
  pixels: Uint8Array;
  mask: Uint8Array | null;
}

export class FakeDocument {
  readonly layers: FakeLayer[] = [];
  activeLayers: FakeLayer[] = [];
  /** names of the history steps, oldest first */
  readonly history: string[] = [];
  /** document-sized selection mask, or null for none */
  selectionMask: Uint8Array | null = null;
  suspension: Suspension | null = null;
  /** false models Photoshop before 25.0, which has no Document.selection */
  hasSelectionApi = true;
  resolution = 72;
  closed = false;
  /** the colour a Background layer's new canvas area takes (Photoshop's background colour) */
  backgroundColor: [number, number, number] = [255, 255, 255];

  constructor(
    private readonly ps: FakePhotoshop,
    readonly id: number,
    readonly title: string,
    public width: number,
    public height: number,
    readonly mode: string,
    readonly bitsPerChannel: string,
  ) {}

  get name(): string {
    return this.title;
  }

  get selection(): { readonly bounds: Bounds | null } | undefined {
    if (!this.hasSelectionApi) return undefined;
    const m = this.selectionMask;
    let box: Bounds | null = null;
    if (m) {
      for (let y = 0; y < this.height; y++) {
        for (let x = 0; x < this.width; x++) {
          if (!m[y * this.width + x]) continue;
          if (!box) box = { left: x, top: y, right: x + 1, bottom: y + 1 };
          box.left = Math.min(box.left, x);
          box.right = Math.max(box.right, x + 1);
          box.top = Math.min(box.top, y);
          box.bottom = Math.max(box.bottom, y + 1);
        }
      }
    }
    return { bounds: box };
  }

  get depth(): 8 | 16 | 32 {
    return this.bitsPerChannel === 'bitDepth16' ? 16 : this.bitsPerChannel === 'bitDepth32' ? 32 : 8;
  }

  async createPixelLayer(options: { name?: string } = {}): Promise<FakeLayer> {
    this.ps.requireModal('create a layer');
    const layer = this.ps.newLayer(options.name ?? `Layer ${this.layers.length + 1}`, 'pixel', this.width * this.height * 4);
    const above = this.activeLayers[0] ? this.layers.indexOf(this.activeLayers[0]) : this.layers.length - 1;
    this.layers.splice(above + 1, 0, layer); // layers[] is bottom to top here
    this.activeLayers = [layer];
    this.changed('New Layer');
    return layer;
  }

  /**
   * Image > Canvas Size: every layer keeps its pixels, placed by the anchor ('top-left' ...
   * 'bottom-right'; centred: the odd pixel goes right and down); a Background layer's new area
   * takes the background colour, other layers' is transparent, masks' is white. Drops the selection.
   */
  async resizeCanvas(width: number, height: number, anchor = 'middle-center'): Promise<void> {
    this.ps.requireModal('resize the canvas');
    if (![width, height].every((v) => Number.isInteger(v) && v > 0)) throw new Error(`resizeCanvas: bad size ${width}x${height}`);
    const [v, h] = anchor.split('-');
    const place = (side: string | undefined, start: string, end: string, grow: number) => (side === start ? 0 : side === end ? grow : Math.floor(grow / 2));
    const dx = place(h, 'left', 'right', width - this.width);
    const dy = place(v, 'top', 'bottom', height - this.height);
    const [W, H] = [this.width, this.height];
    const move = (src: Uint8Array, channels: number, fill: number[]) => {
      const out = new Uint8Array(width * height * channels);
      for (let i = 0; i < width * height; i++) out.set(fill, i * channels);
      for (let y = 0; y < H; y++) {
        for (let x = 0; x < W; x++) {
          const [tx, ty] = [x + dx, y + dy];
          if (tx < 0 || ty < 0 || tx >= width || ty >= height) continue;
          out.set(src.subarray((y * W + x) * channels, (y * W + x + 1) * channels), (ty * width + tx) * channels);
        }
      }
      return out;
    };
    for (const l of this.layers) {
      l.pixels = move(l.pixels, 4, l.isBackgroundLayer ? [...this.backgroundColor, 255] : [0, 0, 0, 0]);
      if (l.mask) l.mask = move(l.mask, 1, [255]);
    }
    this.width = width;
    this.height = height;
    this.selectionMask = null;
    this.changed('Canvas Size');
  }

  closeWithoutSaving(): void {
    this.ps.closeDocument(this);
  }

  /** A write happened: one history step, unless history is suspended. */
  changed(step: string): void {
    if (!this.suspension) this.history.push(step);
  }

  snapshot(): DocumentState {
    const layers = this.layers.map((layer) => ({ layer, name: layer.name, pixels: layer.pixels.slice(), mask: layer.mask?.slice() ?? null }));
    return { width: this.width, height: this.height, layers };
  }

  restore(state: DocumentState): void {
    this.layers.length = 0;
    this.width = state.width;
    this.height = state.height;
    for (const s of state.layers) {
      s.layer.pixels = s.pixels;
      s.layer.mask = s.mask;
      this.layers.push(s.layer);
    }
    this.activeLayers = this.activeLayers.filter((l) => this.layers.includes(l));
  }
}

export interface AddDocumentOptions {
  width: number;
  height: number;
  title?: string;
  mode?: string;
  bits?: 8 | 16 | 32;
  /** an opaque background layer of this colour (else one transparent pixel layer) */
  background?: [number, number, number];
}

export class FakePhotoshop {
  readonly documents: FakeDocument[] = [];
  active: FakeDocument | null = null;
  modal: string | null = null;
  readonly modalCalls: string[] = [];
  readonly liveImageData = new Set<FakeImageData>();
  /** rule violations noticed after the fact (e.g. a suspension never resumed) */
  readonly problems: string[] = [];
  private nextId = 100;
  private autoClose = new Set<FakeDocument>();

  requireModal(what: string): void {
    if (!this.modal) throw new Error(`Photoshop: cannot ${what} outside of executeAsModal`);
  }

  newLayer(name: string, kind: FakeLayer['kind'], bytes: number, background = false): FakeLayer {
    return new FakeLayer(this, this.nextId++, name, kind, new Uint8Array(bytes), background);
  }

  addDocument(o: AddDocumentOptions): FakeDocument {
    const bits = `bitDepth${o.bits ?? 8}`;
    const doc = new FakeDocument(this, this.nextId++, o.title ?? `Untitled-${this.documents.length + 1}`, o.width, o.height, o.mode ?? 'RGBColorMode', bits);
    const layer = this.newLayer(o.background ? 'Background' : 'Layer 1', 'pixel', o.width * o.height * 4, !!o.background);
    if (o.background) {
      for (let i = 0; i < o.width * o.height; i++) layer.pixels.set([...o.background, 255], i * 4);
    }
    doc.layers.push(layer);
    doc.activeLayers = [layer];
    this.documents.push(doc);
    this.active = doc;
    return doc;
  }

  closeDocument(doc: FakeDocument): void {
    doc.closed = true;
    const i = this.documents.indexOf(doc);
    if (i >= 0) this.documents.splice(i, 1);
    if (this.active === doc) this.active = this.documents[this.documents.length - 1] ?? null;
  }

  private doc(documentID?: number): FakeDocument {
    const d = documentID === undefined || documentID < 0 ? this.active : this.documents.find((x) => x.id === documentID);
    if (!d) throw new Error(`Photoshop: no document with id ${documentID}`);
    return d;
  }

  private layer(doc: FakeDocument, layerID: number): FakeLayer {
    const l = doc.layers.find((x) => x.id === layerID);
    if (!l) throw new Error(`Photoshop: no layer with id ${layerID} in document ${doc.id}`);
    return l;
  }

  private image(w: number, h: number, comps: number, size: 8 | 16, space: string, profile: string, data: Uint8Array | Uint16Array): FakeImageData {
    return new FakeImageData(w, h, comps, size, space, profile, data, this.liveImageData);
  }

  /** The visible result of a document: layers composited bottom to top with their masks. */
  composite(doc: FakeDocument): Uint8Array {
    const out = new Float64Array(doc.width * doc.height * 4);
    for (const l of doc.layers) {
      if (l.kind === 'group') continue;
      for (let p = 0; p < doc.width * doc.height; p++) {
        const a = (l.pixels[p * 4 + 3]! / 255) * (l.mask ? l.mask[p]! / 255 : 1);
        const da = out[p * 4 + 3]!;
        const oa = a + da * (1 - a);
        for (let c = 0; c < 3; c++) {
          out[p * 4 + c] = oa > 0 ? (l.pixels[p * 4 + c]! * a + out[p * 4 + c]! * da * (1 - a)) / oa : 0;
        }
        out[p * 4 + 3] = oa;
      }
    }
    const bytes = new Uint8Array(out.length);
    for (let i = 0; i < out.length; i++) bytes[i] = i % 4 === 3 ? Math.round(out[i]! * 255) : Math.round(out[i]!);
    return bytes;
  }

  get module(): PhotoshopModule {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const ps = this;
    const app = {
      get documents() {
        return ps.documents;
      },
      get activeDocument() {
        return ps.active ?? undefined;
      },
      async createDocument(o: { name?: string; width?: number; height?: number; depth?: number; mode?: string; fill?: string; resolution?: number }) {
        ps.requireModal('create a document');
        const doc = ps.addDocument({ width: o.width ?? 7, height: o.height ?? 5, title: o.name, bits: (o.depth ?? 8) as 8 | 16, mode: o.mode });
        if (o.resolution) doc.resolution = o.resolution;
        if (o.fill !== 'transparent') doc.layers[0]!.pixels.fill(255);
        return doc;
      },
    };

    const core = {
      async executeAsModal<T>(fn: (ctx: unknown, descriptor?: object) => Promise<T>, options: { commandName: string }): Promise<T> {
        if (!options || typeof options.commandName !== 'string') throw new Error('executeAsModal: options.commandName is required');
        if (ps.modal) throw new Error(`host is in a modal state (${ps.modal})`);
        ps.modal = options.commandName;
        ps.modalCalls.push(options.commandName);
        let suspensionId = 0;
        const open = new Map<number, FakeDocument>();
        const ctx = {
          isCancelled: false,
          onCancel: undefined,
          reportProgress: () => undefined,
          hostControl: {
            async suspendHistory({ documentID, name }: { documentID: number; name: string }) {
              ps.requireModal('suspend history');
              const doc = ps.doc(documentID);
              if (doc.suspension) throw new Error(`Photoshop: history of document ${documentID} is already suspended`);
              doc.suspension = { id: ++suspensionId, name, snapshot: doc.snapshot() };
              open.set(suspensionId, doc);
              return { historySuspensionID: suspensionId };
            },
            async resumeHistory({ historySuspensionID, finalName }: { historySuspensionID: number; finalName?: string }, commit = true) {
              ps.requireModal('resume history');
              const doc = open.get(historySuspensionID);
              if (!doc || doc.suspension?.id !== historySuspensionID) throw new Error(`Photoshop: no history suspension ${historySuspensionID}`);
              const s = doc.suspension;
              doc.suspension = null;
              open.delete(historySuspensionID);
              if (commit) doc.history.push(finalName ?? s.name);
              else doc.restore(s.snapshot);
            },
            async registerAutoCloseDocument(documentID: number) {
              ps.autoClose.add(ps.doc(documentID));
            },
            async unregisterAutoCloseDocument(documentID: number) {
              ps.autoClose.delete(ps.doc(documentID));
            },
          },
        };
        try {
          return await fn(ctx);
        } finally {
          for (const doc of open.values()) {
            ps.problems.push(`history of document ${doc.id} was suspended ("${doc.suspension?.name}") and never resumed`);
            doc.suspension = null;
          }
          for (const doc of ps.autoClose) ps.closeDocument(doc);
          ps.autoClose.clear();
          ps.modal = null;
        }
      },
    };

    const imaging = {
      async createImageDataFromBuffer(
        data: Uint8Array | Uint16Array | Float32Array,
        o: { width: number; height: number; components: number; chunky?: boolean; colorSpace: string; colorProfile?: string },
      ) {
        if (!(data instanceof Uint8Array || data instanceof Uint16Array)) throw new Error('createImageDataFromBuffer: expected a Uint8Array or Uint16Array');
        if (data.length !== o.width * o.height * o.components) {
          throw new Error(`createImageDataFromBuffer: ${data.length} elements for ${o.width}x${o.height}x${o.components}`);
        }
        if (!o.colorSpace) throw new Error('createImageDataFromBuffer: colorSpace is required');
        return ps.image(o.width, o.height, o.components, data instanceof Uint16Array ? 16 : 8, o.colorSpace, o.colorProfile ?? '', data.slice());
      },

      async getPixels(o: { documentID?: number; layerID?: number; sourceBounds?: Bounds; componentSize?: number; colorSpace?: string; colorProfile?: string }) {
        const doc = ps.doc(o.documentID);
        if (o.colorSpace && o.colorSpace !== 'RGB') throw new Error('fake getPixels: only RGB output is modelled');
        const want = clip(o.sourceBounds ?? { left: 0, top: 0, right: doc.width, bottom: doc.height }, doc);
        let src: Uint8Array;
        let b = want;
        if (o.layerID === undefined) src = ps.composite(doc);
        else {
          const l = ps.layer(doc, o.layerID);
          src = l.pixels;
          b = trim(src, doc.width, want); // Photoshop trims regions without pixel data
        }
        const w = b.right - b.left;
        const h = b.bottom - b.top;
        const opaque = o.layerID === undefined && doc.layers.some((l) => l.isBackgroundLayer);
        const comps = opaque ? 3 : 4;
        const size = o.componentSize === 8 || o.componentSize === 16 ? o.componentSize : doc.depth === 16 ? 16 : 8;
        const out = size === 16 ? new Uint16Array(w * h * comps) : new Uint8Array(w * h * comps);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            for (let c = 0; c < comps; c++) {
              const v = src[((b.top + y) * doc.width + b.left + x) * 4 + c]!;
              out[(y * w + x) * comps + c] = size === 16 ? Math.round((v * 32768) / 255) : v;
            }
          }
        }
        return { imageData: ps.image(w, h, comps, size, 'RGB', o.colorProfile ?? 'sRGB IEC61966-2.1', out), sourceBounds: b, level: 0 };
      },

      async getSelection(o: { documentID?: number; sourceBounds?: Bounds }) {
        const doc = ps.doc(o.documentID);
        const b = clip(o.sourceBounds ?? { left: 0, top: 0, right: doc.width, bottom: doc.height }, doc);
        const w = b.right - b.left;
        const h = b.bottom - b.top;
        const sixteen = doc.depth === 16;
        const out = sixteen ? new Uint16Array(w * h) : new Uint8Array(w * h);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const v = doc.selectionMask ? doc.selectionMask[(b.top + y) * doc.width + b.left + x]! : 0;
            out[y * w + x] = sixteen ? Math.round((v * 32768) / 255) : v;
          }
        }
        return { imageData: ps.image(w, h, 1, sixteen ? 16 : 8, 'Grayscale', 'Gray Gamma 2.2', out), sourceBounds: b };
      },

      async putPixels(o: { documentID?: number; layerID: number; imageData: FakeImageData; replace?: boolean; targetBounds?: BoundsLike }) {
        ps.requireModal('put pixels');
        const doc = ps.doc(o.documentID);
        const l = ps.layer(doc, o.layerID);
        if (l.kind !== 'pixel') throw new Error(`putPixels: the target layer must be a pixel layer, "${l.name}" is a ${l.kind} layer`);
        const img = o.imageData;
        if (img.colorSpace !== 'RGB' || (img.components !== 3 && img.components !== 4)) throw new Error('putPixels: expected RGB or RGBA image data in an RGB document');
        if (img.componentSize !== doc.depth) throw new Error(`putPixels: ${img.componentSize}-bit data for a ${doc.depth}-bit document`);
        const data = img.values();
        if (o.replace !== false) l.pixels.fill(0);
        const at = o.targetBounds ?? { left: 0, top: 0 };
        for (let y = 0; y < img.height; y++) {
          for (let x = 0; x < img.width; x++) {
            const tx = at.left + x;
            const ty = at.top + y;
            if (tx < 0 || ty < 0 || tx >= doc.width || ty >= doc.height) continue;
            for (let c = 0; c < 4; c++) {
              const v = c < img.components ? data[(y * img.width + x) * img.components + c]! : img.componentSize === 16 ? 32768 : 255;
              l.pixels[(ty * doc.width + tx) * 4 + c] = img.componentSize === 16 ? Math.round((v * 255) / 32768) : v;
            }
          }
        }
        doc.changed('Put Pixels');
      },

      async putLayerMask(o: { documentID?: number; layerID: number; kind?: string; imageData: FakeImageData; replace?: boolean; targetBounds?: BoundsLike }) {
        ps.requireModal('put a layer mask');
        const doc = ps.doc(o.documentID);
        const l = ps.layer(doc, o.layerID);
        const img = o.imageData;
        if (img.components !== 1 || img.colorSpace !== 'Grayscale' || img.colorProfile !== 'Gray Gamma 2.2') {
          throw new Error(`putLayerMask: expected one-component Grayscale "Gray Gamma 2.2" data, got ${img.components} ${img.colorSpace} "${img.colorProfile}"`);
        }
        if (o.kind !== undefined && o.kind !== 'user') throw new Error('putLayerMask: only "user" masks are editable');
        if (l.isBackgroundLayer) throw new Error('putLayerMask: the background layer cannot have a mask');
        if (img.componentSize !== doc.depth) throw new Error(`putLayerMask: ${img.componentSize}-bit data for a ${doc.depth}-bit document`);
        const data = img.values();
        if (!l.mask || o.replace !== false) l.mask = new Uint8Array(doc.width * doc.height).fill(255);
        const at = o.targetBounds ?? { left: 0, top: 0 };
        for (let y = 0; y < img.height; y++) {
          for (let x = 0; x < img.width; x++) {
            const tx = at.left + x;
            const ty = at.top + y;
            if (tx < 0 || ty < 0 || tx >= doc.width || ty >= doc.height) continue;
            const v = data[y * img.width + x]!;
            l.mask[ty * doc.width + tx] = img.componentSize === 16 ? Math.round((v * 255) / 32768) : v;
          }
        }
        doc.changed('Layer Mask');
      },
    };

    const constants = {
      NewDocumentMode: { RGB: 'RGBColorMode', GRAYSCALE: 'grayscaleMode' },
      DocumentFill: { TRANSPARENT: 'transparent', WHITE: 'white' },
      AnchorPosition: Object.fromEntries(
        ['TOP', 'MIDDLE', 'BOTTOM'].flatMap((v) => ['LEFT', 'CENTER', 'RIGHT'].map((h) => [`${v}${h}`, `${v.toLowerCase()}-${h.toLowerCase()}`])),
      ),
    };
    return { app, core, imaging, constants } as unknown as PhotoshopModule;
  }
}

function clip(b: Bounds, doc: FakeDocument): Bounds {
  const left = Math.max(0, b.left);
  const top = Math.max(0, b.top);
  return { left, top, right: Math.max(left, Math.min(doc.width, b.right)), bottom: Math.max(top, Math.min(doc.height, b.bottom)) };
}

/** The part of `b` that has pixels with alpha > 0 (empty bounds when none). */
function trim(rgba: Uint8Array, width: number, b: Bounds): Bounds {
  let box: Bounds | null = null;
  for (let y = b.top; y < b.bottom; y++) {
    for (let x = b.left; x < b.right; x++) {
      if (!rgba[(y * width + x) * 4 + 3]) continue;
      if (!box) box = { left: x, top: y, right: x + 1, bottom: y + 1 };
      box.left = Math.min(box.left, x);
      box.right = Math.max(box.right, x + 1);
      box.bottom = y + 1;
    }
  }
  return box ?? { left: b.left, top: b.top, right: b.left, bottom: b.top };
}

export function createFakePhotoshop(): FakePhotoshop {
  return new FakePhotoshop();
}
