// Prompt editing ([from:to:when], [to:when], [from::when], [a|b]) against phases worked out by
// hand from the syntax other diffusion tools document.
import { describe, expect, it } from 'vitest';
import { phaseAt, phaseList, promptSchedule } from '../../src/inference/prompt-schedule.js';

describe('promptSchedule', () => {
  it('leaves a prompt without editing as one phase, brackets for weights and all', () => {
    for (const p of ['a red heart', 'a (red:1.4) [heart]', 'a [b:c] d', '\\[a:b:3\\]', 'a [unclosed:b:2', 'x ] y :3']) {
      expect(promptSchedule(p, 20)).toEqual([{ until: 20, text: p }]);
    }
  });

  it('switches [from:to:when] at a step number or a share of the steps', () => {
    expect(promptSchedule('a [cat:dog:5] face', 20)).toEqual([
      { until: 5, text: 'a cat face' },
      { until: 20, text: 'a dog face' },
    ]);
    expect(promptSchedule('a [cat:dog:0.25] face', 20)).toEqual([
      { until: 5, text: 'a cat face' },
      { until: 20, text: 'a dog face' },
    ]);
    expect(promptSchedule('a [cat:dog:0.5] face', 25)).toEqual([
      { until: 12, text: 'a cat face' },
      { until: 25, text: 'a dog face' },
    ]);
  });

  it('adds [to:when] and drops [from::when]; ends at 0 or past the last step do not switch', () => {
    expect(promptSchedule('a heart[, red:3]', 10)).toEqual([
      { until: 3, text: 'a heart' },
      { until: 10, text: 'a heart, red' },
    ]);
    expect(promptSchedule('a [red ::0.3]heart', 10)).toEqual([
      { until: 3, text: 'a red heart' },
      { until: 10, text: 'a heart' },
    ]);
    expect(promptSchedule('a [cat:dog:0] face', 10)).toEqual([{ until: 10, text: 'a dog face' }]);
    expect(promptSchedule('a [cat:dog:40] face', 10)).toEqual([{ until: 10, text: 'a cat face' }]);
    expect(promptSchedule('a [cat:dog:1.0] face', 10)).toEqual([{ until: 10, text: 'a cat face' }]);
  });

  it('keeps weights inside and around schedules, and nests', () => {
    expect(promptSchedule('(a [(cat:1.3):dog:2]:1.1)', 4)).toEqual([
      { until: 2, text: '(a (cat:1.3):1.1)' },
      { until: 4, text: '(a dog:1.1)' },
    ]);
    expect(promptSchedule('[a [b:c:1]:d:3]', 4)).toEqual([
      { until: 1, text: 'a b' },
      { until: 3, text: 'a c' },
      { until: 4, text: 'd' },
    ]);
  });

  it('alternates [a|b] step by step', () => {
    expect(promptSchedule('a [cat|dog] face', 4)).toEqual([
      { until: 1, text: 'a cat face' },
      { until: 2, text: 'a dog face' },
      { until: 3, text: 'a cat face' },
      { until: 4, text: 'a dog face' },
    ]);
    expect(promptSchedule('[a|b|c]', 2).map((p) => p.text)).toEqual(['a', 'b']);
  });

  it('finds the phase of a step', () => {
    const phases = promptSchedule('[cat:dog:5]', 20);
    expect([1, 5, 6, 20, 25].map((s) => phaseAt(phases, s))).toEqual([0, 0, 1, 1, 1]);
  });

  it('lists phases in a line, the first three of many', () => {
    expect(phaseList([{ until: 25, words: 'a cat' }, { until: 50, words: 'a dog' }])).toBe('a cat (steps 1-25) → a dog (26-50)');
    expect(phaseList([{ until: 1, words: 'a' }, { until: 2, words: ' ' }, { until: 3, words: 'a' }, { until: 4, words: 'b' }])).toBe('a (step 1) → (nothing) (2) → a (3) → … 4 phases');
  });
});
