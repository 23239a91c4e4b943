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

export class SubjectIndex {
  private readonly subjects: IndexedSubject[];

  constructor(subjects: readonly string[]) {
    this.subjects = subjects.map((text) => ({ text, words: words(text) })).filter((s) => s.words.length > 0);
  }

  get size(): number {
    return this.subjects.length;
  }

  /**
   * Up to `limit` subjects for what has been typed: each word of the prompt (an opening article
   * aside) must begin one of the subject's words, so the last, half-typed word matches too.
   * Subjects that begin with the typed words in order come first, then the shortest. The
   * subject the prompt already is is left out, not its longer relatives ("fox" offers "fox face").
   */
  suggest(prompt: string, limit = 6): string[] {
    const query = words(prompt.replace(ARTICLE, ''));
    if (query.join('').length < MIN_QUERY_CHARS || limit <= 0) return [];
    const ranked: { s: IndexedSubject; inOrder: boolean }[] = [];
    for (const s of this.subjects) {
      if (!query.every((q) => s.words.some((w) => w.startsWith(q)))) continue;
      if (s.words.length === query.length && s.words.every((w, i) => w === query[i])) continue; // typed already
      const inOrder = query.every((q, i) => s.words[i]?.startsWith(q));
      ranked.push({ s, inOrder });
    }
    ranked.sort(
      (a, b) =>
        Number(b.inOrder) - Number(a.inOrder) ||
        a.s.words.length - b.s.words.length ||
        a.s.text.length - b.s.text.length ||
        (a.s.text < b.s.text ? -1 : a.s.text > b.s.text ? 1 : 0),
    );
    return ranked.slice(0, limit).map((r) => r.s.text);
  }
}

/**
 * The word still being typed: the prompt's last word when nothing follows it, lower-cased, else
 * null. While suggestions are offered for it, it is half a word, not a word the model lacks.
 */
export function wordBeingTyped(prompt: string): string | null {
  const m = /[\p{L}\p{N}]+$/u.exec(prompt);
  return m ? m[0].toLowerCase() : null;
}

/** The prompt after picking `subject`: the typed article stays ("a piz" + "pizza" -> "a pizza"). */
export function applySubject(prompt: string, subject: string): string {
  const article = ARTICLE.exec(prompt);
  return article ? `${article[1]} ${subject}` : subject;
}
