export type Tool = 'move' | 'rect' | 'ellipse' | 'lasso' | 'brush';
export const TOOLS: ReadonlyArray<{ id: Tool; label: string; key: string }> = [
  { id: 'move', label: 'Move', key: 'v' },
  { id: 'rect', label: 'Rectangle', key: 'm' },
  { id: 'ellipse', label: 'Ellipse', key: 'e' },
  { id: 'lasso', label: 'Lasso', key: 'l' },
  { id: 'brush', label: 'Brush', key: 'b' },
];
