/**
 * The codec behind the webview bridge: turns any structured-clone-like value (what comlink
 * posts: plain objects, arrays, typed arrays, ArrayBuffers, MessagePorts) into JSON-only
 * frames of bounded size, and back. Pure functions and one small state machine, no I/O.
 *
 * A message becomes:
 *   1. `bin` frames: each binary blob (the bytes of an ArrayBuffer or typed array) in base64
 *      chunks, each frame under the size bound;
 *   2. `msg` frames: the JSON text of a skeleton (the value with placeholders where blobs,
 *      ports and other non-JSON values were), split into parts under the size bound.
 * The receiver writes each chunk straight into a preallocated buffer, and revives the value
 * when the last `msg` part arrives (the channel is ordered, so every blob is complete then).
 *
 * Placeholders are objects with the key `__dl`; an ordinary object that has that key is
 * escaped, so any value round-trips.
 */
import { base64ToBytes, bytesToBase64 } from './base64.js';

/** Default bound on one serialised frame (UTF-8 bytes of its JSON). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
/** Room kept free in every frame for the fields the endpoint adds (session, sequence, channel). */
export const FRAME_RESERVE_BYTES = 512;

export interface BinFrame {
  t: 'bin';
  /** message number (per sender) */
  m: number;
  /** blob index within the message */
  b: number;
  /** blob byte length */
  len: number;
  /** byte offset of this chunk */
  o: number;
  /** base64 of the chunk */
  d: string;
}

export interface MsgFrame {
  t: 'msg';
  m: number;
  /** virtual channel (a MessagePort carried earlier); absent for the main endpoint */
  c?: string;
  /** part index and count */
  i: number;
  n: number;
  /** a slice of the skeleton's JSON text */
  j: string;
}

export type DataFrame = BinFrame | MsgFrame;

/** Hooks for values that are references rather than data. */
export interface EncodeHooks {
  isPort?(value: object): boolean;
  /** registers a local port and returns the id the other side will use for it */
  port?(value: object): string;
}
export interface DecodeHooks {
  /** creates the local stand-in for a port the other side registered */
  port?(id: string): unknown;
}

export interface Encoded {
  /** JSON-safe; contains `{__dl: 'bin', i}` where blob i goes */
  skeleton: unknown;
  blobs: Uint8Array[];
  /** the port objects found (for a transfer list on the receiving side) */
  ports: object[];
}

const KEY = '__dl';

type TypedArrayCtor = new (buffer: ArrayBuffer, byteOffset: number, length: number) => ArrayBufferView;
const VIEW_TYPES: Record<string, TypedArrayCtor | undefined> = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array: typeof BigInt64Array === 'undefined' ? undefined : (BigInt64Array as unknown as TypedArrayCtor),
  BigUint64Array: typeof BigUint64Array === 'undefined' ? undefined : (BigUint64Array as unknown as TypedArrayCtor),
  DataView: DataView as unknown as TypedArrayCtor,
};

const isArrayBuffer = (v: object): v is ArrayBuffer =>
  v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer);

function viewKind(v: ArrayBufferView): string {
  const name = v.constructor?.name ?? '';
  if (VIEW_TYPES[name]) return name;
  return v instanceof DataView ? 'DataView' : 'Uint8Array';
}

function uncloneable(path: string, what: string): Error {
  return new Error(`bridge: ${what} at ${path || 'the message root'} cannot cross the webview bridge (JSON-only)`);
}

