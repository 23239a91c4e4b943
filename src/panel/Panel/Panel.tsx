import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Host } from '../../host/host.js';
import { isWireError, type LoadRequest } from '../../worker/api.js';
import { Advanced } from '../Advanced/Advanced.js';
import { EXPAND_AMOUNTS, EXPAND_DIRECTIONS, type ExpandDirection } from '../../inference/expand.js';
import { DEFAULT_INIT_STRENGTH } from '../../inference/requests.js';
import type { JobOutput, JobSettings, Mode, PanelEngine, UpscaleSource } from '../jobs/types.js';
import { plainMessage } from '../jobs/errors.js';
import { remember } from '../lib/history.js';
import { parseParametersText } from '../../inference/run-record.js';
import { recallFromParameters, recallSettings } from '../lib/recall.js';
import { UPSCALE_SCALES, type PanelSettings } from '../lib/settings.js';
import type { KeyValueStore } from '../lib/storage.js';
import { useJob } from '../lib/useJob.js';
import { useModel } from '../lib/useModel.js';
import { usePromptCheck } from '../lib/usePromptCheck.js';
import { useSettings } from '../lib/useSettings.js';
import { Message } from '../Message/Message.js';
import { ModelSource } from '../ModelSource/ModelSource.js';
import { ModeTabs } from '../ModeTabs/ModeTabs.js';
import { ProgressView } from '../ProgressView/ProgressView.js';
import { PromptFields } from '../PromptFields/PromptFields.js';
import { StatusLine } from '../StatusLine/StatusLine.js';
import { Variations } from '../Variations/Variations.js';
import css from './Panel.module.css';

export interface PanelProps {
  host: Host;
  engine: PanelEngine;
  storage: KeyValueStore;
  /** the pack shipped with the plugin */
  defaultPack: { url: string; label: string; testModel?: boolean };
  /** device, wasm paths, threads for the engine's load() */
  loadOptions?: Omit<LoadRequest, 'pack'>;
  /** what relative pack URLs resolve against */
  baseUrl?: string;
}

const RUN_LABELS: Record<Mode, string> = { generate: 'Generate', fill: 'Fill selection', expand: 'Expand', upscale: 'Upscale' };

function jobSettings(s: PanelSettings): JobSettings {
  return {
    prompt: s.prompt,
    negativePrompt: s.negativePrompt,
    count: s.count,
    ...(s.steps !== null ? { steps: s.steps } : {}),
    ...(s.guidance !== null ? { guidance: s.guidance } : {}),
    ...(s.sampler !== null ? { sampler: s.sampler } : {}),
    ...(s.upsamplerSteps !== null ? { upsamplerSteps: s.upsamplerSteps } : {}),
    ...(s.upscaleStrength !== null ? { upscaleStrength: s.upscaleStrength } : {}),
    ...(s.upscaleScale !== null ? { upscaleScale: s.upscaleScale } : {}),
    upscaleSource: s.upscaleSource,
    expandBy: s.expandBy,
    expandDirection: s.expandDirection,
    addDetail: s.addDetail,
    ...(s.mode === 'fill' && s.fillStrength !== null ? { strength: s.fillStrength } : {}),
    ...(s.mode === 'expand' && s.expandStrength !== null ? { strength: s.expandStrength } : {}),
    ...(s.mode === 'generate' && s.transparentBackground ? { transparentBackground: true } : {}),
    ...(s.mode === 'generate' && s.startFrom === 'layer' ? { startFrom: s.startFrom, ...(s.startStrength !== null ? { strength: s.startStrength } : {}) } : {}),
    ...(s.candidates !== null ? { candidates: s.candidates } : {}),
    ...(s.randomSeed ? {} : { seed: s.seed }),
  };
}

/** More like this in Fill and Expand: the tab's Strength when it is set below 1, else the default start strength. */
const varyStrength = (tab: number | null): number => (tab !== null && tab < 1 ? tab : DEFAULT_INIT_STRENGTH);

