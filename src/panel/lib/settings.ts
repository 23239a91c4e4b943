/** The panel's persisted settings, their defaults, and validation of what storage gives back. */
import { EXPAND_AMOUNTS, EXPAND_DIRECTIONS, type ExpandDirection } from '../../inference/expand.js';
import { MAX_CANDIDATES } from '../../inference/limits.js';
import { MODES, SAMPLERS, START_FROM, UPSCALE_SOURCES, type Mode, type SamplerName, type StartFrom, type UpscaleSource } from '../jobs/types.js';
import { HISTORY_SIZE } from './history.js';
import type { KeyValueStore } from './storage.js';

export interface PanelSettings {
  mode: Mode;
  prompt: string;
  negativePrompt: string;
  /** variations 1..4 */
  count: number;
  /** null: the pack's default */
  steps: number | null;
  guidance: number | null;
  /** steps of the 4x upsampler (generate, fill, upscale); null: the pack's default */
  upsamplerSteps: number | null;
  sampler: SamplerName | null;
  /** Upscale's img2img strength in (0, 1] (how much the upsampler redraws); null: the pack's default */
  upscaleStrength: number | null;
  /** Upscale's output size / input size (UPSCALE_SCALES); null: the pack's whole factor */
  upscaleScale: number | null;
  /** what Upscale reads: the active layer or the whole visible image */
  upscaleSource: UpscaleSource;
  /** Expand: growth of each grown dimension (one of EXPAND_AMOUNTS) */
  expandBy: number;
  /** Expand: which sides grow */
  expandDirection: ExpandDirection;
  /** Generate, fill and expand: upscale again for an area larger than the output (slower, sharper) */
  addDetail: boolean;
  /** Fill: how much of the selection is redrawn, in (0, 1]; null: 1 (from scratch) */
  fillStrength: number | null;
  /** Expand: how much of the new border is redrawn, in (0, 1]; null: the engine's EXPAND_START_STRENGTH */
  expandStrength: number | null;
  /** Generate: start from noise, or redraw the active layer */
  startFrom: StartFrom;
  /** Generate: lift the subject off its plain background */
  transparentBackground: boolean;
  /**
   * Generate from a picture (the active layer, or a variation for "More like this"): how much of
   * it is redrawn, in (0, 1]; null: the engine's default
   */
  startStrength: number | null;
  /** base images drawn per variation for the pack's reranker to choose from; null: the pack's default */
  candidates: number | null;
  /** true: a new seed every run */
  randomSeed: boolean;
  seed: number;
  showAdvanced: boolean;
  /** null: the bundled default pack; else the URL of a pack that loaded */
  packUrl: string | null;
  /** prompts that were run, most recent first (lib/history.ts) */
  history: string[];
}

export const DEFAULT_SETTINGS: PanelSettings = {
  mode: 'generate',
  prompt: '',
  negativePrompt: '',
  count: 1,
  steps: null,
  guidance: null,
  upsamplerSteps: null,
  sampler: null,
  upscaleStrength: null,
  upscaleScale: null,
  upscaleSource: 'layer',
  expandBy: 0.25,
  expandDirection: 'all',
  addDetail: true,
  fillStrength: null,
  expandStrength: null,
  startFrom: 'noise',
  transparentBackground: false,
  startStrength: null,
  candidates: null,
  randomSeed: true,
  seed: 0,
  showAdvanced: false,
  packUrl: null,
  history: [],
};

/** The scales the Upscale tab offers; those above the loaded pack's factor are hidden. */
export const UPSCALE_SCALES = [1.5, 2, 3, 4, 8] as const;

const KEY = 'settings.v1';

const intIn = (v: unknown, lo: number, hi: number) => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
const numIn = (v: unknown, lo: number, hi: number) => typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi;
const strengthIn = (v: unknown) => numIn(v, 0, 1) && (v as number) > 0;

/** Keeps each stored field that is valid; anything else falls back to its default. */
export function sanitize(raw: unknown): PanelSettings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const d = DEFAULT_SETTINGS;
  const pick = <K extends keyof PanelSettings>(k: K, ok: (v: unknown) => boolean): PanelSettings[K] => (ok(r[k]) ? (r[k] as PanelSettings[K]) : d[k]);
  return {
    mode: pick('mode', (v) => (MODES as readonly unknown[]).includes(v)),
    prompt: pick('prompt', (v) => typeof v === 'string'),
    negativePrompt: pick('negativePrompt', (v) => typeof v === 'string'),
    count: pick('count', (v) => intIn(v, 1, 4)),
    steps: pick('steps', (v) => v === null || intIn(v, 1, 1000)),
    guidance: pick('guidance', (v) => v === null || numIn(v, 0, 100)),
    upsamplerSteps: pick('upsamplerSteps', (v) => v === null || intIn(v, 1, 1000)),
    sampler: pick('sampler', (v) => v === null || (SAMPLERS as readonly unknown[]).includes(v)),
    upscaleStrength: pick('upscaleStrength', (v) => v === null || strengthIn(v)),
    upscaleScale: pick('upscaleScale', (v) => v === null || (UPSCALE_SCALES as readonly unknown[]).includes(v)),
    upscaleSource: pick('upscaleSource', (v) => (UPSCALE_SOURCES as readonly unknown[]).includes(v)),
    expandBy: pick('expandBy', (v) => (EXPAND_AMOUNTS as readonly unknown[]).includes(v)),
    expandDirection: pick('expandDirection', (v) => (EXPAND_DIRECTIONS as readonly unknown[]).includes(v)),
    addDetail: pick('addDetail', (v) => typeof v === 'boolean'),
    fillStrength: pick('fillStrength', (v) => v === null || strengthIn(v)),
    expandStrength: pick('expandStrength', (v) => v === null || strengthIn(v)),
    startFrom: pick('startFrom', (v) => (START_FROM as readonly unknown[]).includes(v)),
    transparentBackground: pick('transparentBackground', (v) => typeof v === 'boolean'),
    startStrength: pick('startStrength', (v) => v === null || strengthIn(v)),
    candidates: pick('candidates', (v) => v === null || intIn(v, 1, MAX_CANDIDATES)),
    randomSeed: pick('randomSeed', (v) => typeof v === 'boolean'),
    seed: pick('seed', (v) => intIn(v, 0, Number.MAX_SAFE_INTEGER)),
    showAdvanced: pick('showAdvanced', (v) => typeof v === 'boolean'),
    packUrl: pick('packUrl', (v) => v === null || typeof v === 'string'),
    history: Array.isArray(r.history) ? r.history.filter((h): h is string => typeof h === 'string' && h.trim() !== '').slice(0, HISTORY_SIZE) : [],
  };
}

export function loadSettings(store: KeyValueStore): PanelSettings {
  try {
    return sanitize(JSON.parse(store.get(KEY) ?? '{}'));
  } catch {
    return { ...DEFAULT_SETTINGS };
  }
}

export function saveSettings(store: KeyValueStore, s: PanelSettings): void {
  store.set(KEY, JSON.stringify(s));
}
