/** Turning engine progress events into what the bar shows (pure, for tests). */
import type { Mode, ProgressEvent } from '../jobs/types.js';

const STAGE_NAMES = { text: 'Reading the prompt', base: 'Drawing', upsampler: 'Upscaling', detail: 'Adding detail', extend: 'Extending to the shape' } as const;

/**
 * Share of the whole run each stage takes, by mode. Adding detail (a second, tiled upscale for a
 * large selection) and extending a generate's squares to a wide selection's shape are passes of
 * their own: the bar fills again for each.
 */
const CASCADE: Record<ProgressEvent['stage'], [number, number]> = { text: [0, 0.02], base: [0.02, 0.6], upsampler: [0.6, 1], detail: [0, 1], extend: [0, 1] };
const WEIGHTS: Record<Mode, Record<ProgressEvent['stage'], [number, number]>> = {
  generate: CASCADE,
  fill: CASCADE,
  expand: CASCADE,
  upscale: { text: [0, 0.02], base: [0.02, 0.02], upsampler: [0.02, 1], detail: [0, 1], extend: [0, 1] },
};

export interface ProgressSummary {
  fraction: number;
  label: string;
  eta: string;
}

export function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
}

export function summarize(mode: Mode, e: ProgressEvent | null): ProgressSummary {
  if (!e) return { fraction: 0, label: 'Starting…', eta: '' };
  const [a, b] = WEIGHTS[mode][e.stage];
  const f = e.total > 0 ? Math.min(1, e.step / e.total) : 0;
  return {
    fraction: a + (b - a) * f,
    label: `${STAGE_NAMES[e.stage]}: step ${e.step} of ${e.total}`,
    eta: e.stage === 'text' ? '' : `about ${seconds(e.etaMs)} left in this stage · ${seconds(e.elapsedMs)} so far`,
  };
}
