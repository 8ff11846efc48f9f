import { describe, expect, it } from 'vitest';
import { compile, contacts, ids } from './fixture.ts';
import { runSoql } from './run.ts';
import type { SoqlRecord } from './types.ts';

/** First names of the fixture contacts a WHERE clause keeps, in stored order. */
function matching(condition: string, rows: SoqlRecord[] = contacts): string[] {
  const query = compile(`SELECT FirstName FROM Contact WHERE ${condition}`);
  return runSoql(query, rows).records.map((record) => String(record.FirstName));
}

describe('WHERE on text fields', () => {
  it('compares with = case-insensitively, as Salesforce does', () => {
    expect(matching("LastName = 'lovelace'")).toEqual(['Ada']);
    expect(matching("Email = 'margaret@example.com'")).toEqual(['Margaret']);
    expect(matching("LeadSource = 'WEB'")).toEqual(['Ada', 'Margaret']);
  });

  it('treats != and <> alike and keeps rows whose field is null', () => {
    expect(matching("LeadSource != 'Web'")).toEqual(['Grace', 'linus']);
    expect(matching("LeadSource <> 'web'")).toEqual(['Grace', 'linus']);
  });

  it('orders text case-insensitively for < > <= >=, never matching nulls', () => {
    expect(matching("LastName < 'i'")).toEqual(['Grace', 'Margaret']);
    expect(matching("LastName >= 'LOVELACE'")).toEqual(['Ada', 'linus']);
    expect(matching("FirstName <= 'Grace'")).toEqual(['Ada', 'Grace']);
    expect(matching("LeadSource > 'A'")).toEqual(['Ada', 'Grace', 'Margaret']);
  });

  it('tests for null with = null and != null, and treats blank text as null', () => {
    expect(matching('Email = null')).toEqual(['linus']);
    expect(matching('Email != null')).toEqual(['Ada', 'Grace', 'Margaret']);
    expect(matching('Phone = null')).toEqual(['Grace', 'linus']);
    expect(matching("Phone = ''")).toEqual(['Grace', 'linus']);
  });
});

describe('LIKE', () => {
  it('matches % (any run) and _ (one character) case-insensitively', () => {
    expect(matching("LastName LIKE 'h%'")).toEqual(['Grace', 'Margaret']);
    expect(matching("Email LIKE '%@EXAMPLE.com'")).toEqual(['Ada', 'Grace', 'Margaret']);
    expect(matching("FirstName LIKE '_da'")).toEqual(['Ada']);
    expect(matching("FirstName LIKE '_d'")).toEqual([]);
    expect(matching("LeadSource LIKE '%'")).toEqual(['Ada', 'Grace', 'Margaret']);
  });

  it('takes \\% and \\_ as literal characters', () => {
    expect(matching("Description LIKE '100\\%%'")).toEqual(['Grace']);
    expect(matching("Description LIKE '%COBOL\\_%'")).toEqual(['Grace']);
    expect(matching("Description LIKE '100_%'")).toEqual(['Grace']);
    expect(matching("Description LIKE '100\\_%'")).toEqual([]);
    expect(matching("Description LIKE '1000%'")).toEqual([]);
  });

  it('leaves regular-expression characters alone', () => {
    expect(matching("Phone LIKE '+44 20%'")).toEqual(['Ada']);
    expect(matching("Description LIKE 'Apollo 11 on-board (flight)%'")).toEqual([]);
    expect(matching("Description LIKE '%first program;%'")).toEqual(['Ada']);
  });

  it('never matches a null or blank field', () => {
    expect(matching("Phone LIKE '%'")).toEqual(['Ada', 'Margaret']);
  });
});

