import type { TargetedKeyboardEvent } from 'preact';
import { useRef } from 'preact/hooks';
import { phaseList } from '../../inference/prompt-schedule.js';
import { composedList } from '../../inference/prompt-compose.js';
import { applySubject } from '../../inference/subjects.js';
import type { PromptCheck } from '../jobs/types.js';
import { caretOnEdgeLine, NOT_RECALLING, step, type Recall } from '../lib/history.js';
import css from './PromptFields.module.css';

export interface PromptFieldsProps {
  prompt: string;
  negativePrompt: string;
  /** upscale: the prompt is optional and there is no negative prompt */
  optional?: boolean;
  /** an example in the empty prompt field (default: a subject) */
  placeholder?: string;
  disabled?: boolean;
  onChange: (patch: { prompt?: string; negativePrompt?: string }) => void;
  /** Enter (without Shift) in either field */
  onSubmit: () => void;
  /** what the loaded model makes of each field (usePromptCheck); nothing is shown when null */
  promptCheck?: PromptCheck | null;
  negativeCheck?: PromptCheck | null;
  /** earlier prompts, most recent first: Up and Down on the prompt's first or last line step through them */
  history?: readonly string[];
}

/** A weight as people write it: 1.4, 0.91, 1.21. */
const formatWeight = (w: number) => String(Number(w.toFixed(2)));

/** Token count against the model's limit, the words it has not learnt, and the words brackets weight. */
function CheckLine({ check, field }: { check: PromptCheck; field: string }) {
  const unknown = check.unknownWords;
  return (
    <div class={css.check} data-check={field}>
      <span class={check.truncated ? css.over : undefined} title="the model reads at most this many tokens; the rest is ignored">
        {check.tokens} / {check.maxTokens} tokens{check.truncated ? ', the rest is ignored' : ''}
      </span>
      {unknown.length > 0 && (
        <span class={css.unknown} data-unknown={unknown.join(' ')} title="no training caption of this model had these words, so they carry no meaning to it">
          {' · not learnt by this model: '}
          {unknown.join(', ')}
        </span>
      )}
      {check.weighted && (
        <span class={css.weighted} data-weighted={check.weighted.map((w) => `${w.text}:${formatWeight(w.weight)}`).join(' ')} title="brackets weight words: (word) 1.1 times, [word] 1/1.1, (word:1.4) 1.4 times">
          {' · weighted: '}
          {check.weighted.map((w) => `${w.text} ×${formatWeight(w.weight)}`).join(', ')}
        </span>
      )}
      {check.composed && (
        <span class={css.weighted} data-composed={check.composed.length} title="prompts joined with AND each guide the picture with their weight (a prompt :0.5 AND another)">
          {' · composed: '}
          {composedList(check.composed)}
        </span>
      )}
      {check.phases && (
        <span class={css.weighted} data-phases={check.phases.length} title={`the prompt changes during the run ([from:to:when], [a|b]); steps counted over the model's default ${check.phaseSteps}`}>
          {' · changes: '}
          {phaseList(check.phases)}
        </span>
      )}
      {check.ignoredTags && (
        <span class={css.unknown} data-ignored-tags={check.ignoredTags.join(' ')} title="tags of other tools' extra networks (LoRA): this plugin has none, so they are left out">
          {' · left out, no LoRAs here: '}
          {check.ignoredTags.join(' ')}
        </span>
      )}
      {check.weightProblem && (
        <span class={css.unknown} data-weight-problem>
          {' · '}
          {check.weightProblem}
        </span>
      )}
    </div>
  );
}

/**
 * Subjects the model was trained on that match the prompt, or that are near in meaning to one of
 * its words (`near`); a click puts one in the prompt.
 */
