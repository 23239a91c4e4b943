/**
 * Fill selection: read the composite around the selection (with context), inpaint it, and
 * return layers the size of the selection's bounds with the selection as layer mask. The engine
 * returns every pixel outside the selection unchanged, and the mask hides them anyway.
 */
import { HostError } from '../../host/errors.js';
import type { Host } from '../../host/host.js';
import { selectionCrop } from '../../inference/mask.js';
import { detailScaleFor, engineCall, layerName, rankCandidates, requireDocument, samplingRequest, usableSelection } from './common.js';
import { crop, expand, placeMask } from './pixels.js';
import type { JobOptions, JobOutput, JobSettings, PanelEngine } from './types.js';

/** Context read around the selection, as a fraction of its longer side. */
export const CONTEXT = 0.5;

export async function runFill(host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  const doc = await requireDocument(host);
  const sel = await usableSelection(host);
  if (!sel) throw new HostError('EMPTY_SELECTION', 'Fill needs a selection: select the area to fill first.');
  const docRect = { left: 0, top: 0, width: doc.width, height: doc.height };
  const b = sel.bounds;
  const area = expand(b, Math.ceil(CONTEXT * Math.max(b.width, b.height)), docRect);
  const pixels = await host.readPixels('composite', area);
  const mask = placeMask(pixels.rect, sel.mask, b);
  // the engine fills a square crop around the selection (its default context margin): add
  // detail when that crop is at least 1.5 times what the cascade draws
  const pack = (await engine.info()).pack;
  const r = pixels.rect;
  const engineCrop = pack
    ? selectionCrop({ x: b.left - r.left, y: b.top - r.top, width: b.width, height: b.height }, r, { minSize: Math.min(pack.baseResolution, r.width, r.height) })
    : null;
  const detailScale = engineCrop && pack && settings.addDetail !== false ? detailScaleFor(engineCrop, pack) : 1;
  const request = {
    ...samplingRequest(settings),
    image: { width: r.width, height: r.height, data: pixels.rgba },
    mask,
    ...(detailScale > 1 ? { detailScale } : {}),
  };
  const result = await engineCall(() => engine.inpaint(request, o.onProgress), () => engine.cancel(), o.signal);
  return {
    mode: 'fill',
    docId: doc.id,
    docName: doc.name,
    seed: result.seed,
    warnings: result.warnings,
    placement: { rect: b, mask: sel.mask, target: 'layer' },
    candidates: rankCandidates(result.images, (img) => crop(img.data, pixels.rect, b, 4), b),
    layerName: layerName('Fill', settings.prompt),
    historyName: 'Fill selection',
  };
}
