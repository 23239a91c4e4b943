/**
 * Prompt editing in the syntax other diffusion tools use: the prompt changes during sampling.
 *
 * - `[from:to:when]` reads `from` up to step `when` and `to` after it; `[to:when]` adds `to`
 *   after it, `[from::when]` drops `from` after it. `when` with a decimal point is a share of
 *   the steps (0.5: half way), a whole number is a step number.
 * - `[a|b|c]` alternates: a on step 1, b on step 2, c on step 3, a on step 4, ...
 * - They nest, and weights inside them work as usual (prompt-weights.ts). Any other bracket
 *   is left for the weights.
 *
 * Steps count from 1 at the noisiest, over the whole run's step count (as other tools count).
 * The schedule is a list of phases, each the prompt text (brackets for weights still in it) up
 * to its last step; a prompt without editing is one phase, its text unchanged.
 */

/** A stretch of steps that reads one prompt: steps after the previous phase's `until` up to this one. */
export interface PromptPhase {
  /** the last step (1-based) of this phase; the last phase's is the step count */
  until: number;
  text: string;
}

type Node = string | Group;
interface Group {
  open: '(' | '[';
  children: Node[];
  closed: boolean;
}

const WHEN = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*$/;

/** The phases of `prompt` over a run of `steps` steps, in order. */
export function promptSchedule(prompt: string, steps: number): PromptPhase[] {
  const tree = parseTree(prompt);
  if (!hasEditing(tree)) return [{ until: steps, text: prompt }];
  const ends = new Set<number>([steps]);
  if (hasAlternation(tree)) for (let s = 1; s < steps; s++) ends.add(s);
  collectEnds(tree, steps, ends);
  const phases: PromptPhase[] = [];
  for (const until of [...ends].sort((a, b) => a - b)) {
    const text = render(tree, until, steps);
    const last = phases[phases.length - 1];
    if (last && last.text === text) last.until = until;
    else phases.push({ until, text });
  }
  return phases;
}

/** The phase that step `step` (1-based) reads (the last one past the end). */
export function phaseAt(phases: readonly { until: number }[], step: number): number {
  const i = phases.findIndex((p) => step <= p.until);
  return i < 0 ? phases.length - 1 : i;
}

/** An edited prompt's phases in a line: "a cat (steps 1-25) → a dog (26-50)", the first three of many. */
export function phaseList(phases: readonly { until: number; words: string }[]): string {
  const shown = phases.slice(0, 3).map((p, i) => {
    const from = i === 0 ? 1 : phases[i - 1]!.until + 1;
    const range = from === p.until ? `${from}` : `${from}-${p.until}`;
    return `${p.words.trim() || '(nothing)'} (${i > 0 ? '' : from === p.until ? 'step ' : 'steps '}${range})`;
  });
  return shown.join(' → ') + (phases.length > 3 ? ` → … ${phases.length} phases` : '');
}

/** Brackets as a tree; escapes stay two characters of text, stray closings are text. */
function parseTree(prompt: string): Node[] {
  const root: Group = { open: '(', children: [], closed: true };
  const stack: Group[] = [root];
  const top = () => stack[stack.length - 1]!;
  const text = (t: string) => {
    const c = top().children;
    if (typeof c[c.length - 1] === 'string') c[c.length - 1] += t;
    else c.push(t);
  };
  for (let i = 0; i < prompt.length; i++) {
    const ch = prompt[i]!;
    if (ch === '\\' && i + 1 < prompt.length) {
      text(prompt.slice(i, i + 2));
      i++;
    } else if (ch === '(' || ch === '[') {
      const g: Group = { open: ch, children: [], closed: false };
      top().children.push(g);
      stack.push(g);
    } else if ((ch === ')' || ch === ']') && stack.length > 1 && top().open === (ch === ')' ? '(' : '[')) {
      top().closed = true;
      stack.pop();
    } else {
      text(ch);
    }
  }
  return root.children;
}

/** A closed square group's top-level parts split at `sep` (":" or "|"), or null when it has none. */
function split(g: Group, sep: string): Node[][] | null {
  if (g.open !== '[' || !g.closed) return null;
  const parts: Node[][] = [[]];
  let found = false;
  for (const n of g.children) {
    if (typeof n !== 'string') {
      parts[parts.length - 1]!.push(n);
      continue;
    }
    // a backslash escape is never a separator
    const pieces = n.split(new RegExp(`(\\\\.|\\${sep})`));
    let buf = '';
    for (const p of pieces) {
      if (p === sep) {
        if (buf) parts[parts.length - 1]!.push(buf);
        buf = '';
        parts.push([]);
        found = true;
      } else buf += p;
    }
    if (buf) parts[parts.length - 1]!.push(buf);
  }
  return found ? parts : null;
}

/** A square group as a schedule: what it reads before and after its step, or null when it is not one. */
function schedule(g: Group, steps: number): { before: Node[]; after: Node[]; end: number } | null {
  const parts = split(g, ':');
  if (!parts || parts.length < 2 || parts.length > 3) return null;
  const last = parts[parts.length - 1]!;
  const when = last.length === 1 && typeof last[0] === 'string' ? WHEN.exec(last[0]) : null;
  if (!when) return null;
  const v = Number(when[1]);
  // a decimal point: a share of the steps; else a step number (as other tools read it now)
  const end = Math.min(steps, Math.floor(when[1]!.includes('.') ? v * steps : v));
  return parts.length === 3 ? { before: parts[0]!, after: parts[1]!, end } : { before: [], after: parts[0]!, end };
}

function alternation(g: Group): Node[][] | null {
  return split(g, '|');
}

function hasEditing(nodes: readonly Node[]): boolean {
  return nodes.some((n) => typeof n !== 'string' && (schedule(n, 1) !== null || alternation(n) !== null || hasEditing(n.children)));
}

function hasAlternation(nodes: readonly Node[]): boolean {
  return nodes.some((n) => typeof n !== 'string' && (alternation(n) !== null || hasAlternation(n.children)));
}

function collectEnds(nodes: readonly Node[], steps: number, ends: Set<number>): void {
  for (const n of nodes) {
    if (typeof n === 'string') continue;
    const s = schedule(n, steps);
    if (s && s.end >= 1 && s.end < steps) ends.add(s.end);
    collectEnds(n.children, steps, ends);
  }
}

/** The prompt text at `step`: schedules and alternations resolved, other brackets kept. */
function render(nodes: readonly Node[], step: number, steps: number): string {
  let out = '';
  for (const n of nodes) {
    if (typeof n === 'string') {
      out += n;
      continue;
    }
    const s = schedule(n, steps);
    if (s) {
      out += render(step <= s.end ? s.before : s.after, step, steps);
      continue;
    }
    const alt = alternation(n);
    if (alt) {
      out += render(alt[(step - 1) % alt.length]!, step, steps);
      continue;
    }
    out += n.open + render(n.children, step, steps) + (n.closed ? (n.open === '(' ? ')' : ']') : '');
  }
  return out;
}
