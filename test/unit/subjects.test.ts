import { describe, expect, it } from 'vitest';
import { applySubject, SubjectIndex, wordBeingTyped } from '../../src/inference/subjects.js';

// a slice of the default pack's subjects (emojibase labels), in its order
const SUBJECTS = [
  'apple', 'face with tears of joy', 'flag: Japan', 'green apple', 'keycap: #', 'man astronaut', 'pineapple', 'pizza',
  'pie', 'red apple', 'red heart', 'slice of pizza', 'smiling face with sunglasses', 'sunglasses',
];

describe('SubjectIndex.suggest', () => {
  const index = new SubjectIndex(SUBJECTS);

  it('offers the subjects with a word that begins with what is typed, in-order matches and short ones first', () => {
    expect(index.suggest('a piz')).toEqual(['pizza', 'slice of pizza']);
    // "pineapple" has no word that begins with "app"
    expect(index.suggest('app')).toEqual(['apple', 'red apple', 'green apple']);
    // "apple" itself is typed: the longer subjects with the word are still offered
    expect(index.suggest('an apple')).toEqual(['red apple', 'green apple']);
    expect(index.suggest('a red ap')).toEqual(['red apple']);
    // every typed word must match, in any order: "apple green" finds "green apple"
    expect(index.suggest('apple gr')).toEqual(['green apple']);
    expect(index.suggest('sung')).toEqual(['sunglasses', 'smiling face with sunglasses']);
  });

  it('ignores case and the opening article, and matches labels with punctuation', () => {
    expect(index.suggest('The FLAG ja')).toEqual(['flag: Japan']);
    expect(index.suggest('keyc')).toEqual(['keycap: #']);
    // typing the label without its colon is the label: nothing left to suggest
    expect(index.suggest('keycap #')).toEqual([]);
  });

  it('offers nothing for too little, unknown words or a subject with no longer relatives, and keeps to the limit', () => {
    expect(index.suggest('')).toEqual([]);
    expect(index.suggest('a p')).toEqual([]);
    expect(index.suggest('a spaceship')).toEqual([]);
    expect(index.suggest('a red heart')).toEqual([]);
    expect(index.suggest('Red Heart')).toEqual([]);
    expect(index.suggest('a', 6)).toEqual([]);
    expect(index.suggest('ap', 2)).toHaveLength(2);
    expect(index.suggest('ap', 0)).toEqual([]);
    expect(new SubjectIndex([]).suggest('pizza')).toEqual([]);
    expect(new SubjectIndex(['', ' , ']).size).toBe(0);
  });
});

describe('applySubject', () => {
  it('keeps the typed article and replaces the rest', () => {
    expect(applySubject('a piz', 'pizza')).toBe('a pizza');
    expect(applySubject('  An app', 'apple')).toBe('An apple');
    expect(applySubject('piz', 'slice of pizza')).toBe('slice of pizza');
    expect(applySubject('the flag ja', 'flag: Japan')).toBe('the flag: Japan');
    // "a" alone is no article yet (nothing after it)
    expect(applySubject('a', 'apple')).toBe('apple');
  });
});

describe('wordBeingTyped', () => {
  it('is the last word when nothing follows it', () => {
    expect(wordBeingTyped('a Sli')).toBe('sli');
    expect(wordBeingTyped('pizza')).toBe('pizza');
    expect(wordBeingTyped('a sli ')).toBeNull();
    expect(wordBeingTyped('a slice,')).toBeNull();
    expect(wordBeingTyped('')).toBeNull();
  });
});
