import { EXPAND_START_STRENGTH } from '../../inference/expand.js';
import { MAX_CANDIDATES } from '../../inference/limits.js';
import type { UpscaleStrengthByContent } from '../../inference/pack-types.js';
import { DEFAULT_INIT_STRENGTH } from '../../inference/requests.js';
import { SAMPLER_LABELS } from '../../inference/sampling/samplers.js';
import { SAMPLERS, type Mode, type SamplerName, type StartFrom } from '../jobs/types.js';
import type { PanelSettings } from '../lib/settings.js';
import css from './Advanced.module.css';

export interface AdvancedProps {
  settings: PanelSettings;
  /** the tab: Fill shows its Strength; Generate its Start from and the Strength of a start picture */
  mode?: Mode;
  /** upscale runs only the upsampler: the base stage's fields are hidden */
  upscaleOnly?: boolean;
  /** generate, fill and expand: shows "Add detail" (a second upscale for large areas) */
  drawing?: boolean;
  /** the pack's defaults, shown where the user has not chosen */
  defaults?: {
    steps?: number;
    guidance?: number;
    sampler?: string;
    upsamplerSteps?: number;
    candidates?: number;
    /** a pair: the engine picks by content (shown as "auto") */
    upscaleStrength?: number | UpscaleStrengthByContent;
  };
  /** the loaded pack has a reranker, so it can choose among candidates */
  reranker?: boolean;
  lastSeed: number | null;
  disabled?: boolean;
  onChange: (patch: Partial<PanelSettings>) => void;
}


/** What an empty Strength field stands for: the pack's number, or "auto" when it gives one per kind of picture. */
function strengthFallback(v: NonNullable<AdvancedProps['defaults']>['upscaleStrength']): string | number {
  return typeof v === 'object' ? 'auto' : (v ?? 1);
}

/** Parses an optional number field: empty -> null (use the default); invalid -> unchanged. */
function num(text: string, int: boolean, lo: number, hi: number): number | null | undefined {
  if (text.trim() === '') return null;
  const v = Number(text);
  if (!Number.isFinite(v) || (int && !Number.isInteger(v)) || v < lo || v > hi) return undefined;
  return v;
}

