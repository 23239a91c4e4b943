/**
 * The engine: a loaded pack on a backend, and the three jobs (generate, inpaint, upscale).
 * Jobs run one at a time. A GPU failure (at session creation or during a run) switches to the
 * backend's CPU fallback, reloads the sessions there and runs the job again from the start
 * (the seed makes it the same job); `info().backend.reason` says what happened.
 */
import { SerialQueue, type Backend, type Session } from './backend.js';
import { DiffusionError, InputError } from './errors.js';
import { runGenerate } from './jobs/generate.js';
import { runInpaint } from './jobs/inpaint.js';
import { runUpscale } from './jobs/upscale.js';
import type { JobContext, JobHooks, JobResult } from './jobs/context.js';
import { MAX_PIXELS, MAX_SIDE } from './limits.js';
import type { ModelPack } from './pack.js';
import type { PackManifest } from './pack-types.js';
import { resolveSampling, type GenerateRequest, type InpaintRequest, type UpscaleRequest } from './requests.js';
import { SubjectIndex, wordBeingTyped } from './subjects.js';
import { composedPhases } from './prompt-compose.js';
import { extraNetworkTags, parsePromptWeights, plainPrompt, withoutSyntax, type WeightedPiece } from './prompt-weights.js';
import { PromptTokenizer, type TokenCheck } from './tokenizer.js';

export type { JobHooks, JobResult, StageTimings, PromptReport } from './jobs/context.js';
export type { GenerateRequest, InpaintRequest, UpscaleRequest } from './requests.js';
export type { ProgressEvent, ProgressFn, Preview, Stage } from './progress.js';

/** What the loaded pack makes of a prompt as it is typed (Engine.checkPrompt). */
export interface PromptCheck extends TokenCheck {
  /** subjects of the pack that match what is typed (SubjectIndex.suggest); empty without `subjects` */
  suggestions: string[];
  /** the prompt's word `suggestions` are near in meaning to (the pack's relatedWords); absent when they match its words */
  suggestionsNear?: string;
  /** the runs of the prompt its brackets weight ("a (red:1.4) heart": red, 1.4), in order; absent when none */
  weighted?: WeightedPiece[];
  /** why its brackets cannot be run (a weight out of range): the job would refuse the prompt */
  weightProblem?: string;
  /** other tools' extra-network tags ("<lora:x:0.8>") it has, which are left out; absent when none */
  ignoredTags?: string[];
  /**
   * an edited prompt's phases ("[cat:dog:0.5]"; prompt-schedule.ts) over `phaseSteps` steps (the
   * pack's default): the words each stretch of steps reads, up to its last step; absent when it
   * does not change. The counts above cover every phase.
   */
  phases?: { until: number; words: string }[];
  phaseSteps?: number;
  /** a prompt composed with AND: each part's words and guidance weight (as it ends); absent for one prompt */
  composed?: { words: string; weight: number }[];
}

export interface EngineLoadOptions {
  backend: Backend;
}

export interface EngineInfo {
  loaded: boolean;
  pack?: {
    name: string;
    description: string;
    license: string;
    attribution: NonNullable<PackManifest['attribution']>;
    config?: string;
    baseResolution: number;
    upsamplerResolution: number;
    contextLength: number;
    defaults: PackManifest['defaults'];
    /** the pack has a reranker: variations come best first and `candidates` can be asked for */
    reranker: boolean;
    /** the pack's upsampler note (shown before upscaling), if it has one */
    upscaleNote?: string;
    location: string;
  };
  /** `precision`: of the model files actually loaded (fp32 where the pack has no fp16 file) */
  backend?: { kind: Backend['kind']; reason: string; precision: Backend['precision'] };
  limits: { maxSide: number; maxPixels: number };
}

const STAGES = ['textEncoder', 'base', 'upsampler'] as const;

/** Failures of the runtime itself (not of the model or the input) that a CPU backend may not have. */
function isGpuFailure(e: unknown): boolean {
  return e instanceof DiffusionError && (e.code === 'BACKEND_FAILED' || e.code === 'OUT_OF_MEMORY');
}

