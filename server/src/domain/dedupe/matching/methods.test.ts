import { MATCH_METHODS, type MatchMethod } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { isMatchMethod, METHODS } from './methods.ts';
import { seededRandom } from './test-support.ts';

const FIRST = ['John', 'Jonathan', 'William', 'Bill', 'Margaret', 'Peggy', 'Katherine', 'Catherine', 'José', 'Zoë'];
const LAST = ['Smith', 'Schmidt', 'Johnson', 'Müller', 'Mueller', "O'Brien", 'Nguyen', 'García', 'Meyer', 'Lee'];
const DOMAINS = ['acme.com', 'gmail.com', 'example.org'];
const PHONES = ['4155551234', '2125550199', '6175550143', '4155550000', '3125557788'];

/** Real-looking values and typo'd copies of them: the pairs a Duplicate Check meets. */
function sampleValues(method: MatchMethod, random: () => number, count: number): string[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const typo = (value: string): string => {
    if (value.length < 3 || random() < 0.4) return value;
    const at = 1 + Math.floor(random() * (value.length - 2));
    const kind = random();
    if (kind < 0.33) return value.slice(0, at) + value.slice(at + 1);
    if (kind < 0.66) return value.slice(0, at) + (value[at + 1] ?? '') + (value[at] ?? '') + value.slice(at + 2);
    return value.slice(0, at) + String.fromCharCode(97 + Math.floor(random() * 26)) + value.slice(at + 1);
  };
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    if (method === 'email') values.push(typo(`${first}.${last}@${pick(DOMAINS)}`));
    else if (method === 'phone') {
      const digits = pick(PHONES);
      // One mistyped digit (a dropped digit shifts every position and is not what the phone keys are for).
      const at = Math.floor(random() * digits.length);
      const mistyped =
        random() < 0.5 ? digits : `${digits.slice(0, at)}${Math.floor(random() * 10)}${digits.slice(at + 1)}`;
      values.push(`${random() < 0.5 ? '+1 ' : ''}${mistyped.slice(0, 3)} ${mistyped.slice(3, 6)}-${mistyped.slice(6)}`);
    } else if (method === 'initials' && random() < 0.3) values.push(`${first[0]}.`);
    // A rule compares one field, so the values of a sample are of one kind: given names, or full names.
    else values.push(typo(method === 'name-variant' || method === 'initials' ? first : `${first} ${last}`));
  }
  return values;
}

describe('the method table', () => {
  it('implements every method the contract names, and recognises exactly those names', () => {
    expect(Object.keys(METHODS).sort()).toEqual([...MATCH_METHODS].sort());
    for (const method of MATCH_METHODS) expect(isMatchMethod(method)).toBe(true);
    for (const other of ['fuzzy', 'EXACT', '', 'toString', '__proto__']) expect(isMatchMethod(other)).toBe(false);
  });
});

describe.each(MATCH_METHODS)('%s', (method) => {
  const impl = METHODS[method];
  const random = seededRandom(MATCH_METHODS.indexOf(method) + 7);
  const prepared = sampleValues(method, random, 220)
    .map((raw) => impl.prepare(raw))
    .filter((value) => value !== '');

  it('prepares blank input as empty and blocks nothing on it', () => {
    for (const blank of ['', '   ', '\t\n']) expect(impl.prepare(blank)).toBe('');
    expect(impl.blockKeys('')).toEqual([]);
  });

  it('scores identical values 100, and one value against a copy of itself the same', () => {
    for (const value of prepared.slice(0, 50)) {
      expect(impl.score(value, value)).toBe(100);
      expect(impl.score(value, `${value}`.slice(0))).toBe(100);
    }
  });

  it('explains exactly the score it gives, stays within 0-100 and is symmetric', () => {
    for (let i = 0; i < 300; i++) {
      const a = prepared[Math.floor(random() * prepared.length)] ?? '';
      const b = prepared[Math.floor(random() * prepared.length)] ?? '';
      const score = impl.score(a, b);
      const explained = impl.explain(a, b);
      expect(explained.score).toBe(score);
      expect(explained.reason.length).toBeGreaterThan(0);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(100);
      expect(impl.score(b, a)).toBe(score);
    }
  });

  it('gives pairs scoring 85 or more a shared blocking key', () => {
    const keys = prepared.map((value) => new Set(impl.blockKeys(value)));
    let close = 0;
    let sharing = 0;
    for (let i = 0; i < prepared.length; i++) {
      for (let j = i + 1; j < prepared.length; j++) {
        if (impl.score(prepared[i] ?? '', prepared[j] ?? '') < 85) continue;
        close++;
        const keysB = keys[j] ?? new Set<string>();
        if ([...(keys[i] ?? [])].some((key) => keysB.has(key))) sharing++;
      }
    }
    expect(close).toBeGreaterThan(0);
    // The engine's candidate pairs come from these keys: a miss here is a duplicate never found. The few misses left
    // are pairs with a typo on each side near both ends, mostly different people (wliliam meyer, william muller).
    expect(sharing / close).toBeGreaterThanOrEqual(method === 'exact' || method === 'exact-any-order' ? 1 : 0.95);
    // Few keys per value: a name in several variant groups (chris) has the most.
    for (const set of keys) expect(set.size).toBeLessThanOrEqual(7);
  });
});
