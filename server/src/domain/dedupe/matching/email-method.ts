import { typoKeys } from './block-keys.ts';
import { jaroWinkler, jaroWinklerRange } from './jaro-winkler.ts';
import type { Explanation, MethodImpl } from './method-impl.ts';
import { foldText, rangesEqual, toScore } from './text-folding.ts';

/**
 * E-mail addresses, normalised: lower case, no spaces, "Name <box@domain>" and "mailto:" unwrapped, +tags dropped,
 * and for Gmail (which ignores them) dots in the mailbox dropped and googlemail.com read as gmail.com.
 *
 * Scores: 100 for the same address; 60 for the same mailbox at another domain (a person's work and private address,
 * or a company that changed domain; but also jbins@gmail and jbins@hotmail, two people: so not enough alone); otherwise only a typo counts: the Jaro-Winkler of the mailboxes is rescaled so
 * that 0.85 and below is 0 and 1 is 100, times 0.75 when the domains differ. Mailboxes are made of names, which the
 * scenario compares already: flora.trantow@ and cora.trantow@ (JW 0.90) are two people, not a typo, and score 33, while
 * jhon.smith@ for john.smith@ (JW 0.97) scores 80. A value without an @ is compared as text by Jaro-Winkler; an address
 * against a non-address scores that times 0.6.
 */

const AT = '@';
const SAME_MAILBOX_OTHER_DOMAIN = 60;
const OTHER_DOMAIN_FACTOR = 0.75;
const MIXED_FACTOR = 0.6;
/** Mailbox similarity at or below this is another person's mailbox, not a typo. */
const TYPO_FLOOR = 0.85;
const typo = (similarity: number) => Math.max(0, (similarity - TYPO_FLOOR) / (1 - TYPO_FLOOR));
const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);
const ANGLE_ADDRESS = /<([^>]*)>/u;
const WHITESPACE = /\s+/gu;

export function normaliseEmail(raw: string): string {
  let value = foldText(raw);
  const angled = ANGLE_ADDRESS.exec(value);
  if (angled?.[1] !== undefined) value = angled[1];
  value = value.replace(WHITESPACE, '');
  if (value.startsWith('mailto:')) value = value.slice('mailto:'.length);
  const at = value.lastIndexOf(AT);
  if (at === -1) return value;
  let mailbox = value.slice(0, at);
  let domain = value.slice(at + 1);
  // "ann@" or "@acme.com" carry no address: compare what is there as text.
  if (mailbox === '' || domain === '') return mailbox + domain;
  const plus = mailbox.indexOf('+');
  if (plus > 0) mailbox = mailbox.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    mailbox = mailbox.replaceAll('.', '');
  }
  return `${mailbox}${AT}${domain}`;
}

type Kind = 'same' | 'text' | 'mixed' | 'same-mailbox' | 'same-domain' | 'other-domain';

/** The Jaro-Winkler similarity classify() last computed: a module variable so that score() allocates nothing. */
let lastSimilarity = 1;

// The hot path: indexOf and charCodeAt only, no slices, no objects (string literals are not allocated).
function classify(a: string, b: string): Kind {
  lastSimilarity = 1;
  if (a === b) return 'same';
  const atA = a.lastIndexOf(AT);
  const atB = b.lastIndexOf(AT);
  if (atA === -1 || atB === -1) {
    lastSimilarity = jaroWinkler(a, b);
    return atA === -1 && atB === -1 ? 'text' : 'mixed';
  }
  if (rangesEqual(a, 0, atA, b, 0, atB)) return 'same-mailbox';
  // james.smith.12@ and james.smith.130@ are two people numbered apart, not a typo.
  lastSimilarity = digitsDiffer(a, atA, b, atB) ? 0 : jaroWinklerRange(a, 0, atA, b, 0, atB);
  return rangesEqual(a, atA + 1, a.length, b, atB + 1, b.length) ? 'same-domain' : 'other-domain';
}

/** Whether the digits of two mailboxes (in order) differ, without slicing: the hot path allocates nothing. */
function digitsDiffer(a: string, endA: number, b: string, endB: number): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < endA && (a.charCodeAt(i) < 48 || a.charCodeAt(i) > 57)) i += 1;
    while (j < endB && (b.charCodeAt(j) < 48 || b.charCodeAt(j) > 57)) j += 1;
    if (i >= endA || j >= endB) return i < endA || j < endB;
    if (a.charCodeAt(i) !== b.charCodeAt(j)) return true;
    i += 1;
    j += 1;
  }
}

function scoreOf(kind: Kind, similarity: number): number {
  switch (kind) {
    case 'same':
      return 100;
    case 'same-mailbox':
      return SAME_MAILBOX_OTHER_DOMAIN;
    case 'text':
      return toScore(similarity);
    case 'same-domain':
      return toScore(typo(similarity));
    case 'mixed':
      return toScore(similarity * MIXED_FACTOR);
    default:
      return toScore(typo(similarity) * OTHER_DOMAIN_FACTOR);
  }
}

const REASONS: Readonly<Record<Kind, (similarity: string) => string>> = {
  same: () => 'same address',
  text: (similarity) => `not e-mail addresses; Jaro-Winkler ${similarity}`,
  mixed: (similarity) => `only one is an e-mail address; Jaro-Winkler ${similarity} x 0.6`,
  'same-mailbox': () => 'same mailbox at another domain',
  'same-domain': (similarity) => `other mailbox at the same domain; Jaro-Winkler ${similarity}, 0.85-1 read as 0-100`,
  'other-domain': (similarity) =>
    `other mailbox at another domain; Jaro-Winkler ${similarity}, 0.85-1 read as 0-100, x 0.75`,
};

export const emailMethod: MethodImpl = {
  prepare: normaliseEmail,
  score: (a, b) => scoreOf(classify(a, b), lastSimilarity),
  explain: (a, b): Explanation => {
    const kind = classify(a, b);
    const similarity = lastSimilarity;
    return { score: scoreOf(kind, similarity), reason: REASONS[kind](similarity.toFixed(3)) };
  },
  blockKeys: (prepared) => {
    if (prepared === '') return [];
    const at = prepared.lastIndexOf(AT);
    // Without an @ the value is scored as text by Jaro-Winkler, so it blocks like text.
    // The address, the mailbox (another domain), and the mailbox's start at the domain: a typo later in the mailbox.
    return at === -1
      ? typoKeys(prepared)
      : [prepared, prepared.slice(0, at), `${prepared.slice(0, Math.min(3, at))}~${prepared.slice(at)}`];
  },
};
