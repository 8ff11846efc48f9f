import { describe, expect, it } from 'vitest';
import { normaliseEmail } from './email-method.ts';
import { METHODS } from './methods.ts';
import { normalisePhone } from './phone-method.ts';
import { compareRaw } from './test-support.ts';

describe('e-mail normalisation', () => {
  it('drops dots and +tags in Gmail mailboxes and reads googlemail as gmail', () => {
    expect(normaliseEmail(' John.Smith+crm@GoogleMail.com ')).toBe('johnsmith@gmail.com');
    expect(normaliseEmail('j.o.h.n@gmail.com')).toBe('john@gmail.com');
  });

  it('drops only +tags elsewhere, and unwraps display names and mailto:', () => {
    expect(normaliseEmail('John.Smith+news@Acme.com')).toBe('john.smith@acme.com');
    expect(normaliseEmail('"Smith, John" <John.Smith@acme.com>')).toBe('john.smith@acme.com');
    expect(normaliseEmail('mailto:ann@acme.com')).toBe('ann@acme.com');
    expect(normaliseEmail('+tag@acme.com')).toBe('+tag@acme.com');
  });

  it('keeps non-addresses as folded text and blanks as empty', () => {
    expect(normaliseEmail('n/a')).toBe('n/a');
    expect(normaliseEmail('ann@')).toBe('ann');
    expect(normaliseEmail('   ')).toBe('');
  });
});

describe('email', () => {
  it('scores the same address 100 however it was written', () => {
    expect(compareRaw('email', 'John.Smith+x@googlemail.com', 'johnsmith@gmail.com')).toEqual({
      score: 100,
      reason: 'same address',
    });
  });

  it('scores the same mailbox at another domain a fixed 60: a clue, not enough alone', () => {
    expect(compareRaw('email', 'john.smith@acme.com', 'John.Smith@acme.co.uk')).toEqual({
      score: 60,
      reason: 'same mailbox at another domain',
    });
  });

  it('keeps unrelated addresses well below 75 and lets a mailbox typo at the same domain reach it', () => {
    expect(compareRaw('email', 'john.smith@acme.com', 'jhon.smith@acme.com').score).toBeGreaterThanOrEqual(75);
    expect(compareRaw('email', 'ann.lee@acme.com', 'bob.stone@acme.com').score).toBeLessThan(50);
    expect(compareRaw('email', 'ann.lee@acme.com', 'ann.lea@other.org').score).toBeLessThan(60);
    expect(compareRaw('email', 'john@acme.com', 'jon@acme.com')).toEqual({
      score: 55.6,
      reason: 'other mailbox at the same domain; Jaro-Winkler 0.933, 0.85-1 read as 0-100',
    });
    // Two people whose mailboxes are made of similar names are not a typo.
    expect(compareRaw('email', 'flora.trantow@gmail.com', 'cora.trantow@gmail.com').score).toBeLessThan(50);
  });

  it('compares values without an @ as text', () => {
    expect(compareRaw('email', 'unknown', 'unknwn').reason).toMatch(/^not e-mail addresses; Jaro-Winkler/u);
    expect(compareRaw('email', 'ann', 'ann@acme.com').reason).toMatch(/^only one is an e-mail address/u);
  });

  it('blocks on the address and on the mailbox', () => {
    expect(METHODS.email.blockKeys('john.smith@acme.com')).toEqual([
      'john.smith@acme.com',
      'john.smith',
      'joh~@acme.com',
    ]);
    expect(METHODS.email.blockKeys('unknown')).toEqual(['p:un', 's:own', 'e:un']);
  });
});

describe('phone normalisation', () => {
  it('keeps digits, drops the international prefix, a trunk zero and the extension', () => {
    expect(normalisePhone('+1 (415) 555-1234')).toBe('14155551234');
    expect(normalisePhone('0044 20 7946 0000')).toBe('442079460000');
    expect(normalisePhone('+44 (0)20 7946 0000')).toBe('442079460000');
    expect(normalisePhone('020 7946 0000')).toBe('2079460000');
    expect(normalisePhone('415.555.1234 ext. 42')).toBe('4155551234');
    expect(normalisePhone('415-555-1234 x42')).toBe('4155551234');
    expect(normalisePhone('Fax: +1 415 555 1234')).toBe('14155551234');
    expect(normalisePhone('＋１ ４１５ ５５５ １２３４')).toBe('14155551234');
  });

  it('prepares values with fewer than 5 digits as not comparable', () => {
    expect(normalisePhone('n/a')).toBe('');
    expect(normalisePhone('ext 1234')).toBe('');
    expect(normalisePhone('')).toBe('');
  });
});

describe('phone', () => {
  it('scores the same number 100 and a missing country or area code 90', () => {
    expect(compareRaw('phone', '+1 415 555 1234', '(415) 555-1234')).toEqual({
      score: 90,
      reason: 'same number; one has the prefix 1 (country or area code)',
    });
    expect(compareRaw('phone', '+44 20 7946 0000', '020 7946 0000').score).toBe(90);
    expect(compareRaw('phone', '555-1234', '+1 415 555 1234').score).toBe(90);
    expect(compareRaw('phone', '415.555.1234', '415-555-1234')).toEqual({ score: 100, reason: 'same number' });
  });

  it('needs 7 digits for a suffix match', () => {
    expect(compareRaw('phone', '51234', '4155551234').score).toBeLessThan(90);
  });

  it('scores one mistyped digit in 10 as 90 and unrelated numbers low', () => {
    expect(compareRaw('phone', '415-555-1234', '415-555-1243')).toEqual({
      score: 80,
      reason: '2 digits differ in the last 10',
    });
    expect(compareRaw('phone', '415-555-1234', '415-555-1235')).toEqual({
      score: 90,
      reason: '1 digit differs in the last 10',
    });
    expect(compareRaw('phone', '+1 415 555 1234', '+1 212 999 8765').score).toBeLessThan(50);
  });

  it('blocks on the last 7 digits and on the other two thirds of the last 10', () => {
    expect(METHODS.phone.blockKeys('14155551234')).toEqual(['5551234', 'a:415555', 'l:4151234']);
    expect(METHODS.phone.blockKeys('55512')).toEqual(['55512']);
  });
});
