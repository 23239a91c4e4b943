/** What a job needs from a loaded engine, and the pieces every job shares. */
import type { Session } from '../backend.js';
import type { ContentAnalysis } from '../content.js';
import { InputError, type AbortSignalLike } from '../errors.js';
import type { RgbaImage } from '../image.js';
import type { PackManifest } from '../pack-types.js';
import type { ProgressFn, ProgressReporter } from '../progress.js';
import type { ResolvedSampling } from '../requests.js';
import type { NoiseSource } from '../rng.js';
import { diffusionFor, type Diffusion } from '../sampling/diffusion.js';
import type { SamplerName } from '../sampling/samplers.js';
import { keptSteps } from '../sampling/strength.js';
import { spaceTimesteps } from '../schedule.js';
import { encodeText, sampleBase, sampleUpsampler, type BasePhase, type TextEmbedding } from '../stages.js';
import { phaseAt, promptSchedule } from '../prompt-schedule.js';
import { composedPhases } from '../prompt-compose.js';
import { applyTokenWeights, extraNetworkTags, weightedPrompt } from '../prompt-weights.js';
import { rankImages, reorderBatch } from './rerank.js';
import type { PromptTokenizer } from '../tokenizer.js';

export interface JobContext {
  manifest: PackManifest;
  tokenizer: PromptTokenizer;
  /** `reranker` only when the pack has one */
  sessions: { textEncoder: Session; base: Session; upsampler: Session; reranker?: Session };
}

export interface JobHooks {
  signal?: AbortSignalLike;
  onProgress?: ProgressFn;
}

export interface StageTimings {
  textMs: number;
  baseMs: number;
  upsamplerMs: number;
  totalMs: number;
}

export interface PromptReport {
  /** the prompt was longer than the text encoder's context and was cut */
  truncated: boolean;
  /** tokens of the prompt before truncation */
  tokens: number;
  /** the context length */
  maxTokens: number;
}

export interface JobResult {
  images: RgbaImage[];
  width: number;
  height: number;
  seed: number;
  prompt: PromptReport;
  /** things the user should know that did not stop the job (e.g. prompt truncation) */
  warnings: string[];
  timings: StageTimings;
  /** reranker scores of `images` (same order), best first; absent without a reranker, or for one image drawn without candidates */
  scores?: number[];
  /** upscale jobs: the strength used, and the picture's analysis when the strength was chosen by content */
  upscale?: { strength: number; content?: ContentAnalysis };
  /** what the job ran with, every default decided: enough, with the seed and the inputs, to run it again */
  settings: RunSettings;
}

/**
 * The settings a job ran with, after the pack's defaults and 'auto' choices were applied, so a
 * record of them repeats the run even under a pack whose defaults have changed.
 */
export interface RunSettings {
  steps: number;
  sampler: SamplerName;
  /** the base's img2img strength (sampling jobs), or the upsampler's (upscale) */
  strength: number;
  /** sampling jobs (generate, inpaint) */
  guidance?: number;
  count?: number;
  candidates?: number;
  /** dynamic-thresholding percentile, or null for static clipping */
  dynamicThreshold?: number | null;
  upscale?: boolean;
  upsamplerSteps?: number;
  /** the detail scale used (1: none), 'auto' decided */
  detailScale?: number;
  /** upscale jobs: output size / input size */
  scale?: number;
  /** inpaint jobs with the seamless blend: its reach, a share of the selection's shorter side, or 'all' */
  seamReach?: number | 'all';
  /** generate jobs extended to a shape (jobs/extend.ts): width / height as asked */
  aspect?: number;
}

/** A sampling job's RunSettings from its resolved request and the detail scale it used. */
export function samplingSettings(req: ResolvedSampling, detailScale: number): RunSettings {
  return {
    steps: req.steps, sampler: req.sampler, strength: req.strength, guidance: req.guidance, count: req.count, candidates: req.candidates,
    dynamicThreshold: req.dynamicThreshold, upscale: req.upscale, upsamplerSteps: req.upsamplerSteps, detailScale,
  };
}

