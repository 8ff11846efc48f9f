import { describe, expect, it } from 'vitest';
import { METHODS } from './methods.ts';
import { areNameVariants, formalNameOf, VARIANT_GROUP_COUNT, variantGroupsOf } from './name-variants.ts';
import { compareRaw } from './test-support.ts';

describe('initials', () => {
  it("matches a lone initial, with or without a dot, to a name starting with it (Salesforce's Jonathan vs J)", () => {
    expect(compareRaw('initials', 'J', 'Jonathan')).toEqual({ score: 100, reason: 'initial J matches jonathan' });
    expect(compareRaw('initials', 'Jonathan', 'j.')).toEqual({ score: 100, reason: 'initial J matches jonathan' });
    expect(compareRaw('initials', 'J', 'John Robert').score).toBe(100);
  });

  it('matches multi-word values whose words agree or are initials of each other', () => {
    expect(compareRaw('initials', 'J. R. Tolkien', 'John Ronald Tolkien')).toEqual({
      score: 100,
      reason: 'initials agree: j r tolkien = john ronald tolkien',
    });
    expect(compareRaw('initials', 'J.R.', 'John Robert').score).toBe(100);
    expect(compareRaw('initials', 'John R', 'J Robert').score).toBe(100);
  });

  it('falls back to Jaro-Winkler, saying so, when initials disagree', () => {
    expect(compareRaw('initials', 'K', 'John')).toEqual({ score: 0, reason: 'initials differ; Jaro-Winkler 0.000' });
    expect(compareRaw('initials', 'J R', 'John Peter').score).toBeLessThan(85);
    expect(compareRaw('initials', 'J R', 'J R Smith').score).toBeLessThan(100);
    expect(compareRaw('initials', 'Jonathon', 'Jonathan')).toEqual({
      score: 95,
      reason: 'initials differ; Jaro-Winkler 0.950',
    });
  });
});

describe('the given-name variant dictionary', () => {
  it('holds at least 250 formal names', () => {
    expect(VARIANT_GROUP_COUNT).toBeGreaterThanOrEqual(250);
  });

  it('knows common nicknames in both directions', () => {
    for (const [formal, nickname] of [
      ['william', 'bill'],
      ['margaret', 'peggy'],
      ['robert', 'bob'],
      ['elizabeth', 'liz'],
      ['richard', 'dick'],
      ['katherine', 'kate'],
      ['alexander', 'sasha'],
      ['theodore', 'ted'],
    ] as const) {
      expect(areNameVariants(formal, nickname)).toBe(true);
      expect(areNameVariants(nickname, formal)).toBe(true);
    }
  });

  it('puts a shared nickname in each of its groups without joining the formal names', () => {
    const chris = variantGroupsOf('chris').map(formalNameOf);
    expect(chris).toEqual(expect.arrayContaining(['christopher', 'christine', 'christina', 'christian']));
    expect(areNameVariants('christopher', 'christine')).toBe(false);
    expect(areNameVariants('jon', 'jonathan')).toBe(true);
    expect(areNameVariants('jon', 'john')).toBe(true);
    expect(areNameVariants('john', 'jonathan')).toBe(false);
  });

  it('does not know unrelated names', () => {
    expect(variantGroupsOf('zxqv')).toEqual([]);
    expect(areNameVariants('william', 'robert')).toBe(false);
  });
});

describe('name-variant', () => {
  it('scores known variants 100 and names the formal name when neither side is it', () => {
    expect(compareRaw('name-variant', 'Bill', 'William')).toEqual({
      score: 100,
      reason: 'name variant: bill = william',
    });
    expect(compareRaw('name-variant', 'PEGGY', 'margaret').score).toBe(100);
    expect(compareRaw('name-variant', 'Bill', 'Will')).toEqual({
      score: 100,
      reason: 'name variant: bill = will (both william)',
    });
    expect(compareRaw('name-variant', 'Bob', 'Robert').score).toBe(100);
    expect(compareRaw('name-variant', 'Liz', 'Élizabeth').score).toBe(100);
  });

  it('falls back to Jaro-Winkler for typos and unknown names', () => {
    expect(compareRaw('name-variant', 'Jonathon', 'Jonathan')).toEqual({
      score: 95,
      reason: 'not known variants; Jaro-Winkler 0.950',
    });
    expect(compareRaw('name-variant', 'Christopher', 'Christine').score).toBeLessThan(100);
    expect(compareRaw('name-variant', 'Zbigniew', 'Zbigniew')).toEqual({ score: 100, reason: 'same name' });
  });

  it('gives variants a shared blocking key', () => {
    const keys = (raw: string) => METHODS['name-variant'].blockKeys(METHODS['name-variant'].prepare(raw));
    expect(keys('Bill').some((key) => keys('William').includes(key))).toBe(true);
    expect(keys('Jonathon').some((key) => keys('Jonathan').includes(key))).toBe(true);
    expect(keys('')).toEqual([]);
  });
});

describe('phonetic', () => {
  it('matches values that sound alike and names the codes', () => {
    expect(compareRaw('phonetic', 'Smith', 'Schmidt')).toEqual({
      score: 100,
      reason: 'sounds alike: smith = schmidt (SM0/XMT ~ XMT/SMT)',
    });
    expect(compareRaw('phonetic', 'Catherine', 'Kathryn').score).toBe(100);
    expect(compareRaw('phonetic', 'Müller', 'Mueller').score).toBe(100);
    expect(compareRaw('phonetic', 'Meyer John', 'Maier Jon').score).toBe(100);
  });

  it('needs every word to agree, else falls back to Jaro-Winkler of the text', () => {
    const result = compareRaw('phonetic', 'Smith Jones', 'Smith Brown');
    expect(result.score).toBeLessThan(100);
    expect(result.reason).toMatch(/^sounds different \(SM0 JNS vs SM0 PRN\); Jaro-Winkler 0\.\d{3}$/u);
    expect(compareRaw('phonetic', 'Anne Marie', 'Anne').score).toBeLessThan(100);
  });

  it('does not treat words without a code (digits) as sounding alike', () => {
    expect(compareRaw('phonetic', '123', '456').score).toBe(0);
  });

  it('shares a blocking key between sound-alikes and between typos', () => {
    const keys = (raw: string) => METHODS.phonetic.blockKeys(METHODS.phonetic.prepare(raw));
    expect(keys('Smith').some((key) => keys('Schmidt').includes(key))).toBe(true);
    expect(keys('Smith').some((key) => keys('Smiht').includes(key))).toBe(true);
  });
});
