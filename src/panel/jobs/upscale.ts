/**
 * Upscale: the active layer, or the whole visible image, through the pack's upsampler (4x for
 * GLIDE-style packs), or by a smaller scale that the engine shrinks the result to. The result is
 * a new layer centred on the original when it fits the document, else a new document (always,
 * for the whole image).
 */
import { HostError } from '../../host/errors.js';
import type { ContentKind } from '../../inference/content.js';
import type { UpscaleStrengthByContent } from '../../inference/pack-types.js';
import { outputSize } from '../../inference/upscale-size.js';
import type { Host } from '../../host/host.js';
import { engineCall, rankCandidates, requireDocument, runRecords, sentence } from './common.js';
import { centredIn, crop, opaqueBounds } from './pixels.js';
import type { JobOptions, JobOutput, JobSettings, PanelEngine, Placement } from './types.js';

export async function runUpscale(host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  const doc = await requireDocument(host);
  const info = await engine.info();
  if (!info.pack) throw new HostError('HOST_FAILED', 'No model is loaded yet: wait for it to finish loading.');
  const factor = Math.round(info.pack.upsamplerResolution / info.pack.baseResolution);
  // a stored scale the loaded pack cannot reach falls back to its whole factor
  const scale = settings.upscaleScale !== undefined && settings.upscaleScale < factor ? settings.upscaleScale : factor;
  const whole = settings.upscaleSource === 'image';
  const read = await host.readPixels(whole ? 'composite' : 'activeLayer');
  const box = read.rect.width > 0 && read.rect.height > 0 ? opaqueBounds(read.rgba, read.rect) : null;
  if (!box) {
    throw whole
      ? new HostError('NO_LAYER', 'The image is empty (every visible layer is transparent): there is nothing to upscale.')
      : new HostError('NO_LAYER', 'The active layer is empty: select a layer with pixels to upscale, or upscale the whole image.');
  }
  // a layer is upscaled from its pixels' bounds (Photoshop reads a layer canvas-sized); the
  // whole image keeps its canvas
  const src = whole ? read : { rect: box, rgba: crop(read.rgba, read.rect, box, 4) };
  const { rect } = src;
  // the engine's own rule (what it holds on the way must fit its limits), before any pixels travel
  let size;
  try {
    size = outputSize(rect, factor, scale);
  } catch (e) {
    throw new HostError('TOO_LARGE', sentence((e as Error).message));
  }
  const { width: W, height: H } = size;
  const fits = W <= doc.width && H <= doc.height;
  if (!fits && !host.createDocumentWithLayer) {
    throw new HostError('TOO_LARGE', `The ${W}x${H} result does not fit in this ${doc.width}x${doc.height} document, and this editor cannot open a new one.`);
  }
  const docRect = { left: 0, top: 0, width: doc.width, height: doc.height };
  const placement: Placement = fits
    ? { rect: centredIn(W, H, rect.left + rect.width / 2, rect.top + rect.height / 2, docRect), target: 'layer' }
    : { rect: { left: 0, top: 0, width: W, height: H }, target: 'newDocument' };
  const request = {
    image: { width: rect.width, height: rect.height, data: src.rgba },
    ...(settings.prompt.trim() ? { prompt: settings.prompt.trim() } : {}),
    ...(settings.seed !== undefined ? { seed: settings.seed } : {}),
    ...(settings.upsamplerSteps !== undefined ? { steps: settings.upsamplerSteps } : {}),
    ...(settings.upscaleStrength !== undefined ? { strength: settings.upscaleStrength } : {}),
    ...(scale !== factor ? { scale } : {}),
  };
  const pair = info.pack.defaults.upscaleStrength;
  const result = await engineCall(() => engine.upscale(request, o.onProgress), () => engine.cancel(), o.signal);
  if (result.width !== W || result.height !== H) {
    throw new HostError('HOST_FAILED', `The engine returned ${result.width}x${result.height}; ${W}x${H} was expected.`);
  }
  const facts = { command: 'upscale', ...(request.prompt ? { prompt: request.prompt } : {}), inputs: { image: whole ? doc.name : 'active layer' } } as const;
  return {
    mode: 'upscale',
    docId: doc.id,
    docName: doc.name,
    seed: result.seed,
    warnings: result.warnings,
    ...(result.upscale?.content && typeof pair === 'object' ? { notes: [strengthNote(result.upscale.content.kind, pair)] } : {}),
    placement,
    candidates: rankCandidates(result.images, (img) => img.data, { width: W, height: H }, false, await runRecords(engine, facts, result)),
    layerName: `Upscaled ${scale}x`,
    historyName: `Upscale ${scale}x`,
  };
}

/** Says which strength auto chose and why, so that a wrong guess can be overridden. */
export function strengthNote(kind: ContentKind, pair: UpscaleStrengthByContent): string {
  return kind === 'photo'
    ? `Looks like a photograph: upscaled at strength ${pair.photo}, which keeps its own texture. For crisp redrawn edges, as for drawings, set Advanced > Strength to ${pair.graphic}.`
    : `Looks like flat-coloured art: upscaled at strength ${pair.graphic}, which redraws crisp edges. For a photograph, set Advanced > Strength to ${pair.photo}.`;
}
