import { useCallback, useState } from 'preact/hooks';
import { loadSettings, saveSettings, type PanelSettings } from './settings.js';
import type { KeyValueStore } from './storage.js';

/**
 * Settings loaded once from `store` and saved back on every change, as it is made (not after the
 * next render: a panel closed right after a change would lose it).
 */
export function useSettings(store: KeyValueStore): [PanelSettings, (patch: Partial<PanelSettings>) => void] {
  const [settings, setSettings] = useState(() => loadSettings(store));
  const update = useCallback(
    (patch: Partial<PanelSettings>) =>
      setSettings((s) => {
        const next = { ...s, ...patch };
        saveSettings(store, next);
        return next;
      }),
    [store],
  );
  return [settings, update];
}
