/**
 * Blocking keys for the methods that forgive typos. Two values scoring >= 85 nearly always keep one of these intact:
 * Jaro-Winkler rewards a shared start (p: the first 2 characters), one typo rarely touches both ends of a value
 * (s: the last 3), a typo in a single word rarely changes both its first and last letter (e:), and in a multi-word
 * value it rarely hits the first two letters of every word (w:). The start key is short on purpose, so that values
 * of different lengths (Jonh, Jonathan) share it; the engine drops or intersects blocks that grow too large.
 * Keys are tagged so that one kind never meets another. Always at most 3 keys.
 */

const START_LENGTH = 2;
const END_LENGTH = 3;
const WORD_START_LENGTH = 2;

export function typoKeys(folded: string): string[] {
  if (folded === '') return [];
  const keys = [`p:${folded.slice(0, START_LENGTH)}`, `s:${folded.slice(-END_LENGTH)}`];
  if (folded.indexOf(' ') === -1) keys.push(`e:${folded.charAt(0)}${folded.charAt(folded.length - 1)}`);
  else
    keys.push(
      `w:${folded
        .split(' ')
        .map((word) => word.slice(0, WORD_START_LENGTH))
        .join(' ')}`,
    );
  return keys;
}
