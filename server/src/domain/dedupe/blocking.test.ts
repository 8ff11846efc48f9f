import type { MatchMethod } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { candidatePairs, hashToken, keyTypes, MAX_BLOCK, NEIGHBOURS, pairOf, TOKENS } from './blocking.ts';
import { CITIES, realisticSample, type SampleRow } from './engine-test-support.ts';
import { METHODS } from './matching/methods.ts';
import { seededRandom } from './matching/test-support.ts';

/** The built-in Contact e-mail scenario's columns: what the engine blocks a Contact job on. */
const COLUMNS: MatchMethod[] = ['name-variant', 'jaro-winkler', 'email', 'jaro-winkler'];

/** Tokens exactly as the engine derives them: each method's prepare and blockKeys, hashed per column. */
function tokensOf(rows: SampleRow[]): Uint32Array[] {
  return COLUMNS.map((method, c) => {
    const impl = METHODS[method];
    const hashes = new Uint32Array(rows.length * TOKENS);
    rows.forEach((row, i) => {
      const keys = impl.blockKeys(impl.prepare(row[c] ?? ''));
      keys.slice(0, TOKENS).forEach((key, k) => {
        hashes[i * TOKENS + k] = hashToken(key, c);
      });
    });
    return hashes;
  });
}

const codes = (pairs: Float64Array) => [...pairs].map((code) => pairOf(code));

describe('candidatePairs on a realistic sample', () => {
  const { rows, planted } = realisticSample();
  const result = candidatePairs({ size: rows.length, tokens: tokensOf(rows) });
  const all = (rows.length * (rows.length - 1)) / 2;

  it('scores a small fraction of the n(n-1)/2 pairs', () => {
    expect(rows.length).toBe(2000);
    expect(result.pairs.length).toBeGreaterThan(0);
    // 19 first names x 30 last names over 2,000 people: name blocks are large, and still under 4% of all pairs.
    expect(result.pairs.length).toBeLessThan(all / 25);
  });

  it('makes every planted duplicate a candidate', () => {
    const candidates = new Set(codes(result.pairs).map(([i, j]) => `${i}|${j}`));
    const missed = planted.filter(([i, j]) => !candidates.has(`${i}|${j}`));
    expect(missed).toEqual([]);
  });

  it('skips the blocks of a city everyone shares, and counts them', () => {
    // 2,000 people in 8 cities: every city block is far above MAX_BLOCK.
    expect(result.largeBlocks).toBeGreaterThanOrEqual(CITIES.length);
  });
});

