import type { Rng } from './rng.ts';

/** Free mail providers, weighted roughly by how often they show up in US/UK sign-up forms. */
export const PERSONAL_DOMAINS: readonly (readonly [string, number])[] = [
  ['gmail.com', 45],
  ['yahoo.com', 12],
  ['outlook.com', 10],
  ['hotmail.com', 8],
  ['icloud.com', 6],
  ['aol.com', 3],
  ['comcast.net', 2],
  ['live.com', 2],
  ['protonmail.com', 2],
  ['msn.com', 1],
];

const personalDomainNames = new Set(PERSONAL_DOMAINS.map(([domain]) => domain));

const COMPANY_TLDS = ['com', 'co', 'io', 'net', 'org'] as const;
const COMPANY_SUFFIXES = ['corp', 'inc', 'hq', 'group', 'global'] as const;

export function isPersonalDomain(domain: string): boolean {
  return personalDomainNames.has(domain.toLowerCase());
}

export function isEducationDomain(domain: string): boolean {
  return domain.toLowerCase().endsWith('.edu');
}

/** `Connelly, Lind and Rohan` → `connellylindrohan.com`: the way small companies name their mail domain. */
export function companyDomain(companyName: string): string {
  const words = companyName
    .toLowerCase()
    .replace(/[^a-z\s-]/g, '')
    .split(/[\s-]+/)
    .filter((word) => word && word !== 'and' && word !== 'llc' && word !== 'inc');
  return `${words.slice(0, 2).join('') || 'company'}.com`;
}

/**
 * A domain the same organisation might also use, the way companies move between domains after a rebrand or
 * merger: `connelly.com` → `connelly.io`, `connellycorp.com`, `connelly-group.com`.
 */
export function relatedCompanyDomain(domain: string, rng: Rng): string {
  const dot = domain.lastIndexOf('.');
  const label = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot + 1) : 'com';
  const change = rng.pick(['tld', 'suffix', 'hyphen'] as const);
  if (change === 'tld') return `${label}.${rng.pick(COMPANY_TLDS.filter((candidate) => candidate !== tld))}`;
  const suffix = rng.pick(COMPANY_SUFFIXES.filter((candidate) => !label.endsWith(candidate)));
  return change === 'suffix' ? `${label}${suffix}.${tld}` : `${label}-${suffix}.${tld}`;
}

export function pickPersonalDomain(rng: Rng, except?: string): string {
  const choices = except ? PERSONAL_DOMAINS.filter(([domain]) => domain !== except.toLowerCase()) : PERSONAL_DOMAINS;
  return rng.weighted(choices);
}

/** Strips what mailbox names cannot hold (`O'Keefe` → `okeefe`, `Anne-Marie` → `annemarie`). */
export function mailboxWord(name: string): string {
  return name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** The mailbox naming habits people pick: `jane.doe`, `janedoe`, `jdoe`, `jane_doe`, `jane.doe84`, `doe.jane`. */
export function mailboxFor(first: string, last: string, rng: Rng): string {
  const f = mailboxWord(first) || 'user';
  const l = mailboxWord(last) || 'mail';
  const pattern = rng.weighted([
    ['first.last', 30],
    ['firstlast', 15],
    ['flast', 15],
    ['first_last', 8],
    ['first.last##', 15],
    ['firstl', 5],
    ['last.first', 5],
    ['first##', 7],
  ] as const);
  const digits = String(rng.int(1, 99));
  switch (pattern) {
    case 'first.last':
      return `${f}.${l}`;
    case 'firstlast':
      return `${f}${l}`;
    case 'flast':
      return `${f[0]}${l}`;
    case 'first_last':
      return `${f}_${l}`;
    case 'first.last##':
      return `${f}.${l}${digits}`;
    case 'firstl':
      return `${f}${l[0]}`;
    case 'last.first':
      return `${l}.${f}`;
    case 'first##':
      return `${f}${digits}`;
  }
}

export function splitEmail(email: string): { mailbox: string; domain: string } {
  const at = email.lastIndexOf('@');
  if (at < 0) return { mailbox: email, domain: '' };
  return { mailbox: email.slice(0, at), domain: email.slice(at + 1) };
}
