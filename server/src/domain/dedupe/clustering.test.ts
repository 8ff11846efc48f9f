import { describe, expect, it } from 'vitest';
import { groupPairs } from './clustering.ts';

/** groupPairs over pairs given as [a, b, score]. */
function group(size: number, pairs: [number, number, number][]) {
  return groupPairs(
    size,
    pairs.map(([a]) => a),
    pairs.map(([, b]) => b),
    pairs.map(([, , score]) => score),
  );
}

describe('groupPairs', () => {
  it('puts A-B and B-C in one group of three scored by the mean of its pairs', () => {
    const groups = group(3, [
      [0, 1, 90],
      [1, 2, 80],
    ]);
    expect(groups).toEqual([{ members: [0, 1, 2], pairs: [0, 1], score: 85 }]);
  });

  it('joins chains whose links come in any order', () => {
    // 3-4 and 1-2 first make two groups; 2-3 then has to merge them.
    const groups = group(6, [
      [3, 4, 100],
      [1, 2, 90],
      [2, 3, 77],
      [0, 5, 80],
    ]);
    expect(groups.map((cluster) => cluster.members)).toEqual([
      [1, 2, 3, 4],
      [0, 5],
    ]);
    expect(groups[0]?.pairs).toEqual([0, 1, 2]);
    expect(groups[0]?.score).toBeCloseTo((100 + 90 + 77) / 3, 10);
  });

  it('sorts groups by score, the larger group first on a tie, and leaves unmatched records out', () => {
    const groups = group(10, [
      [0, 1, 76],
      [2, 3, 99],
      [4, 5, 88],
      [5, 6, 88],
      [7, 8, 88],
    ]);
    expect(groups.map((cluster) => cluster.score)).toEqual([99, 88, 88, 76]);
    expect(groups.map((cluster) => cluster.members)).toEqual([
      [2, 3],
      [4, 5, 6],
      [7, 8],
      [0, 1],
    ]);
    expect(groups.flatMap((cluster) => cluster.members)).not.toContain(9);
  });

  it('counts every pair of a triangle once in the score', () => {
    const groups = group(3, [
      [0, 1, 100],
      [0, 2, 80],
      [1, 2, 90],
    ]);
    expect(groups).toEqual([{ members: [0, 1, 2], pairs: [0, 1, 2], score: 90 }]);
  });

  it('makes no groups without pairs', () => {
    expect(group(5, [])).toEqual([]);
  });
});
