/**
 * The web editor's zoom: the steps Ctrl+= and Ctrl+- walk (Photoshop's ladder), the fit to the
 * view, and the largest zoom a document may take (the view stays a size browsers draw).
 */

/** Zoom factors, smallest first. */
export const ZOOM_STEPS = [1 / 16, 1 / 8, 1 / 4, 1 / 3, 1 / 2, 2 / 3, 1, 2, 3, 4, 6, 8, 12, 16, 32] as const;

/** The fit never enlarges past this (small documents stay crisp but not huge). */
export const MAX_FIT_ZOOM = 4;
/** The longest side of the zoomed document, in CSS pixels. */
const MAX_VIEW_SIDE = 32768;

/** The zoom that shows the whole document in a `view` of that size, with `margin` around it. */
export function fitZoom(doc: { width: number; height: number }, view: { width: number; height: number }, margin = 24): number {
  const z = Math.min(MAX_FIT_ZOOM, (view.width - margin) / doc.width, (view.height - margin) / doc.height);
  return Math.max(z, 1 / 64);
}

/** The next step in (`in`) or out from `zoom`, within what `doc` allows; `zoom` itself at either end. */
export function stepZoom(zoom: number, zoomIn: boolean, doc: { width: number; height: number }): number {
  const most = Math.min(ZOOM_STEPS.at(-1)!, MAX_VIEW_SIDE / Math.max(doc.width, doc.height));
  const next = zoomIn ? ZOOM_STEPS.find((z) => z > zoom * 1.001) : [...ZOOM_STEPS].reverse().find((z) => z < zoom * 0.999);
  if (next === undefined) return zoom;
  return zoomIn ? Math.min(next, Math.max(most, zoom)) : next;
}

/** "100%", "33.3%", "1600%". */
export function zoomLabel(zoom: number): string {
  return `${Number((zoom * 100).toFixed(zoom < 1 ? 1 : 0))}%`;
}
