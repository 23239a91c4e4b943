/**
 * How big an upscale's result is and what it holds on the way, shared by the engine's upscale
 * job and the panel (which refuses a too-large layer before it sends any pixels), so the two
 * cannot disagree. No engine code here: the panel bundle imports it.
 */
import { InputError, invalidInput } from './errors.js';
import { exceededLimit, MAX_PIXELS, MAX_SIDE } from './limits.js';

/**
 * The result's size: the input times `requested` (default: the upsampler's whole `factor`),
 * rounded, and the scale the tiles are blended at: a whole-number scale shrinks each tile's
 * output to it, so nothing larger than the result is ever held; any other scale blends at the
 * factor and shrinks the whole picture. Refuses scales outside (1, factor] and pictures whose
 * blended size passes the engine's limits, before any work is done.
 */
export function outputSize(
  img: { width: number; height: number },
  factor: number,
  requested?: number,
): { width: number; height: number; tileScale: number } {
  const scale = requested ?? factor;
  if (typeof scale !== 'number' || !(scale > 1 && scale <= factor)) throw invalidInput('scale', `a number above 1 and at most ${factor}`, scale);
  const tileScale = Number.isInteger(scale) ? scale : factor;
  const [W, H] = [img.width * tileScale, img.height * tileScale];
  if (exceededLimit(W, H)) {
    throw new InputError(
      `upscaling ${img.width}x${img.height} works at ${tileScale}x, ${W}x${H} pixels, more than the ${MAX_SIDE} px per side and ` +
        `${MAX_PIXELS / (1024 * 1024)} MP supported: upscale a smaller picture or a part of it` +
        (tileScale > 2 ? ', or by a smaller whole-number scale' : ''),
      { details: { name: 'image', width: W, height: H, maxSide: MAX_SIDE, maxPixels: MAX_PIXELS } },
    );
  }
  return { width: Math.max(1, Math.round(img.width * scale)), height: Math.max(1, Math.round(img.height * scale)), tileScale };
}
