import {
  isEducationDomain,
  isPersonalDomain,
  mailboxFor,
  pickPersonalDomain,
  relatedCompanyDomain,
  splitEmail,
} from './email-domains.ts';
import { nameVariants } from './nicknames.ts';
import type { Rng } from './rng.ts';

/** How a near-duplicate registration differs from the person it copies. Benchmarks report recall per kind. */
export type VariationKind =
  | 'transposition'
  | 'deletion'
  | 'substitution'
  | 'nickname'
  | 'swapped_names'
  | 'email_domain'
  | 'case_whitespace';

export const VARIATION_KINDS: readonly VariationKind[] = [
  'transposition',
  'deletion',
  'substitution',
  'nickname',
  'swapped_names',
  'email_domain',
  'case_whitespace',
];

/** The identifying fields a person re-types when registering again. */
export interface PersonFields {
  first_name: string;
  last_name: string;
  user_name: string;
  email_address: string;
}

/** Neighbouring keys on a QWERTY keyboard: real substitution typos hit the key next to the intended one. */
const QWERTY_NEIGHBOURS: Readonly<Record<string, string>> = {
  a: 'qwsz',
  b: 'vghn',
  c: 'xdfv',
  d: 'serfcx',
  e: 'wsdr',
  f: 'drtgvc',
  g: 'ftyhbv',
  h: 'gyujnb',
  i: 'ujko',
  j: 'huikmn',
  k: 'jiolm',
  l: 'kop',
  m: 'njk',
  n: 'bhjm',
  o: 'iklp',
  p: 'ol',
  q: 'wa',
  r: 'edft',
  s: 'awedxz',
  t: 'rfgy',
  u: 'yhji',
  v: 'cfgb',
  w: 'qase',
  x: 'zsdc',
  y: 'tghu',
  z: 'asx',
};

/** Keeps a typo looking like a name: `Rboert`, not `rBoert`. */
function withCaseOf(original: string, changed: string): string {
  const first = original[0];
  if (first && first === first.toUpperCase() && first !== first.toLowerCase()) {
    return changed.charAt(0).toUpperCase() + changed.slice(1).toLowerCase();
  }
  return changed;
}

/** Swaps two adjacent, different letters after the first (`Robert` → `Rboert`); unchanged when impossible. */
export function transposeLetters(word: string, rng: Rng): string {
  const lower = word.toLowerCase();
  const start = lower.length > 2 ? 1 : 0;
  const positions: number[] = [];
  for (let i = start; i < lower.length - 1; i += 1) if (lower[i] !== lower[i + 1]) positions.push(i);
  if (positions.length === 0) return word;
  const i = rng.pick(positions);
  const swapped = `${lower.slice(0, i)}${lower[i + 1]}${lower[i]}${lower.slice(i + 2)}`;
  return withCaseOf(word, swapped);
}

/**
 * Drops one letter after the first (`Jennifer` → `Jenifer`), preferring one of a doubled pair as people do;
 * unchanged for names of fewer than three letters.
 */
export function deleteLetter(word: string, rng: Rng): string {
  if (word.length < 3) return word;
  const doubled: number[] = [];
  for (let i = 1; i < word.length - 1; i += 1) {
    if (word[i]?.toLowerCase() === word[i + 1]?.toLowerCase()) doubled.push(i);
  }
  const i = doubled.length > 0 && rng.chance(0.7) ? rng.pick(doubled) : rng.int(1, word.length - 1);
  return word.slice(0, i) + word.slice(i + 1);
}

/** Replaces one letter after the first with a neighbouring key (`Smith` → `Smirh`). */
export function substituteLetter(word: string, rng: Rng): string {
  const positions: number[] = [];
  for (let i = 1; i < word.length; i += 1) if (QWERTY_NEIGHBOURS[word[i]?.toLowerCase() ?? '']) positions.push(i);
  if (positions.length === 0) return word;
  const i = rng.pick(positions);
  const original = word[i] ?? '';
  const replacement = rng.pick([...(QWERTY_NEIGHBOURS[original.toLowerCase()] ?? '')]);
  const cased = original === original.toUpperCase() ? replacement.toUpperCase() : replacement;
  return word.slice(0, i) + cased + word.slice(i + 1);
}

/** Another name the person goes by (`Robert` → `Bob`, `Peggy` → `Margaret`), or undefined if none is known. */
export function nicknameFor(firstName: string, rng: Rng): string | undefined {
  const variants = nameVariants(firstName);
  return variants.length > 0 ? rng.pick(variants) : undefined;
}

/** The same mailbox at another provider, or at the organisation's other domain (`acme.com` → `acmecorp.com`). */
export function changeEmailDomain(email: string, rng: Rng): string {
  const { mailbox, domain } = splitEmail(email);
  const lower = domain.toLowerCase();
  let next: string;
  if (isPersonalDomain(lower) || isEducationDomain(lower)) next = pickPersonalDomain(rng, lower);
  else next = rng.chance(0.6) ? relatedCompanyDomain(lower, rng) : pickPersonalDomain(rng);
  return `${mailbox}@${next}`;
}