/**
 * Respacing for a step count (docs/model-pack.md, sampling 1). Ancestral DDPM takes evenly
 * spaced steps ("<steps>") that start at the last training step, as GLIDE samples: the first
 * step then sees pure noise, which is what it is given. The deterministic samplers take
 * "ddim<steps>" when an integer stride gives exactly that many steps, else "<steps>".
 */
export function diffusionForSteps(schedule: PackManifest['base']['schedule'], steps: number, sampler: SamplerName): Diffusion {
  if (sampler === 'ddpm') return diffusionFor(schedule, `${steps}`);
  try {
    spaceTimesteps(schedule.trainingSteps, `ddim${steps}`);
    return diffusionFor(schedule, `ddim${steps}`);
  } catch {
    return diffusionFor(schedule, `${steps}`);
  }
}

/** The prompts of a run, encoded: one text-encoder row per distinct text, and which rows each stretch of steps reads. */
export interface EncodedPrompts {
  text: TextEmbedding;
  /** in step order; one phase unless a prompt edits itself (prompt-schedule.ts) */
  phases: BasePhase[];
  /** the guidance weight of each prompt composed with AND (one: [1]) */
  condWeights: number[];
  /** the prompt as it ends, without its syntax (composed parts joined by commas): what the reranker scores against */
  finalWords: string;
  report: PromptReport;
  warnings: string[];
}

/**
 * Encodes the prompt and the negative prompt once per distinct text their editing gives over a
 * run of `steps` steps (prompt-schedule.ts), the prompt split into its AND parts, each with the
 * weights its brackets give (prompt-weights.ts); reports truncation and the words the model
 * lacks, over every phase and part.
 */
export async function encodePrompts(ctx: JobContext, prompt: string, negative: string, steps: number, signal?: AbortSignalLike): Promise<EncodedPrompts> {
  const tok = ctx.tokenizer;
  const pos = composedPhases(prompt, steps);
  const neg = promptSchedule(negative, steps);
  const final = pos[pos.length - 1]!.parts;
  const condWeights = final.map((p) => p.weight);
  if (pos.some((p) => p.parts.map((x) => x.weight).join() !== condWeights.join())) {
    throw new InputError('the prompt\'s AND parts change during the run: put AND outside [from:to:when] and [a|b]');
  }
  const texts: string[] = [];
  const rowOf = (t: string) => (texts.includes(t) ? texts.indexOf(t) : texts.push(t) - 1);
  const phases = [...new Set([...pos, ...neg].map((p) => p.until))]
    .sort((a, b) => a - b)
    .map((until) => ({
      until,
      cond: pos[phaseAt(pos, until)]!.parts.map((p) => rowOf(p.text)),
      uncond: rowOf(neg[phaseAt(neg, until)]!.text),
    }));
  const weighted = texts.map((t) => weightedPrompt(tok, t));
  const batch = tok.encodeBatch(weighted.map((w) => w.plain));
  const text = await encodeText(ctx.sessions.textEncoder, batch.tokens, batch.mask, texts.length, signal);
  weighted.forEach((w, row) => w.weights && applyTokenWeights(text.xfOut, text.outDims, row, w.weights));
  // check() counts the same tokens encode() keeps (tested in the tokenizer's tests) and names unknown words
  const checks = (rows: number[]) => [...new Set(rows)].map((r) => tok.check(weighted[r]!.plain));
  const cond = checks(phases.flatMap((p) => p.cond));
  const uncond = checks(phases.map((p) => p.uncond));
  const longest = cond.reduce((a, b) => (b.tokens > a.tokens ? b : a));
  const report: PromptReport = { truncated: longest.truncated, tokens: longest.tokens, maxTokens: tok.contextLength };
  const warnings: string[] = [];
  if (longest.truncated) {
    warnings.push(`the prompt has ${longest.tokens} tokens; this model reads the first ${tok.contextLength}, the rest was ignored`);
  }
  if (uncond.some((c) => c.truncated)) warnings.push(`the negative prompt was cut to its first ${tok.contextLength} tokens`);
  for (const [field, checked, raw] of [['prompt', cond, prompt], ['negative prompt', uncond, negative]] as const) {
    const unknown = unknownWordsWarning(field, [...new Set(checked.flatMap((c) => c.unknownWords))]);
    if (unknown) warnings.push(unknown);
    const tags = extraNetworkTags(raw);
    if (tags.length) warnings.push(extraNetworkWarning(field, tags));
  }
  const finalWords = phases[phases.length - 1]!.cond.map((r) => weighted[r]!.plain.trim()).join(', ');
  return { text, phases, condWeights, finalWords, report, warnings };
}