describe('string literal escapes (SOQL reference, "Quoted String Escape Sequences")', () => {
  const row = (description: string): SoqlRecord[] => [{ FirstName: 'X', Description: description }];

  it('decodes \\\' \\" \\\\ \\n \\r \\t \\b \\f and \\uXXXX, in either case where the reference allows it', () => {
    expect(matching("Description = 'it\\'s'", row("it's"))).toEqual(['X']);
    expect(matching('Description = \'say \\"hi\\"\'', row('say "hi"'))).toEqual(['X']);
    expect(matching("Description = 'C:\\\\temp'", row('C:\\temp'))).toEqual(['X']);
    expect(matching("Description = 'a\\nb\\Nc'", row('a\nb\nc'))).toEqual(['X']);
    expect(matching("Description = 'a\\rb\\Rc'", row('a\rb\rc'))).toEqual(['X']);
    expect(matching("Description = 'a\\tb\\Tc'", row('a\tb\tc'))).toEqual(['X']);
    expect(matching("Description = 'a\\bb\\Bc'", row('a\bb\bc'))).toEqual(['X']);
    expect(matching("Description = 'a\\fb\\Fc'", row('a\fb\fc'))).toEqual(['X']);
    expect(matching("Description = 'caf\\u00e9'", row('café'))).toEqual(['X']);
  });

  it('finds the Description with an escaped quote in the fixture', () => {
    expect(matching("Description LIKE '%said \\'the engine%'")).toEqual(['Ada']);
  });
});

describe('IN and NOT IN', () => {
  it('matches any listed value, case-insensitively for text', () => {
    expect(matching("LastName IN ('hopper', 'TORVALDS', 'Nobody')")).toEqual(['Grace', 'linus']);
    expect(matching("LeadSource IN ('Web')")).toEqual(['Ada', 'Margaret']);
  });

  it('NOT IN keeps nulls unless null is listed', () => {
    expect(matching("LeadSource NOT IN ('Web')")).toEqual(['Grace', 'linus']);
    expect(matching("LeadSource NOT IN ('Web', null)")).toEqual(['Grace']);
    expect(matching("LeadSource IN ('Web', null)")).toEqual(['Ada', 'linus', 'Margaret']);
  });

  it('works on numbers, dates and ids', () => {
    expect(matching('Score__c IN (87, 98.5)')).toEqual(['Ada', 'Grace', 'Margaret']);
    expect(matching('Birthdate IN (1815-12-10, 1936-08-17)')).toEqual(['Ada', 'Margaret']);
    expect(matching(`Id IN ('${ids.ada}', '${ids.linus.slice(0, 15)}')`)).toEqual(['Ada', 'linus']);
  });
});

describe('ids', () => {
  it('matches 15- and 18-character forms of the same id', () => {
    expect(matching(`Id = '${ids.grace}'`)).toEqual(['Grace']);
    expect(matching(`Id = '${ids.grace.slice(0, 15)}'`)).toEqual(['Grace']);
    expect(matching(`AccountId = '${ids.acme.slice(0, 15)}'`)).toEqual(['Ada', 'Grace']);
  });

  it('is case-sensitive in 15-character form and case-insensitive in 18-character form', () => {
    expect(matching("Id = '003Dn00000AbCde'")).toEqual([]);
    expect(matching(`Id = '${ids.ada.toLowerCase()}'`)).toEqual(['Ada']);
    expect(matching(`Id = '${ids.margaret.toUpperCase()}'`)).toEqual(['Margaret']);
  });

  it('supports range comparisons, as used to page by Id', () => {
    expect(matching(`Id > '${ids.ada}'`)).toEqual(['Grace', 'linus', 'Margaret']);
    expect(matching(`AccountId != '${ids.acme}'`)).toEqual(['linus', 'Margaret']);
    expect(matching('AccountId = null')).toEqual(['linus', 'Margaret']);
  });
});

