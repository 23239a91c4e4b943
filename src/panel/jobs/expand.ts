/**
 * Expand (outpainting): the canvas grows and the model draws what lies beyond the picture. The
 * job reads the composite, asks the engine to fill the new border of the enlarged canvas
 * (inference/expand.ts), and returns layers covering the border's bounds, masked to the border.
 * Applying grows the canvas and adds the layer as one undo step (Host.expandCanvas).
 */
import { HostError } from '../../host/errors.js';
import type { Host, Rect } from '../../host/host.js';
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
import { engineCall, layerName, rankCandidates, requireDocument, runRecords, samplingRequest } from './common.js';
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

/**
 * Puts a variation (document pixels of the grown canvas over `start.rect`) into the border of
 * the working canvas `image` (scale `k` of the document), nearest pixel, where `mask` is set.
 */
export function borderFrom(image: { width: number; height: number; data: Uint8Array }, mask: Uint8Array, k: number, start: { rect: Rect; rgba: Uint8Array }): void {
  const { rect } = start;
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = y * image.width + x;
      if (!mask[i]) continue;
      const sx = Math.min(Math.floor((x + 0.5) / k), rect.left + rect.width - 1) - rect.left;
      const sy = Math.min(Math.floor((y + 0.5) / k), rect.top + rect.height - 1) - rect.top;
      if (sx < 0 || sy < 0) continue;
      const j = (sy * rect.width + sx) * 4;
      image.data.set(start.rgba.subarray(j, j + 4), 4 * i);
    }
  }
}

export async function runExpand(host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  const doc = await requireDocument(host);
  if (!host.expandCanvas) throw new HostError('UNSUPPORTED', 'This editor cannot grow its canvas.');
  const start = settings.expandStart;
  if (start && (start.from.width !== doc.width || start.from.height !== doc.height)) {
    throw new HostError(
      'NO_DOCUMENT',
      `The document is now ${doc.width}x${doc.height}, not the ${start.from.width}x${start.from.height} that variation was made for (a variation was added, or the canvas changed): undo to it first, or run Expand again.`,
    );
  }
  const share = settings.expandBy ?? DEFAULT_EXPAND_BY;
  const sides = settings.expandDirection ?? 'all';
  const by = expandSides(doc, share, sides);
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
  if (start) borderFrom(image, mask, k, start);
  const request = {
    ...samplingRequest(settings),
    strength,
    image,
    mask,
    // the border replaces what is under it outright (no feather into the start colour at the seam)
    featherRadius: 0,
    // the engine's seamless blend takes away the border's step at the picture's edge (docs/fill.md),
    // over all of the border: it continues the picture, whatever the prompt
    blend: 'seamless' as const,
    seamReach: 'all' as const,
    // the engine adds detail when the area it fills is large enough
    ...(settings.addDetail !== false ? { detailScale: 'auto' as const } : {}),
  };
  const result = await engineCall(() => engine.inpaint(request, o.onProgress), () => engine.cancel(), o.signal);
  const facts = { command: 'expand', prompt: request.prompt, negative: request.negativePrompt ?? '', by: share, sides, blend: 'seamless', inputs: { image: doc.name } } as const;
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
    candidates: rankCandidates(result.images, (img) => crop(full(img), canvas, rect, 4), rect, false, await runRecords(engine, facts, result)),
    layerName: layerName('Expand', settings.prompt),
    historyName: 'Expand canvas',
  };
}
