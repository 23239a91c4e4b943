/**
 * Expand (outpainting): the canvas grows and the model draws what lies beyond the picture. The
 * job reads the composite, asks the engine to fill the new border of the enlarged canvas
 * (inference/expand.ts), and returns layers covering the border's bounds, masked to the border.
 * Applying grows the canvas and adds the layer as one undo step (Host.expandCanvas).
 */
import { HostError } from '../../host/errors.js';
import type { Host } from '../../host/host.js';
import { maskBounds } from '../../host/mask-bounds.js';
import { expandCanvas, expandSides } from '../../inference/expand.js';
import { engineCall, layerName, rankCandidates, requireDocument, samplingRequest } from './common.js';
import { crop } from './pixels.js';
import type { JobOptions, JobOutput, JobSettings, PanelEngine } from './types.js';

/** How much the canvas grows unless the settings say otherwise. */
export const DEFAULT_EXPAND_BY = 0.25;

export async function runExpand(host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  const doc = await requireDocument(host);
  if (!host.expandCanvas) throw new HostError('UNSUPPORTED', 'This editor cannot grow its canvas.');
  const by = expandSides(doc, settings.expandBy ?? DEFAULT_EXPAND_BY, settings.expandDirection ?? 'all');
  const pixels = await host.readPixels('composite');
  const { image, mask } = expandCanvas({ width: doc.width, height: doc.height, data: pixels.rgba }, by);
  const request = {
    ...samplingRequest(settings),
    image,
    mask,
    // the engine adds detail when the area it fills is large enough
    ...(settings.addDetail !== false ? { detailScale: 'auto' as const } : {}),
  };
  const result = await engineCall(() => engine.inpaint(request, o.onProgress), () => engine.cancel(), o.signal);
  const canvas = { left: 0, top: 0, width: image.width, height: image.height };
  // the layer covers the new border only (its bounds: a strip when one side grows)
  const rect = maskBounds(mask, image.width, image.height)!;
  return {
    mode: 'expand',
    docId: doc.id,
    docName: doc.name,
    seed: result.seed,
    warnings: result.warnings,
    placement: { rect, mask: crop(mask, canvas, rect, 1), target: 'expand', expand: { by, from: { width: doc.width, height: doc.height } } },
    candidates: rankCandidates(result.images, (img) => crop(img.data, canvas, rect, 4), rect),
    layerName: layerName('Expand', settings.prompt),
    historyName: 'Expand canvas',
  };
}
