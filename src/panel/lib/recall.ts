/**
 * Recall: the panel's settings from a run record (inference/run-record.ts), the record kept
 * with a layer the panel added or with a PNG this tool saved. Running them again on the same
 * document, selection and model makes the same pictures, the recalled one among them. What the
 * panel cannot set is said in `notes`, never dropped silently.
 */
import { EXPAND_AMOUNTS } from '../../inference/expand.js';
import { DEFAULT_CONTEXT_MARGIN, SEAM_REACH_WITH_PROMPT } from '../../inference/jobs/inpaint.js';
import { MAX_CANDIDATES } from '../../inference/limits.js';
import { samplerByLabel, type ParametersText, type RunRecord } from '../../inference/run-record.js';
import { MAX_VARIATIONS } from '../jobs/common.js';
import type { Mode } from '../jobs/types.js';
import { UPSCALE_SCALES, type PanelSettings } from './settings.js';

const MODE_OF: Record<RunRecord['command'], Mode> = { generate: 'generate', inpaint: 'fill', expand: 'expand', upscale: 'upscale' };
const MODE_WORDS: Record<Mode, string> = { generate: 'Generate', fill: 'Fill', expand: 'Expand', upscale: 'Upscale' };

export interface Recalled {
  /** the settings to change */
  patch: Partial<PanelSettings>;
  /** one line on what was recalled */
  summary: string;
  /** what the panel sets differently from the record, or what the user must do */
  notes: string[];
}

/** `value` where it is one of `allowed`, else the nearest of them. */
function nearest<T extends number>(value: number, allowed: readonly T[]): T {
  return allowed.reduce((a, b) => (Math.abs(b - value) < Math.abs(a - value) ? b : a));
}

/**
 * The settings that repeat `r`. `model` is the loaded pack's name (a record of another model
 * gives other pictures), `upscaleFactor` its upsampler's whole factor.
 */
export function recallSettings(r: RunRecord, loaded: { model?: string; upscaleFactor?: number } = {}): Recalled {
  const o = r.options;
  const mode = MODE_OF[r.command];
  const notes: string[] = [];
  const patch: Partial<PanelSettings> = { mode, seed: o.seed, randomSeed: false };
  if (o.prompt !== undefined) patch.prompt = o.prompt;
  if (o.negative !== undefined) patch.negativePrompt = o.negative;

  if (mode === 'upscale') {
    patch.upsamplerSteps = o.steps;
    patch.upscaleStrength = o.strength ?? null;
    const factor = loaded.upscaleFactor;
    if (o.scale === undefined || o.scale === factor) patch.upscaleScale = null;
    else {
      const scale = nearest(o.scale, UPSCALE_SCALES);
      patch.upscaleScale = factor !== undefined && scale >= factor ? null : scale;
      if (patch.upscaleScale !== o.scale) notes.push(`It was upscaled ${o.scale}x, which the panel does not offer: Scale is set to ${patch.upscaleScale ?? factor}x.`);
    }
  } else {
    patch.steps = o.steps;
    patch.sampler = o.sampler;
    if (o.guidance !== undefined) patch.guidance = o.guidance;
    if (o.upsamplerSteps !== undefined) patch.upsamplerSteps = o.upsamplerSteps;
    if (o.candidates !== undefined) patch.candidates = Math.min(o.candidates, MAX_CANDIDATES);
    // the whole run, so that its seeds fall as they did: the recalled picture is one of them
    const of = Math.min(r.image.of, MAX_VARIATIONS);
    patch.count = of;
    if (r.image.of > MAX_VARIATIONS) {
      const back = r.image.index < MAX_VARIATIONS ? 'it is among them' : "it is not among them (the command line's --recall makes it)";
      notes.push(`It was picture ${r.image.index + 1} of a run of ${r.image.of}; the panel draws the first ${MAX_VARIATIONS} of that run, and ${back}.`);
    } else if (r.image.of > 1) {
      notes.push(`It was picture ${r.image.index + 1} of ${r.image.of}: Variations is set to ${r.image.of}, and it is among them.`);
    }
    // "auto" adds detail only where the area is large enough; a record that added some asks for it
    if (o.detail !== undefined && o.detail > 1) patch.addDetail = true;
  }

  if (mode === 'generate') {
    patch.transparentBackground = o.transparent === true;
    const init = r.inputs?.init;
    if (init !== undefined) {
      patch.startFrom = 'layer';
      patch.startStrength = o.strength ?? null;
      notes.push(`It was redrawn from a picture (${init}) at strength ${o.strength}: Start from is set to Active layer; select the layer to redraw before you run it.`);
    } else {
      patch.startFrom = 'noise';
    }
    // the shape comes from the selection, not from a setting
    if (o.aspect !== undefined) notes.push(`It was drawn ${aspectWords(o.aspect)} for its selection: select an area of that shape to draw it again.`);
  }
  if (mode === 'fill') {
    patch.fillStrength = o.strength !== undefined && o.strength < 1 ? o.strength : null;
    if (o.context !== undefined && o.context !== DEFAULT_CONTEXT_MARGIN) notes.push(`It saw ${o.context} of the selection's size around it; the panel always uses ${DEFAULT_CONTEXT_MARGIN}.`);
    // the panel leaves the blend's reach to the engine, which decides it from the prompt
    const reach = o.seamReach ?? 'all';
    const panelReach = o.prompt?.trim() ? SEAM_REACH_WITH_PROMPT : 'all';
    if (o.blend !== 'feather' && reach !== panelReach) {
      const words = (v: number | 'all') => (v === 'all' ? 'the whole fill' : `${v} of the selection's shorter side`);
      notes.push(`Its blend reached ${words(reach)} into the selection; the panel's reaches ${words(panelReach)} for ${panelReach === 'all' ? 'an empty prompt' : 'a prompt'}.`);
    }
  }
  if (mode === 'expand') {
    if (o.by !== undefined) {
      patch.expandBy = nearest(o.by, EXPAND_AMOUNTS);
      if (patch.expandBy !== o.by) notes.push(`It grew the canvas by ${Math.round(o.by * 100)} %, which the panel does not offer: By is set to ${Math.round(patch.expandBy * 100)} %.`);
    }
    if (o.sides !== undefined) patch.expandDirection = o.sides;
    patch.expandStrength = o.strength ?? null;
  }
  if ((mode === 'fill' || mode === 'expand') && o.blend === 'feather') notes.push('It feathered its edge; the panel always blends it seamlessly.');
  if (loaded.model !== undefined && r.model !== loaded.model) {
    notes.push(`It was made with the model "${r.model}", and "${loaded.model}" is loaded: the same settings draw a different picture.`);
  }

  const what = o.prompt ? `"${o.prompt}"` : 'no prompt';
  return { patch, summary: `Recalled ${MODE_WORDS[mode]}: ${what}, seed ${o.seed}, ${o.steps} steps.`, notes };
}

