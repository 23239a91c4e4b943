/**
 * Serving a comlink Remote again on another endpoint (the webview page relays the worker's
 * API to the panel). `Comlink.expose(remote, ...)` does not work: exposing calls
 * `method.apply(...)`, and on a Remote `.apply` is itself a remote path. So each method is a
 * plain function that calls the remote, and each callback argument (a Remote of the panel's
 * function) is wrapped in a plain `Comlink.proxy` function before it goes on to the worker.
 */
import * as Comlink from 'comlink';

export interface ForwardOptions {
  /** when set, every call rejects with this (e.g. the worker failed to start) */
  failure?: () => unknown;
  /** methods handled here instead of being relayed as they are */
  overrides?: Record<string, (...args: unknown[]) => unknown>;
}

type AnyFn = (...args: unknown[]) => unknown;

export function forwardRemote<T extends object>(remote: Comlink.Remote<T>, options: ForwardOptions = {}): T {
  const target = remote as unknown as Record<string, AnyFn>;
  return new Proxy({} as T, {
    get(_t, prop) {
      // comlink probes `then` when it awaits a value: this object is not a promise
      if (typeof prop !== 'string' || prop === 'then') return undefined;
      return (...args: unknown[]) => {
        const failed = options.failure?.();
        if (failed !== undefined) return Promise.reject(failed);
        const own = options.overrides?.[prop];
        if (own) return own(...args);
        const relayed = args.map((a) => (typeof a === 'function' ? Comlink.proxy((...x: unknown[]) => (a as AnyFn)(...x)) : a));
        return target[prop]!(...relayed);
      };
    },
  });
}