export class Engine {
  private pack?: ModelPack;
  private backend?: Backend;
  private ctx?: JobContext;
  private precision: Backend['precision'] = 'fp32';
  /** the loaded pack's subjects, for checkPrompt's suggestions */
  private subjects = new SubjectIndex([]);
  private readonly jobs = new SerialQueue();

  /** Creates the three sessions on `options.backend` (falling back to its CPU backend on a GPU failure). */
  async load(pack: ModelPack, options: EngineLoadOptions): Promise<EngineInfo> {
    return this.jobs.run(async () => {
      await this.releaseSessions();
      this.pack = pack;
      this.subjects = new SubjectIndex(pack.manifest.subjects ?? [], pack.manifest.relatedWords);
      this.backend = options.backend;
      try {
        this.ctx = await this.createContext();
      } catch (e) {
        if (!(this.backend.fallback && isGpuFailure(e))) throw e;
        this.backend = await this.backend.fallback(`WebGPU session failed: ${(e as Error).message}`);
        this.ctx = await this.createContext();
      }
      return this.info();
    });
  }

  private async createContext(): Promise<JobContext> {
    const pack = this.pack!;
    const backend = this.backend!;
    const m = pack.manifest;
    const sessions: Partial<Record<(typeof STAGES)[number] | 'reranker', Session>> = {};
    let allHalf = true;
    try {
      for (const stage of STAGES) {
        const { bytes, file } = await pack.readFile(stage, backend.precision);
        allHalf &&= file.precision === 'fp16';
        sessions[stage] = await backend.createSession(bytes, file.path);
      }
      if (m.reranker) {
        const { bytes, file } = await pack.readFile('reranker', 'fp32');
        sessions.reranker = await backend.createSession(bytes, file.path);
      }
      this.precision = allHalf ? 'fp16' : 'fp32';
    } catch (e) {
      await Promise.all(Object.values(sessions).map((s) => s.release().catch(() => undefined)));
      throw e;
    }
    return {
      manifest: m,
      tokenizer: new PromptTokenizer(m.tokenizer),
      sessions: sessions as JobContext['sessions'],
    };
  }

  private async releaseSessions(): Promise<void> {
    const s = this.ctx?.sessions;
    this.ctx = undefined;
    if (s) await Promise.all(Object.values(s).map((x) => x.release().catch(() => undefined)));
  }

  /** Runs a job; on a GPU failure switches to the fallback backend and runs it once more. */
  private run(job: (ctx: JobContext) => Promise<JobResult>): Promise<JobResult> {
    return this.jobs.run(async () => {
      if (!this.ctx) throw new InputError('no model is loaded: call load() first');
      try {
        return await job(this.ctx);
      } catch (e) {
        if (!(this.backend?.fallback && isGpuFailure(e))) throw e;
        const why = `WebGPU run failed: ${(e as Error).message}`;
        await this.releaseSessions();
        this.backend = await this.backend.fallback(why);
        this.ctx = await this.createContext();
        return job(this.ctx);
      }
    });
  }

  generate(request: GenerateRequest, hooks: JobHooks = {}): Promise<JobResult> {
    return this.run((ctx) => runGenerate(ctx, request, resolveSampling(request, ctx.manifest), hooks));
  }

  inpaint(request: InpaintRequest, hooks: JobHooks = {}): Promise<JobResult> {
    return this.run((ctx) => runInpaint(ctx, request, resolveSampling(request, ctx.manifest), hooks));
  }

  upscale(request: UpscaleRequest, hooks: JobHooks = {}): Promise<JobResult> {
    return this.run((ctx) => runUpscale(ctx, request, hooks));
  }

