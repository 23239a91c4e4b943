import { useCallback, useEffect, useState } from 'preact/hooks';
import { loadSettings, saveSettings, type PanelSettings } from './settings.js';
import type { KeyValueStore } from './storage.js';

/** Settings loaded once from `store` and saved back on every change. */
export function useSettings(store: KeyValueStore): [PanelSettings, (patch: Partial<PanelSettings>) => void] {
  const [settings, setSettings] = useState(() => loadSettings(store));
  useEffect(() => saveSettings(store, settings), [store, settings]);
  const update = useCallback((patch: Partial<PanelSettings>) => setSettings((s) => ({ ...s, ...patch })), []);
  return [settings, update];
}
