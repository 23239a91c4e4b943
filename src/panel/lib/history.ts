/**
 * Earlier prompts, most recent first, recalled with the arrow keys in the prompt field as in a
 * shell. Pure functions over plain state so the panel can persist the list with its settings.
 */

/** How many prompts are kept. */
export const HISTORY_SIZE = 30;

/** `history` with `prompt` in front (moved there when it was already in it); blank prompts are not kept. */
export function remember(history: readonly string[], prompt: string, max = HISTORY_SIZE): string[] {
  const p = prompt.trim();
  if (!p) return [...history];
  return [p, ...history.filter((h) => h !== p)].slice(0, max);
}

/**
 * Where the arrow keys are in the list: `index` -1 is the text being written (`draft`, kept so
 * that coming back down restores it), 0 the most recent prompt, and so on.
 */
export interface Recall {
  index: number;
  draft: string;
}

export const NOT_RECALLING: Recall = { index: -1, draft: '' };

/**
 * One step back (`older`) or forward through `history` from `at`, with `text` the field's
 * current text. Returns the new position and the text to show, or null at either end.
 */
export function step(history: readonly string[], at: Recall, text: string, older: boolean): { at: Recall; text: string } | null {
  const index = at.index + (older ? 1 : -1);
  if (index < -1 || index >= history.length) return null;
  const draft = at.index === -1 ? text : at.draft;
  return { at: { index, draft }, text: index === -1 ? draft : history[index]! };
}

/**
 * Whether the caret is on the first (`up`) or last line of `text`, with no selection. Where the
 * field does not report its caret (undefined; UXP's text fields are not verified to), a
 * one-line text counts as on both edges.
 */
export function caretOnEdgeLine(text: string, start: number | undefined, end: number | undefined, up: boolean): boolean {
  if (typeof start !== 'number' || typeof end !== 'number') return !text.includes('\n');
  if (start !== end) return false;
  return up ? !text.slice(0, start).includes('\n') : !text.slice(end).includes('\n');
}
