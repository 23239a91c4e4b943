/** The mode jobs: plain functions over a Host and a PanelEngine (no DOM). */
import type { Host } from '../../host/host.js';
import { runExpand } from './expand.js';
import { runFill } from './fill.js';
import { runGenerate } from './generate.js';
import { runUpscale } from './upscale.js';
import type { JobOptions, JobOutput, JobSettings, Mode, PanelEngine } from './types.js';

export * from './types.js';
export { applyCandidate, type Applied } from './apply.js';
export { isCancelled, JobCancelled, plainMessage } from './errors.js';
export { runExpand, runFill, runGenerate, runUpscale };

const RUN: Record<Mode, typeof runGenerate> = { generate: runGenerate, fill: runFill, expand: runExpand, upscale: runUpscale };

export function runJob(mode: Mode, host: Host, engine: PanelEngine, settings: JobSettings, o: JobOptions = {}): Promise<JobOutput> {
  return RUN[mode](host, engine, settings, o);
}
