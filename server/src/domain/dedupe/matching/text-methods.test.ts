import { describe, expect, it } from 'vitest';
import { METHODS } from './methods.ts';
import { compareRaw } from './test-support.ts';
import { foldText, foldWords, MAX_FUZZY_LENGTH } from './text-folding.ts';

describe('folding', () => {
  it('drops case, diacritics, ligatures and extra whitespace', () => {
    expect(foldText('  Müller   ')).toBe('muller');
    expect(foldText('ÅSTRÖM\t Øster')).toBe('astrom oster');
    expect(foldText('Straße ﬁeld')).toBe('strasse field');
    expect(foldText('José\u00a0García')).toBe('jose garcia');
    expect(foldText('   ')).toBe('');
  });

  it('keeps letters and digits as words for the word-based methods', () => {
    expect(foldWords("O'Brien-Smith, J.R.")).toBe('obrien smith j r');
    expect(foldWords('...')).toBe('');
  });
});

describe('exact', () => {
  it('ignores case, diacritics and spacing, nothing else', () => {
    expect(compareRaw('exact', 'Müller ', 'MULLER')).toEqual({ score: 100, reason: 'same value' });
    expect(compareRaw('exact', 'salesforce.com', 'Salesforce').score).toBe(0);
    expect(compareRaw('exact', 'Acme  Corp', 'acme corp').score).toBe(100);
  });

  it('prepares blank values as empty (not compared)', () => {
    expect(METHODS.exact.prepare(' \t')).toBe('');
    expect(METHODS.exact.blockKeys('')).toEqual([]);
  });
});

describe('exact in any word order', () => {
  it('matches the same words in another order, punctuation ignored', () => {
    expect(compareRaw('exact-any-order', 'John Johnsen', 'Johnsen, John')).toEqual({
      score: 100,
      reason: 'same words in any order',
    });
    expect(compareRaw('exact-any-order', 'McDonalds Ireland', 'McDonalds Spain').score).toBe(0);
    expect(compareRaw('exact-any-order', 'John', 'John John').score).toBe(0);
  });
});

describe('jaro-winkler method', () => {
  it('scores x100 with one decimal and names the similarity', () => {
    expect(compareRaw('jaro-winkler', 'Martha', 'MARHTA')).toEqual({ score: 96.1, reason: 'Jaro-Winkler 0.961' });
    expect(compareRaw('jaro-winkler', 'Dwayne', 'Duane').score).toBe(84);
    expect(compareRaw('jaro-winkler', 'Dixon', 'Dicksonx').score).toBe(81.3);
    expect(compareRaw('jaro-winkler', 'Zoë', 'zoe')).toEqual({ score: 100, reason: 'same value' });
  });
});

describe('edit-distance method', () => {
  it("gives Salesforce's VP Sales vs VP of Sales: 3 edits in 11 characters, 72.7 (73 rounded)", () => {
    const result = compareRaw('edit-distance', 'VP Sales', 'VP of Sales');
    expect(result).toEqual({ score: 72.7, reason: '3 edits in 11 characters' });
    expect(Math.round(result.score)).toBe(73);
  });

  it('counts a single edit and one-letter values', () => {
    expect(compareRaw('edit-distance', 'Melbourne', 'Melbourn')).toEqual({
      score: 88.9,
      reason: '1 edit in 9 characters',
    });
    expect(compareRaw('edit-distance', 'a', 'b')).toEqual({ score: 0, reason: '1 edit in 1 character' });
  });

  it('caps very long values so a pair never takes long', () => {
    const long = 'lorem ipsum dolor sit amet '.repeat(5000);
    const prepared = METHODS['edit-distance'].prepare(long);
    expect(prepared.length).toBeLessThanOrEqual(MAX_FUZZY_LENGTH);
    const other = METHODS['edit-distance'].prepare(`x${long}`);
    const started = performance.now();
    expect(METHODS['edit-distance'].score(prepared, other)).toBeGreaterThan(99);
    expect(METHODS['jaro-winkler'].score(prepared, other)).toBeGreaterThan(90);
    expect(performance.now() - started).toBeLessThan(100);
  });
});
