/**
 * Composed prompts in the syntax other diffusion tools use: "a cat face AND sunglasses :0.7".
 * Each part guides the picture on its own, with its weight (sampling/guidance.ts, composable
 * diffusion). Editing ([cat:dog:0.5]) is read first, over the whole prompt; then each part is
 * read for weights like any prompt.
 */
import { InputError } from './errors.js';
import { promptSchedule } from './prompt-schedule.js';
import { MAX_PROMPT_WEIGHT } from './prompt-weights.js';

/** A prompt composed with AND: one part, with the weight of its guidance. */
export interface ComposedPart {
  text: string;
  weight: number;
}

const AND = /(?<=\s)AND(?=\s)/;
const PART_WEIGHT = /\s*:\s*([+-]?(?:\d+\.?\d*|\.\d+))\s*$/;

/**
 * The parts of a prompt composed with AND ("a red heart AND a green apple :0.5"), each with the
 * weight after its last colon (1 without one; -3 to 3, negative steers away from it). A prompt
 * without AND is one part of weight 1 and keeps its text whole ("16:9" is not a weight).
 * @throws InputError for a part weight outside -3 to 3, or an empty part
 */
export function composedParts(prompt: string): ComposedPart[] {
  const parts = prompt.split(AND);
  if (parts.length === 1) return [{ text: prompt, weight: 1 }];
  return parts.map((part) => {
    const m = PART_WEIGHT.exec(part);
    const text = (m ? part.slice(0, m.index) : part).trim(); // " a dog" would read another first token than "a dog"
    const weight = m ? Number(m[1]) : 1;
    if (!text.trim()) throw new InputError(`"${prompt.trim()}" has an empty part between its ANDs; write a prompt on each side of AND`);
    if (!(Math.abs(weight) <= MAX_PROMPT_WEIGHT)) {
      throw new InputError(`the weight ${weight} of "${text.trim()}" after AND is outside -${MAX_PROMPT_WEIGHT} to ${MAX_PROMPT_WEIGHT}; 1 guides as much as a prompt alone, a negative weight steers away from it`);
    }
    return { text, weight };
  });
}

/** One phase of an edited prompt (prompt-schedule.ts), split into its AND parts. */
export interface ComposedPhase {
  /** the last step (1-based) this phase reads */
  until: number;
  parts: ComposedPart[];
  /** set only when read leniently: why the AND parts could not be read (the phase is then one part, weight 1) */
  problem?: string;
}

/**
 * How a prompt is read over a run of `steps` steps, the one reading the encoder (strict: a bad
 * AND part throws) and the prompt check as it is typed (lenient: the phase is kept whole and
 * the problem said) share: editing first, over the whole prompt, then AND in each phase.
 */
export function composedPhases(prompt: string, steps: number, lenient = false): ComposedPhase[] {
  return promptSchedule(prompt, steps).map(({ until, text }) => {
    try {
      return { until, parts: composedParts(text) };
    } catch (e) {
      if (!lenient || !(e instanceof InputError)) throw e;
      return { until, parts: [{ text, weight: 1 }], problem: e.message };
    }
  });
}

/** Composed prompts in a line: "a red heart ×1 + a green apple ×0.5". */
export function composedList(parts: readonly { words: string; weight: number }[]): string {
  return parts.map((p) => `${p.words} ×${Number(p.weight.toFixed(2))}`).join(' + ');
}
