import type { MatchMethod } from '@orglink/shared';
import { METHODS } from './methods.ts';

/** Prepare both raw values with a method and explain the pair (tests only). */
export function compareRaw(method: MatchMethod, a: string, b: string): { score: number; reason: string } {
  const impl = METHODS[method];
  const explained = impl.explain(impl.prepare(a), impl.prepare(b));
  if (explained.score !== impl.score(impl.prepare(a), impl.prepare(b))) throw new Error(`${method}: explain != score`);
  return explained;
}

/** Deterministic pseudo-random numbers (mulberry32), so a failing property test fails the same way every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