function fullName(first: string, last: string): string {
  return `${first} ${last}`;
}

function typoIn(person: PersonFields, rng: Rng, typo: (word: string, rng: Rng) => string): PersonFields {
  // Long words give the typo somewhere to land; try the other name when the first choice cannot change.
  const order = rng.chance(0.5) ? (['last_name', 'first_name'] as const) : (['first_name', 'last_name'] as const);
  for (const field of order) {
    const changed = typo(person[field], rng);
    if (changed !== person[field]) {
      const next = { ...person, [field]: changed };
      return { ...next, user_name: fullName(next.first_name, next.last_name) };
    }
  }
  return person;
}

/**
 * Messy capitalisation and spacing as typed in a hurry: `jane`, `DOE`, `Jane  Doe `, `Jane.Doe@Gmail.com`.
 * Applies one to three of these at random, and always at least one, so the result differs from the input.
 */
export function changeCaseAndWhitespace(person: PersonFields, rng: Rng): PersonFields {
  const edits = [
    (p: PersonFields) => ({ ...p, first_name: p.first_name.toLowerCase(), last_name: p.last_name.toLowerCase() }),
    (p: PersonFields) => ({ ...p, last_name: p.last_name.toUpperCase() }),
    (p: PersonFields) => ({ ...p, first_name: ` ${p.first_name}`, last_name: `${p.last_name} ` }),
    (p: PersonFields) => ({ ...p, user_name: p.user_name.replace(' ', '  ') }),
    (p: PersonFields) => {
      const { mailbox, domain } = splitEmail(p.email_address);
      const cased = mailbox.replace(
        /(^|[._])([a-z])/g,
        (_match, lead: string, letter: string) => `${lead}${letter.toUpperCase()}`,
      );
      return { ...p, email_address: `${cased}@${domain.charAt(0).toUpperCase()}${domain.slice(1)}` };
    },
  ];
  let result = person;
  const count = rng.int(1, 3);
  const chosen = new Set<number>();
  while (chosen.size < count) chosen.add(rng.int(0, edits.length - 1));
  for (const index of chosen) result = edits[index]?.(result) ?? result;
  const nameEdited = chosen.has(0) || chosen.has(1) || chosen.has(2);
  // user_name is typed separately from first/last on the form, so it only sometimes follows their casing.
  if (nameEdited && !chosen.has(3) && rng.chance(0.5)) {
    result = { ...result, user_name: fullName(result.first_name.trim(), result.last_name.trim()) };
  }
  if (JSON.stringify(result) === JSON.stringify(person)) return { ...person, user_name: `${person.user_name} ` };
  return result;
}

/**
 * Applies `kind` to `person`. Returns undefined when the kind cannot change this person (a nickname for a name with
 * none, a typo in a two-letter name), so the caller can pick another original or kind.
 */
export function applyVariation(person: PersonFields, kind: VariationKind, rng: Rng): PersonFields | undefined {
  let result: PersonFields;
  switch (kind) {
    case 'transposition':
      result = typoIn(person, rng, transposeLetters);
      break;
    case 'deletion':
      result = typoIn(person, rng, deleteLetter);
      break;
    case 'substitution':
      result = typoIn(person, rng, substituteLetter);
      break;
    case 'nickname': {
      const nickname = nicknameFor(person.first_name, rng);
      if (!nickname) return undefined;
      result = { ...person, first_name: nickname, user_name: fullName(nickname, person.last_name) };
      break;
    }
    case 'swapped_names':
      result = {
        ...person,
        first_name: person.last_name,
        last_name: person.first_name,
        user_name: fullName(person.last_name, person.first_name),
      };
      break;
    case 'email_domain':
      result = { ...person, email_address: changeEmailDomain(person.email_address, rng) };
      break;
    case 'case_whitespace':
      result = changeCaseAndWhitespace(person, rng);
      break;
  }
  const same =
    result.first_name === person.first_name &&
    result.last_name === person.last_name &&
    result.user_name === person.user_name &&
    result.email_address === person.email_address;
  return same ? undefined : result;
}

/**
 * The e-mail a person gives when registering a second time under a changed name. Catalog logs people in by e-mail,
 * so a second account usually has a different address: the same mailbox elsewhere, a new mailbox from the name as
 * now typed, or (a Canvas-made account next to a Catalog-made one) the very same address.
 */
export function secondRegistrationEmail(original: PersonFields, variant: PersonFields, rng: Rng): string {
  const { domain } = splitEmail(original.email_address);
  const choice = rng.weighted([
    ['same', 15],
    ['other_domain', 45],
    ['new_mailbox', 40],
  ] as const);
  if (choice === 'same') return original.email_address;
  if (choice === 'other_domain') return changeEmailDomain(original.email_address, rng);
  const mailbox = mailboxFor(variant.first_name.trim(), variant.last_name.trim(), rng);
  return `${mailbox}@${rng.chance(0.5) ? domain : pickPersonalDomain(rng, domain)}`;
}
