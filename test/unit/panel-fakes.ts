// Fakes for the panel job tests: a Host over an in-memory RGBA document, and an engine that
// paints predictable pixels (and can be held until cancel() is called).
import { HostError } from '../../src/host/errors.js';
import { checkExpand } from '../../src/host/expand-check.js';
import { SubjectIndex } from '../../src/inference/subjects.js';
import type { DocumentInfo, Host, NewLayer, PixelsRGBA, Rect, SelectionInfo, Sides } from '../../src/host/host.js';
import type { PanelEngine } from '../../src/panel/jobs/types.js';
import { parseRecord } from '../../src/inference/run-record-check.js';
import type { EngineInfo, InpaintRequest, ProgressEvent, WireResult } from '../../src/worker/api.js';

export class FakeHost implements Host {
  readonly kind = 'web' as const;
  layers: Array<NewLayer & { historyName: string }> = [];
  newDocuments: Array<{ layer: NewLayer; name: string }> = [];
  doc: DocumentInfo | null;
  pixels: Uint8Array;
  sel: SelectionInfo | null = null;
  activeLayer: PixelsRGBA | null = null;

  constructor(width = 100, height = 80) {
    this.doc = { id: 'doc1', name: 'Test', width, height };
    this.pixels = new Uint8Array(width * height * 4);
    for (let i = 0; i < width * height; i++) this.pixels.set([i % 251, (i * 7) % 253, (i * 13) % 255, 255], 4 * i);
  }

  async activeDocument() {
    return this.doc;
  }
  async selection() {
    return this.sel;
  }
  async readPixels(source: 'composite' | 'activeLayer', rect?: Rect): Promise<PixelsRGBA> {
    if (!this.doc) throw new HostError('NO_DOCUMENT', 'no document');
    if (source === 'activeLayer') {
      if (!this.activeLayer) throw new HostError('NO_LAYER', 'no layer');
      return this.activeLayer;
    }
    const r = rect ?? { left: 0, top: 0, width: this.doc.width, height: this.doc.height };
    const out = new Uint8Array(r.width * r.height * 4);
    for (let y = 0; y < r.height; y++) {
      const from = ((r.top + y) * this.doc.width + r.left) * 4;
      out.set(this.pixels.subarray(from, from + r.width * 4), y * r.width * 4);
    }
    return { rect: r, rgba: out };
  }
  async addLayer(layer: NewLayer, historyName: string) {
    if (layer.rgba.length !== layer.rect.width * layer.rect.height * 4) throw new Error('bad layer size');
    if (layer.mask && layer.mask.length !== layer.rect.width * layer.rect.height) throw new Error('bad mask size');
    this.layers.push({ ...layer, historyName });
    return { layerId: `L${this.layers.length}` };
  }
  async createDocumentWithLayer(layer: NewLayer, name: string) {
    this.newDocuments.push({ layer, name });
  }
  /** canvas growths, in order */
  expansions: Array<{ by: Sides; historyName: string }> = [];
  /** Grows the canvas (new area transparent, layers move with the picture), then adds the layer. */
  async expandCanvas(by: Sides, layer: NewLayer, historyName: string, expectedSize: { width: number; height: number }) {
    const d = this.doc!;
    checkExpand(by, d, expectedSize); // the hosts' own check
    const W = d.width + by.left + by.right;
    const px = new Uint8Array(W * (d.height + by.top + by.bottom) * 4);
    for (let y = 0; y < d.height; y++) px.set(this.pixels.subarray(y * d.width * 4, (y + 1) * d.width * 4), ((y + by.top) * W + by.left) * 4);
    this.pixels = px;
    this.doc = { ...d, width: W, height: d.height + by.top + by.bottom };
    this.layers = this.layers.map((l) => ({ ...l, rect: { ...l.rect, left: l.rect.left + by.left, top: l.rect.top + by.top } }));
    this.expansions.push({ by, historyName });
    return this.addLayer(layer, historyName);
  }

  /** A selection from a predicate over document pixels. */
  select(bounds: Rect, inside: (x: number, y: number) => boolean = () => true) {
    const mask = new Uint8Array(bounds.width * bounds.height);
    for (let y = 0; y < bounds.height; y++) for (let x = 0; x < bounds.width; x++) mask[y * bounds.width + x] = inside(bounds.left + x, bounds.top + y) ? 255 : 0;
    this.sel = { bounds, mask };
  }

  /** The document after the layers are composited (straight over, with masks). */
  composite(): Uint8Array {
    const d = this.doc!;
    const out = this.pixels.slice();
    for (const l of this.layers) {
      for (let y = 0; y < l.rect.height; y++) {
        for (let x = 0; x < l.rect.width; x++) {
          const i = y * l.rect.width + x;
          const a = (l.rgba[4 * i + 3] / 255) * ((l.mask?.[i] ?? 255) / 255);
          const o = ((l.rect.top + y) * d.width + l.rect.left + x) * 4;
          for (let c = 0; c < 3; c++) out[o + c] = Math.round(out[o + c] * (1 - a) + l.rgba[4 * i + c] * a);
        }
      }
    }
    return out;
  }
}

export interface FakeEngineOptions {
  /** hold every job until cancel() */
  hold?: boolean;
  scores?: number[];
  /** the pack gives an upscale strength per kind of picture; upscales without a strength then report a photograph */
  strengthByContent?: { photo: number; graphic: number };
}

