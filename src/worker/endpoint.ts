/**
 * Serving the API on any comlink Endpoint (a Worker's global scope, a MessagePort, or an
 * adapter over a JSON-only bridge such as the UXP webview's postMessage), and connecting to it.
 */
import * as Comlink from 'comlink';
import type { DiffusionApi } from './api.js';
import { createService, type ServiceOptions } from './service.js';

export type { Endpoint } from 'comlink';

/** Exposes a new service on `endpoint`; returns it (for tests and in-process use). */
export function exposeOn(endpoint: Comlink.Endpoint, options: ServiceOptions = {}): DiffusionApi {
  const service = createService(options);
  Comlink.expose(service, endpoint);
  return service;
}

/** The client side: a typed proxy of the API served on `endpoint`. */
export function connect(endpoint: Comlink.Endpoint): Comlink.Remote<DiffusionApi> {
  return Comlink.wrap<DiffusionApi>(endpoint);
}

/** Wraps a progress callback so it can cross a MessagePort endpoint. */
export const progressProxy = <T extends (...args: never[]) => unknown>(fn: T): T & Comlink.ProxyMarked => Comlink.proxy(fn);

const B64 = '__b64u8';

/** Typed arrays and ArrayBuffers -> {__b64u8: base64} (deep), for bridges that carry JSON only. */
export function encodeBinary(v: unknown): unknown {
  if (v instanceof ArrayBuffer) return { [B64]: toBase64(new Uint8Array(v)), buffer: true };
  if (ArrayBuffer.isView(v)) return { [B64]: toBase64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)), kind: v.constructor.name };
  if (Array.isArray(v)) return v.map(encodeBinary);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeBinary(x)]));
  return v;
}

/** Inverse of encodeBinary (byte views come back as Uint8Array, Float32Array as Float32Array). */
export function decodeBinary(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decodeBinary);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o[B64] === 'string') {
      const bytes = fromBase64(o[B64] as string);
      if (o.buffer) return bytes.buffer;
      if (o.kind === 'Float32Array') return new Float32Array(bytes.buffer);
      return o.kind === 'Uint8ClampedArray' ? new Uint8ClampedArray(bytes.buffer) : bytes;
    }
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeBinary(x)]));
  }
  return v;
}

/**
 * A comlink Endpoint over a JSON-only message channel: `send` posts a JSON-safe value, and
 * `subscribe` delivers received ones. Binary is base64-encoded in chunks of 32 KiB. Proxied
 * callbacks need MessagePorts and do not cross it: poll `progress()` instead.
 */
export function jsonEndpoint(send: (msg: unknown) => void, subscribe: (onMessage: (msg: unknown) => void) => void): Comlink.Endpoint {
  const listeners = new Set<EventListenerOrEventListenerObject>();
  subscribe((msg) => {
    const event = { data: decodeBinary(msg) } as MessageEvent;
    for (const l of listeners) {
      if (typeof l === 'function') l(event);
      else l.handleEvent(event);
    }
  });
  return {
    postMessage: (message: unknown) => send(encodeBinary(message)),
    addEventListener: (_type: string, l: EventListenerOrEventListenerObject) => void listeners.add(l),
    removeEventListener: (_type: string, l: EventListenerOrEventListenerObject) => void listeners.delete(l),
  };
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