  /**
   * Token count, unknown words and matching subjects of a prompt for the loaded pack (no model
   * runs). Not queued behind jobs, so a panel can check what is typed while a job runs.
   */
  checkPrompt(prompt: string): PromptCheck {
    if (!this.ctx) throw new InputError('no model is loaded: call load() first');
    // an edited prompt is checked in each of its phases over the pack's default step count, and
    // a composed one (AND) in each of its parts
    const steps = this.ctx.manifest.defaults.steps;
    const phases = composedPhases(prompt, steps, true).map((p) => ({
      until: p.until,
      problem: p.problem,
      parts: p.parts.map((x) => ({ ...readWeights(x.text), weight: x.weight })),
    }));
    const parts = phases.flatMap((p) => p.parts);
    const checks = parts.map((p) => this.ctx!.tokenizer.check(p.words));
    const check = checks.reduce((a, b) => (b.tokens > a.tokens ? b : a));
    const lastPhase = phases[phases.length - 1]!;
    const last = lastPhase.parts[lastPhase.parts.length - 1]!; // the part being typed
    const index = this.subjects;
    // "a sli" offers "slice of pizza": "sli" is half a word, not one the model lacks
    const typing = wordBeingTyped(last.words);
    const half = typing !== null && index.beginsAWord(typing) ? typing : null;
    const { subjects, near } = index.suggestions(last.words);
    const weighted = uniqueBy(parts.flatMap((p) => p.weighted), (w) => `${w.weight} ${w.text}`);
    const weightProblem = phases.find((p) => p.problem)?.problem ?? parts.find((p) => p.weightProblem)?.weightProblem;
    const tags = extraNetworkTags(prompt);
    const composed = lastPhase.parts.length > 1 ? lastPhase.parts.map((p) => ({ words: p.words.trim(), weight: p.weight })) : null;
    return {
      ...check,
      unknownWords: [...new Set(checks.flatMap((c) => c.unknownWords))].filter((w) => w !== half),
      suggestions: subjects,
      ...(near ? { suggestionsNear: near } : {}),
      ...(weighted.length ? { weighted } : {}),
      ...(weightProblem ? { weightProblem } : {}),
      ...(tags.length ? { ignoredTags: tags } : {}),
      ...(phases.length > 1 ? { phases: phases.map((p) => ({ until: p.until, words: p.parts.map((x) => x.words.trim()).join(' AND ') })), phaseSteps: steps } : {}),
      ...(composed ? { composed } : {}),
    };
  }

  info(): EngineInfo {
    const limits = { maxSide: MAX_SIDE, maxPixels: MAX_PIXELS };
    if (!this.pack || !this.backend || !this.ctx) return { loaded: false, limits };
    const m = this.pack.manifest;
    return {
      loaded: true,
      pack: {
        name: m.name,
        description: m.description ?? '',
        license: m.license,
        attribution: m.attribution ?? [],
        config: m.config,
        baseResolution: m.base.resolution,
        upsamplerResolution: m.upsampler.resolution,
        contextLength: m.tokenizer.contextLength,
        defaults: m.defaults,
        reranker: !!m.reranker,
        ...(m.upsampler.note ? { upscaleNote: m.upsampler.note } : {}),
        location: this.pack.location,
      },
      backend: { kind: this.backend.kind, reason: this.backend.reason, precision: this.precision },
      limits,
    };
  }

  /** The backend in use (after any fallback), e.g. for its run statistics. */
  get currentBackend(): Backend | undefined {
    return this.backend;
  }

  async dispose(): Promise<void> {
    await this.jobs.run(() => this.releaseSessions());
  }
}

/** A typed prompt's words without brackets, its weighted runs, and what is wrong with its weights. */
function readWeights(prompt: string): { words: string; weighted: WeightedPiece[]; weightProblem?: string } {
  try {
    const pieces = parsePromptWeights(prompt);
    const weighted = pieces.filter((p) => p.weight !== 1 && p.text.trim()).map((p) => ({ text: p.text.trim(), weight: p.weight }));
    return { words: plainPrompt(pieces), weighted };
  } catch (e) {
    // still check the words: brackets and numbers are syntax, not words the model lacks
    const words = withoutSyntax(prompt);
    return { words, weighted: [], weightProblem: e instanceof Error ? e.message : String(e) };
  }
}

function uniqueBy<T>(xs: readonly T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => !seen.has(key(x)) && seen.add(key(x)));
}