/** The warning for extra-network tags ("<lora:x:0.8>") a prompt had, which were left out. */
export function extraNetworkWarning(field: string, tags: readonly string[]): string {
  return `${tags.join(' ')} in the ${field} ${tags.length === 1 ? 'was' : 'were'} left out: this plugin has no LoRA or other extra networks`;
}

/** The warning for words a pack's vocabulary lacks (TokenCheck.unknownWords), or null. */
export function unknownWordsWarning(field: string, words: readonly string[]): string | null {
  if (words.length === 0) return null;
  const list = words.map((w) => `"${w}"`).join(', ');
  return `this model has not learnt ${list} in the ${field}: no training caption had ${words.length === 1 ? 'it' : 'them'}, so ${words.length === 1 ? 'it carries' : 'they carry'} no meaning`;
}

export interface CascadeInput {
  ctx: JobContext;
  req: ResolvedSampling;
  prompts: EncodedPrompts;
  noise: NoiseSource;
  progress: ProgressReporter;
  signal?: AbortSignalLike;
  /** known region at base resolution (inpainting) */
  baseKnown?: { image: Float32Array; mask: Float32Array };
  /** the picture [1,3,S,S] an img2img start begins from when `req.strength` < 1 */
  baseStart?: Float32Array;
  /** known region at upsampler resolution (inpainting) */
  upKnown?: { image: Float32Array; mask: Float32Array };
  timings: StageTimings;
}

export interface CascadeOutput {
  /** [count,3,size,size], best first where the pack has a reranker */
  data: Float32Array;
  size: number;
  /** reranker scores of `data`, best first; absent without a reranker, or for one image drawn without candidates */
  scores?: number[];
}

/**
 * Base stage, then (with `candidates` > 1) the reranker keeps the best `count` of the
 * `count * candidates` base images, then (when asked) the upsampler on those; noise is drawn in
 * the documented order. Without candidates the reranker orders the finished variations.
 */
export async function runCascade(c: CascadeInput): Promise<CascadeOutput> {
  const { ctx, req, noise } = c;
  const m = ctx.manifest;
  const B = req.count;
  const S = m.base.resolution;
  const drawn = B * req.candidates;
  const sizeS = drawn * 3 * S * S;
  const t = performance.now();
  const xT = noise.normal(sizeS);
  const start = c.baseStart && req.strength < 1 ? { image: c.baseStart, strength: req.strength } : undefined;
  const candidates = await sampleBase({
    session: ctx.sessions.base,
    resolution: S,
    batch: drawn,
    text: c.prompts.text,
    phases: c.prompts.phases,
    condWeights: c.prompts.condWeights,
    guidance: req.guidance,
    dynamicThreshold: req.dynamicThreshold,
    sampler: req.sampler,
    eta: req.eta,
    diffusion: diffusionForSteps(m.base.schedule, req.steps, req.sampler),
    xT,
    noise: () => noise.normal(sizeS),
    inpaint: c.baseKnown,
    start,
    onStep: c.progress.stage('base', start ? keptSteps(start.strength, req.steps) : req.steps, S),
    signal: c.signal,
  });
  c.timings.baseMs += performance.now() - t;
  // with candidates the reranker chooses among the base images; else it orders the finished variations
  const words = c.prompts.finalWords;
  const chosen = req.candidates > 1 ? await keepBest(ctx, words, candidates, drawn, B, S, c.signal) : null;
  const kept = chosen?.data ?? candidates;
  const finished = req.upscale ? { data: await upsample(c, kept), size: m.upsampler.resolution } : { data: kept, size: S };
  if (chosen) return { ...finished, scores: chosen.scores };
  return { ...finished, ...(await rankVariations(ctx, words, finished.data, B, finished.size, c.signal)) };
}

