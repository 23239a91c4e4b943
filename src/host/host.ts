// The one interface every editor adapter implements (Photoshop, the web editor, the null
// host, test fakes). The panel talks only to this; hosts know nothing of the panel.
// Coordinates are document pixels, origin top-left.
import type { Sides } from '../inference/expand.js';
import type { RunRecord } from '../inference/run-record.js';

export interface Rect { left: number; top: number; width: number; height: number }

/** Pixels added on each side of a canvas (the inference core's type: one definition). */
export type { Sides };

export interface DocumentInfo { id: string; name: string; width: number; height: number }

export interface SelectionInfo {
  bounds: Rect;
  /** bounds.width * bounds.height bytes, 0..255, 255 = selected. */
  mask: Uint8Array;
}

export interface PixelsRGBA {
  rect: Rect;
  /** rect.width * rect.height * 4 bytes, straight (non-premultiplied) alpha. */
  rgba: Uint8Array;
}

export interface NewLayer {
  name: string;
  rect: Rect;
  rgba: Uint8Array;
  /** Optional layer mask, rect-sized, 255 = visible. */
  mask?: Uint8Array;
  /** What made it: kept with the layer by hosts that can (the web editor), ignored by others. */
  record?: RunRecord;
}

/**
 * A record as a PNG holds it: its JSON (inference/run-record.ts) and the readable "parameters"
 * text. A picture from another diffusion tool has the text only.
 */
export interface RecordText {
  json?: string;
  parameters?: string;
}

/** The record kept with a layer. */
export interface LayerRecord extends RecordText {
  /** the layer's name, for messages */
  layer: string;
}

export interface Host {
  readonly kind: 'photoshop' | 'web' | 'null';
  activeDocument(): Promise<DocumentInfo | null>;
  /** null = no selection. */
  selection(): Promise<SelectionInfo | null>;
  readPixels(source: 'composite' | 'activeLayer', rect?: Rect): Promise<PixelsRGBA>;
  /** One undo step; never alters existing layers. */
  addLayer(layer: NewLayer, historyName: string): Promise<{ layerId: string }>;
  /** For an upscale that does not fit the current document. */
  createDocumentWithLayer?(layer: NewLayer, name: string): Promise<void>;
  /**
   * Expand: one undo step that enlarges the canvas by `by` (existing layers keep their pixels
   * and their place in the picture) and adds `layer`, whose rect is in the enlarged document's
   * coordinates. `expectedSize` is the document's size the layer was made for; a document of
   * another size is refused. Optional: an editor without it cannot expand.
   */
  expandCanvas?(by: Sides, layer: NewLayer, historyName: string, expectedSize: { width: number; height: number }): Promise<{ layerId: string }>;
  /**
   * The record kept with the active layer (a layer the panel added, or a PNG opened with one),
   * null when it has none; throws NO_LAYER without an active layer. Optional: an editor that
   * keeps no records (Photoshop, for now) has no Recall.
   */
  activeLayerRecord?(): Promise<LayerRecord | null>;
}
