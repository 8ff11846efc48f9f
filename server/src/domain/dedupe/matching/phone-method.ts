import { levenshteinRange } from './levenshtein-range.ts';
import type { Explanation, MethodImpl } from './method-impl.ts';
import { toScore } from './text-folding.ts';

/**
 * Phone numbers, normalised to their digits: formatting ignored, an extension (after x, ext or #) dropped, and the
 * international prefix dropped ("+44", "0044" -> "44"). A leading trunk 0 is dropped too, and so is the "(0)" written
 * inside international numbers ("+44 (0)20 7946 0000"), so the national form "020 7946 0000" ends the same way as the
 * international one. Fewer than 5 digits is not a phone number: prepared as ''.
 *
 * Scores: 100 for the same digits; 90 when one number ends with the other and the shorter has at least 7 digits
 * (country or area code missing: "+1 415 555 1234" vs "415-555-1234"); otherwise 100 * (1 - edits / length) over
 * the last 10 digits, so one mistyped digit in 10 scores 90.
 */

const MIN_DIGITS = 5;
const MIN_SUFFIX_DIGITS = 7;
const SUFFIX_SCORE = 90;
const COMPARED_DIGITS = 10;
const BLOCK_DIGITS = 7;
const TRUNK_ZERO_IN_BRACKETS = /\(\s*0\s*\)/gu;

export function normalisePhone(raw: string): string {
  const text = raw.normalize('NFKC').replace(TRUNK_ZERO_IN_BRACKETS, ' ');
  let digits = '';
  for (const character of text) {
    if (character >= '0' && character <= '9') digits += character;
    // An extension marker ends the number; "Fax: +1 ..." has an x before any digit and is not one.
    else if ((character === 'x' || character === 'X' || character === '#') && digits.length >= MIN_DIGITS) break;
  }
  if (digits.startsWith('00')) digits = digits.slice(2);
  else if (digits.startsWith('0')) digits = digits.slice(1);
  return digits.length < MIN_DIGITS ? '' : digits;
}

function endsWith(long: string, short: string): boolean {
  const offset = long.length - short.length;
  for (let i = 0; i < short.length; i++) if (long.charCodeAt(offset + i) !== short.charCodeAt(i)) return false;
  return true;
}

/** Whether the shorter number (>= 7 digits) is the end of the longer one. */
function isSuffixMatch(a: string, b: string): boolean {
  return a.length >= b.length
    ? b.length >= MIN_SUFFIX_DIGITS && endsWith(a, b)
    : a.length >= MIN_SUFFIX_DIGITS && endsWith(b, a);
}

function lastDigitsEdits(a: string, b: string): number {
  const fromA = Math.max(0, a.length - COMPARED_DIGITS);
  const fromB = Math.max(0, b.length - COMPARED_DIGITS);
  return levenshteinRange(a, fromA, a.length, b, fromB, b.length);
}

function comparedLength(a: string, b: string): number {
  return Math.min(COMPARED_DIGITS, Math.max(a.length, b.length));
}

export const phoneMethod: MethodImpl = {
  prepare: normalisePhone,
  score: (a, b) => {
    if (a === b) return 100;
    if (isSuffixMatch(a, b)) return SUFFIX_SCORE;
    return toScore(1 - lastDigitsEdits(a, b) / comparedLength(a, b));
  },
  explain: (a, b): Explanation => {
    if (a === b) return { score: 100, reason: 'same number' };
    if (isSuffixMatch(a, b)) {
      const [long, short] = a.length >= b.length ? [a, b] : [b, a];
      const missing = long.slice(0, long.length - short.length);
      return { score: SUFFIX_SCORE, reason: `same number; one has the prefix ${missing} (country or area code)` };
    }
    const edits = lastDigitsEdits(a, b);
    const length = comparedLength(a, b);
    return {
      score: toScore(1 - edits / length),
      reason: `${edits} ${edits === 1 ? 'digit differs' : 'digits differ'} in the last ${length}`,
    };
  },
  // A full number is area code (A), exchange (B) and line (C) in its last 10 digits; one mistyped digit changes one
  // part, so the keys are B+C (the last 7 digits, also what a number without area code keeps), A+B and A+C.
  blockKeys: (prepared) => {
    if (prepared === '') return [];
    const last7 = prepared.slice(-BLOCK_DIGITS);
    if (prepared.length < COMPARED_DIGITS) return [last7];
    const area = prepared.slice(-COMPARED_DIGITS, -BLOCK_DIGITS);
    return [last7, `a:${area}${prepared.slice(-BLOCK_DIGITS, -4)}`, `l:${area}${prepared.slice(-4)}`];
  },
};
