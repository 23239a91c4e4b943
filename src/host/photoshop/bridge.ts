/**
 * comlink Endpoints over the UXP webview message bridge, one for each side:
 *
 *   panel (UXP)   webview.postMessage(msg)         ->  window 'message' in the webview page
 *   webview page  window.uxpHost.postMessage(msg)  ->  'message' on the <webview> element
 *
 * The bridge carries JSON only (no transferables, no typed arrays), so every message goes
 * through the codec in bridge-codec.ts: binary as base64 in frames of bounded size,
 * reassembled on arrival. MessagePorts in a message (comlink's `proxy()` callbacks) become
 * virtual channels multiplexed over the same bridge, so progress callbacks cross it too.
 *
 * Each side stamps its frames with a random session id and a sequence number: frames that
 * arrive twice (both sides listen on two documented event sources) or from a stale session
 * are dropped. Nothing is sent until the other side has said hello, because a <webview> drops
 * messages posted before its page has loaded.
 */
import type { Endpoint } from 'comlink';
import { decodeValue, DEFAULT_MAX_MESSAGE_BYTES, encodeValue, Reassembler, toFrames, type DataFrame } from './bridge-codec.js';

/** A JSON-only duplex channel: `post` sends one JSON-safe value; `subscribe` delivers received ones. */
export interface BridgeTransport {
  post(message: unknown): void;
  subscribe(onMessage: (message: unknown) => void): () => void;
}

export interface BridgeOptions {
  /** bound on one message's JSON in UTF-8 bytes (default 1 MiB) */
  maxMessageBytes?: number;
  /** wait for the other side's hello before sending (default true) */
  handshake?: boolean;
  /** reported when a message cannot be decoded (default: console.error) */
  onError?: (error: unknown) => void;
}

export interface BridgeEndpoint extends Endpoint {
  /** resolves once the other side has answered the handshake */
  readonly ready: Promise<void>;
  close(): void;
}

interface Stamp {
  dl: 1;
  s: string;
  q: number;
}
type HandshakeFrame = { t: 'hello' } | { t: 'ack' };
type Frame = Stamp & (DataFrame | HandshakeFrame);

/** A port as comlink and the DOM use it. */
interface PortLike {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  removeEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  start?(): void;
  close?(): void;
}

type Listener = EventListenerOrEventListenerObject;

const randomId = (): string => Math.random().toString(36).slice(2, 10) + Date.now().toString(36).slice(-4);