export class FakeEngine implements PanelEngine {
  calls: Array<{ method: string; request: unknown }> = [];
  cancelled = 0;
  private release?: () => void;

  constructor(private readonly o: FakeEngineOptions = {}) {}

  async load(): Promise<EngineInfo> {
    return this.info();
  }
  async info(): Promise<EngineInfo> {
    return {
      loaded: true,
      pack: { name: 'fake', description: '', license: 'MIT', attribution: [], baseResolution: 16, upsamplerResolution: 64, contextLength: 8, defaults: (this.o.strengthByContent ? { upscaleStrength: this.o.strengthByContent } : {}) as never, reranker: false, location: 'memory' },
      backend: { kind: 'wasm', reason: 'wasm: requested (1 thread)', precision: 'fp32' },
      limits: { maxSide: 16384, maxPixels: 64 * 1024 * 1024 },
    };
  }
  /** the fake pack "knows" these words; every other one is reported unknown */
  static readonly VOCABULARY = new Set(['a', 'red', 'heart', 'fox', 'face']);
  static readonly SUBJECTS = new SubjectIndex(['red heart', 'fox face', 'face with tears of joy']);
  async checkPrompt(prompt: string) {
    const words = prompt.toLowerCase().split(/\s+/).filter(Boolean);
    return { tokens: words.length, maxTokens: 8, truncated: words.length > 8, unknownWords: words.filter((w) => !FakeEngine.VOCABULARY.has(w)), suggestions: FakeEngine.SUBJECTS.suggest(prompt) };
  }
  /** the worker's own check (the fake runs in Node, where ajv is at hand) */
  async readRecord(text: string, source: string) {
    return parseRecord(text, source);
  }
  async cancel() {
    this.cancelled++;
    this.release?.();
  }

  private async run(method: string, request: unknown, onProgress: ((e: ProgressEvent) => void) | undefined, make: () => WireResult): Promise<WireResult> {
    this.calls.push({ method, request });
    onProgress?.({ stage: 'base', step: 1, total: 2, elapsedMs: 1, etaMs: 1 });
    if (this.o.hold) {
      await new Promise<void>((res) => (this.release = res));
      throw { name: 'DiffusionError', code: 'CANCELLED', message: 'cancelled' };
    }
    return make();
  }

  private result(images: Array<{ width: number; height: number; data: Uint8Array }>, seed = 42): WireResult {
    const withScores = images.map((img, i) => (this.o.scores ? { ...img, score: this.o.scores[i] } : img));
    return { images: withScores, width: images[0].width, height: images[0].height, seed, prompt: { truncated: false, tokens: 1, maxTokens: 8 }, warnings: [], timings: { textMs: 0, baseMs: 0, upsamplerMs: 0, totalMs: 0 }, settings: { steps: 2, sampler: 'ddim', strength: 1 } };
  }

  /** 64 px squares, or extended to `aspect` as the engine does (64 px on the short side) */
  generate(req: { count?: number; seed?: number; aspect?: number }, onProgress?: (e: ProgressEvent) => void) {
    const a = req.aspect ?? 1;
    const [w, h] = a >= 1 ? [Math.round(64 * a), 64] : [64, Math.round(64 / a)];
    return this.run('generate', req, onProgress, () =>
      this.result(Array.from({ length: req.count ?? 1 }, (_, k) => solid(w, h, [k * 60, 200, 10])), req.seed ?? 42),
    );
  }

  /** Paints selected pixels magenta, keeps the rest bit for bit (as the engine promises). */
  inpaint(req: InpaintRequest, onProgress?: (e: ProgressEvent) => void) {
    return this.run('inpaint', req, onProgress, () => {
      const { width, height, data } = req.image;
      const images = Array.from({ length: req.count ?? 1 }, () => {
        const out = Uint8Array.from(data);
        for (let i = 0; i < width * height; i++) if (req.mask[i] > 0) out.set([255, 0, 255, 255], 4 * i);
        return { width, height, data: out };
      });
      return this.result(images, req.seed ?? 42);
    });
  }

  /** the scale fake upscales return (whole numbers; the real engine also shrinks to fractions) */
  upscaleScale = 4;

  upscale(req: { image: { width: number; height: number; data: Uint8Array }; strength?: number | 'auto' }, onProgress?: (e: ProgressEvent) => void) {
    const pair = this.o.strengthByContent;
    const byContent = pair && (req.strength === undefined || req.strength === 'auto');
    return this.run('upscale', req, onProgress, () => ({
      ...this.upscaled(req.image),
      ...(byContent ? { upscale: { strength: pair.photo, content: { kind: 'photo' as const, flatShare: 0 } } } : {}),
    }));
  }

  private upscaled(image: { width: number; height: number; data: Uint8Array }): WireResult {
    {
      const { width: w, height: h, data } = image;
      const f = this.upscaleScale;
      const out = new Uint8Array(w * f * h * f * 4);
      for (let y = 0; y < h * f; y++) {
        for (let x = 0; x < w * f; x++) {
          const i = (Math.floor(y / f) * w + Math.floor(x / f)) * 4;
          out.set(data.subarray(i, i + 4), (y * w * f + x) * 4);
        }
      }
      return this.result([{ width: w * f, height: h * f, data: out }]);
    }
  }
}

export function solid(width: number, height: number, rgb: [number, number, number]) {
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) data.set([...rgb, 255], 4 * i);
  return { width, height, data };
}
