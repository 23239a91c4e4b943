/**
 * Prompt -> GLIDE text-encoder inputs (docs/model-pack.md, "tokenizer").
 *
 * GPT-2 byte-level BPE (the r50k vocabulary, as GLIDE), prompt lower-cased first. GLIDE's
 * padded_tokens_and_mask: truncate to the context length L, pad at the END with padId, mask 1
 * on real tokens and 0 on padding. The empty prompt is all padding with an all-zero mask (the
 * unconditional input of classifier-free guidance). With a remap table, every r50k id
 * (padding included) becomes its compact id, and ids missing from the table `unknownId`.
 */
import { encode as encodeR50k } from 'gpt-tokenizer/encoding/r50k_base';
import { invalidInput, ModelError, requireInteger } from './errors.js';

/** Size of the r50k vocabulary; ids are 0 .. 50256. */
export const R50K_VOCAB_SIZE = 50257;
/** <|endoftext|>, GLIDE's padding token. */
export const R50K_END_OF_TEXT = 50256;

export interface TokenizerConfig {
  /** L */
  contextLength: number;
  /** default 50256 */
  padId?: number;
  /** default true */
  lowercase?: boolean;
  /** remap[i] = r50k id of compact id i */
  remap?: readonly number[];
  /** compact id of r50k ids not in `remap`; default remap.length */
  unknownId?: number;
}

export interface TokenizedPrompt {
  /** L model ids (compact ids when the pack remaps) */
  ids: Int32Array;
  /** the same ids as int64, the dtype of the text encoder's `tokens` input */
  tokens: BigInt64Array;
  /** L entries, 1 for real tokens and 0 for padding */
  mask: Float32Array;
  /** true when the prompt had more than L tokens and was cut */
  truncated: boolean;
  /** real tokens kept (<= L) */
  tokenCount: number;
  /** tokens before truncation */
  fullTokenCount: number;
}

/** What a prompt's tokens are to this model, for feedback while it is typed. */
export interface TokenCheck {
  /** tokens of the prompt (before truncation) */
  tokens: number;
  /** the context length: tokens past it are ignored */
  maxTokens: number;
  truncated: boolean;
  /**
   * Pieces of the prompt (words, numbers, runs of symbols or emoji, lower-cased and trimmed, in
   * order, each once) with a token the model's vocabulary lacks. The pack's text encoder only
   * ever saw its training captions' tokens; every other token becomes one shared `unknownId`
   * it never learnt, so such a word carries no meaning. Always empty without a remap table.
   */
  unknownWords: string[];
}

export interface TokenizedBatch {
  /** [B, L] int64 */
  tokens: BigInt64Array;
  /** [B, L] */
  mask: Float32Array;
  batch: number;
  contextLength: number;
  /** per prompt */
  truncated: boolean[];
}

/** Maps r50k text to model ids; build once per pack (the remap inverse is built here). */
export class PromptTokenizer {
  readonly contextLength: number;
  readonly padId: number;
  readonly lowercase: boolean;
  /** r50k id -> compact id, or null without remap */
  private readonly inverse: Int32Array | null;
  /** r50k id -> 1 when `remap` lists it; null without remap (every id is known) */
  private readonly known: Uint8Array | null;

  constructor(config: TokenizerConfig) {
    this.contextLength = modelInt('tokenizer.contextLength', config.contextLength, 1, 1 << 16);
    this.padId = modelInt('tokenizer.padId', config.padId ?? R50K_END_OF_TEXT, 0, R50K_VOCAB_SIZE - 1);
    this.lowercase = config.lowercase ?? true;
    const table = config.remap === undefined ? null : buildInverse(config.remap, config.unknownId);
    this.inverse = table?.inverse ?? null;
    this.known = table?.known ?? null;
  }

  /** Token count, truncation and the words this model does not know (see TokenCheck). */
  check(prompt: string): TokenCheck {
    if (typeof prompt !== 'string') throw invalidInput('prompt', 'a string', prompt);
    const text = this.lowercase ? prompt.toLowerCase() : prompt;
    let tokens = 0;
    const unknown = new Set<string>();
    // GPT-2's BPE never merges across these pieces, so encoding them one by one gives the
    // prompt's own tokens (tested) and says which piece each unknown token came from.
    for (const piece of text.match(R50K_PRETOKEN) ?? []) {
      const ids = rawR50k(piece);
      tokens += ids.length;
      if (this.known && ids.some((id) => !this.known![id])) {
        const word = piece.trim();
        if (word) unknown.add(word);
      }
    }
    return { tokens, maxTokens: this.contextLength, truncated: tokens > this.contextLength, unknownWords: [...unknown] };
  }