function Suggestions({ subjects, near, disabled, onPick }: { subjects: string[]; near?: string | undefined; disabled?: boolean; onPick: (s: string) => void }) {
  return (
    <div
      class={css.suggestions}
      data-suggestions={subjects.length}
      {...(near ? { 'data-near': near } : {})}
      title={near ? `subjects this model was trained on that are nearest in meaning to "${near}": it draws these best` : 'subjects this model was trained on: it draws these best'}
    >
      <span class={css.suggestLabel}>{near ? `For “${near}” it knows:` : 'It knows:'}</span>
      {subjects.map((s) => (
        <button key={s} type="button" class={css.suggestion} data-subject={s} disabled={disabled} onClick={() => onPick(s)}>
          {s}
        </button>
      ))}
    </div>
  );
}

export function PromptFields(p: PromptFieldsProps) {
  const promptRef = useRef<HTMLTextAreaElement>(null);
  const recall = useRef<Recall>(NOT_RECALLING);
  const onPromptKeyDown = (e: TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    const up = e.key === 'ArrowUp';
    if ((up || e.key === 'ArrowDown') && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !e.isComposing) {
      const t = e.currentTarget;
      const next = caretOnEdgeLine(t.value, t.selectionStart, t.selectionEnd, up) ? step(p.history ?? [], recall.current, t.value, up) : null;
      if (next) {
        e.preventDefault();
        recall.current = next.at;
        p.onChange({ prompt: next.text });
        return;
      }
    }
    onKeyDown(e);
  };
  const pick = (subject: string) => {
    recall.current = NOT_RECALLING;
    p.onChange({ prompt: applySubject(p.prompt, subject, p.promptCheck?.suggestionsNear) });
    promptRef.current?.focus(); // Enter runs it from there
  };
  const suggestions = p.promptCheck?.suggestions ?? [];
  const onKeyDown = (e: TargetedKeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      p.onSubmit();
    }
  };
  return (
    <div class={css.fields}>
      <label class={css.label} for="dl-prompt">
        Prompt{p.optional ? ' (optional)' : ''}
      </label>
      <textarea
        id="dl-prompt"
        ref={promptRef}
        class={css.prompt}
        rows={3}
        value={p.prompt}
        placeholder={p.placeholder ?? 'a red heart, 3d'}
        disabled={p.disabled}
        onInput={(e) => {
          recall.current = NOT_RECALLING; // typing makes this the draft
          p.onChange({ prompt: e.currentTarget.value });
        }}
        onKeyDown={onPromptKeyDown}
      />
      {!p.optional && p.promptCheck && <CheckLine check={p.promptCheck} field="prompt" />}
      {!p.optional && suggestions.length > 0 && <Suggestions subjects={suggestions} near={p.promptCheck?.suggestionsNear} disabled={p.disabled} onPick={pick} />}
      {!p.optional && (
        <>
          <label class={css.label} for="dl-negative">
            Negative prompt
          </label>
          <textarea
            id="dl-negative"
            class={css.negative}
            rows={1}
            value={p.negativePrompt}
            placeholder="what to avoid"
            disabled={p.disabled}
            onInput={(e) => p.onChange({ negativePrompt: e.currentTarget.value })}
            onKeyDown={onKeyDown}
          />
          {p.negativeCheck && <CheckLine check={p.negativeCheck} field="negative" />}
        </>
      )}
      <div class={css.hint}>Enter to run, Shift+Enter for a new line, Up and Down for earlier prompts, Esc to cancel</div>
      {!p.optional && (
        <details class={css.syntax} data-role="prompt-syntax">
          <summary>Prompt syntax</summary>
          <dl>
            <dt>(word:1.3)</dt>
            <dd>stress a word; (word) is 1.1, ((word)) 1.21</dd>
            <dt>[word], (word:0.7)</dt>
            <dd>tone a word down</dd>
            <dt>[cat:dog:0.4]</dt>
            <dd>cat for the first 40 % of the steps, then dog; [dog:0.4] adds, [cat::0.4] drops</dd>
            <dt>[cat|dog]</dt>
            <dd>alternate every step</dd>
            <dt>a cat AND a hat :0.5</dt>
            <dd>compose: each part guides with its weight</dd>
            <dt>\( \[</dt>
            <dd>a bracket itself</dd>
          </dl>
        </details>
      )}
    </div>
  );
}
