/**
 * The panel's public surface: the component and a mount helper. No side effects at import
 * time; the host page (web editor, UXP panel) builds the Host and the engine client.
 */
import { render } from 'preact';
import { Panel, type PanelProps } from './Panel/Panel.js';

export { Panel, type PanelProps };
export { panelEngine, type EngineClientOptions } from './lib/engine-client.js';
export { localStore, memoryStore, type KeyValueStore } from './lib/storage.js';
export type { PanelEngine } from './jobs/types.js';

/** Renders the panel into `root`; returns a function that unmounts it. */
export function mountPanel(root: Element, props: PanelProps): () => void {
  render(<Panel {...props} />, root);
  return () => render(null, root);
}
