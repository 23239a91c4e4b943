import type { TargetedKeyboardEvent } from 'preact';
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
        </>
      )}
      <div class={css.hint}>Enter to run, Shift+Enter for a new line, Esc to cancel</div>
    </div>
  );
}
