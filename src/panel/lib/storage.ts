/**
 * Where the panel keeps its settings: a tiny key-value interface, so the web page can use
 * localStorage and the UXP panel its own storage (or a file), and tests a Map.
 */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

export function memoryStore(initial: Record<string, string> = {}): KeyValueStore {
  const m = new Map(Object.entries(initial));
  return { get: (k) => m.get(k) ?? null, set: (k, v) => void m.set(k, v) };
}

/** localStorage when the runtime has a working one, else memory (private modes throw on access). */
export function localStore(prefix = 'diffusion-layers:'): KeyValueStore {
  try {
    const ls = (globalThis as { localStorage?: Storage }).localStorage;
    if (!ls) return memoryStore();
    ls.setItem(`${prefix}probe`, '1');
    ls.removeItem(`${prefix}probe`);
    return {
      get: (k) => ls.getItem(prefix + k),
      set: (k, v) => {
        try {
          ls.setItem(prefix + k, v);
        } catch {
          // quota or privacy mode: settings just do not persist
        }
      },
    };
  } catch {
    return memoryStore();
  }
}
