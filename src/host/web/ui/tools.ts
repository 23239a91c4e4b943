export type Tool = 'move' | 'rect' | 'ellipse' | 'lasso' | 'brush';
export const TOOLS: ReadonlyArray<{ id: Tool; label: string; key: string }> = [
  { id: 'move', label: 'Move', key: 'v' },
  { id: 'rect', label: 'Rectangle', key: 'm' },
  { id: 'ellipse', label: 'Ellipse', key: 'e' },
  { id: 'lasso', label: 'Lasso', key: 'l' },
  { id: 'brush', label: 'Brush', key: 'b' },
];

/** Whether a key event's target takes text: the editor's shortcuts leave such keys to it. */
export const isTyping = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
