import { distance } from 'fastest-levenshtein';
import { typoKeys } from './block-keys.ts';
import { jaroWinkler } from './jaro-winkler.ts';
import type { MethodImpl } from './method-impl.ts';
import { capLength, foldText, foldWords, toScore, wordsOf } from './text-folding.ts';

/**
 * The text methods: exact, exact in any word order, Jaro-Winkler and edit distance. Prepared values are the folded
 * text itself (exact-any-order: its words sorted), so there is nothing to decode in score().
 */

export function explainJaroWinkler(a: string, b: string): { similarity: number; reason: string } {
  const similarity = jaroWinkler(a, b);
  return { similarity, reason: `Jaro-Winkler ${similarity.toFixed(3)}` };
}

export const exactMethod: MethodImpl = {
  prepare: foldText,
  score: (a, b) => (a === b ? 100 : 0),
  explain: (a, b) => (a === b ? { score: 100, reason: 'same value' } : { score: 0, reason: 'different values' }),
  blockKeys: (prepared) => (prepared === '' ? [] : [prepared]),
};

export const exactAnyOrderMethod: MethodImpl = {
  prepare: (raw) => wordsOf(foldWords(raw)).sort().join(' '),
  score: (a, b) => (a === b ? 100 : 0),
  explain: (a, b) =>
    a === b ? { score: 100, reason: 'same words in any order' } : { score: 0, reason: 'different words' },
  blockKeys: (prepared) => (prepared === '' ? [] : [prepared]),
};

export const jaroWinklerMethod: MethodImpl = {
  prepare: (raw) => capLength(foldText(raw)),
  score: (a, b) => toScore(jaroWinkler(a, b)),
  explain: (a, b) => {
    if (a === b) return { score: 100, reason: 'same value' };
    const { similarity, reason } = explainJaroWinkler(a, b);
    return { score: toScore(similarity), reason };
  },
  blockKeys: typoKeys,
};

/** 1 - edits / the longer length: Salesforce's Edit Distance ("VP Sales" vs "VP of Sales" = 73). */
function editSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return 1 - distance(a, b) / Math.max(a.length, b.length);
}

export const editDistanceMethod: MethodImpl = {
  prepare: (raw) => capLength(foldText(raw)),
  score: (a, b) => toScore(editSimilarity(a, b)),
  explain: (a, b) => {
    if (a === b) return { score: 100, reason: 'same value' };
    const edits = distance(a, b);
    const letters = Math.max(a.length, b.length);
    return {
      score: toScore(editSimilarity(a, b)),
      reason: `${edits} ${edits === 1 ? 'edit' : 'edits'} in ${letters} ${letters === 1 ? 'character' : 'characters'}`,
    };
  },
  blockKeys: typoKeys,
};
