/**
 * Generate: a new layer from the prompt. With a selection the image covers the selection's
 * bounds (centre-cropped, the selection as layer mask when it is not a plain rectangle);
 * without one it is centred in the document at its own size, scaled down if it does not fit.
 * With a selection the engine is told its size and adds detail (a second, tiled upscale) when it
 * is at least 1.5 times the cascade's output, instead of enlarging a small picture, unless the
 * settings turn that off.
 */
import type { Host, Rect } from '../../host/host.js';
import { engineCall, layerName, rankCandidates, requireDocument, samplingRequest, usableSelection } from './common.js';
import { allSet, coverRgba, resizeRgba } from './pixels.js';
import type { JobOptions, JobOutput, JobSettings, PanelEngine, Placement } from './types.js';

export async function runGenerate(host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  const doc = await requireDocument(host);
  const sel = await usableSelection(host);
  // the engine adds detail when the selection is large enough for it
  const detail = sel && settings.addDetail !== false ? { detailScale: 'auto' as const, layerSize: { width: sel.bounds.width, height: sel.bounds.height } } : {};
  // "More like this": the engine redraws the chosen variation at the request's strength
  const request = { ...samplingRequest(settings), ...detail, ...(settings.init ? { init: settings.init } : {}) };
  const result = await engineCall(() => engine.generate(request, o.onProgress), () => engine.cancel(), o.signal);
  const { width: W, height: H } = result;

  let placement: Placement;
  if (sel) {
    placement = { rect: sel.bounds, target: 'layer', ...(allSet(sel.mask) ? {} : { mask: sel.mask }) };
  } else {
    const scale = Math.min(1, doc.width / W, doc.height / H);
    const w = Math.max(1, Math.round(W * scale));
    const h = Math.max(1, Math.round(H * scale));
    const rect: Rect = { left: Math.floor((doc.width - w) / 2), top: Math.floor((doc.height - h) / 2), width: w, height: h };
    placement = { rect, target: 'layer' };
  }
  const { width: w, height: h } = placement.rect;
  const fit = sel ? (d: Uint8Array) => coverRgba(d, W, H, w, h) : (d: Uint8Array) => resizeRgba(d, W, H, w, h);
  return {
    mode: 'generate',
    docId: doc.id,
    docName: doc.name,
    seed: result.seed,
    warnings: result.warnings,
    placement,
    candidates: rankCandidates(result.images, (img) => fit(img.data), { width: w, height: h }, true),
    layerName: layerName('Generated', settings.prompt),
    historyName: 'Generate layer',
  };
}
