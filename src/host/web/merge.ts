/**
 * Layer > Merge Down (Ctrl+E) in the web editor: the active layer is composited into the one
 * below it, as Photoshop does. The result covers both layers' rectangles, takes the lower
 * layer's name and opacity, and has the masks applied to its pixels; the upper layer goes in at
 * its own opacity. With the lower layer at full opacity nothing that shows changes. No DOM.
 */
import { union } from '../../panel/jobs/pixels.js';
import { compositeLayers } from './composite.js';
import type { WebDocument } from './document.js';

/** Merges the active layer into the one below; one undo step. Returns why it could not, or null. */
export function mergeDown(doc: WebDocument): string | null {
  const i = doc.layers.findIndex((l) => l.id === doc.activeId);
  if (i < 0) return 'There is no active layer to merge: select a layer first.';
  if (i === 0) return 'The active layer is the bottom one: there is no layer below to merge it into.';
  const upper = doc.layers[i]!;
  const lower = doc.layers[i - 1]!;
  if (!upper.visible || !lower.visible) {
    return `Merge Down needs both layers shown: "${(upper.visible ? lower : upper).name}" is hidden.`;
  }
  const rect = union(lower.rect, upper.rect);
  // the lower layer at full strength, the upper over it at its own opacity; the lower's opacity
  // then applies to the whole, as it does in Photoshop
  const rgba = compositeLayers([{ ...lower, opacity: 1 }, upper], rect);
  const opacity = lower.opacity === undefined ? {} : { opacity: lower.opacity };
  doc.replaceWithMerged(upper.id, { name: lower.name, rect, rgba, ...opacity });
  return null;
}
