/**
 * Generating for a wide or tall area: the cascade draws squares, and cutting a square to a
 * 3:1 selection cuts the subject's top and bottom off. Instead each square is extended to the
 * area's shape by outpainting (the Expand job's way: the new sides start from the picture's
 * edge colour, are partly redrawn and blended into the picture), so the subject stays whole in
 * the middle and its background goes on to the sides.
 */
import { aspectSides, extensionSeed } from '../aspect.js';
import { expandCanvas } from '../expand.js';
import type { RgbaImage } from '../image.js';
import { stageOverImages } from '../progress.js';
import type { ResolvedSampling } from '../requests.js';
import type { JobContext, JobHooks } from './context.js';
import { runInpaint } from './inpaint.js';

/**
 * How much of the new sides is redrawn, starting from the picture's edge colour. Looked at on
 * four prompts extended to 5:2 (docs/generate-shape.png): at Expand's 0.9 the model drew shapes
 * into the sides (wings beside a heart, a bar beside a smiley), at 0.7 fewer, at 0.6 the sides
 * continue the background with its grain; at 0.5 specks stay. Drawing the sides as strips of at
 * most half the square, each seen at the model's own proportions, drew objects into them at 0.7
 * and specks at 0.5 (the model fills a half-empty view with a subject).
 */
export const EXTEND_STRENGTH = 0.6;

/**
 * Extends each square image to `aspect`, one after another, as one 'extend' stage whose steps
 * count on over the images: an Expand of both sides at once (the inpaint job squeezes the wide
 * canvas into the model's square, which keeps the whole picture in view), redrawn at
 * EXTEND_STRENGTH from the edge colour and blended into the picture. The sides are drawn with no
 * prompt (they continue the picture's background; a prompt draws its subject again beside it),
 * with the run's sampler, steps, guidance and upsampler, one candidate, no detail (the caller
 * adds detail to the whole picture). The square's pixels come back unchanged in the middle (the
 * inpaint job's paste-back).
 */
export async function extendToAspect(ctx: JobContext, images: RgbaImage[], aspect: number, req: ResolvedSampling, hooks: JobHooks): Promise<RgbaImage[]> {
  const out: RgbaImage[] = [];
  const forImage = stageOverImages('extend', images.length, hooks.onProgress);
  // steps of one image's inpaint, as its stages report them (the base's depend on the strength)
  let baseSteps = 0;
  const upSteps = req.upscale ? req.upsamplerSteps : 0;
  for (const [i, square] of images.entries()) {
    const sides = aspectSides(square.width, aspect);
    if (sides.left + sides.right + sides.top + sides.bottom === 0) {
      out.push(square);
      continue;
    }
    const grown = expandCanvas(square, sides, 'edge-colour');
    const onProgress = forImage(i, (e) => {
      if (e.stage === 'text') return null;
      if (e.stage === 'base') baseSteps = e.total;
      return { step: e.stage === 'base' ? e.step : baseSteps + e.step, perImage: baseSteps + upSteps };
    });
    const sideReq: ResolvedSampling = {
      ...req,
      prompt: '',
      negativePrompt: '',
      seed: extensionSeed(req.seed, i),
      count: 1,
      candidates: 1,
      detailScale: 1,
      strength: EXTEND_STRENGTH,
    };
    const r = await runInpaint(ctx, { prompt: '', image: grown.image, mask: grown.mask, featherRadius: 0, blend: 'seamless', seamReach: 'all' }, sideReq, {
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      ...(onProgress ? { onProgress } : {}),
    });
    out.push(r.images[0]!);
  }
  return out;
}