/** "2.5 times as wide as tall" / "2 times as tall as wide", to two decimals */
export function aspectWords(aspect: number): string {
  const n = (v: number) => String(Math.round(v * 100) / 100);
  return aspect >= 1 ? `${n(aspect)} times as wide as tall` : `${n(1 / aspect)} times as tall as wide`;
}

/** "a, b and c" */
const listed = (items: string[]): string => (items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? ''));

/** A whole number in [lo, hi] from a field's text, else undefined. */
function wholeIn(text: string | undefined, lo: number, hi: number): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const v = Number(text);
  return v >= lo && v <= hi ? v : undefined;
}

/**
 * The settings a "parameters" text gives, for a picture with no record of ours (another
 * diffusion tool's PNG): its prompts, and its seed, steps, CFG scale and sampler where they fit
 * this panel. The tab and everything else stay as they are, since the text does not say which
 * job made the picture.
 */
export function recallFromParameters(p: ParametersText): Recalled {
  const f = p.fields;
  const patch: Partial<PanelSettings> = { prompt: p.prompt, negativePrompt: p.negative };
  const taken = ['prompt'];
  const left: string[] = [];
  const seed = wholeIn(f.Seed, 0, Number.MAX_SAFE_INTEGER);
  if (seed !== undefined) {
    Object.assign(patch, { seed, randomSeed: false });
    taken.push('seed');
  } else if (f.Seed !== undefined) left.push(`seed ${f.Seed}`);
  const steps = wholeIn(f.Steps, 1, 1000);
  if (steps !== undefined) {
    patch.steps = steps;
    taken.push('steps');
  }
  const cfg = f['CFG scale'] === undefined ? undefined : Number(f['CFG scale']);
  if (cfg !== undefined && Number.isFinite(cfg) && cfg >= 0 && cfg <= 100) {
    patch.guidance = cfg;
    taken.push('CFG scale');
  }
  if (f.Sampler !== undefined) {
    const sampler = samplerByLabel(f.Sampler);
    if (sampler) {
      patch.sampler = sampler;
      taken.push('sampler');
    } else left.push(`the sampler "${f.Sampler}", which this panel does not have`);
  }
  const notes = [`It was not made by Diffusion Layers${f.Model ? ` (model "${f.Model}")` : ''}: its ${listed(taken)} are set, and a different model draws a different picture.`];
  if (left.length) notes.push(`Not taken: ${left.join('; ')}.`);
  return { patch, summary: `Recalled the prompt ${p.prompt ? `"${p.prompt}"` : '(empty)'} from the picture's parameters.`, notes };
}
