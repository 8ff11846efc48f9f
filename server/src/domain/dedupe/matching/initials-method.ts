import { jaroWinkler } from './jaro-winkler.ts';
import type { Explanation, MethodImpl } from './method-impl.ts';
import { capLength, foldWords, rangesEqual, toScore } from './text-folding.ts';
import { explainJaroWinkler } from './text-methods.ts';

/**
 * Initials, after Salesforce's algorithm of that name ("Jonathan" vs "J" = 100): a lone initial matches any value
 * starting with that letter, and two multi-word values agree when each word either equals its counterpart or is the
 * initial of it ("J R Tolkien" = "John Ronald Tolkien", "J.R." = "John Robert"). Anything else falls back to
 * Jaro-Winkler so a typo still scores. The prepared value is foldWords: letters and digits, words separated by one
 * space, dots gone (so "J." is the one-letter word "j").
 */

function wordEnd(value: string, start: number): number {
  const space = value.indexOf(' ', start);
  return space === -1 ? value.length : space;
}

/** Same word count (at least two), and every word pair equal or an initial and a word starting with it. */
function wordsAgreeByInitials(a: string, b: string): boolean {
  let startA = 0;
  let startB = 0;
  let words = 0;
  while (startA < a.length && startB < b.length) {
    const endA = wordEnd(a, startA);
    const endB = wordEnd(b, startB);
    const lengthA = endA - startA;
    const lengthB = endB - startB;
    const agree =
      lengthA === 1 || lengthB === 1
        ? a.charCodeAt(startA) === b.charCodeAt(startB)
        : rangesEqual(a, startA, endA, b, startB, endB);
    if (!agree) return false;
    words++;
    startA = endA + 1;
    startB = endB + 1;
  }
  return words >= 2 && startA >= a.length && startB >= b.length;
}

function isLoneInitialOf(initial: string, other: string): boolean {
  return initial.length === 1 && other.charCodeAt(0) === initial.charCodeAt(0);
}

export const initialsMethod: MethodImpl = {
  prepare: (raw) => capLength(foldWords(raw)),
  score: (a, b) => {
    if (a === b || isLoneInitialOf(a, b) || isLoneInitialOf(b, a) || wordsAgreeByInitials(a, b)) return 100;
    return toScore(jaroWinkler(a, b));
  },
  explain: (a, b): Explanation => {
    if (a === b) return { score: 100, reason: 'same value' };
    if (isLoneInitialOf(a, b)) return { score: 100, reason: `initial ${a.toUpperCase()} matches ${b}` };
    if (isLoneInitialOf(b, a)) return { score: 100, reason: `initial ${b.toUpperCase()} matches ${a}` };
    if (wordsAgreeByInitials(a, b)) return { score: 100, reason: `initials agree: ${a} = ${b}` };
    const { similarity, reason } = explainJaroWinkler(a, b);
    return { score: toScore(similarity), reason: `initials differ; ${reason}` };
  },
  // Whatever matches by initials shares the first letter, and Jaro-Winkler >= 85 almost always does too; the end
  // catches a typo in the first letter (Catherine, Katherine).
  blockKeys: (prepared) => (prepared === '' ? [] : [prepared.charAt(0), `s:${prepared.slice(-3)}`]),
};
