/**
 * The folding every method applies before comparing (Salesforce and Plauti compare case-insensitively): Unicode
 * compatibility decomposition with the combining marks removed (Müller = Muller, ﬁ = fi), lower case, trimmed,
 * whitespace collapsed. Runs once per record per rule, so regular expressions are fine here.
 */

const COMBINING_MARKS = /\p{M}+/gu;
const WHITESPACE_RUNS = /\s+/gu;
const APOSTROPHES = /['’‘`´]/gu;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

// Letters NFKD does not decompose because they are not "a letter plus a mark" in Unicode, yet people type them
// without the stroke or ligature when the keyboard lacks them.
const UNDECOMPOSABLE: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const UNDECOMPOSABLE_LETTERS = new RegExp(`[${Object.keys(UNDECOMPOSABLE).join('')}]`, 'gu');

/** Lower case, no diacritics, single spaces, trimmed. Punctuation is kept (exact comparisons see it). */
export function foldText(raw: string): string {
  return raw
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(UNDECOMPOSABLE_LETTERS, (letter) => UNDECOMPOSABLE[letter] ?? letter)
    .replace(WHITESPACE_RUNS, ' ')
    .trim();
}

/**
 * foldText, then only letters and digits separated by single spaces. Apostrophes join (O'Brien = OBrien) while other
 * punctuation separates words (Mary-Jane = Mary Jane, J.R. = J R).
 */
export function foldWords(raw: string): string {
  return foldText(raw).replace(APOSTROPHES, '').replace(NOT_LETTER_OR_DIGIT, ' ').trim();
}

/** The words of a folded value, for prepare() and blockKeys() (never the hot path). */
export function wordsOf(folded: string): string[] {
  return folded === '' ? [] : folded.split(' ');
}

/**
 * Fuzzy comparisons cost O(length²) per pair; CRM names, e-mails and phones are far shorter, but a Long Text Area
 * value can hold 131,072 characters and would stall a job. Beyond this many characters the rest does not count.
 */
export const MAX_FUZZY_LENGTH = 1000;

export function capLength(folded: string): string {
  return folded.length > MAX_FUZZY_LENGTH ? folded.slice(0, MAX_FUZZY_LENGTH).trimEnd() : folded;
}

/** Same characters in a[aStart, aEnd) and b[bStart, bEnd), without slicing (the hot path must not allocate). */
export function rangesEqual(a: string, aStart: number, aEnd: number, b: string, bStart: number, bEnd: number): boolean {
  if (aEnd - aStart !== bEnd - bStart) return false;
  for (let i = 0; i < aEnd - aStart; i++) if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + i)) return false;
  return true;
}

/** Scores are reported with one decimal: stable in CSVs and screens, and score() and explain() round the same way. */
export function toScore(similarity: number): number {
  return Math.round(similarity * 1000) / 10;
}