  /**
   * For each token of `text` (lower-cased when configured, as encode() reads it), the character
   * span of the pre-tokenizer piece it comes from: the tokens of "a redness" are " red" and
   * "ness", both spanning " redness". Offsets are into the lower-cased text, so pass text that
   * lower-casing does not lengthen (prompt-weights.ts lower-cases first).
   */
  tokenSpans(text: string): { start: number; end: number }[] {
    const spans: { start: number; end: number }[] = [];
    for (const m of (this.lowercase ? text.toLowerCase() : text).matchAll(R50K_PRETOKEN)) {
      const span = { start: m.index, end: m.index + m[0].length };
      for (let i = rawR50k(m[0]).length; i > 0; i--) spans.push(span);
    }
    return spans;
  }

  /** Model ids of `text` (lower-cased when configured), no truncation or padding. */
  encodeIds(text: string): number[] {
    const r50k = rawR50k(this.lowercase ? text.toLowerCase() : text);
    return this.inverse === null ? r50k : r50k.map((id) => this.inverse![id]!);
  }

  encode(prompt: string): TokenizedPrompt {
    if (typeof prompt !== 'string') throw invalidInput('prompt', 'a string', prompt);
    const L = this.contextLength;
    const r50k = rawR50k(this.lowercase ? prompt.toLowerCase() : prompt);
    const kept = Math.min(r50k.length, L);
    const ids = new Int32Array(L);
    const mask = new Float32Array(L);
    for (let i = 0; i < L; i++) {
      const id = i < kept ? r50k[i]! : this.padId;
      ids[i] = this.inverse === null ? id : this.inverse[id]!;
      mask[i] = i < kept ? 1 : 0;
    }
    return {
      ids,
      tokens: toInt64(ids),
      mask,
      truncated: r50k.length > L,
      tokenCount: kept,
      fullTokenCount: r50k.length,
    };
  }

  /** Stacks prompts into [B, L] tensors' data, in order (e.g. [cond..., uncond...]). */
  encodeBatch(prompts: readonly string[]): TokenizedBatch {
    const L = this.contextLength;
    const tokens = new BigInt64Array(prompts.length * L);
    const mask = new Float32Array(prompts.length * L);
    const truncated: boolean[] = [];
    prompts.forEach((p, b) => {
      const one = this.encode(p);
      tokens.set(one.tokens, b * L);
      mask.set(one.mask, b * L);
      truncated.push(one.truncated);
    });
    return { tokens, mask, batch: prompts.length, contextLength: L, truncated };
  }
}

/**
 * GPT-2's pre-tokenizer (r50k_base's split pattern): contractions, letters, digits, other
 * symbols, each with an optional leading space, and whitespace. BPE merges only inside a piece.
 */
const R50K_PRETOKEN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** r50k ids of text as is. Special-token text such as "<|endoftext|>" is encoded as plain text. */
function rawR50k(text: string): number[] {
  return encodeR50k(text, { disallowedSpecial: new Set() });
}

/** int64 copy of ids, the dtype ONNX `tokens` inputs take. */
export function toInt64(ids: ArrayLike<number>): BigInt64Array {
  const out = new BigInt64Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = BigInt(ids[i]!);
  return out;
}

function modelInt(field: string, v: unknown, min: number, max: number): number {
  try {
    return requireInteger(field, v, min, max);
  } catch (e) {
    throw new ModelError('MODEL_INVALID', `model.json ${(e as Error).message}`, { details: { field } });
  }
}

function buildInverse(remap: readonly number[], unknownIdIn: number | undefined): { inverse: Int32Array; known: Uint8Array } {
  if (!Array.isArray(remap) || remap.length === 0) {
    throw new ModelError('MODEL_INVALID', 'model.json tokenizer.remap: expected a non-empty array of r50k ids', {
      details: { field: 'tokenizer.remap' },
    });
  }
  const unknownId = modelInt('tokenizer.unknownId', unknownIdIn ?? remap.length, 0, 1 << 30);
  const inverse = new Int32Array(R50K_VOCAB_SIZE).fill(unknownId);
  const seen = new Uint8Array(R50K_VOCAB_SIZE);
  remap.forEach((r50k, compact) => {
    const field = `tokenizer.remap[${compact}]`;
    modelInt(field, r50k, 0, R50K_VOCAB_SIZE - 1);
    if (seen[r50k]) {
      throw new ModelError('MODEL_INVALID', `model.json ${field}: r50k id ${r50k} appears twice; expected distinct ids`, {
        details: { field },
      });
    }
    seen[r50k] = 1;
    inverse[r50k] = compact;
  });
  return { inverse, known: seen };
}