function parseIncoming(raw: unknown): Frame | null {
  let v = raw;
  if (typeof v === 'string') {
    if (!v.startsWith('{"dl":')) return null;
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (typeof v !== 'object' || v === null) return null;
  const f = v as Partial<Frame>;
  return f.dl === 1 && typeof f.s === 'string' && typeof f.q === 'number' ? (f as Frame) : null;
}

export function isPortLike(v: object): boolean {
  return (typeof MessagePort !== 'undefined' && v instanceof MessagePort) || v instanceof PolyfillPort;
}

/** Comlink's release message ({ type: "RELEASE" }), sent by a proxy's finalizer. */
const isComlinkRelease = (m: unknown): boolean => typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'RELEASE';

/** Builds a comlink Endpoint over a JSON-only transport. */
export function createBridgeEndpoint(transport: BridgeTransport, options: BridgeOptions = {}): BridgeEndpoint {
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const onError = options.onError ?? ((e: unknown) => console.error('diffusion-layers bridge:', e));
  const session = randomId();
  let seq = 0;
  let messageNo = 0;
  let portNo = 0;
  let remote: string | undefined;
  let lastSeen = 0;
  const retired = new Set<string>();
  const reassembler = new Reassembler();
  const listeners = new Set<Listener>();
  const channels = new Map<string, PortLike>();
  const queue: (DataFrame | HandshakeFrame)[] = [];
  let isReady = options.handshake === false;
  let closed = false;
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  if (isReady) markReady();

  // Stamped when actually sent, so sequence numbers on the wire always increase.
  const transmit = (frame: DataFrame | HandshakeFrame): void => transport.post({ dl: 1, s: session, q: ++seq, ...frame } satisfies Frame);
  const post = (frame: DataFrame | HandshakeFrame): void => {
    if (isReady || frame.t === 'hello' || frame.t === 'ack') transmit(frame);
    else queue.push(frame);
  };

  const becomeReady = (): void => {
    if (isReady) return;
    isReady = true;
    for (const f of queue.splice(0)) transmit(f);
    markReady();
  };

  /** Forwards a local port's traffic over the bridge under channel `id`. */
  const attach = (id: string, port: PortLike): void => {
    channels.set(id, port);
    port.addEventListener('message', (ev) => {
      if (!closed) send(ev.data, id);
    });
    port.start?.();
  };

  const hooks = {
    isPort: isPortLike,
    port: (p: object): string => {
      const id = `${session}.${++portNo}`;
      attach(id, p as PortLike);
      return id;
    },
  };

  const send = (value: unknown, channel?: string): void => {
    if (closed) throw new Error('bridge: the endpoint is closed');
    for (const f of toFrames(++messageNo, encodeValue(value, hooks), maxBytes, channel)) post(f);
  };

  const makePort = (id: string): unknown => {
    if (typeof MessageChannel === 'undefined') {
      throw new Error('bridge: a MessagePort arrived but this runtime has no MessageChannel (call installMessageChannelPolyfill() first)');
    }
    const { port1, port2 } = new MessageChannel();
    attach(id, port1 as unknown as PortLike);
    return port2;
  };

  const dispatch = (data: unknown): void => {
    const event = { data, origin: '', source: null } as unknown as MessageEvent;
    for (const l of [...listeners]) {
      if (typeof l === 'function') l(event);
      else l.handleEvent(event);
    }
  };

  const receive = (raw: unknown): void => {
    if (closed) return;
    const f = parseIncoming(raw);
    if (!f || f.s === session || retired.has(f.s)) return;
    if (f.s !== remote) {
      if (remote !== undefined) retired.add(remote);
      remote = f.s;
      lastSeen = 0;
      reassembler.reset();
    }
    if (f.q <= lastSeen) return; // delivered twice
    lastSeen = f.q;
    if (f.t === 'hello' || f.t === 'ack') {
      if (f.t === 'hello') post({ t: 'ack' });
      becomeReady();
      return;
    }
    becomeReady();
    try {
      const done = reassembler.push(f);
      if (!done) return;
      const value = decodeValue(done.skeleton, done.blobs, { port: makePort });
      if (done.channel === undefined) {
        dispatch(value);
        return;
      }
      const port = channels.get(done.channel);
      if (!port) throw new Error(`bridge: a message for unknown channel ${done.channel}`);
      port.postMessage(value, transferList(value));
    } catch (e) {
      onError(e);
    }
  };

  const unsubscribe = transport.subscribe(receive);
  if (!isReady) post({ t: 'hello' });

  return {
    ready,
    postMessage(message: unknown): void {
      // Comlink releases a proxy when it is garbage-collected, at a time nobody chooses; releasing
      // one whose endpoint is already closed has nothing left to do, so it must not throw.
      if (closed && isComlinkRelease(message)) return;
      send(message);
    },
    addEventListener(_type: string, listener: Listener): void {
      listeners.add(listener);
    },
    removeEventListener(_type: string, listener: Listener): void {
      listeners.delete(listener);
    },
    close(): void {
      if (closed) return;
      closed = true;
      unsubscribe();
      for (const p of channels.values()) p.close?.();
      channels.clear();
      listeners.clear();
      queue.length = 0;
    },
  };
}

/** The ports in a decoded value (they must be transferred when it is posted to a real port). */
function transferList(value: unknown, out: object[] = [], depth = 0): object[] {
  if (depth > 64 || value === null || typeof value !== 'object') return out;
  if (isPortLike(value)) out.push(value);
  else if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return out;
  else if (Array.isArray(value)) for (const x of value) transferList(x, out, depth + 1);
  else for (const x of Object.values(value)) transferList(x, out, depth + 1);
  return out;
}

// ---- the two sides -----------------------------------------------------------------------

/** The `<webview>` element as the panel sees it (UXP HTMLWebViewElement). */
export interface WebviewElementLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (ev: unknown) => void): void;
  removeEventListener(type: 'message', listener: (ev: unknown) => void): void;
}

/** What the webview page sees: `window` with the `uxpHost` object UXP injects. */
export interface WebviewWindowLike {
  uxpHost?: {
    postMessage(message: unknown): void;
    addEventListener?(type: 'message', listener: (ev: unknown) => void): void;
    removeEventListener?(type: 'message', listener: (ev: unknown) => void): void;
  };
  addEventListener(type: 'message', listener: (ev: unknown) => void): void;
  removeEventListener(type: 'message', listener: (ev: unknown) => void): void;
}

/** Message events carry the payload in `data` (documented); some UXP versions use `message`. */
function payloadOf(ev: unknown): unknown {
  if (typeof ev !== 'object' || ev === null) return undefined;
  const e = ev as { data?: unknown; message?: unknown };
  return e.data !== undefined ? e.data : e.message;
}

interface Source {
  addEventListener(type: 'message', listener: (ev: unknown) => void): void;
  removeEventListener(type: 'message', listener: (ev: unknown) => void): void;
}

function listenAll(sources: Source[], accept: (ev: unknown) => boolean, onMessage: (m: unknown) => void): () => void {
  const listener = (ev: unknown): void => {
    if (accept(ev)) onMessage(payloadOf(ev));
  };
  for (const s of sources) s.addEventListener('message', listener);
  return () => {
    for (const s of sources) s.removeEventListener('message', listener);
  };
}

