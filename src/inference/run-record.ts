/**
 * What made a picture: written into every PNG the command line and the web editor save, kept
 * with each layer the panel adds, and read back (the CLI's `--recall`, the panel's Recall) to
 * make it again (run-record-check.ts reads it). No DOM and no Node: the CLI, the worker and the
 * panel share it. Two text chunks:
 * - "parameters": a readable block in the form other diffusion tools write and show (the prompt;
 *   "Negative prompt: ..."; "Steps: 20, Sampler: DPM++ 2M, CFG scale: 3, Seed: 7, ..."),
 * - "diffusion-layers": the run as JSON in the command line's own option names, every default
 *   decided, so a recall repeats it even where the pack's defaults have since changed.
 * Input pictures are named by file name only (no folders: a shared PNG does not tell where its
 * maker keeps files); a recall asks for them again.
 */
import type { ExpandDirection } from './expand.js';
import type { JobResult } from './pipeline.js';
import { SAMPLER_LABELS, type SamplerName } from './sampling/samplers.js';

/** The chunk other tools read and show. */
export const PARAMETERS_KEY = 'parameters';
/** The chunk --recall reads. */
export const RECORD_KEY = 'diffusion-layers';
export const RECORD_FORMAT = 'diffusion-layers-run';
export const RECORD_VERSION = 1;

declare const __VERSION__: string;
/** This tool's version (the build writes it in; 'dev' when run from the sources). */
export const APP_VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : 'dev';

export const RECORDED_COMMANDS = ['generate', 'inpaint', 'expand', 'upscale'] as const;
export type RecordedCommand = (typeof RECORDED_COMMANDS)[number];

/** A run's options, named as the command line names them (`--upsampler-steps` is upsamplerSteps). */
export interface RecordedOptions {
  prompt?: string;
  negative?: string;
  seed: number;
  steps: number;
  sampler: SamplerName;
  guidance?: number;
  count?: number;
  candidates?: number;
  threshold?: number | 'static';
  upscale?: boolean;
  upsamplerSteps?: number;
  detail?: number;
  strength?: number;
  transparent?: boolean;
  by?: number;
  sides?: ExpandDirection;
  scale?: number;
  context?: number;
  blend?: 'seamless' | 'feather';
  /** the seamless blend's reach (inpaint, expand); a record without one was made before reach existed: 'all' */
  seamReach?: number | 'all';
  /** generate: width / height the squares were extended to (none: square) */
  aspect?: number;
}

export interface RunRecord {
  format: typeof RECORD_FORMAT;
  version: typeof RECORD_VERSION;
  /** the tool's version */
  app: string;
  /** the model pack's name */
  model: string;
  command: RecordedCommand;
  options: RecordedOptions;
  /** which of the run's pictures this is (from 0), of how many */
  image: { index: number; of: number };
  /** the pictures the run read, by file name */
  inputs?: { init?: string; image?: string; mask?: string };
}

/** What the command line knows of a run beyond the engine's result. */
export interface RunFacts {
  command: RecordedCommand;
  app: string;
  model: string;
  prompt?: string;
  negative?: string;
  transparent?: boolean;
  by?: number;
  sides?: ExpandDirection;
  context?: number;
  blend?: 'seamless' | 'feather';
  /** generate: the shape the caller padded a lifted subject to (the engine drew a square) */
  aspect?: number;
  inputs?: { init?: string; image?: string; mask?: string };
}

/** The last part of a path, with either kind of slash (the record never says where its maker keeps files). */
export function fileName(path: string): string {
  return path.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? path;
}

