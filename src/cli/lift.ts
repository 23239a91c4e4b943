/** generate --transparent: the subjects lifted off their plain backgrounds, and padded to --aspect. */
import { padToAspect } from '../inference/aspect.js';
import { MATTE_PROBLEM_WORDS, matteBackground } from '../inference/matte.js';
import type { JobResult } from '../inference/pipeline.js';

export function liftSubjects(r: JobResult): JobResult {
  const warnings = [...r.warnings];
  const images = r.images.map((img, i) => {
    const m = matteBackground(img);
    if (m.problem) warnings.push(`image ${i + 1} keeps its background: ${MATTE_PROBLEM_WORDS[m.problem]}`);
    return m.image ?? img;
  });
  return { ...r, images, warnings };
}

/** Lifted subjects centred on transparent canvases of `aspect` (none: as they are). */
export function padSubjects(r: JobResult, aspect: number | undefined): JobResult {
  if (aspect === undefined) return r;
  const images = r.images.map((img) => {
    const p = padToAspect(img, aspect);
    return { width: p.width, height: p.height, data: new Uint8ClampedArray(p.data.buffer) };
  });
  return { ...r, images, width: images[0]!.width, height: images[0]!.height };
}
