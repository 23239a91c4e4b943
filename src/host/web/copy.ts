/**
 * What Copy puts on the clipboard, as an image editor does: the selected pixels of the active
 * layer (Copy) or of everything visible (Copy Merged), cropped to the selection's bounds, with
 * the selection's edge in the alpha so a lasso's shape survives the paste; without a selection,
 * the whole layer or the whole picture. No DOM: the browser half is in App.
 */
import type { Rect } from '../host.js';
import { maskBounds } from '../mask-bounds.js';
import { crop, intersect } from '../../panel/jobs/pixels.js';
import { compositeLayers, multiplyAlpha } from './composite.js';
import type { WebDocument } from './document.js';

export interface CopiedImage {
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
  // a hidden layer is copied all the same, as it is
  const rgba = compositeLayers(layer ? [{ ...layer, visible: true }] : doc.layers, area);
  if (doc.selection) multiplyAlpha(rgba, crop(doc.selection, docRect, area, 1));
  if (!rgba.some((v, i) => i % 4 === 3 && v > 0)) {
    const what = merged ? (selected ? 'The selected area' : 'The picture') : selected ? 'The selected area of the active layer' : 'The active layer';
    return `${what} is empty: there is nothing to copy.`;
  }
  return { width: area.width, height: area.height, rgba };
}
