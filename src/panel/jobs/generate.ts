/**
 * Generate: a new layer from the prompt. With a selection the image covers the selection's
 * bounds (the selection as layer mask when it is not a plain rectangle): a wide or tall one gets
 * the square extended to its shape by the engine (selectionAspect), a nearly square one the
 * square centre-cropped;
 * without one it is centred in the document at its own size, scaled down if it does not fit.
 * With a selection the engine is told its size and adds detail (a second, tiled upscale) when it
 * is at least 1.5 times the cascade's output, instead of enlarging a small picture, unless the
 * settings turn that off.
 *
 * Starting from a picture instead of noise (the engine's init and strength): "More like this"
 * sends a variation back as `settings.init`; Start from: Active layer redraws the layer's
 * pixels' centred square, and the result covers that square (or the selection, if there is one).
 */
import { HostError } from '../../host/errors.js';
import type { Host, Rect } from '../../host/host.js';
import { MAX_ASPECT, padToAspect } from '../../inference/aspect.js';
import { MATTE_PROBLEM_WORDS, matteBackground, type MatteProblem } from '../../inference/matte.js';
import { engineCall, layerName, rankCandidates, requireDocument, runRecords, samplingRequest, usableSelection } from './common.js';
import { allSet, coverRgba, crop, opaqueBounds, resizeRgba } from './pixels.js';
import type { JobOptions, JobOutput, JobSettings, PanelEngine, Placement, WireImage } from './types.js';

/**
 * Up to this much wider than tall (or taller than wide), a selection takes the square cut to its
 * shape: at 1.15 the cut loses 6.5 % of the picture on each side, inside the margin the model
 * leaves around its subjects. Beyond it the square is extended to the selection's shape.
 */
export const CROP_ASPECT_LIMIT = 1.15;

/** The shape to extend a generate to for a selection's bounds (at most MAX_ASPECT; the rest is cut), or undefined to keep the square. */
export function selectionAspect(bounds: { width: number; height: number }): number | undefined {
  const a = bounds.width / bounds.height;
  if (Math.max(a, 1 / a) <= CROP_ASPECT_LIMIT) return undefined;
  return Math.min(Math.max(a, 1 / MAX_ASPECT), MAX_ASPECT);
}

/**
 * The longest side of a layer sent as a start picture: the engine shrinks it to the base's
 * resolution anyway, so a large layer need not cross to the worker at full size.
 */
export const START_PICTURE_SIDE = 512;

export async function runGenerate(host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  const doc = await requireDocument(host);
  const sel = await usableSelection(host);
  // the layer is read for its square even when `init` (More like this after Redraw layer) wins, so the result lands there again
  const layer = settings.startFrom === 'layer' ? await layerStart(host) : null;
  const init = settings.init ?? layer?.init;
  // the area the result covers, if any: the engine adds detail when it is large enough for it
  const cover = sel?.bounds ?? layer?.rect;
  const detail = cover && settings.addDetail !== false ? { detailScale: 'auto' as const, layerSize: { width: cover.width, height: cover.height } } : {};
  // a wide or tall selection gets the whole subject, its sides drawn on, not a cut-out of a square
  const shape = sel ? selectionAspect(sel.bounds) : undefined;
  // a subject lifted off its background is padded to the shape with transparency instead: drawn sides would only be keyed out
  const pad = shape !== undefined && settings.transparentBackground === true;
  const request = { ...samplingRequest(settings), ...detail, ...(init ? { init } : {}), ...(shape !== undefined && !pad ? { aspect: shape } : {}) };
  const result = await engineCall(() => engine.generate(request, o.onProgress), () => engine.cancel(), o.signal);
  const { width: W, height: H } = result;

  let placement: Placement;
  if (sel) {
    placement = { rect: sel.bounds, target: 'layer', ...(allSet(sel.mask) ? {} : { mask: sel.mask }) };
  } else if (layer) {
    placement = { rect: layer.rect, target: 'layer' };
  } else {
    const scale = Math.min(1, doc.width / W, doc.height / H);
    const w = Math.max(1, Math.round(W * scale));
    const h = Math.max(1, Math.round(H * scale));
    const rect: Rect = { left: Math.floor((doc.width - w) / 2), top: Math.floor((doc.height - h) / 2), width: w, height: h };
    placement = { rect, target: 'layer' };
  }
  const { width: w, height: h } = placement.rect;
  // the drawn picture at the placement's size: padded to the selection's shape (transparent
  // subject), cut to it, or scaled
  const fit = (d: Uint8Array): Uint8Array => {
    if (pad) {
      const p = padToAspect({ width: W, height: H, data: d }, shape!);
      return coverRgba(p.data, p.width, p.height, w, h);
    }
    return cover ? coverRgba(d, W, H, w, h) : resizeRgba(d, W, H, w, h);
  };
  const kept: MatteProblem[] = [];
  // the subject alone: its plain background made transparent before the picture is fitted (More like this keeps the picture as drawn)
  const lift = (img: WireImage): Uint8Array => {
    if (!settings.transparentBackground) return img.data;
    const m = matteBackground(img);
    if (m.image) return new Uint8Array(m.image.data.buffer);
    kept.push(m.problem!);
    return img.data;
  };
  const facts = {
    command: 'generate',
    prompt: request.prompt,
    negative: request.negativePrompt ?? '',
    transparent: settings.transparentBackground === true,
    ...(pad ? { aspect: shape } : {}),
    // a start picture has no file here: the record says which kind it was
    ...(init ? { inputs: { init: settings.init ? 'variation' : 'active layer' } } : {}),
  } as const;
  const candidates = rankCandidates(result.images, (img) => fit(lift(img)), { width: w, height: h }, true, await runRecords(engine, facts, result));
  return {
    mode: 'generate',
    docId: doc.id,
    docName: doc.name,
    seed: result.seed,
    warnings: [...result.warnings, ...backgroundNotes(kept, result.images.length)],
    placement,
    candidates,
    layerName: layerName(layer ? 'Redrawn' : 'Generated', settings.prompt),
    historyName: layer ? 'Redraw layer' : 'Generate layer',
  };
}

/** What to say when Transparent background left some variations as drawn. */
function backgroundNotes(problems: MatteProblem[], total: number): string[] {
  if (problems.length === 0) return [];
  const which = problems.length === total ? (total === 1 ? 'The variation keeps its' : 'The variations keep their') : `${problems.length} of ${total} variations keep their`;
  const why = MATTE_PROBLEM_WORDS[problems.every((p) => p === 'only background') ? 'only background' : 'no plain background'];
  return [`${which} background: ${why}.`];
}

/** The active layer's pixels' centred square (document coordinates) and the start picture from it. */
async function layerStart(host: Host): Promise<{ init: WireImage; rect: Rect }> {
  const read = await host.readPixels('activeLayer');
  const box = read.rect.width > 0 && read.rect.height > 0 ? opaqueBounds(read.rgba, read.rect) : null;
  if (!box) {
    throw new HostError('NO_LAYER', 'The active layer is empty: select a layer with pixels to start from, or set Advanced > Start from to Noise.');
  }
  const side = Math.min(box.width, box.height);
  const rect = { left: box.left + Math.floor((box.width - side) / 2), top: box.top + Math.floor((box.height - side) / 2), width: side, height: side };
  const square = crop(read.rgba, read.rect, rect, 4);
  const s = Math.min(side, START_PICTURE_SIDE);
  return { init: { width: s, height: s, data: resizeRgba(square, side, side, s, s) }, rect };
}