/** The record of picture `index` of a run. */
export function runRecord(facts: RunFacts, result: Pick<JobResult, 'seed' | 'settings' | 'images'>, index: number): RunRecord {
  const s = result.settings;
  const options: RecordedOptions = { seed: result.seed, steps: s.steps, sampler: s.sampler };
  if (facts.command === 'upscale') {
    // the panel's Upscale takes an optional prompt (the command line's has none, and skips it on recall)
    Object.assign(options, { strength: s.strength, scale: s.scale, ...(facts.prompt ? { prompt: facts.prompt } : {}) });
  } else {
    Object.assign(options, {
      prompt: facts.prompt ?? '',
      negative: facts.negative ?? '',
      guidance: s.guidance,
      count: s.count,
      candidates: s.candidates,
      threshold: s.dynamicThreshold === null ? 'static' : s.dynamicThreshold,
      upscale: s.upscale,
      upsamplerSteps: s.upsamplerSteps,
      detail: s.detailScale,
    });
    // a generate's strength means something only with a start picture (--strength needs --init)
    if (facts.command !== 'generate' || facts.inputs?.init !== undefined) options.strength = s.strength;
    if (facts.command === 'generate') Object.assign(options, { transparent: facts.transparent === true, aspect: s.aspect ?? facts.aspect });
    if (facts.command === 'expand') Object.assign(options, { by: facts.by, sides: facts.sides, blend: facts.blend, seamReach: s.seamReach });
    if (facts.command === 'inpaint') Object.assign(options, { context: facts.context, blend: facts.blend, seamReach: s.seamReach });
  }
  const inputs = Object.fromEntries(Object.entries(facts.inputs ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, fileName(v!)]));
  return {
    format: RECORD_FORMAT,
    version: RECORD_VERSION,
    app: facts.app,
    model: facts.model,
    command: facts.command,
    options: Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as unknown as RecordedOptions,
    image: { index, of: result.images.length },
    ...(Object.keys(inputs).length ? { inputs } : {}),
  };
}

/** The record as JSON in plain ASCII (tEXt chunks are Latin-1): other characters as \u escapes, which JSON reads back exactly. */
export function recordText(r: RunRecord): string {
  return JSON.stringify(r).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** "Steps: 20, Sampler: DPM++ 2M, ..." after the prompt and the negative prompt, as other diffusion tools write it. */
export function parametersText(r: RunRecord, size: { width: number; height: number }): string {
  const o = r.options;
  const fields: Array<[string, unknown]> = [
    ['Steps', o.steps],
    ['Sampler', SAMPLER_LABELS[o.sampler]],
    ['CFG scale', o.guidance],
    ['Seed', o.seed],
    ['Size', `${size.width}x${size.height}`],
    ['Model', r.model],
    ['Denoising strength', o.strength],
    ['Candidates', o.candidates],
    ['Upscale', o.scale === undefined ? undefined : `${o.scale}x`],
    ['Image', r.image.of > 1 ? `${r.image.index + 1} of ${r.image.of}` : undefined],
    ['Job', r.command],
    ['Version', `diffusion-layers ${r.app}`],
  ];
  const lines = [];
  if (o.prompt !== undefined) lines.push(o.prompt);
  if (o.negative) lines.push(`Negative prompt: ${o.negative}`);
  lines.push(fields.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${String(v)}`).join(', '));
  return lines.join('\n');
}

/** The readable "parameters" text split up: what other diffusion tools write (and this one too). */
export interface ParametersText {
  prompt: string;
  negative: string;
  /** "Steps", "Sampler", "CFG scale", "Seed", ... as written (quotes taken off) */
  fields: Record<string, string>;
}

/** One "Key: value" of the last line; a value in double quotes may hold commas. */
const FIELD = /\s*([\w][\w ./-]*):\s*("(?:\\.|[^\\"])*"|[^,]*)(?:,|$)/g;

/**
 * Reads a "parameters" text: the prompt's lines, then "Negative prompt: ..." (which may run over
 * several lines), then one line of "Key: value" fields that starts with "Steps: ". A text without
 * that line is all prompt.
 */
export function parseParametersText(text: string): ParametersText {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const fields: Record<string, string> = {};
  const last = lines.at(-1) ?? '';
  if (/^Steps: /.test(last)) {
    lines.pop();
    for (const m of last.matchAll(FIELD)) {
      if (!m[1]) continue;
      const raw = m[2]!.trim();
      fields[m[1].trim()] = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
    }
  }
  const neg = lines.findIndex((l) => l.startsWith('Negative prompt:'));
  const promptLines = neg < 0 ? lines : lines.slice(0, neg);
  const negative = neg < 0 ? '' : [lines[neg]!.slice('Negative prompt:'.length).trimStart(), ...lines.slice(neg + 1)].join('\n');
  return { prompt: promptLines.join('\n').trim(), negative: negative.trim(), fields };
}

/** Our sampler named by its label ("DPM++ 2M"), if the label is one of ours. */
export function samplerByLabel(label: string): SamplerName | undefined {
  return (Object.keys(SAMPLER_LABELS) as SamplerName[]).find((k) => SAMPLER_LABELS[k].toLowerCase() === label.trim().toLowerCase());
}
