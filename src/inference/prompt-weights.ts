/**
 * Prompt weighting in the syntax other diffusion tools use ("a (red:1.4) heart", "((cat))",
 * "[blurry]"), so prompts copied from them mean here what they meant there instead of feeding
 * brackets and numbers to the text encoder as words.
 *
 * - `(text)` multiplies the weight of its text by 1.1, `[text]` divides it by 1.1; brackets nest
 *   and multiply ("((cat))" is 1.21).
 * - `(text:1.4)` sets the factor to 1.4 instead of 1.1.
 * - `\(`, `\)`, `\[`, `\]` and `\\` are the characters themselves; a closing bracket with no
 *   opening one is kept as text, and an opening one never closed weights the rest of the prompt.
 * - Extra-network tags ("<lora:name:0.8>") are left out: this engine has no LoRAs.
 *
 * The brackets are removed before tokenizing (the text encoder sees "a red heart"), and each
 * token's weight scales that token's state in the encoder's output (`xf_out`), which every
 * attention layer of the base reads its keys and values from: the cross-attention emphasis
 * other tools apply. The pooled vector (`xf_proj`) is left as it is.
 */
import { InputError } from './errors.js';
import type { PromptTokenizer } from './tokenizer.js';

/** A run of prompt text with one weight (1: as written). */
export interface WeightedPiece {
  text: string;
  weight: number;
}

/** The factor of a bare `(...)`; `[...]` divides by it. */
export const BRACKET_FACTOR = 1.1;
/** Weights outside this range are refused: far past it the embedding leaves anything the model saw. */
export const MAX_PROMPT_WEIGHT = 3;

/**
 * Other tools' extra-network tags ("<lora:name:0.8>"): this engine has no such networks, so they
 * are left out of the text with the space before them (and named, so the user knows) instead of
 * being read as words.
 */
const EXTRA_NETWORK = /\s*<(?:lora|lyco|lycoris|hypernet)\s*:[^>]*>/gi;

// escapes, brackets, ":number)" closings, plain text, and a lone ":" or "\"
const TOKEN = /\\[()[\]\\]|\(|\[|:\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*\)|\)|\]|[^\\()[\]:]+|[:\\]/gy;

/**
 * The words of a prompt whose weights cannot be parsed (for checking them while it is typed):
 * brackets, ":w)" weights and extra-network tags removed, the rest as written.
 */
export function withoutSyntax(prompt: string): string {
  return prompt.replace(EXTRA_NETWORK, '').replace(/[()[\]]|:\s*[+-]?[\d.]+\s*(?=\))/g, '');
}

/** The extra-network tags of a prompt ("<lora:name:0.8>"), in order: parsePromptWeights leaves them out. */
export function extraNetworkTags(prompt: string): string[] {
  return (prompt.match(EXTRA_NETWORK) ?? []).map((t) => t.trim());
}

/**
 * The prompt as runs of text with their weights, in order; neighbouring runs of equal weight
 * are joined, so a prompt without brackets is one run of weight 1 with its own text.
 * @throws InputError for a weight outside [0, MAX_PROMPT_WEIGHT]
 */
export function parsePromptWeights(prompt: string): WeightedPiece[] {
  const pieces: WeightedPiece[] = [];
  // each open bracket: where its text starts in `pieces`, and whether it is round
  const open: { start: number; round: boolean }[] = [];
  const scale = (from: number, factor: number) => {
    for (let i = from; i < pieces.length; i++) pieces[i]!.weight *= factor;
  };
  const closeLast = (round: boolean, factor: number, token: string) => {
    let i = open.length - 1;
    while (i >= 0 && open[i]!.round !== round) i--;
    if (i < 0) {
      pieces.push({ text: token, weight: 1 });
      return;
    }
    scale(open[i]!.start, factor);
    open.splice(i, 1);
  };
  const text = prompt.replace(EXTRA_NETWORK, '');
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    const t = m[0];
    if (t.length === 2 && t[0] === '\\') pieces.push({ text: t[1]!, weight: 1 });
    else if (t === '(' || t === '[') open.push({ start: pieces.length, round: t === '(' });
    else if (m[1] !== undefined && open.some((o) => o.round)) closeLast(true, checkedWeight(Number(m[1]), pieces, open), t);
    else if (m[1] !== undefined) pieces.push({ text: t, weight: 1 }); // ":1.2)" with no "(" is text
    else if (t === ')') closeLast(true, BRACKET_FACTOR, t);
    else if (t === ']') closeLast(false, 1 / BRACKET_FACTOR, t);
    else pieces.push({ text: t, weight: 1 });
  }
  // brackets never closed weight the rest, as if closed at the end
  for (const o of open) scale(o.start, o.round ? BRACKET_FACTOR : 1 / BRACKET_FACTOR);
  return joinEqual(pieces);
}

