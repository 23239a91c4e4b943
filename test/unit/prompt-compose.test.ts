// Composed prompts (AND): parts and their weights against the syntax other tools document.
import { describe, expect, it } from 'vitest';
import { composedList, composedParts, composedPhases } from '../../src/inference/prompt-compose.js';
import { InputError } from '../../src/inference/errors.js';

describe('composedParts', () => {
  it('splits at AND with whitespace around it, each part with the weight after its last colon', () => {
    expect(composedParts('a red heart AND a green apple :0.5')).toEqual([{ text: 'a red heart', weight: 1 }, { text: 'a green apple', weight: 0.5 }]);
    expect(composedParts('a cat:1.5 AND (a dog:1.2):-0.5 AND x')).toEqual([{ text: 'a cat', weight: 1.5 }, { text: '(a dog:1.2)', weight: -0.5 }, { text: 'x', weight: 1 }]);
    expect(composedList([{ words: 'a cat', weight: 1.5 }, { words: 'a dog', weight: -0.5 }])).toBe('a cat ×1.5 + a dog ×-0.5');
  });

  it('keeps a prompt without AND whole, colon and all', () => {
    expect(composedParts('a poster, 16:9')).toEqual([{ text: 'a poster, 16:9', weight: 1 }]);
    expect(composedParts('sand AND, ANDROID, and hand')).toEqual([{ text: 'sand AND, ANDROID, and hand', weight: 1 }]);
  });

  it('refuses an empty part and a weight outside -3 to 3', () => {
    expect(() => composedParts('a cat AND  AND a dog')).toThrow(/empty part/);
    expect(() => composedParts('a cat AND a dog:4')).toThrow(/weight 4 of "a dog" after AND is outside -3 to 3/);
  });
});

describe('composedPhases', () => {
  it('reads editing over the whole prompt first, then AND in each phase', () => {
    // 10 steps, the edit at 0.5: steps 1-5 read "a cat", 6-10 "a dog"; AND sits outside the brackets
    expect(composedPhases('[a cat:a dog:0.5] AND a hat :0.5', 10)).toEqual([
      { until: 5, parts: [{ text: 'a cat', weight: 1 }, { text: 'a hat', weight: 0.5 }] },
      { until: 10, parts: [{ text: 'a dog', weight: 1 }, { text: 'a hat', weight: 0.5 }] },
    ]);
  });

  it('throws for a bad part when strict, and keeps the phase whole with the reason when lenient', () => {
    expect(() => composedPhases('a cat AND a hat :7', 10)).toThrow(InputError);
    const [phase] = composedPhases('a cat AND a hat :7', 10, true);
    expect(phase!.parts).toEqual([{ text: 'a cat AND a hat :7', weight: 1 }]);
    expect(phase!.problem).toMatch(/weight 7 .* outside -3 to 3/);
  });
});