/** The upsampler on `count` base images, noise drawn after the base stage's. */
async function upsample(c: CascadeInput, base: Float32Array): Promise<Float32Array> {
  const { ctx, req, noise } = c;
  const m = ctx.manifest;
  const B = req.count;
  const S = m.base.resolution;
  const t = performance.now();
  const u = m.upsampler;
  const H = u.resolution;
  const augNoise = noise.normal(B * 3 * u.lowResolution * u.lowResolution);
  const unit = noise.normal(B * 3 * H * H);
  const low = S === u.lowResolution ? base : null;
  if (!low) throw new Error(`base resolution ${S} differs from the upsampler's input ${u.lowResolution}`);
  const { out } = await sampleUpsampler({
    session: ctx.sessions.upsampler,
    resolution: H,
    lowResolution: u.lowResolution,
    batch: B,
    lowRes: low,
    augLevel: req.augLevel,
    augNoise,
    noise: unit,
    temperature: req.temperature,
    stepNoise: () => noise.normal(B * 3 * H * H),
    sampler: req.upsamplerSampler,
    diffusion: diffusionForSteps(u.schedule, req.upsamplerSteps, req.upsamplerSampler),
    // the upsampler reads the prompt as it ends
    text: u.textConditioned ? { embedding: c.prompts.text, row: c.prompts.phases[c.prompts.phases.length - 1]!.cond[0]! } : undefined,
    known: c.upKnown,
    ...upsamplerConsistency(ctx.manifest.defaults),
    onStep: c.progress.stage('upsampler', req.upsamplerSteps, H),
    signal: c.signal,
  });
  c.timings.upsamplerMs += performance.now() - t;
  return out;
}

/** The pack's low-resolution consistency settings for sampleUpsampler (off where the pack is silent). */
export function upsamplerConsistency(d: PackManifest['defaults']) {
  return { lowResConsistency: d.upsamplerLowResConsistency ?? false, consistencyPasses: d.upsamplerConsistencyPasses ?? 0 };
}

/** The reranker's best `keep` of `drawn` images [drawn,3,S,S], best first, with their scores. */
async function keepBest(
  ctx: JobContext,
  prompt: string,
  images: Float32Array,
  drawn: number,
  keep: number,
  size: number,
  signal?: AbortSignalLike,
): Promise<{ data: Float32Array; scores: number[] }> {
  const ranked = await rankVariations(ctx, prompt, images, drawn, size, signal);
  // resolveSampling refuses candidates without a reranker; this guards other callers
  if (!ranked.scores) throw new Error('candidates > 1 needs the pack\'s reranker');
  return { data: ranked.data.slice(0, keep * 3 * size * size), scores: ranked.scores.slice(0, keep) };
}

export const newTimings = (): StageTimings => ({ textMs: 0, baseMs: 0, upsamplerMs: 0, totalMs: 0 });

/**
 * Variations best first by the pack's reranker, scored against `words` (a prompt without its
 * syntax: the weights and editing are for the base); `scores` follow the new order. One image,
 * or a pack without a reranker, keeps the order and gives no scores.
 */
async function rankVariations(
  ctx: JobContext,
  prompt: string,
  data: Float32Array,
  count: number,
  size: number,
  signal?: AbortSignalLike,
): Promise<{ data: Float32Array; scores?: number[] }> {
  const session = ctx.sessions.reranker;
  const entry = ctx.manifest.reranker;
  if (!session || !entry || count < 2) return { data };
  const { order, scores } = await rankImages(session, entry.imageSize, ctx.tokenizer, prompt, data, count, size, signal);
  return { data: reorderBatch(data, order), scores: order.map((i) => scores[i]!) };
}
