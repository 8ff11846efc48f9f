import { typoKeys } from './block-keys.ts';
import { jaroWinklerRange } from './jaro-winkler.ts';
import type { Explanation, MethodImpl } from './method-impl.ts';
import { formalNameOf, variantGroupsOf } from './name-variants.ts';
import { capLength, foldWords, toScore } from './text-folding.ts';

/**
 * Name variant: Bill = William, Peggy = Margaret; otherwise Jaro-Winkler so a typo still scores.
 *
 * Prepared value: one character per variant group the name belongs to (U+E000 + group id, from the Unicode
 * private use area, so it never collides with text), then "|", then the folded name: "bill" becomes
 * "<one group character>|bill"; a name the dictionary does not know is "|name". score() then compares a few
 * characters.
 */

const SEPARATOR = '|';
const GROUP_CODE_BASE = 0xe000;

function separatorOf(prepared: string): number {
  return prepared.indexOf(SEPARATOR);
}

/** The first group both names belong to, or -1. */
function sharedGroup(a: string, sepA: number, b: string, sepB: number): number {
  for (let i = 0; i < sepA; i++) {
    const group = a.charCodeAt(i);
    for (let j = 0; j < sepB; j++) if (b.charCodeAt(j) === group) return group - GROUP_CODE_BASE;
  }
  return -1;
}

function nameOf(prepared: string): string {
  return prepared.slice(separatorOf(prepared) + 1);
}

export const nameVariantMethod: MethodImpl = {
  prepare: (raw) => {
    const name = capLength(foldWords(raw));
    if (name === '') return '';
    const groups = variantGroupsOf(name).map((group) => String.fromCharCode(GROUP_CODE_BASE + group));
    return `${groups.join('')}${SEPARATOR}${name}`;
  },
  score: (a, b) => {
    if (a === b) return 100;
    const sepA = separatorOf(a);
    const sepB = separatorOf(b);
    if (sharedGroup(a, sepA, b, sepB) !== -1) return 100;
    return toScore(jaroWinklerRange(a, sepA + 1, a.length, b, sepB + 1, b.length));
  },
  explain: (a, b): Explanation => {
    if (a === b) return { score: 100, reason: 'same name' };
    const sepA = separatorOf(a);
    const sepB = separatorOf(b);
    const nameA = nameOf(a);
    const nameB = nameOf(b);
    const group = sharedGroup(a, sepA, b, sepB);
    if (group !== -1) {
      const formal = formalNameOf(group);
      const both = formal === nameA || formal === nameB ? '' : ` (both ${formal})`;
      return { score: 100, reason: `name variant: ${nameA} = ${nameB}${both}` };
    }
    const similarity = jaroWinklerRange(a, sepA + 1, a.length, b, sepB + 1, b.length);
    return { score: toScore(similarity), reason: `not known variants; Jaro-Winkler ${similarity.toFixed(3)}` };
  },
  // Variants share a group key; typos of the same name share its start or end (Jonathon, Jonathan).
  blockKeys: (prepared) => {
    if (prepared === '') return [];
    const sep = separatorOf(prepared);
    const keys: string[] = [];
    for (let i = 0; i < sep; i++) keys.push(`g${prepared.charCodeAt(i) - GROUP_CODE_BASE}`);
    return [...keys, ...typoKeys(prepared.slice(sep + 1))];
  },
};
