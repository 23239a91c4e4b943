import type { ModelState } from '../lib/useModel.js';
import { statusText } from './status.js';
import css from './StatusLine.module.css';

export function StatusLine(p: { model: ModelState; testModel: boolean; notice?: string | null }) {
  const t = statusText(p.model, p.testModel);
  return (
    <div class={css.status} data-role="status">
      {p.notice && <div class={css.notice} data-role="notice">{p.notice}</div>}
      <div data-role="status-model">{t.model}</div>
      {t.backend && <div class={css.backend} data-role="status-backend">{t.backend}</div>}
      {t.warning && <div class={css.warning}>{t.warning}</div>}
    </div>
  );
}
