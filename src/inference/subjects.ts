/**
 * Prompt suggestions from a pack's `subjects`: the things its training captions named (see
 * docs/model-pack.md). A small model draws those far better than anything else it is asked
 * for, so while a prompt is typed the panel offers the subjects that match it.
 */

/** Articles a prompt may open with; the training captions were "<subject>" and "a <subject>". */
const ARTICLE = /^\s*(a|an|the)\s+/i;

function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}#*]+/u).filter(Boolean);
}

interface IndexedSubject {
  text: string;
  words: string[];
}

/** The fewest characters typed before subjects are offered (one letter matches too much). */
export const MIN_QUERY_CHARS = 2;

export interface Suggestions {
  subjects: string[];
  /** the prompt's word the subjects are near in meaning to; absent when they match its words */
  near?: string;
}

/** Whether the prompt's words (`query`) are the subject's, all of them, in order: it is typed already. */
const isTyped = (s: IndexedSubject, query: readonly string[]) => s.words.length === query.length && s.words.every((w, i) => w === query[i]);

export class SubjectIndex {
  private readonly subjects: IndexedSubject[];

  /**
   * `relatedWords` (a pack's, checked against `subjects` when it was loaded): single words ->
   * indices into `subjects`, the subjects nearest in meaning.
   */
  constructor(
    private readonly labels: readonly string[],
    private readonly relatedWords: Readonly<Record<string, readonly number[]>> = {},
  ) {
    this.subjects = labels.map((text) => ({ text, words: words(text) })).filter((s) => s.words.length > 0);
  }

  get size(): number {
    return this.subjects.length;
  }

  /**
   * Up to `limit` subjects for what has been typed, in this order of trust:
   * 1. As typed: each word of the prompt (an opening article aside) begins one of the subject's
   *    words, so the last, half-typed word matches too. Subjects that have the typed words in
   *    order come first, then the shortest. The subject the prompt already is is left out, not
   *    its longer relatives ("fox" offers "fox face"); a prompt that is a subject and has none
   *    gets nothing more.
   * 2. Near in meaning (the pack's `relatedWords`, see `related`) for the last word that begins
   *    no subject's word: "a cute puppy" offers "dog". Such a word is a real word, not a typo:
   *    "a sofa" offers "chair", not "soft ice cream".
   * 3. A typo away: words of four letters or more may be one edit from a subject's word, two
   *    from seven letters ("pizzza", "rainbwo"; see `nearWord`).
   * 4. Near in meaning for any word: "a cute dog" offers "dog face" and "service dog".
   */
  suggest(prompt: string, limit = 6): string[] {
    return this.suggestions(prompt, limit).subjects;
  }

  /** `suggest`'s subjects, and the word they are near in meaning to when tiers 2 or 4 gave them. */
  suggestions(prompt: string, limit = 6): Suggestions {
    const query = words(prompt.replace(ARTICLE, ''));
    const none = { subjects: [] };
    if (query.join('').length < MIN_QUERY_CHARS || limit <= 0) return none;
    const asTyped = this.rank(query, (q, w) => w.startsWith(q));
    if (asTyped.length > 0) return { subjects: asTyped.slice(0, limit) };
    // a prompt that is a subject already needs no neighbours ("a palm tree" offers no other trees, "rose" no "nose")
    if (this.subjects.some((s) => isTyped(s, query))) return none;
    const meant = this.relatedToLast(query.filter((q) => !this.beginsAWord(q)), limit);
    if (meant) return meant;
    const nearly = this.rank(query, (q, w) => w.startsWith(q) || nearWord(q, w));
    if (nearly.length > 0) return { subjects: nearly.slice(0, limit) };
    return this.relatedToLast(query, limit) ?? none;
  }

  /**
   * `related` for the last of `words` that has related subjects, or null; a subject that is the
   * word itself is in the prompt already ("a cute dog" offers "dog face", not "dog").
   */
  private relatedToLast(words: readonly string[], limit: number): Suggestions | null {
    for (let i = words.length - 1; i >= 0; i--) {
      const word = words[i]!;
      const near = this.related(word).filter((s) => !singulars(word).includes(s.toLowerCase()));
      if (near.length > 0) return { subjects: near.slice(0, limit), near: word };
    }
    return null;
  }