/** Replaces every non-JSON value by a placeholder. Throws (naming the path) for what cannot be sent. */
export function encodeValue(value: unknown, hooks: EncodeHooks = {}): Encoded {
  const blobs: Uint8Array[] = [];
  const ports: object[] = [];
  const bufferIndex = new Map<object, number>();
  const stack = new Set<object>();

  const addBlob = (bytes: Uint8Array): number => blobs.push(bytes) - 1;

  const walk = (v: unknown, path: string): unknown => {
    switch (typeof v) {
      case 'string':
      case 'boolean':
        return v;
      case 'number':
        return Number.isFinite(v) ? v : { [KEY]: 'num', v: String(v) };
      case 'undefined':
        return { [KEY]: 'u' };
      case 'bigint':
      case 'symbol':
      case 'function':
        throw uncloneable(path, `a ${typeof v}`);
    }
    if (v === null) return null;
    const o = v as object;
    if (isArrayBuffer(o)) {
      let i = bufferIndex.get(o);
      if (i === undefined) bufferIndex.set(o, (i = addBlob(new Uint8Array(o))));
      return { [KEY]: 'bin', i, k: 'ArrayBuffer' };
    }
    if (ArrayBuffer.isView(o)) {
      const i = addBlob(new Uint8Array(o.buffer, o.byteOffset, o.byteLength));
      return { [KEY]: 'bin', i, k: viewKind(o) };
    }
    if (hooks.isPort?.(o)) {
      if (!hooks.port) throw uncloneable(path, 'a MessagePort');
      ports.push(o);
      return { [KEY]: 'port', c: hooks.port(o) };
    }
    if (o instanceof Date) return { [KEY]: 'date', v: o.getTime() };
    if (stack.has(o)) throw uncloneable(path, 'a circular reference');
    stack.add(o);
    try {
      if (Array.isArray(o)) return o.map((x, i) => walk(x, `${path}[${i}]`));
      if (o instanceof Map) return { [KEY]: 'map', v: [...o].map(([k, x], i) => [walk(k, `${path}<key ${i}>`), walk(x, `${path}<${i}>`)]) };
      if (o instanceof Set) return { [KEY]: 'set', v: [...o].map((x, i) => walk(x, `${path}<${i}>`)) };
      if (o instanceof Error) {
        return { [KEY]: 'err', name: o.name, message: o.message, stack: o.stack, props: walk({ ...o }, path) };
      }
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) out[k] = walk((o as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      return Object.prototype.hasOwnProperty.call(o, KEY) ? { [KEY]: 'esc', v: out } : out;
    } finally {
      stack.delete(o);
    }
  };

  return { skeleton: walk(value, ''), blobs, ports };
}

/** Inverse of encodeValue. `blobs` are the received bytes (each its own fresh buffer). */
export function decodeValue(skeleton: unknown, blobs: readonly Uint8Array[], hooks: DecodeHooks = {}): unknown {
  const buffers = new Map<number, ArrayBuffer>();
  const blob = (i: number): Uint8Array => {
    const b = blobs[i];
    if (!b) throw new Error(`bridge: the message refers to binary part ${i}, which did not arrive`);
    return b;
  };
  const walk = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(walk);
    const o = v as Record<string, unknown>;
    const tag = o[KEY];
    if (tag === undefined) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) out[k] = walk(o[k]);
      return out;
    }
    switch (tag) {
      case 'bin': {
        const i = o.i as number;
        const bytes = blob(i);
        if (o.k === 'ArrayBuffer') {
          let buf = buffers.get(i);
          if (!buf) buffers.set(i, (buf = toOwnBuffer(bytes)));
          return buf;
        }
        const Ctor = VIEW_TYPES[o.k as string] ?? Uint8Array;
        const own = toOwnBuffer(bytes);
        const per = (Ctor as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
        return new Ctor(own, 0, own.byteLength / per);
      }
      case 'port':
        if (!hooks.port) throw new Error('bridge: a MessagePort arrived but this side cannot create ports');
        return hooks.port(o.c as string);
      case 'u':
        return undefined;
      case 'num':
        return Number(o.v);
      case 'date':
        return new Date(o.v as number);
      case 'map':
        return new Map((o.v as [unknown, unknown][]).map(([k, x]) => [walk(k), walk(x)]));
      case 'set':
        return new Set((o.v as unknown[]).map(walk));
      case 'err': {
        const e = new Error(o.message as string);
        Object.assign(e, walk(o.props) as object);
        e.name = o.name as string;
        if (typeof o.stack === 'string') e.stack = o.stack;
        return e;
      }
      case 'esc': {
        const inner = o.v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(inner)) out[k] = walk(inner[k]);
        return out;
      }
      default:
        throw new Error(`bridge: unknown placeholder ${JSON.stringify(tag)}`);
    }
  };
  return walk(skeleton);
}

function toOwnBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  return bytes.slice().buffer as ArrayBuffer;
}

