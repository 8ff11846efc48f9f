import { describe, expect, it } from 'vitest';
import { isPersonalDomain, mailboxFor, relatedCompanyDomain } from './email-domains.ts';
import { areNameVariants, NICKNAMES, nameVariants } from './nicknames.ts';
import { Rng } from './rng.ts';
import {
  applyVariation,
  changeCaseAndWhitespace,
  changeEmailDomain,
  deleteLetter,
  nicknameFor,
  type PersonFields,
  substituteLetter,
  transposeLetters,
  VARIATION_KINDS,
} from './variations.ts';

const robert: PersonFields = {
  first_name: 'Robert',
  last_name: 'Whitaker',
  user_name: 'Robert Whitaker',
  email_address: 'robert.whitaker@gmail.com',
};

/** Runs `make` over many seeds, so each property holds for every random choice, not one lucky draw. */
function forSeeds<T>(make: (rng: Rng) => T, count = 200): T[] {
  return Array.from({ length: count }, (_, seed) => make(new Rng(seed)));
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

describe('typo variations', () => {
  it('transposition swaps two adjacent letters, keeps the first letter and the capitalisation', () => {
    for (const typo of forSeeds((rng) => transposeLetters('Robert', rng))) {
      expect(typo).not.toBe('Robert');
      expect(typo[0]).toBe('R');
      expect(typo.slice(1)).toBe(typo.slice(1).toLowerCase());
      expect([...typo].sort().join('')).toBe([...'Robert'].sort().join(''));
      const differing = [...typo].map((char, i) => (char === 'Robert'[i] ? -1 : i)).filter((i) => i >= 0);
      expect(differing).toHaveLength(2);
      expect((differing[1] as number) - (differing[0] as number)).toBe(1);
    }
    expect(transposeLetters('Bo', new Rng(1))).toBe('Ob');
    expect(transposeLetters('Aaa', new Rng(1))).toBe('Aaa');
  });

  it('deletion drops exactly one letter after the first, preferring doubled letters', () => {
    const typos = forSeeds((rng) => deleteLetter('Jennifer', rng));
    for (const typo of typos) {
      expect(typo).toHaveLength(7);
      expect(typo[0]).toBe('J');
      expect(levenshtein(typo, 'Jennifer')).toBe(1);
    }
    expect(typos.filter((typo) => typo === 'Jenifer').length).toBeGreaterThan(typos.length / 2);
    expect(deleteLetter('Al', new Rng(3))).toBe('Al');
  });

  it('substitution replaces one letter with a neighbouring QWERTY key', () => {
    const neighbours: Record<string, string> = { m: 'njk', i: 'ujko', t: 'rfgy', h: 'gyujnb' };
    for (const typo of forSeeds((rng) => substituteLetter('Smith', rng))) {
      expect(typo).toHaveLength(5);
      expect(typo[0]).toBe('S');
      const position = [...typo].findIndex((char, i) => char !== 'Smith'[i]);
      expect(position).toBeGreaterThan(0);
      expect([...typo].filter((char, i) => char !== 'Smith'[i])).toHaveLength(1);
      expect(neighbours['Smith'[position] as string]).toContain(typo[position]);
    }
  });
});

describe('nicknames', () => {
  it('has a real table of common English nicknames, both ways and case-insensitively', () => {
    expect(Object.keys(NICKNAMES).length).toBeGreaterThanOrEqual(80);
    expect(nameVariants('Robert')).toContain('Bob');
    expect(nameVariants('William')).toContain('Bill');
    expect(nameVariants('Elizabeth')).toContain('Liz');
    expect(nameVariants('Margaret')).toContain('Peggy');
    expect(nameVariants('peggy')).toContain('Margaret');
    expect(nameVariants('Bob')).toContain('Robert');
    expect(nameVariants('Sam')).toEqual(expect.arrayContaining(['Samuel', 'Samantha']));
    expect(areNameVariants('Bill', 'william')).toBe(true);
    expect(areNameVariants('Bill', 'Robert')).toBe(false);
    expect(nameVariants('Xzavier')).toEqual([]);
  });

  it('nicknameFor gives another name of the same person, or nothing for unknown names', () => {
    for (const name of forSeeds((rng) => nicknameFor('Robert', rng))) {
      expect(['Bob', 'Rob', 'Bobby', 'Robbie']).toContain(name);
    }
    expect(nicknameFor('Xzavier', new Rng(1))).toBeUndefined();
  });
});

describe('e-mail domain changes', () => {
  it('moves a free-mail address to another provider, keeping the mailbox', () => {
    for (const email of forSeeds((rng) => changeEmailDomain('jane.doe@gmail.com', rng))) {
      const [mailbox, domain] = email.split('@');
      expect(mailbox).toBe('jane.doe');
      expect(domain).not.toBe('gmail.com');
      expect(isPersonalDomain(domain as string)).toBe(true);
    }
  });

  it('moves a company address to a related company domain or to free mail', () => {
    const results = forSeeds((rng) => changeEmailDomain('jdoe@acme.com', rng));
    for (const email of results) {
      const domain = email.split('@')[1] as string;
      expect(email.startsWith('jdoe@')).toBe(true);
      expect(domain).not.toBe('acme.com');
      expect(domain.includes('acme') || isPersonalDomain(domain)).toBe(true);
    }
    expect(results.some((email) => /@acme(corp|inc|hq|group|global)?(-\w+)?\.(com|co|io|net|org)$/.test(email))).toBe(
      true,
    );
    expect(results.some((email) => isPersonalDomain(email.split('@')[1] as string))).toBe(true);
    for (const domain of forSeeds((rng) => relatedCompanyDomain('acme.com', rng))) {
      expect(domain).not.toBe('acme.com');
      expect(domain).toMatch(/^acme/);
    }
  });

  it('builds mailboxes from names the way people do', () => {
    const mailboxes = new Set(forSeeds((rng) => mailboxFor('Mary-Kate', "O'Brien", rng), 400));
    for (const mailbox of mailboxes) expect(mailbox).toMatch(/^[a-z0-9._]+$/);
    expect(mailboxes).toContain('marykate.obrien');
    expect(mailboxes).toContain('mobrien');
  });
});

describe('case and whitespace changes', () => {
  it('changes only case and spacing: the fields normalise back to the original', () => {
    const normalise = (value: string) => value.toLowerCase().replace(/\s+/g, ' ').trim();
    for (const variant of forSeeds((rng) => changeCaseAndWhitespace(robert, rng))) {
      expect(variant).not.toEqual(robert);
      for (const field of ['first_name', 'last_name', 'user_name', 'email_address'] as const) {
        expect(normalise(variant[field])).toBe(normalise(robert[field]));
      }
    }
  });
});

describe('applyVariation', () => {
  it('produces a changed person for every kind, with the change the kind names', () => {
    for (const kind of VARIATION_KINDS) {
      for (const variant of forSeeds((rng) => applyVariation(robert, kind, rng), 50)) {
        expect(variant, kind).toBeDefined();
        const v = variant as PersonFields;
        expect(v).not.toEqual(robert);
        if (kind === 'swapped_names') {
          expect([v.first_name, v.last_name, v.user_name]).toEqual(['Whitaker', 'Robert', 'Whitaker Robert']);
        } else if (kind === 'nickname') {
          expect(['Bob', 'Rob', 'Bobby', 'Robbie']).toContain(v.first_name);
          expect(v.user_name).toBe(`${v.first_name} Whitaker`);
        } else if (kind === 'email_domain') {
          expect([v.first_name, v.last_name]).toEqual(['Robert', 'Whitaker']);
          expect(v.email_address).toMatch(/^robert\.whitaker@/);
          expect(v.email_address).not.toBe(robert.email_address);
        } else if (kind !== 'case_whitespace') {
          const distance = levenshtein(v.first_name, robert.first_name) + levenshtein(v.last_name, robert.last_name);
          expect(distance, kind).toBeGreaterThanOrEqual(1);
          expect(distance, kind).toBeLessThanOrEqual(2);
          expect(v.user_name).toBe(`${v.first_name} ${v.last_name}`);
        }
      }
    }
  });

  it('returns undefined when a kind cannot apply, so the seeder can choose again', () => {
    expect(applyVariation({ ...robert, first_name: 'Xzavier' }, 'nickname', new Rng(1))).toBeUndefined();
    const tiny = { first_name: 'Al', last_name: 'Li', user_name: 'Al Li', email_address: 'al@li.com' };
    expect(applyVariation(tiny, 'deletion', new Rng(1))).toBeUndefined();
  });
});