describe('numbers, booleans, dates and datetimes', () => {
  it('compares numbers numerically, integers and decimals alike', () => {
    expect(matching('Score__c > 87')).toEqual(['Ada']);
    expect(matching('Score__c >= 87.0')).toEqual(['Ada', 'Grace', 'Margaret']);
    expect(matching('Score__c < 90')).toEqual(['Grace', 'Margaret']);
    expect(matching('Score__c = 98.50')).toEqual(['Ada']);
    expect(matching('Score__c != 87')).toEqual(['Ada', 'linus']);
    expect(matching('Score__c > -1')).toEqual(['Ada', 'Grace', 'Margaret']);
  });

  it('reads numbers stored as strings, as a CSV import leaves them', () => {
    expect(matching('Score__c > 50', [{ FirstName: 'Csv', Score__c: '51.5' }])).toEqual(['Csv']);
  });

  it('compares integer, currency and percent fields of another object', () => {
    const accounts = [
      { Name: 'Acme', NumberOfEmployees: 250, AnnualRevenue: 1_500_000.5, Discount__c: 12.5 },
      { Name: 'Globex', NumberOfEmployees: 40, AnnualRevenue: null, Discount__c: 0 },
    ];
    const names = (condition: string): unknown[] =>
      runSoql(compile(`SELECT Name FROM Account WHERE ${condition}`), accounts).records.map((record) => record.Name);
    expect(names('NumberOfEmployees >= 250')).toEqual(['Acme']);
    expect(names('AnnualRevenue > 1000000')).toEqual(['Acme']);
    expect(names('AnnualRevenue = null')).toEqual(['Globex']);
    expect(names('Discount__c < 12.5')).toEqual(['Globex']);
  });

  it('takes true and false in any case for booleans', () => {
    expect(matching('HasOptedOutOfEmail = true')).toEqual(['Grace']);
    expect(matching('HasOptedOutOfEmail = FALSE')).toEqual(['Ada', 'linus', 'Margaret']);
    expect(matching('HasOptedOutOfEmail != True')).toEqual(['Ada', 'linus', 'Margaret']);
  });

  it('compares dates chronologically', () => {
    expect(matching('Birthdate < 1900-01-01')).toEqual(['Ada']);
    expect(matching('Birthdate >= 1906-12-09')).toEqual(['Grace', 'Margaret']);
    expect(matching('Birthdate = 1936-08-17')).toEqual(['Margaret']);
    expect(matching('Birthdate = null')).toEqual(['linus']);
  });

  it('compares datetimes as instants, whatever offset the literal or the stored value carries', () => {
    expect(matching('CreatedDate > 2024-03-01T00:00:00Z')).toEqual(['Ada', 'Grace', 'Margaret']);
    expect(matching('CreatedDate = 2024-03-01T10:00:00Z')).toEqual(['Margaret']);
    expect(matching('CreatedDate = 2024-03-01T11:30:00+01:00')).toEqual(['Grace']);
    expect(matching('CreatedDate < 2024-03-01T00:00:00-01:00')).toEqual(['linus']);
    expect(matching('CreatedDate >= 2024-03-01T09:00:00.000Z')).toEqual(['Ada', 'Grace', 'Margaret']);
    expect(matching('CreatedDate <= 2024-02-29t23:59:59z')).toEqual(['linus']);
  });
});

describe('AND, OR, NOT and parentheses', () => {
  it('combines conditions', () => {
    expect(matching("LeadSource = 'Web' AND Score__c > 90")).toEqual(['Ada']);
    expect(matching("LeadSource = 'Web' OR Score__c > 90 OR Email = null")).toEqual(['Ada', 'linus', 'Margaret']);
    expect(matching("(LeadSource = 'Web' OR Email = null) AND Score__c = 87")).toEqual(['Margaret']);
    expect(matching("LeadSource = 'Web' AND (Score__c = 87 OR Birthdate < 1900-01-01)")).toEqual(['Ada', 'Margaret']);
  });

  it('negates a condition or a group with NOT, with two-valued logic for nulls', () => {
    expect(matching("NOT LeadSource = 'Web'")).toEqual(['Grace', 'linus']);
    expect(matching("NOT (LeadSource = 'Web' OR Email = null)")).toEqual(['Grace']);
    expect(matching("Score__c = 87 AND (NOT LastName LIKE 'h%')")).toEqual([]);
    expect(matching("((NOT FirstName = 'Ada'))")).toEqual(['Grace', 'linus', 'Margaret']);
  });

  it('accepts keywords in any case, and names prefixed with the object or its alias', () => {
    expect(matching("leadsource = 'Web' and contact.score__C > 90")).toEqual(['Ada']);
    const query = compile("select c.FirstName from contact c where c.LastName like 'h%' order by c.FirstName desc");
    expect(runSoql(query, contacts).records).toEqual([{ FirstName: 'Margaret' }, { FirstName: 'Grace' }]);
  });

  it('accepts the SOQL jsforce builds from find() conditions', () => {
    // jsforce: { $or: [{ LeadSource: 'Web' }, { Score__c: { $gt: 90 } }], Email: { $nlike: '%grace%' }, $not: {...} }
    expect(
      matching("(LeadSource = 'Web' OR Score__c > 90) AND (NOT Email LIKE '%grace%') AND (NOT FirstName = 'Ada')"),
    ).toEqual(['Margaret']);
  });
});