/** UTF-8 byte length of a string (what a JSON message costs on the wire). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Raw bytes per `bin` frame so that the frame stays under `maxBytes`. */
export function chunkBytesFor(maxBytes: number): number {
  const room = maxBytes - FRAME_RESERVE_BYTES;
  const bytes = Math.floor(room / 4) * 3;
  if (bytes < 3) throw new Error(`bridge: maxMessageBytes ${maxBytes} leaves no room for data (minimum ${FRAME_RESERVE_BYTES + 4})`);
  return bytes;
}

/** Splits `text` into parts whose JSON string form stays under `budget` UTF-8 bytes. */
export function splitText(text: string, budget: number): string[] {
  const parts: string[] = [];
  let pos = 0;
  do {
    let len = Math.min(text.length - pos, budget);
    for (;;) {
      let end = pos + len;
      const last = text.charCodeAt(end - 1);
      if (end < text.length && len > 1 && last >= 0xd800 && last <= 0xdbff) end--; // keep surrogate pairs whole
      const piece = text.slice(pos, end);
      const size = utf8Length(JSON.stringify(piece));
      if (size <= budget || end - pos <= 1) {
        parts.push(piece);
        pos = end;
        break;
      }
      len = Math.max(1, Math.floor(((end - pos) * budget) / size) - 8);
    }
  } while (pos < text.length);
  return parts;
}

/** Cuts one encoded message into frames, each under `maxBytes` once stamped by the endpoint. */
export function toFrames(m: number, encoded: Encoded, maxBytes = DEFAULT_MAX_MESSAGE_BYTES, channel?: string): DataFrame[] {
  const frames: DataFrame[] = [];
  const chunk = chunkBytesFor(maxBytes);
  encoded.blobs.forEach((bytes, b) => {
    for (let o = 0; o < bytes.length; o += chunk) {
      frames.push({ t: 'bin', m, b, len: bytes.length, o, d: bytesToBase64(bytes.subarray(o, o + chunk)) });
    }
  });
  const text = JSON.stringify({ v: encoded.skeleton, lens: encoded.blobs.map((b) => b.length) });
  const parts = splitText(text, maxBytes - FRAME_RESERVE_BYTES);
  parts.forEach((j, i) => frames.push(channel === undefined ? { t: 'msg', m, i, n: parts.length, j } : { t: 'msg', m, c: channel, i, n: parts.length, j }));
  return frames;
}

interface Pending {
  blobs: Map<number, { bytes: Uint8Array; got: number }>;
  parts: string[];
}

export interface Completed {
  channel?: string;
  skeleton: unknown;
  blobs: Uint8Array[];
}

/** Collects frames (in channel order) and yields each message once its last part is in. */
export class Reassembler {
  private pending = new Map<number, Pending>();

  get inFlight(): number {
    return this.pending.size;
  }

  reset(): void {
    this.pending.clear();
  }

  push(frame: DataFrame): Completed | null {
    let p = this.pending.get(frame.m);
    if (!p) this.pending.set(frame.m, (p = { blobs: new Map(), parts: [] }));
    if (frame.t === 'bin') {
      let blob = p.blobs.get(frame.b);
      if (!blob) p.blobs.set(frame.b, (blob = { bytes: new Uint8Array(frame.len), got: 0 }));
      blob.got += base64ToBytes(frame.d, blob.bytes, frame.o).length;
      return null;
    }
    if (frame.i !== p.parts.length) {
      this.pending.delete(frame.m);
      throw new Error(`bridge: message ${frame.m} part ${frame.i} arrived after ${p.parts.length} parts (out of order or lost)`);
    }
    p.parts.push(frame.j);
    if (p.parts.length < frame.n) return null;
    this.pending.delete(frame.m);
    const { v, lens } = JSON.parse(p.parts.join('')) as { v: unknown; lens: number[] };
    const blobs = lens.map((len, b) => {
      const blob = p.blobs.get(b) ?? { bytes: new Uint8Array(0), got: 0 };
      if (blob.bytes.length !== len || blob.got !== len) {
        throw new Error(`bridge: message ${frame.m} binary part ${b} has ${blob.got} of ${len} bytes`);
      }
      return blob.bytes;
    });
    return frame.c === undefined ? { skeleton: v, blobs } : { channel: frame.c, skeleton: v, blobs };
  }
}