/** The text the encoder reads: the prompt without its weighting syntax. */
export function plainPrompt(pieces: readonly WeightedPiece[]): string {
  return pieces.map((p) => p.text).join('');
}

/** Whether any run has a weight other than 1. */
export function isWeighted(pieces: readonly WeightedPiece[]): boolean {
  return pieces.some((p) => p.weight !== 1);
}

function checkedWeight(w: number, pieces: readonly WeightedPiece[], open: readonly { start: number; round: boolean }[]): number {
  if (Number.isFinite(w) && w >= 0 && w <= MAX_PROMPT_WEIGHT) return w;
  const at = [...open].reverse().find((o) => o.round)!.start;
  const text = plainPrompt(pieces.slice(at)).trim();
  throw new InputError(`the prompt weight ${w} on "${text}" is outside 0 to ${MAX_PROMPT_WEIGHT}; 1 leaves a word as it is, 1.2-1.5 stresses it, 0.5-0.8 tones it down`);
}

function joinEqual(pieces: readonly WeightedPiece[]): WeightedPiece[] {
  const out: WeightedPiece[] = [];
  for (const p of pieces) {
    const last = out[out.length - 1];
    if (last && Math.abs(last.weight - p.weight) < 1e-9) last.text += p.text;
    else if (p.text) out.push({ ...p });
  }
  return out;
}

/**
 * Per-token weights for `pieces` under a tokenizer that reports each token's character span in
 * the plain text (`spans`, from PromptTokenizer.tokenSpans, in order). A token takes the weight
 * of the character it starts on, skipping its leading space ("a (red:2)" gives " red" 2). The
 * result has `length` entries (the context length); padding and cut tokens get 1.
 */
export function tokenWeights(pieces: readonly WeightedPiece[], spans: readonly { start: number; end: number }[], length: number): Float32Array {
  const out = new Float32Array(length).fill(1);
  const plain = plainPrompt(pieces);
  // weight of each character of the plain text
  const charWeight = new Float32Array(plain.length);
  let at = 0;
  for (const p of pieces) {
    charWeight.fill(p.weight, at, at + p.text.length);
    at += p.text.length;
  }
  spans.slice(0, length).forEach((s, i) => {
    let c = s.start;
    while (c < s.end - 1 && /\s/.test(plain[c]!)) c++;
    out[i] = c < plain.length ? charWeight[c]! : 1;
  });
  return out;
}

/**
 * What the text encoder reads for `prompt` (its plain text), and each token's weight over the
 * tokenizer's context, or null when nothing is weighted (the embedding is used as it comes).
 */
export function weightedPrompt(tokenizer: PromptTokenizer, prompt: string): { plain: string; weights: Float32Array | null } {
  const pieces = parsePromptWeights(prompt);
  if (!isWeighted(pieces)) return { plain: plainPrompt(pieces), weights: null };
  // offsets must match the text the tokenizer reads, so lower-case piece by piece first
  const cased = tokenizer.lowercase ? pieces.map((p) => ({ text: p.text.toLowerCase(), weight: p.weight })) : pieces;
  const plain = plainPrompt(cased);
  return { plain, weights: tokenWeights(cased, tokenizer.tokenSpans(plain), tokenizer.contextLength) };
}

/**
 * Scales row `row` of a text embedding's `xf_out` ([B, W, L], channels first) by a weight per
 * token position, in place.
 */
export function applyTokenWeights(xfOut: Float32Array, outDims: readonly number[], row: number, weights: Float32Array): void {
  const [, W, L] = outDims as [number, number, number];
  if (weights.length !== L) throw new Error(`token weights: ${weights.length} for a context of ${L}`);
  const base = row * W * L;
  for (let c = 0; c < W; c++) {
    const o = base + c * L;
    for (let l = 0; l < L; l++) xfOut[o + l]! *= weights[l]!;
  }
}
