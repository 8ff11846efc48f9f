import { doubleMetaphone } from 'double-metaphone';
import { typoKeys } from './block-keys.ts';
import { jaroWinklerRange } from './jaro-winkler.ts';
import type { Explanation, MethodImpl } from './method-impl.ts';
import { capLength, foldWords, toScore, wordsOf } from './text-folding.ts';

/**
 * Sounds alike, by Double Metaphone (Lawrence Philips; the `double-metaphone` package). Two values match when, word
 * by word, a primary or alternate code of one equals a primary or alternate code of the other ("Schmidt" = "Smith",
 * "Meyer Jon" = "Maier John"); otherwise Jaro-Winkler of the folded text, so a typo still scores.
 *
 * Prepared value: per word "PRIMARY/ALTERNATE", words separated by one space, then '|', then the folded text:
 * "smith" becomes "SM0/XMT|smith". Codes use A-Z and 0 only, so '/', ' ' and '|' never occur inside them. A word
 * without a code (digits, say) has "/" and never agrees phonetically.
 */

const SEPARATOR = '|';
const SPACE = 32;
const SLASH = 47;

function separatorOf(prepared: string): number {
  return prepared.indexOf(SEPARATOR);
}

function endOf(value: string, start: number, limit: number, code: number): number {
  for (let i = start; i < limit; i++) if (value.charCodeAt(i) === code) return i;
  return limit;
}

function codeEquals(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  const length = aEnd - aStart;
  if (length === 0 || length !== bEnd - bStart) return false;
  for (let i = 0; i < length; i++) if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  return true;
}

/** One word's "P/A" in a[aStart, aEnd) against b[bStart, bEnd): any non-empty code in common. */
function wordCodesAgree(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  const slashA = endOf(a, aStart, aEnd, SLASH);
  const slashB = endOf(b, bStart, bEnd, SLASH);
  return (
    codeEquals(a, aStart, slashA, b, bStart, slashB) ||
    codeEquals(a, aStart, slashA, b, slashB + 1, bEnd) ||
    codeEquals(a, slashA + 1, aEnd, b, bStart, slashB) ||
    codeEquals(a, slashA + 1, aEnd, b, slashB + 1, bEnd)
  );
}

function codesAgree(a: string, sepA: number, b: string, sepB: number): boolean {
  let startA = 0;
  let startB = 0;
  while (startA < sepA && startB < sepB) {
    const endA = endOf(a, startA, sepA, SPACE);
    const endB = endOf(b, startB, sepB, SPACE);
    if (!wordCodesAgree(a, startA, endA, b, startB, endB)) return false;
    startA = endA + 1;
    startB = endB + 1;
  }
  return startA >= sepA && startB >= sepB;
}

function primaryCodes(prepared: string): string {
  return wordsOf(prepared.slice(0, separatorOf(prepared)))
    .map((word) => word.slice(0, word.indexOf('/')))
    .join(' ');
}

export const phoneticMethod: MethodImpl = {
  prepare: (raw) => {
    const folded = capLength(foldWords(raw));
    if (folded === '') return '';
    const codes = wordsOf(folded).map((word) => doubleMetaphone(word).join('/'));
    return `${codes.join(' ')}${SEPARATOR}${folded}`;
  },
  score: (a, b) => {
    if (a === b) return 100;
    const sepA = separatorOf(a);
    const sepB = separatorOf(b);
    if (codesAgree(a, sepA, b, sepB)) return 100;
    return toScore(jaroWinklerRange(a, sepA + 1, a.length, b, sepB + 1, b.length));
  },
  explain: (a, b): Explanation => {
    if (a === b) return { score: 100, reason: 'same value' };
    const sepA = separatorOf(a);
    const sepB = separatorOf(b);
    const textA = a.slice(sepA + 1);
    const textB = b.slice(sepB + 1);
    if (codesAgree(a, sepA, b, sepB)) {
      return { score: 100, reason: `sounds alike: ${textA} = ${textB} (${a.slice(0, sepA)} ~ ${b.slice(0, sepB)})` };
    }
    const similarity = jaroWinklerRange(a, sepA + 1, a.length, b, sepB + 1, b.length);
    return {
      score: toScore(similarity),
      reason: `sounds different (${primaryCodes(a)} vs ${primaryCodes(b)}); Jaro-Winkler ${similarity.toFixed(3)}`,
    };
  },
  // Values that sound alike share their primary or alternate codes; the typo keys catch a typo that changes the
  // sound (smith, smiht) yet scores >= 85 by Jaro-Winkler.
  blockKeys: (prepared) => {
    if (prepared === '') return [];
    const sep = separatorOf(prepared);
    const words = wordsOf(prepared.slice(0, sep));
    const primary = words.map((word) => word.slice(0, word.indexOf('/'))).join(' ');
    const alternate = words.map((word) => word.slice(word.indexOf('/') + 1)).join(' ');
    const keys: string[] = [];
    if (primary.trim() !== '') keys.push(`m:${primary}`);
    if (alternate !== primary && alternate.trim() !== '') keys.push(`m:${alternate}`);
    return [...keys, ...typoKeys(prepared.slice(sep + 1))];
  },
};