  /**
   * The subjects the pack's `relatedWords` gives for `word` or, for a plural, its singular
   * ("puppies" -> "puppy"); [] without an entry.
   */
  related(word: string): string[] {
    for (const form of singulars(word.toLowerCase())) {
      const ids = Object.hasOwn(this.relatedWords, form) ? this.relatedWords[form]! : null;
      if (ids) return ids.map((i) => this.labels[i]).filter((s): s is string => s !== undefined);
    }
    return [];
  }

  /** Whether some subject has a word that begins with `prefix` (lower-case). */
  beginsAWord(prefix: string): boolean {
    return this.subjects.some((s) => s.words.some((w) => w.startsWith(prefix)));
  }

  private rank(query: string[], match: (q: string, w: string) => boolean): string[] {
    const ranked: { s: IndexedSubject; inOrder: boolean }[] = [];
    for (const s of this.subjects) {
      if (!query.every((q) => s.words.some((w) => match(q, w)))) continue;
      if (isTyped(s, query)) continue;
      const inOrder = query.every((q, i) => i < s.words.length && match(q, s.words[i]!));
      ranked.push({ s, inOrder });
    }
    ranked.sort(
      (a, b) =>
        Number(b.inOrder) - Number(a.inOrder) ||
        a.s.words.length - b.s.words.length ||
        a.s.text.length - b.s.text.length ||
        (a.s.text < b.s.text ? -1 : a.s.text > b.s.text ? 1 : 0),
    );
    return ranked.map((r) => r.s.text);
  }
}

/**
 * `word` and the singulars it may be the plural of, most likely first: English's regular
 * endings ("puppies", "wolves", "knives", "boxes", "cats"); the table holds singular lemmas.
 */
export function singulars(word: string): string[] {
  const forms = [word];
  if (word.length <= 3 || !word.endsWith('s') || word.endsWith('ss')) return forms;
  if (word.endsWith('ies')) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('ves')) forms.push(`${word.slice(0, -3)}f`, `${word.slice(0, -3)}fe`);
  if (word.endsWith('es')) forms.push(word.slice(0, -2));
  forms.push(word.slice(0, -1));
  return forms;
}

/**
 * Whether `typed` may be a typo of `word`: at most one edit (insertion, deletion, substitution
 * or swap of neighbours) for words of 4-6 letters, two from 7 on; shorter words never, since
 * one edit turns them into too many other words.
 */
export function nearWord(typed: string, word: string): boolean {
  if (typed.length < 4) return false;
  const max = typed.length >= 7 ? 2 : 1;
  return Math.abs(typed.length - word.length) <= max && editDistance(typed, word) <= max;
}

/** Optimal-string-alignment distance: Levenshtein plus swaps of neighbouring letters. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The word still being typed: the prompt's last word when nothing follows it, lower-cased, else
 * null. While it begins a subject's word, it is half a word, not a word the model lacks.
 */
export function wordBeingTyped(prompt: string): string | null {
  const m = /[\p{L}\p{N}]+$/u.exec(prompt);
  return m ? m[0].toLowerCase() : null;
}

/**
 * The prompt after picking `subject`: the typed article stays ("a piz" + "pizza" -> "a pizza").
 * A subject offered as near in meaning to a word (`near`, see `Suggestions`) takes that word's
 * place, and the rest of the prompt stays ("a cute puppy" + "dog" -> "a cute dog").
 */
export function applySubject(prompt: string, subject: string, near?: string): string {
  if (near) {
    const at = [...prompt.matchAll(/[\p{L}\p{N}#*]+/gu)].filter((m) => m[0].toLowerCase() === near).pop();
    if (at) return prompt.slice(0, at.index) + subject + prompt.slice(at.index + at[0].length);
  }
  const article = ARTICLE.exec(prompt);
  return article ? `${article[1]} ${subject}` : subject;
}
