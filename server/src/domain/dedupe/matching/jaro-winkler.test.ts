import { describe, expect, it } from 'vitest';
import { jaroWinkler, jaroWinklerRange } from './jaro-winkler.ts';
import { levenshteinRange } from './levenshtein-range.ts';

describe('Jaro-Winkler', () => {
  it('gives the published values (Winkler 1990, Wikipedia)', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 3);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('CRATE', 'TRACE')).toBeCloseTo(0.733, 3);
  });

  it('is 1 for identical strings, 0 with nothing in common or one side empty, and symmetric', () => {
    expect(jaroWinkler('smith', 'smith')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
    expect(jaroWinkler('a', 'a')).toBe(1);
    expect(jaroWinkler('a', 'b')).toBe(0);
    for (const [a, b] of [
      ['johnson', 'jonson'],
      ['catherine', 'kathryn'],
      ['ab', 'ba'],
    ] as const)
      expect(jaroWinkler(a, b)).toBe(jaroWinkler(b, a));
  });

  it('boosts a shared prefix only above a Jaro of 0.7 and for at most 4 characters', () => {
    // Jaro of these is below 0.7: no boost despite the shared first letter.
    expect(jaroWinkler('abcdef', 'azzzzz')).toBeCloseTo((1 / 6 + 1 / 6 + 1) / 3, 6);
    const jaro = (10 / 11 + 10 / 10 + 1) / 3;
    expect(jaroWinkler('abcdefghijk', 'abcdefghij')).toBeCloseTo(jaro + 4 * 0.1 * (1 - jaro), 6);
  });

  it('compares ranges inside longer strings without slicing them', () => {
    expect(jaroWinklerRange('xxMARTHAyy', 2, 8, 'MARHTA|z', 0, 6)).toBeCloseTo(0.961, 3);
  });

  it('grows its buffers for long strings and stays correct afterwards', () => {
    const long = 'abcdefghij'.repeat(50);
    expect(jaroWinkler(long, `${long}x`)).toBeGreaterThan(0.99);
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
  });

  it('scores two 8-letter names in well under a microsecond', () => {
    const names = ['jonathan', 'johnatan', 'margaret', 'margeret', 'williams', 'wiliamss', 'catherin', 'kathrine'];
    let sink = 0;
    for (let i = 0; i < 20_000; i++) sink += jaroWinkler(names[i & 7] ?? '', names[(i + 3) & 7] ?? '');
    const rounds = 400_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) sink += jaroWinkler(names[i & 7] ?? '', names[(i + 3) & 7] ?? '');
    const nanosPerCall = Number(process.hrtime.bigint() - started) / rounds;
    expect(sink).toBeGreaterThan(0);
    // Typically ~100 ns; the bound leaves room for a busy CI machine.
    expect(nanosPerCall).toBeLessThan(1000);
  });
});

describe('Levenshtein over ranges', () => {
  it('counts edits like the textbook algorithm', () => {
    expect(levenshteinRange('kitten', 0, 6, 'sitting', 0, 7)).toBe(3);
    expect(levenshteinRange('', 0, 0, 'abc', 0, 3)).toBe(3);
    expect(levenshteinRange('14155551234', 1, 11, '4155551243', 0, 10)).toBe(2);
    expect(levenshteinRange('same', 0, 4, 'same', 0, 4)).toBe(0);
  });
});