export function Panel({ host, engine, storage, defaultPack, loadOptions = {}, baseUrl }: PanelProps) {
  const [settings, update] = useSettings(storage);
  // a pack URL being tried: remembered only once it loads
  const [trial, setTrial] = useState<string | null>(null);
  const [packProblem, setPackProblem] = useState<string | null>(null);
  const url = trial ?? settings.packUrl ?? defaultPack.url;
  const { model, refresh } = useModel(engine, url, loadOptions);
  const [lastSeed, setLastSeed] = useState<number | null>(null);

  useEffect(() => {
    if (trial === null || model.url !== trial || model.status === 'loading') return;
    if (model.status === 'ready') update({ packUrl: trial });
    else setPackProblem(`Could not load the pack at ${trial}: ${model.message}`);
    setTrial(null);
  }, [trial, model, update]);

  const onFinished = useCallback(
    (o: JobOutput | null) => {
      if (o) setLastSeed(o.seed);
      refresh();
    },
    [refresh],
  );
  const job = useJob(host, engine, onFinished);
  const [recallNote, setRecallNote] = useState<{ kind: 'info' | 'error'; text: string } | null>(null);
  const running = job.state.phase === 'running';
  const ready = model.status === 'ready';
  // upscale's prompt does not go through the vocabulary check (it is optional there)
  const checkKey = ready && settings.mode !== 'upscale' ? model.url : null;
  const promptCheck = usePromptCheck(engine, settings.prompt, checkKey);
  const negativeCheck = usePromptCheck(engine, settings.negativePrompt, checkKey);

  const start = useCallback(() => {
    if (!running && ready) {
      setRecallNote(null);
      if (settings.prompt.trim()) update({ history: remember(settings.history, settings.prompt) });
      void job.run(settings.mode, jobSettings(settings));
    }
  }, [running, ready, job, settings, update]);

  // "More like this": the chosen variation's run again (its prompt, not one typed since), from that
  // variation at Advanced > Strength, with a new seed unless the seed is fixed
  // (Fill and Expand: at the tab's Strength when it is set below 1, else at the default start strength)
  const similar = useCallback(() => {
    const state = job.state;
    if (running || !ready || state.phase !== 'done') return;
    const { output: out, selected } = state;
    const chosen = out.candidates[selected];
    const { seed: _seed, ...asked } = state.settings;
    const seed = settings.randomSeed ? {} : { seed: settings.seed };
    if (out.mode === 'generate' && chosen?.source) {
      const strength = settings.startStrength !== null ? { strength: settings.startStrength } : {};
      void job.run('generate', { ...asked, ...seed, init: chosen.source, ...strength });
    } else if (out.mode === 'fill' && chosen) {
      const strength = varyStrength(settings.fillStrength);
      void job.run('fill', { ...asked, ...seed, fillStart: { rect: out.placement.rect, rgba: chosen.rgba }, strength });
    } else if (out.mode === 'expand' && chosen && out.placement.expand) {
      const expandStart = { rect: out.placement.rect, rgba: chosen.rgba, from: out.placement.expand.from };
      void job.run('expand', { ...asked, ...seed, expandStart, strength: varyStrength(settings.expandStrength) });
    }
  }, [running, ready, job, settings]);

  // Recall: the settings that made the active layer (the worker checks the record)
  const recall = useCallback(async () => {
    if (!host.activeLayerRecord) return;
    setRecallNote(null);
    try {
      const kept = await host.activeLayerRecord();
      if (!kept || (kept.json === undefined && kept.parameters === undefined)) {
        setRecallNote({
          kind: 'error',
          text: 'The active layer has no record of what made it: only layers this panel added, and PNGs saved with their generation parameters (by Diffusion Layers or another diffusion tool), have one.',
        });
        return;
      }
      const pack = model.status === 'ready' ? model.info.pack : undefined;
      // our own record; else another tool's parameters text, which says less
      const r =
        kept.json !== undefined
          ? recallSettings(await engine.readRecord(kept.json, `The layer "${kept.layer}"`), pack ? { model: pack.name, upscaleFactor: pack.upsamplerResolution / pack.baseResolution } : {})
          : recallFromParameters(parseParametersText(kept.parameters!));
      update(r.patch);
      setRecallNote({ kind: 'info', text: [r.summary, ...r.notes].join(' ') });
    } catch (e) {
      // the record's own words (what is damaged), not the engine's generic lead
      setRecallNote({ kind: 'error', text: isWireError(e) ? `${e.message}.` : plainMessage(e) });
    }
  }, [host, engine, model, update]);

  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && job.cancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, job]);

  const s = job.state;
  return (
    <div class={css.panel} data-phase={s.phase}>
      <ModeTabs mode={settings.mode} disabled={running} onChange={(mode) => update({ mode })} />
      <PromptFields
        prompt={settings.prompt}
        negativePrompt={settings.negativePrompt}
        optional={settings.mode === 'upscale'}
        {...(settings.mode === 'expand' ? { placeholder: 'what lies around, or nothing; e.g. on a white background' } : {})}
        disabled={running}
        onChange={update}
        onSubmit={start}
        promptCheck={promptCheck}
        negativeCheck={negativeCheck}
        history={settings.history}
      />
      {settings.mode === 'expand' && (
        <div class={css.runRow}>
          <ExpandControls by={settings.expandBy} direction={settings.expandDirection} disabled={running} onChange={update} />
        </div>
      )}
      <div class={css.runRow}>
        {settings.mode === 'upscale' && (
          <label class={css.count} title="What to upscale: the active layer, or everything visible (the result opens as a new document).">
            From
            <select value={settings.upscaleSource} disabled={running} data-field="upscaleSource" onChange={(e) => update({ upscaleSource: e.currentTarget.value as UpscaleSource })}>
              <option value="layer">Layer</option>
              <option value="image">Image</option>
            </select>
          </label>
        )}
        {settings.mode === 'upscale' && ready && model.info.pack && (
          <UpscaleScale
            factor={model.info.pack.upsamplerResolution / model.info.pack.baseResolution}
            value={settings.upscaleScale}
            disabled={running}
            onChange={(upscaleScale) => update({ upscaleScale })}
          />
        )}
        {settings.mode !== 'upscale' && (
          <label class={css.count}>
            Variations
            <select value={settings.count} disabled={running} data-field="count" onChange={(e) => update({ count: Number(e.currentTarget.value) })}>
              {[1, 2, 3, 4].map((n) => (
                <option key={n} value={n}>{n}</option>
              ))}
            </select>
          </label>
        )}
        {host.activeLayerRecord && (
          <button
            type="button"
            class={css.recall}
            disabled={running}
            onClick={() => void recall()}
            data-action="recall"
            title="Recall: set the prompt, seed and settings that made the active layer (a layer this panel added, or a PNG saved by Diffusion Layers)"
          >
            Recall
          </button>
        )}
        <button type="button" class={css.run} disabled={running || !ready} onClick={start} data-action="run">
          {settings.mode === 'generate' && settings.startFrom === 'layer' ? 'Redraw layer' : RUN_LABELS[settings.mode]}
        </button>
      </div>
      {recallNote && <Message kind={recallNote.kind} text={recallNote.text} onClose={() => setRecallNote(null)} />}
      {settings.mode === 'upscale' && ready && model.info.pack?.upscaleNote && (
        <Message kind="info" text={model.info.pack.upscaleNote} />
      )}
      <Advanced
        settings={settings}
        mode={settings.mode}
        upscaleOnly={settings.mode === 'upscale'}
        drawing={settings.mode !== 'upscale'}
        defaults={ready ? (model.info.pack?.defaults) : undefined}
        reranker={ready && !!model.info.pack?.reranker}
        lastSeed={lastSeed}
        disabled={running}
        onChange={update}
      />
      {s.phase === 'running' && <ProgressView mode={s.mode} progress={s.progress} preview={s.preview} onCancel={job.cancel} />}
      {s.phase === 'done' && (
        <>
          {[...s.output.warnings, ...(s.output.notes ?? [])].map((w) => (
            <Message key={w} kind="info" text={w} />
          ))}
          <Variations
            candidates={s.output.candidates}
            selected={s.selected}
            added={s.added}
            applying={job.applying}
            addLabel={s.output.placement.target === 'newDocument' ? 'Open as new document' : 'Add as layer'}
            onSelect={job.select}
            onAdd={job.apply}
            {...(s.output.mode !== 'upscale' && ready ? { onSimilar: similar } : {})}
          />
        </>
      )}
      {s.phase === 'cancelled' && <Message kind="info" text="Cancelled: nothing was added." onClose={job.dismiss} />}
      {s.phase === 'error' && <Message kind="error" text={s.message} onClose={job.dismiss} />}
      {model.status === 'error' && (
        <Message kind="error" text={`The model did not load: ${model.message}`} />
      )}
      {packProblem && <Message kind="error" text={packProblem} onClose={() => setPackProblem(null)} />}
      <ModelSource
        packUrl={settings.packUrl}
        defaultLabel={defaultPack.label}
        baseUrl={baseUrl}
        {...(model.status === 'ready' && model.info.pack ? { about: model.info.pack } : {})}
        disabled={running || model.status === 'loading'}
        onChange={(u) => {
          setPackProblem(null);
          if (u === null) update({ packUrl: null });
          else setTrial(u);
        }}
      />
      <StatusLine model={model} testModel={!settings.packUrl && !trial && !!defaultPack.testModel} notice={job.notice} />
    </div>
  );
}

