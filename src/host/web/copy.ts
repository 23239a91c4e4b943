/**
 * What Copy puts on the clipboard, as an image editor does: the selected pixels of the active
 * layer (Copy) or of everything visible (Copy Merged), cropped to the selection's bounds, with
 * the selection's edge in the alpha so a lasso's shape survives the paste; without a selection,
 * the whole layer or the whole picture. Layer via Copy puts the same pixels into a new layer.
 * No DOM: the browser half is in App.
 */
import type { Rect } from '../host.js';
import { maskBounds } from '../mask-bounds.js';
import { crop, intersect } from '../../panel/jobs/pixels.js';
import { compositeLayers, multiplyAlpha } from './composite.js';
import type { WebDocument } from './document.js';

export interface CopiedImage {
  /** where the pixels lie on the canvas */
  rect: Rect;
  width: number;
  height: number;
  /** straight alpha */
  rgba: Uint8Array;
}

/** The pixels Copy (`merged` false) or Copy Merged takes from `doc`, or a sentence saying why there are none. */
export function copiedPixels(doc: WebDocument, merged: boolean): CopiedImage | string {
  const docRect: Rect = { left: 0, top: 0, width: doc.width, height: doc.height };
  const layer = merged ? null : doc.activeLayer;
  if (!merged && !layer) return 'There is no active layer to copy: select a layer, or copy everything visible with Ctrl+Shift+C.';
  // what lies outside the canvas is not copied
  const bounds = layer ? intersect(layer.rect, docRect) : docRect;
  const selected = doc.selection ? maskBounds(doc.selection, doc.width, doc.height) : null;
  const area = bounds && selected ? intersect(selected, bounds) : bounds;
  if (!area) return selected ? 'The selection does not overlap the active layer: there is nothing to copy.' : 'The active layer lies outside the canvas: there is nothing to copy.';
  // a hidden layer is copied all the same, as it is, and without its opacity (Photoshop copies a
  // layer's pixels; opacity is a property of the layer, not of them)
  const rgba = compositeLayers(layer ? [{ ...layer, visible: true, opacity: 1 }] : doc.layers, area);
  if (doc.selection) multiplyAlpha(rgba, crop(doc.selection, docRect, area, 1));
  if (!rgba.some((v, i) => i % 4 === 3 && v > 0)) {
    const what = merged ? (selected ? 'The selected area' : 'The picture') : selected ? 'The selected area of the active layer' : 'The active layer';
    return `${what} is empty: there is nothing to copy.`;
  }
  return { rect: area, width: area.width, height: area.height, rgba };
}

/**
 * Layer > New > Layer via Copy (Ctrl+J), as in Photoshop: with a selection, the active layer's
 * selected pixels become a new layer in place above it, at its opacity, named "Layer N"; without
 * one, the active layer is duplicated ("<name> copy"). One undo step. Returns a sentence saying
 * why nothing was made, or null.
 */
export function layerViaCopy(doc: WebDocument): string | null {
  const layer = doc.activeLayer;
  if (!layer) return 'There is no active layer to copy: select a layer first.';
  if (!doc.selection) {
    doc.duplicateLayer(layer.id);
    return null;
  }
  const px = copiedPixels(doc, false);
  if (typeof px === 'string') return px;
  const opacity = layer.opacity === undefined ? {} : { opacity: layer.opacity };
  doc.addLayer({ name: nextLayerName(doc.layers.map((l) => l.name)), rect: px.rect, rgba: px.rgba, ...opacity }, 'Layer via Copy');
  return null;
}

/** Photoshop's name for a new layer: "Layer N", one past the highest N in use. */
export function nextLayerName(names: readonly string[]): string {
  const used = names.map((n) => /^Layer (\d+)$/.exec(n)).map((m) => (m ? Number(m[1]) : 0));
  return `Layer ${Math.max(0, ...used) + 1}`;
}