/**
 * Panel side. Messages from the page arrive as 'message' events on the <webview> element
 * (and, per the UXP typings, on the panel's window with `source` = the element); both are
 * listened to and duplicates dropped by sequence number.
 */
export function panelTransport(webview: WebviewElementLike, panelWindow?: Source): BridgeTransport {
  return {
    post: (m) => webview.postMessage(m),
    subscribe: (onMessage) => {
      const offElement = listenAll([webview], () => true, onMessage);
      const offWindow = panelWindow
        ? listenAll([panelWindow], (ev) => (ev as { source?: unknown }).source === webview, onMessage)
        : () => undefined;
      return () => {
        offElement();
        offWindow();
      };
    },
  };
}

/** Webview side: sends with `window.uxpHost.postMessage`, receives window 'message' events. */
export function webviewTransport(win: WebviewWindowLike): BridgeTransport {
  const host = win.uxpHost;
  if (!host) throw new Error('bridge: window.uxpHost is missing: this page must run inside a UXP <webview> with enableMessageBridge');
  return {
    post: (m) => host.postMessage(m),
    subscribe: (onMessage) => {
      const sources: Source[] = [win];
      if (typeof host.addEventListener === 'function' && typeof host.removeEventListener === 'function') sources.push(host as Source);
      return listenAll(sources, () => true, onMessage);
    },
  };
}

export const createPanelEndpoint = (webview: WebviewElementLike, panelWindow?: Source, options?: BridgeOptions): BridgeEndpoint =>
  createBridgeEndpoint(panelTransport(webview, panelWindow), options);

export const createWebviewEndpoint = (win: WebviewWindowLike, options?: BridgeOptions): BridgeEndpoint =>
  createBridgeEndpoint(webviewTransport(win), options);

/**
 * Two transports wired to each other through JSON text, as the real bridge is: for tests and
 * for running the panel against an in-page engine. `onWire` sees every serialised message.
 */
export function memoryTransportPair(onWire?: (json: string, from: 'a' | 'b') => void): [BridgeTransport, BridgeTransport] {
  const subs: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  const make = (self: 0 | 1): BridgeTransport => ({
    post(m) {
      const json = JSON.stringify(m);
      onWire?.(json, self === 0 ? 'a' : 'b');
      setTimeout(() => {
        for (const s of [...subs[self === 0 ? 1 : 0]]) s(JSON.parse(json));
      }, 0);
    },
    subscribe(onMessage) {
      subs[self].add(onMessage);
      return () => subs[self].delete(onMessage);
    },
  });
  return [make(0), make(1)];
}

// ---- MessageChannel for runtimes without one (the UXP panel, to be safe) -------------------

type PortListener = (ev: { data: unknown }) => void;

/** An in-memory MessagePort: delivery is asynchronous and starts with start(), as in the DOM. */
export class PolyfillPort implements PortLike {
  partner: PolyfillPort | null = null;
  private listeners = new Set<PortListener>();
  private inbox: unknown[] = [];
  private started = false;
  private closed = false;
  onmessage: PortListener | null = null;

  postMessage(message: unknown): void {
    const to = this.partner;
    if (this.closed || !to || to.closed) return;
    to.inbox.push(message);
    to.flushSoon();
  }
  addEventListener(_type: 'message', listener: PortListener): void {
    this.listeners.add(listener);
  }
  removeEventListener(_type: 'message', listener: PortListener): void {
    this.listeners.delete(listener);
  }
  start(): void {
    this.started = true;
    this.flushSoon();
  }
  close(): void {
    this.closed = true;
    this.listeners.clear();
    this.inbox.length = 0;
  }
  private flushSoon(): void {
    if (!this.started || this.inbox.length === 0) return;
    void Promise.resolve().then(() => {
      for (const data of this.inbox.splice(0)) {
        const ev = { data };
        this.onmessage?.(ev);
        for (const l of [...this.listeners]) l(ev);
      }
    });
  }
}
// comlink closes released ports only when their constructor is called MessagePort.
Object.defineProperty(PolyfillPort, 'name', { value: 'MessagePort' });

export class PolyfillMessageChannel {
  readonly port1 = new PolyfillPort();
  readonly port2 = new PolyfillPort();
  constructor() {
    this.port1.partner = this.port2;
    this.port2.partner = this.port1;
  }
}

/** Installs PolyfillMessageChannel as globalThis.MessageChannel when the runtime has none. */
export function installMessageChannelPolyfill(target: { MessageChannel?: unknown } = globalThis): boolean {
  if (typeof target.MessageChannel !== 'undefined') return false;
  target.MessageChannel = PolyfillMessageChannel;
  return true;
}
