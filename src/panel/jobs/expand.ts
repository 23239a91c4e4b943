/**
 * Expand (outpainting): the canvas grows and the model draws what lies beyond the picture. The
 * job reads the composite, asks the engine to fill the new border of the enlarged canvas
 * (inference/expand.ts), and returns layers covering the border's bounds, masked to the border.
 * Applying grows the canvas and adds the layer as one undo step (Host.expandCanvas).
 */
import { HostError } from '../../host/errors.js';
import type { Host } from '../../host/host.js';
import { maskBounds } from '../../host/mask-bounds.js';
import {
  borderMask,
  EXPAND_START_STRENGTH,
  expandCanvas,
  expandedSize,
  expandSides,
  scaleSides,
  TRANSPARENT_EDGES_MESSAGE,
  transparentEdges,
} from '../../inference/expand.js';
import { exceededLimit, MAX_PIXELS, MAX_SIDE } from '../../inference/limits.js';
import { engineCall, layerName, rankCandidates, requireDocument, samplingRequest } from './common.js';
import { crop, resizeRgba } from './pixels.js';
import type { JobOptions, JobOutput, JobSettings, PanelEngine } from './types.js';

/** How much the canvas grows unless the settings say otherwise. */
export const DEFAULT_EXPAND_BY = 0.25;

/**
 * The longest side of the grown canvas the engine works on. The model draws at most 512 px
 * (128 px with 4x detail), so a larger document is shrunk for the engine and the border it
 * draws enlarged back: the same picture for a fraction of the memory (a 6000 x 4000 document
 * would otherwise travel to the worker and be converted to float planes whole).
 */
export const EXPAND_WORK_SIDE = 2048;

export async function runExpand(host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  const doc = await requireDocument(host);
  if (!host.expandCanvas) throw new HostError('UNSUPPORTED', 'This editor cannot grow its canvas.');
  const by = expandSides(doc, settings.expandBy ?? DEFAULT_EXPAND_BY, settings.expandDirection ?? 'all');
  const grown = expandedSize(doc, by);
  if (exceededLimit(grown.width, grown.height)) {
    throw new HostError(
      'TOO_LARGE',
      `Expanding would make the document ${grown.width}x${grown.height} pixels, more than the ${MAX_SIDE} px per side and ${MAX_PIXELS / (1024 * 1024)} MP supported: expand by less.`,
    );
  }
  const pixels = await host.readPixels('composite');
  if (!settings.prompt.trim() && transparentEdges({ width: doc.width, height: doc.height, data: pixels.rgba }, by)) {
    throw new HostError('NEEDS_PROMPT', TRANSPARENT_EDGES_MESSAGE);
  }
  const k = Math.min(1, EXPAND_WORK_SIDE / Math.max(grown.width, grown.height));
  const work = k < 1 ? { width: Math.max(1, Math.round(doc.width * k)), height: Math.max(1, Math.round(doc.height * k)) } : doc;
  const source = k < 1 ? resizeRgba(pixels.rgba, doc.width, doc.height, work.width, work.height) : pixels.rgba;
  // below strength 1 the border starts from the picture's edge colour (EXPAND_START_STRENGTH)
  const strength = settings.strength ?? EXPAND_START_STRENGTH;
  const { image, mask } = expandCanvas({ width: work.width, height: work.height, data: source }, k < 1 ? scaleSides(by, k) : by, strength < 1 ? 'edge-colour' : 'transparent');
  const request = {
    ...samplingRequest(settings),
    strength,
    image,
    mask,
    // the border replaces what is under it outright (no feather into the start colour at the seam)
    featherRadius: 0,
    // the engine adds detail when the area it fills is large enough
    ...(settings.addDetail !== false ? { detailScale: 'auto' as const } : {}),
  };
  const result = await engineCall(() => engine.inpaint(request, o.onProgress), () => engine.cancel(), o.signal);
  // back at the document's scale: the layer covers the new border only (a strip when one side grows)
  const canvas = { left: 0, top: 0, ...grown };
  const border = k < 1 ? borderMask(doc, by) : mask;
  const rect = maskBounds(border, grown.width, grown.height)!;
  const full = (img: { width: number; height: number; data: Uint8Array }) =>
    img.width === grown.width && img.height === grown.height ? img.data : resizeRgba(img.data, img.width, img.height, grown.width, grown.height);
  return {
    mode: 'expand',
    docId: doc.id,
    docName: doc.name,
    seed: result.seed,
    warnings: result.warnings,
    placement: { rect, mask: crop(border, canvas, rect, 1), target: 'expand', expand: { by, from: { width: doc.width, height: doc.height } } },
    candidates: rankCandidates(result.images, (img) => crop(full(img), canvas, rect, 4), rect),
    layerName: layerName('Expand', settings.prompt),
    historyName: 'Expand canvas',
  };
}