/** One column; `groups[g]` records all hold token g + 1. */
function oneColumn(size: number, groups: number[][]): Uint32Array[] {
  const column = new Uint32Array(size * TOKENS);
  groups.forEach((members, g) => {
    for (const record of members) {
      const slot = [0, 1, 2].find((k) => column[record * TOKENS + k] === 0);
      if (slot === undefined) throw new Error(`record ${record} has ${TOKENS} tokens already`);
      column[record * TOKENS + slot] = g + 1;
    }
  });
  return [column];
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

describe('candidatePairs', () => {
  it('pairs a block above MAX_BLOCK only with neighbours (linear, still chained) and keeps one of MAX_BLOCK whole', () => {
    const big = range(0, MAX_BLOCK + 1);
    const atLimit = range(MAX_BLOCK + 1, 2 * MAX_BLOCK + 1);
    const result = candidatePairs({ size: 2 * MAX_BLOCK + 1, tokens: oneColumn(2 * MAX_BLOCK + 1, [big, atLimit]) });
    expect(result.largeBlocks).toBe(1);
    const inBig = codes(result.pairs).filter(([i]) => big.includes(i));
    expect(inBig).toHaveLength(MAX_BLOCK * NEIGHBOURS - ((NEIGHBOURS - 1) * NEIGHBOURS) / 2);
    for (const [i, j] of inBig) expect(j - i).toBeLessThanOrEqual(NEIGHBOURS);
    expect(result.pairs.length - inBig.length).toBe((MAX_BLOCK * (MAX_BLOCK - 1)) / 2);
  });

  it('returns the pairs sorted, unique, with i < j, exactly those sharing a token', () => {
    const random = seededRandom(11);
    const size = 300;
    const tokens = [0, 1, 2].map(() => {
      const column = new Uint32Array(size * TOKENS);
      for (let k = 0; k < column.length; k += 1) if (random() < 0.8) column[k] = 1 + Math.floor(random() * 400);
      return column;
    });
    // A pair shares its tokens in several columns and key types: it must still come out once.
    tokens.forEach((column) => {
      column.set(column.subarray(0, TOKENS), 5 * TOKENS);
    });
    const result = candidatePairs({ size, tokens });
    expect(result.largeBlocks).toBe(0);

    const expected: string[] = [];
    for (let i = 0; i < size; i += 1) {
      for (let j = i + 1; j < size; j += 1) {
        const shares = tokens.some((column) => {
          const mine = column.subarray(i * TOKENS, (i + 1) * TOKENS);
          const theirs = column.subarray(j * TOKENS, (j + 1) * TOKENS);
          return mine.some((token) => token !== 0 && theirs.includes(token));
        });
        if (shares) expected.push(`${i}|${j}`);
      }
    }
    const found = codes(result.pairs);
    expect(found.map(([i, j]) => `${i}|${j}`)).toEqual(expected);
    expect(found).toContainEqual([0, 5]);
    for (let k = 1; k < result.pairs.length; k += 1) {
      expect(result.pairs[k] as number).toBeGreaterThan(result.pairs[k - 1] as number);
    }
  });

  it('pairs only records of different sides in a cross-object run', () => {
    const size = 12;
    const sides = Uint8Array.from(range(0, size), (record) => (record < 4 ? 0 : 1));
    const result = candidatePairs({ size, tokens: oneColumn(size, [range(0, size)]), sides });
    const found = codes(result.pairs);
    expect(found.length).toBe(4 * 8);
    for (const [i, j] of found) expect(sides[i]).not.toBe(sides[j]);
  });

  it('does not pair a record holding the same token twice with itself', () => {
    const column = new Uint32Array(3 * TOKENS);
    column.set([9, 9, 0], 0);
    expect(candidatePairs({ size: 3, tokens: [column] }).pairs.length).toBe(0);

    column.set([9, 0, 0], TOKENS);
    expect(codes(candidatePairs({ size: 3, tokens: [column] }).pairs)).toEqual([[0, 1]]);
  });

  it('finds a pair through two columns whose single tokens are too common to block on', () => {
    // Records 0 and 1 share a first name with 22 people and a city with 23: only the combination is selective.
    const size = 43;
    const first = new Uint32Array(size * TOKENS);
    const city = new Uint32Array(size * TOKENS);
    for (let record = 0; record < size; record += 1) {
      first[record * TOKENS] = record < 22 ? 1 : 2;
      city[record * TOKENS] = record < 2 || record >= 22 ? 5 : 100 + record;
    }
    const result = candidatePairs({ size, tokens: [first, city] });
    // The large blocks add only neighbour pairs; the pair itself comes whole from the two-column key.
    expect(codes(result.pairs)).toContainEqual([0, 1]);
    expect(result.pairs.length).toBeLessThan(4 * (size - 1));
    // First names 1 (22) and 2 (21), city 5 (23), and first name 2 with city 5 (21).
    expect(result.largeBlocks).toBe(4);
  });
});

describe('key types and hashes', () => {
  it('uses every column alone and every two columns together', () => {
    expect(keyTypes(3)).toEqual([
      [0, -1],
      [1, -1],
      [2, -1],
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
  });

  it('never hashes a token to 0 (no token) and keeps columns apart', () => {
    expect(hashToken('', 0)).not.toBe(0);
    expect(hashToken('smith', 0)).toBe(hashToken('smith', 0));
    expect(hashToken('smith', 0)).not.toBe(hashToken('smith', 1));
  });
});
