import css from './Message.module.css';

/** A plain-words message in the panel (error or info) with a close button. */
export function Message(p: { kind: 'error' | 'info'; text: string; onClose?: () => void }) {
  return (
    <div class={p.kind === 'error' ? `${css.msg} ${css.error}` : css.msg} role={p.kind === 'error' ? 'alert' : 'status'} data-role={`message-${p.kind}`}>
      <span class={css.text}>{p.text}</span>
      {p.onClose && (
        <button type="button" class={css.close} aria-label="Dismiss" onClick={p.onClose}>
          ×
        </button>
      )}
    </div>
  );
}