export function Advanced({ settings: s, mode, upscaleOnly, drawing, defaults: d = {}, reranker, lastSeed, disabled, onChange }: AdvancedProps) {
  return (
    <details class={css.box} open={s.showAdvanced} onToggle={(e) => onChange({ showAdvanced: e.currentTarget.open })}>
      <summary class={css.summary}>Advanced</summary>
      <div class={css.grid}>
        {!upscaleOnly && (
          <>
        <NumberField label="Steps" field="steps" int min={1} max={1000} step={1} value={s.steps} fallback={d.steps} disabled={disabled} onChange={(steps) => onChange({ steps })} />
        <NumberField label="Guidance" field="guidance" min={0} max={100} step={0.5} value={s.guidance} fallback={d.guidance} disabled={disabled} onChange={(guidance) => onChange({ guidance })} />
        <label class={css.row}>
          <span>Sampler</span>
          <select
            disabled={disabled} data-field="sampler"
            value={s.sampler ?? ''}
            onChange={(e) => onChange({ sampler: (e.currentTarget.value || null) as SamplerName | null })}
          >
            <option value="">{d.sampler ? `Default (${SAMPLER_LABELS[d.sampler as SamplerName] ?? d.sampler})` : 'Default'}</option>
            {SAMPLERS.map((n) => (
              <option key={n} value={n}>{SAMPLER_LABELS[n]}</option>
            ))}
          </select>
        </label>
        {reranker && (
          <NumberField
            label="Candidates" field="candidates" int min={1} max={MAX_CANDIDATES} step={1} value={s.candidates} fallback={d.candidates ?? 1}
            title="Base images drawn per variation; the model's reranker keeps the best. More candidates: better odds, slower first stage."
            disabled={disabled} onChange={(candidates) => onChange({ candidates })}
          />
        )}
          </>
        )}
        {mode === 'fill' && (
          <NumberField
            label="Strength" field="fillStrength" min={0.05} max={1} step={0.05} value={s.fillStrength} fallback={1}
            title="How much of the selection is redrawn. 1: from scratch. Lower starts from what is there and keeps its shapes and colours, e.g. to restyle or recolour an object."
            disabled={disabled} onChange={(fillStrength) => onChange({ fillStrength })}
          />
        )}
        {mode === 'expand' && (
          <NumberField
            label="Strength" field="expandStrength" min={0.05} max={1} step={0.05} value={s.expandStrength} fallback={EXPAND_START_STRENGTH}
            title="How much of the new border is redrawn. Below 1 it starts from the colour along the picture's edge, which keeps a plain background plain; 1 draws it from scratch."
            disabled={disabled} onChange={(expandStrength) => onChange({ expandStrength })}
          />
        )}
        {mode === 'generate' && (
          <>
            <label class={css.row} title="Noise: draw from scratch. Active layer: redraw the active layer's pixels (their centred square) from the prompt, as a new layer over them.">
              <span>Start from</span>
              <select disabled={disabled} data-field="startFrom" value={s.startFrom} onChange={(e) => onChange({ startFrom: e.currentTarget.value as StartFrom })}>
                <option value="noise">Noise</option>
                <option value="layer">Active layer</option>
              </select>
            </label>
            <NumberField
              label="Strength" field="startStrength" min={0.05} max={1} step={0.05} value={s.startStrength} fallback={DEFAULT_INIT_STRENGTH}
              title="How much a start picture is redrawn (the active layer, or the chosen variation for More like this): lower stays closer to it, 1 starts afresh."
              disabled={disabled} onChange={(startStrength) => onChange({ startStrength })}
            />
            <div class={css.row} title="Lift the subject off the plain background the model draws it on: the new layer holds the subject alone. A picture without a plain background is kept as drawn, and the panel says so.">
              <span>Background</span>
              <label class={css.check}>
                <input
                  type="checkbox" checked={s.transparentBackground} disabled={disabled} data-field="transparentBackground"
                  onChange={(e) => onChange({ transparentBackground: e.currentTarget.checked })}
                />
                transparent
              </label>
            </div>
          </>
        )}
        {drawing && (
          <div class={css.row} title="When the area drawn (Generate: the selection; Fill and Expand: the area the model sees around what it fills) is at least 1.5 times the model's output, upscale the result again (tiled) instead of enlarging a small picture: sharper, and several times slower.">
            <span>Add detail</span>
            <label class={css.check}>
              <input type="checkbox" checked={s.addDetail} disabled={disabled} data-field="addDetail" onChange={(e) => onChange({ addDetail: e.currentTarget.checked })} />
              for large areas
            </label>
          </div>
        )}
        <NumberField label="Upscaler steps" field="upsamplerSteps" int min={1} max={1000} step={1} value={s.upsamplerSteps} fallback={d.upsamplerSteps} disabled={disabled} onChange={(upsamplerSteps) => onChange({ upsamplerSteps })} />
        {upscaleOnly && (
          <NumberField
            label="Strength" field="upscaleStrength" min={0.05} max={1} step={0.05} value={s.upscaleStrength} fallback={strengthFallback(d.upscaleStrength)}
            title={
              'How much the upscaler redraws. 1: from scratch, crisp drawn edges (emoji, drawings). Lower keeps more of the image and runs that share of the steps: more faithful for photographs, and faster.' +
              (typeof d.upscaleStrength === 'object'
                ? ` Empty: auto, ${d.upscaleStrength.photo} for photographs and ${d.upscaleStrength.graphic} for flat-coloured art.`
                : '')
            }
            disabled={disabled} onChange={(upscaleStrength) => onChange({ upscaleStrength })}
          />
        )}
        <div class={css.row}>
          <span>Seed</span>
          <div class={css.seed}>
            <input
              type="number" min={0} step={1} data-field="seed"
              disabled={disabled || s.randomSeed}
              value={s.randomSeed ? '' : s.seed}
              placeholder="random"
              onInput={(e) => {
                const v = num(e.currentTarget.value, true, 0, Number.MAX_SAFE_INTEGER);
                if (typeof v === 'number' && v !== s.seed) onChange({ seed: v });
              }}
              onChange={(e) => {
                const v = num(e.currentTarget.value, true, 0, Number.MAX_SAFE_INTEGER);
                if (typeof v === 'number') onChange({ seed: v });
                else e.currentTarget.value = String(s.seed);
              }}
            />
            <label class={css.check}>
              <input type="checkbox" checked={s.randomSeed} disabled={disabled} data-field="randomSeed" onChange={(e) => onChange({ randomSeed: e.currentTarget.checked })} />
              random
            </label>
            <button
              type="button" class={css.small} disabled={disabled || lastSeed === null} data-action="reuse-seed"
              title={lastSeed === null ? 'No run yet' : `Use seed ${lastSeed} again`}
              aria-label="Use the last run's seed"
              onClick={() => lastSeed !== null && onChange({ seed: lastSeed, randomSeed: false })}
            >
              ↺
            </button>
          </div>
        </div>
      </div>
    </details>
  );
}

interface NumberFieldProps {
  label: string;
  field: string;
  int?: boolean;
  min: number;
  max: number;
  step: number;
  /** null: the pack's default (`fallback`) */
  value: number | null;
  fallback?: number | string;
  /** a tooltip that says what the field does */
  title?: string;
  disabled?: boolean;
  onChange: (v: number | null) => void;
}

/** A number that may be left empty for the pack's default; out-of-range input is put back. */
function NumberField(p: NumberFieldProps) {
  return (
    <label class={css.row} title={p.title}>
      <span>{p.label}</span>
      <input
        type="number" min={p.min} max={p.max} step={p.step} disabled={p.disabled} data-field={p.field}
        value={p.value ?? ''} placeholder={p.fallback !== undefined ? `${p.fallback} (default)` : 'default'}
        // a valid number is kept as it is typed: a re-render of the panel before the field loses
        // focus (progress, a prompt check, the section opening) would otherwise put back the old value
        onInput={(e) => {
          const v = num(e.currentTarget.value, !!p.int, p.min, p.max);
          if (typeof v === 'number' && v !== p.value) p.onChange(v);
        }}
        onChange={(e) => {
          const v = num(e.currentTarget.value, !!p.int, p.min, p.max);
          if (v !== undefined) p.onChange(v);
          else e.currentTarget.value = String(p.value ?? '');
        }}
      />
    </label>
  );
}
