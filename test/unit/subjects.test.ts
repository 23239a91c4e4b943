import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/inference/pack.js';
import { applySubject, editDistance, nearWord, singulars, SubjectIndex, wordBeingTyped } from '../../src/inference/subjects.js';

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

  it('offers subjects a typo away when nothing matches as typed', () => {
    expect(index.suggest('a pizzza')).toEqual(['pizza', 'slice of pizza']);
    expect(index.suggest('sunglases')).toEqual(['sunglasses', 'smiling face with sunglasses']);
    // neighbours swapped; the other words still match as typed
    expect(index.suggest('a red haert')).toEqual(['red heart']);
    // as-typed matches win: "pine" begins "pineapple", so "pie" (one edit away) is not offered
    expect(index.suggest('pine')).toEqual(['pineapple']);
    expect(nearWord('pine', 'pie')).toBe(true);
    // short words are never taken as typos
    expect(index.suggest('a pei')).toEqual([]);
  });

  it('says whether a prefix begins a word of some subject', () => {
    expect(index.beginsAWord('sli')).toBe(true);
    expect(index.beginsAWord('rock')).toBe(false);
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

describe('SubjectIndex: subjects near in meaning (relatedWords)', () => {
  // indices into SUBJECTS: "pie" and "pizza" for "tart", "red apple" and "apple" for "fruit"
  const index = new SubjectIndex(SUBJECTS, { tart: [8, 7], fruit: [9, 0], puppy: [99], pizza: [11] });

  it('offers them only when no subject matches as typed or a typo away, for the last word that has some', () => {
    expect(index.suggest('a tart')).toEqual(['pie', 'pizza']);
    expect(index.suggest('a small tart')).toEqual(['pie', 'pizza']);
    expect(index.suggest('a tart with fruit')).toEqual(['red apple', 'apple']);
    expect(index.suggest('a tart, seen from above')).toEqual(['pie', 'pizza']);
    expect(index.suggest('a tart', 1)).toEqual(['pie']);
    // words that match subjects win over the table
    expect(index.suggest('a piz')).toEqual(['pizza', 'slice of pizza']);
    expect(index.suggest('a pizzza')).toEqual(['pizza', 'slice of pizza']);
    // a word the table knows is meant, not a typo: "tart" would be one edit from "tars" or "cart"
    expect(new SubjectIndex(['cart', 'pie'], { tart: [1] }).suggest('a tart')).toEqual(['pie']);
    expect(new SubjectIndex(['cart', 'pie']).suggest('a tart')).toEqual(['cart']);
    // a word the table knows matches as typed: the others' typos come first, the table last
    const words = new SubjectIndex(['red heart', 'dog', 'dog face'], { dog: [1, 2], red: [0] });
    expect(words.suggest('a red haert')).toEqual(['red heart']);
    // ... without the subject that is the word itself: it is in the prompt already
    expect(words.suggest('a cute dog')).toEqual(['dog face']);
    expect(words.suggestions('two cute dogs')).toEqual({ subjects: ['dog face'], near: 'dogs' });
  });

  it('names the word they are near to, and only then', () => {
    expect(index.suggestions('a small tart')).toEqual({ subjects: ['pie', 'pizza'], near: 'tart' });
    expect(index.suggestions('two tarts')).toEqual({ subjects: ['pie', 'pizza'], near: 'tarts' });
    expect(index.suggestions('a piz')).toEqual({ subjects: ['pizza', 'slice of pizza'] });
    expect(index.suggestions('a pizzza')).toEqual({ subjects: ['pizza', 'slice of pizza'] });
    expect(index.suggestions('a zebra')).toEqual({ subjects: [] });
  });

  it('reads plurals as their singular, and leaves out indices past the subjects', () => {
    expect(index.suggest('two tarts')).toEqual(['pie', 'pizza']);
    expect(index.related('fruits')).toEqual(['red apple', 'apple']);
    expect(index.related('puppy')).toEqual([]);
    expect(index.related('toString')).toEqual([]);
  });

  it('offers nothing for a prompt that is a subject already', () => {
    // "a pizza" is a subject; its longer relative comes from the words, not from the table
    expect(index.suggest('a pizza')).toEqual(['slice of pizza']);
    expect(new SubjectIndex(['pizza'], { pizza: [0] }).suggest('a pizza')).toEqual([]);
    // nor a typo of another subject: the rose was meant
    expect(new SubjectIndex(['rose', 'nose']).suggest('a rose')).toEqual([]);
    expect(new SubjectIndex(['rose', 'nose']).suggest('a rsoe')).toEqual(['rose']);
  });

  it('lists the singulars a plural may come from', () => {
    expect(singulars('puppies')).toEqual(['puppies', 'puppy', 'puppi', 'puppie']);
    expect(singulars('wolves')).toEqual(['wolves', 'wolf', 'wolfe', 'wolv', 'wolve']);
    expect(singulars('boxes')).toEqual(['boxes', 'box', 'boxe']);
    expect(singulars('cats')).toEqual(['cats', 'cat']);
    expect(singulars('glass')).toEqual(['glass']);
    expect(singulars('bus')).toEqual(['bus']);
  });

  it('the default pack relates the words WordNet puts next to its subjects', () => {
    const manifest = validateManifest(JSON.parse(readFileSync('models/default/model.json', 'utf8')));
    const pack = new SubjectIndex(manifest.subjects ?? [], manifest.relatedWords);
    // WordNet: a puppy is a dog, a jet an airplane, a kid a child, a sofa a seat like a chair
    expect(pack.suggest('a cute puppy')).toContain('dog');
    expect(pack.suggest('two puppies')).toContain('dog');
    expect(pack.suggest('a jet')).toContain('airplane');
    expect(pack.suggest('a kid')).toContain('child');
    expect(pack.suggest('a sofa')).toContain('chair');
    expect(manifest.attribution?.map((a) => a.source).join()).toMatch(/WordNet/);
  });
});

describe('applySubject', () => {
  it('puts a subject near in meaning in the place of its word, keeping the rest', () => {
    expect(applySubject('a cute puppy in the snow', 'dog', 'puppy')).toBe('a cute dog in the snow');
    expect(applySubject('A Puppy, a puppy and a PUPPY', 'dog', 'puppy')).toBe('A Puppy, a puppy and a dog');
    // the word is gone (edited since the check): as a subject that matches
    expect(applySubject('a kitten', 'dog', 'puppy')).toBe('a dog');
  });

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

describe('editDistance and nearWord', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    expect(editDistance('pizza', 'pizza')).toBe(0);
    expect(editDistance('pizza', 'pizzza')).toBe(1);
    expect(editDistance('pizza', 'piza')).toBe(1);
    expect(editDistance('pizza', 'pizze')).toBe(1);
    expect(editDistance('heart', 'hraet')).toBe(2);
    expect(editDistance('heart', 'haert')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('allows one edit from 4 letters, two from 7, none below 4', () => {
    expect(nearWord('hart', 'heart')).toBe(true);
    expect(nearWord('hrt', 'heart')).toBe(false);
    expect(nearWord('cat', 'car')).toBe(false);
    expect(nearWord('pizzzza', 'pizza')).toBe(true);
    expect(nearWord('pizzzzza', 'pizza')).toBe(false);
    expect(nearWord('heatr', 'heart')).toBe(true);
    expect(nearWord('hxxrt', 'heart')).toBe(false);
  });
});
