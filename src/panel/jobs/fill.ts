/**
 * Fill selection: read the composite around the selection (with context), inpaint it, and
 * return layers the size of the selection's bounds with the selection as layer mask. The engine
 * returns every pixel outside the selection unchanged, and the mask hides them anyway.
 */
import { HostError } from '../../host/errors.js';
import type { Host, Rect } from '../../host/host.js';
import { DEFAULT_CONTEXT_MARGIN } from '../../inference/jobs/inpaint.js';
import { engineCall, layerName, rankCandidates, requireDocument, runRecords, samplingRequest, usableSelection } from './common.js';
import { crop, expand, intersect, placeMask } from './pixels.js';
import type { JobOptions, JobOutput, JobSettings, PanelEngine } from './types.js';

/** Context read around the selection, as a fraction of its longer side. */
export const CONTEXT = 0.5;

/** `rgba` over `rect` with `start`'s pixels wherever they lie under the selection (`mask`, rect-sized). */
export function underSelection(rgba: Uint8Array, rect: Rect, mask: Uint8Array, start: { rect: Rect; rgba: Uint8Array }): Uint8Array {
  const out = rgba.slice();
  const both = intersect(rect, start.rect);
  if (!both) return out;
  for (let y = both.top; y < both.top + both.height; y++) {
    for (let x = both.left; x < both.left + both.width; x++) {
      const i = (y - rect.top) * rect.width + (x - rect.left);
      if (!mask[i]) continue;
      const j = ((y - start.rect.top) * start.rect.width + (x - start.rect.left)) * 4;
      out.set(start.rgba.subarray(j, j + 4), 4 * i);
    }
  }
  return out;
}

export async function runFill(host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  const doc = await requireDocument(host);
  const sel = await usableSelection(host);
  if (!sel) throw new HostError('EMPTY_SELECTION', 'Fill needs a selection: select the area to fill first.');
  const docRect = { left: 0, top: 0, width: doc.width, height: doc.height };
  const b = sel.bounds;
  const area = expand(b, Math.ceil(CONTEXT * Math.max(b.width, b.height)), docRect);
  const pixels = await host.readPixels('composite', area);
  const mask = placeMask(pixels.rect, sel.mask, b);
  const start = settings.fillStart ? underSelection(pixels.rgba, pixels.rect, mask, settings.fillStart) : pixels.rgba;
  const request = {
    ...samplingRequest(settings),
    image: { width: pixels.rect.width, height: pixels.rect.height, data: start },
    mask,
    // the engine adds detail when the crop it fills around the selection is large enough
    ...(settings.addDetail !== false ? { detailScale: 'auto' as const } : {}),
  };
  const result = await engineCall(() => engine.inpaint(request, o.onProgress), () => engine.cancel(), o.signal);
  // the engine's own context and blend (the request leaves both to it)
  const facts = {
    command: 'inpaint',
    prompt: request.prompt,
    negative: request.negativePrompt ?? '',
    context: DEFAULT_CONTEXT_MARGIN,
    blend: 'seamless',
    inputs: { image: doc.name, mask: 'selection' },
  } as const;
  return {
    mode: 'fill',
    docId: doc.id,
    docName: doc.name,
    seed: result.seed,
    warnings: result.warnings,
    placement: { rect: b, mask: sel.mask, target: 'layer' },
    candidates: rankCandidates(result.images, (img) => crop(img.data, pixels.rect, b, 4), b, false, await runRecords(engine, facts, result)),
    layerName: layerName('Fill', settings.prompt),
    historyName: 'Fill selection',
  };
}
