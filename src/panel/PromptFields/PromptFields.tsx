import type { TargetedKeyboardEvent } from 'preact';
import type { PromptCheck } from '../jobs/types.js';
import css from './PromptFields.module.css';

export interface PromptFieldsProps {
  prompt: string;
  negativePrompt: string;
  /** upscale: the prompt is optional and there is no negative prompt */
  optional?: boolean;
  disabled?: boolean;
  onChange: (patch: { prompt?: string; negativePrompt?: string }) => void;
  /** Enter (without Shift) in either field */
  onSubmit: () => void;
  /** what the loaded model makes of each field (usePromptCheck); nothing is shown when null */
  promptCheck?: PromptCheck | null;
  negativeCheck?: PromptCheck | null;
}

/** Token count against the model's limit, and the words it has not learnt. */
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
    </div>
  );
}

export function PromptFields(p: PromptFieldsProps) {
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
        class={css.prompt}
        rows={3}
        value={p.prompt}
        placeholder="a red heart, 3d"
        disabled={p.disabled}
        onInput={(e) => p.onChange({ prompt: e.currentTarget.value })}
        onKeyDown={onKeyDown}
      />
      {!p.optional && p.promptCheck && <CheckLine check={p.promptCheck} field="prompt" />}
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
      <div class={css.hint}>Enter to run, Shift+Enter for a new line, Esc to cancel</div>
    </div>
  );
}
