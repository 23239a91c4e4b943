import { useEffect, useState } from 'preact/hooks';
import type { Editor } from '../editor.js';

/** Re-renders the caller on every change of the editor or its active document; returns a version. */
export function useEditor(editor: Editor): number {
  const [version, setVersion] = useState(0);
  useEffect(() => editor.onChange(() => setVersion((n) => n + 1)), [editor]);
  return version;
}