const DIRECTION_LABELS: Record<ExpandDirection, string> = {
  all: 'all sides',
  horizontal: 'left & right',
  vertical: 'top & bottom',
  left: 'left',
  right: 'right',
  top: 'top',
  bottom: 'bottom',
};

/** Expand's amount and sides: each grown dimension grows by the share, split between its two sides. */
function ExpandControls(props: { by: number; direction: ExpandDirection; disabled: boolean; onChange: (s: { expandBy?: number; expandDirection?: ExpandDirection }) => void }) {
  return (
    <>
      <label class={css.count} title="How much the canvas grows: a share of its width (left, right) or height (top, bottom), split between two sides that both grow.">
        By
        <select value={String(props.by)} disabled={props.disabled} data-field="expandBy" onChange={(e) => props.onChange({ expandBy: Number(e.currentTarget.value) })}>
          {EXPAND_AMOUNTS.map((a) => (
            <option key={a} value={String(a)}>{Math.round(a * 100)}%</option>
          ))}
        </select>
      </label>
      <label class={css.count} title="Which sides of the canvas grow.">
        On
        <select value={props.direction} disabled={props.disabled} data-field="expandDirection" onChange={(e) => props.onChange({ expandDirection: e.currentTarget.value as ExpandDirection })}>
          {EXPAND_DIRECTIONS.map((d) => (
            <option key={d} value={d}>{DIRECTION_LABELS[d]}</option>
          ))}
        </select>
      </label>
    </>
  );
}

/** Upscale's size: the pack's whole factor (the default) or less, shrunk from it by area averaging. */
function UpscaleScale({ factor, value, disabled, onChange }: { factor: number; value: number | null; disabled: boolean; onChange: (v: number | null) => void }) {
  const scales = UPSCALE_SCALES.filter((s) => s < factor);
  return (
    <label class={css.count} title="Output size. Below the model's own factor the result is shrunk from it: still sharper than enlarging that much.">
      Scale
      <select
        value={value !== null && value < factor ? String(value) : ''}
        disabled={disabled}
        data-field="upscaleScale"
        onChange={(e) => onChange(e.currentTarget.value ? Number(e.currentTarget.value) : null)}
      >
        {scales.map((s) => (
          <option key={s} value={String(s)}>{s}x</option>
        ))}
        <option value="">{factor}x</option>
      </select>
    </label>
  );
}
