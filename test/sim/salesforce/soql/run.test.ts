import { describe, expect, it } from 'vitest';
import { seededFaker } from '../../common/simulator.ts';
import { compile, contacts, ids } from './fixture.ts';
import { compileSoql, runSoql, type SoqlSchema } from './index.ts';
import type { SoqlRecord } from './types.ts';

const firstNames = (text: string, rows: SoqlRecord[] = contacts): unknown[] =>
  runSoql(compile(text), rows).records.map((record) => record.FirstName);

describe('compiled query', () => {
  it('canonicalises object and field names and keeps the SELECT order', () => {
    const query = compile('select EMAIL, id, contact.firstname from CONTACT where lastname != null limit 3 offset 1');
    expect(query).toMatchObject({
      objectName: 'Contact',
      fields: ['Email', 'Id', 'FirstName'],
      isCount: false,
      limit: 3,
      offset: 1,
    });
  });

  it('describes SELECT COUNT() as a count with no fields', () => {
    expect(compile('SELECT count() FROM Contact')).toMatchObject({ fields: [], isCount: true, limit: undefined });
  });

  it('exposes where() and compare() for callers that page through rows themselves', () => {
    const query = compile("SELECT Id FROM Contact WHERE LeadSource = 'web' ORDER BY LastName DESC");
    const [ada, grace, , margaret] = contacts as [SoqlRecord, SoqlRecord, SoqlRecord, SoqlRecord];
    expect([ada, grace, margaret].map((row) => query.where(row))).toEqual([true, false, true]);
    expect(Math.sign(query.compare(ada, margaret))).toBe(-1);
    expect(Math.sign(query.compare(margaret, ada))).toBe(1);
    expect(query.compare(ada, ada)).toBe(0);
    expect(compile('SELECT Id FROM Contact').compare(ada, grace)).toBe(0);
  });
});

describe('runSoql: projection', () => {
  it('projects each row to the selected fields in SELECT order, missing values as null', () => {
    const result = runSoql(compile("SELECT Phone, Id, LastName FROM Contact WHERE FirstName = 'linus'"), [
      { ...contacts[2], Extra: 'not selected' },
      { FirstName: 'linus', LastName: 'Sparse' },
    ]);
    expect(result).toEqual({
      totalSize: 2,
      records: [
        { Phone: '', Id: ids.linus, LastName: 'Torvalds' },
        { Phone: null, Id: null, LastName: 'Sparse' },
      ],
    });
    expect(Object.keys(result.records[0] ?? {})).toEqual(['Phone', 'Id', 'LastName']);
  });

  it('returns stored values untouched (case, 18-character ids, datetime strings)', () => {
    const [record] = runSoql(
      compile(`SELECT Id, Email, CreatedDate FROM Contact WHERE Id = '${ids.margaret}'`),
      contacts,
    ).records;
    expect(record).toEqual({
      Id: ids.margaret,
      Email: 'MARGARET@EXAMPLE.COM',
      CreatedDate: '2024-03-01T11:00:00+01:00',
    });
  });

  it('accepts any iterable of rows', () => {
    function* rows(): Generator<SoqlRecord> {
      yield* contacts;
    }
    expect(runSoql(compile("SELECT FirstName FROM Contact WHERE LeadSource = 'Web'"), rows()).totalSize).toBe(2);
  });
});

describe('runSoql: ORDER BY', () => {
  it('sorts text case-insensitively, ascending by default', () => {
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY FirstName')).toEqual([
      'Ada',
      'Grace',
      'linus',
      'Margaret',
    ]);
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY FirstName DESC')).toEqual([
      'Margaret',
      'linus',
      'Grace',
      'Ada',
    ]);
  });

  it('puts nulls first by default in both directions, and obeys NULLS FIRST / NULLS LAST', () => {
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY Birthdate')).toEqual([
      'linus',
      'Ada',
      'Grace',
      'Margaret',
    ]);
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY Birthdate ASC NULLS LAST')).toEqual([
      'Ada',
      'Grace',
      'Margaret',
      'linus',
    ]);
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY Birthdate DESC')).toEqual([
      'linus',
      'Margaret',
      'Grace',
      'Ada',
    ]);
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY Birthdate DESC NULLS LAST')).toEqual([
      'Margaret',
      'Grace',
      'Ada',
      'linus',
    ]);
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY Phone NULLS FIRST')).toEqual([
      'Grace',
      'linus',
      'Margaret',
      'Ada',
    ]);
  });

  it('sorts by several keys, later keys breaking ties, and keeps stored order for full ties', () => {
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY Score__c DESC NULLS LAST, LastName')).toEqual([
      'Ada',
      'Margaret',
      'Grace',
      'linus',
    ]);
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY HasOptedOutOfEmail, AccountId')).toEqual([
      'linus',
      'Margaret',
      'Ada',
      'Grace',
    ]);
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY LeadSource DESC NULLS LAST')).toEqual([
      'Ada',
      'Margaret',
      'Grace',
      'linus',
    ]);
  });

  it('sorts datetimes as instants and ids on their 15-character form', () => {
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY CreatedDate')).toEqual([
      'linus',
      'Ada',
      'Margaret',
      'Grace',
    ]);
    const mixed = [
      { FirstName: 'b', Id: '003Dn00000AbCdF' },
      { FirstName: 'a', Id: ids.ada },
    ];
    expect(firstNames('SELECT FirstName FROM Contact ORDER BY Id', mixed)).toEqual(['a', 'b']);
  });

  it('sorts only the rows the WHERE clause keeps', () => {
    expect(firstNames("SELECT FirstName FROM Contact WHERE LeadSource = 'Web' ORDER BY LastName")).toEqual([
      'Margaret',
      'Ada',
    ]);
  });
});

describe('runSoql: LIMIT, OFFSET and COUNT()', () => {
  it('applies OFFSET then LIMIT after sorting; totalSize counts the rows returned', () => {
    const text = 'SELECT FirstName FROM Contact ORDER BY FirstName';
    expect(runSoql(compile(`${text} LIMIT 2`), contacts)).toEqual({
      totalSize: 2,
      records: [{ FirstName: 'Ada' }, { FirstName: 'Grace' }],
    });
    expect(firstNames(`${text} LIMIT 2 OFFSET 1`)).toEqual(['Grace', 'linus']);
    expect(firstNames(`${text} OFFSET 3`)).toEqual(['Margaret']);
    expect(firstNames(`${text} OFFSET 10`)).toEqual([]);
    expect(runSoql(compile(`${text} LIMIT 0`), contacts)).toEqual({ totalSize: 0, records: [] });
  });

  it('counts matching rows for COUNT(), capped by LIMIT, with no records', () => {
    expect(runSoql(compile('SELECT COUNT() FROM Contact'), contacts)).toEqual({ totalSize: 4, records: [] });
    expect(runSoql(compile("SELECT COUNT() FROM Contact WHERE LeadSource = 'Web'"), contacts).totalSize).toBe(2);
    expect(runSoql(compile('SELECT COUNT() FROM Contact LIMIT 3'), contacts).totalSize).toBe(3);
    expect(runSoql(compile('SELECT COUNT() FROM Contact LIMIT 3 OFFSET 2'), contacts).totalSize).toBe(2);
    expect(runSoql(compile('SELECT COUNT() FROM Contact WHERE Email = null'), []).totalSize).toBe(0);
  });
});

describe('performance', () => {
  const schema: SoqlSchema = {
    objectName: (name) => (name.toLowerCase() === 'lead' ? 'Lead' : undefined),
    field: (_object, field) => {
      const types = {
        id: 'id',
        company: 'string',
        email: 'email',
        status: 'picklist',
        annualrevenue: 'currency',
      } as const;
      const type = types[field.toLowerCase() as keyof typeof types];
      const name = { id: 'Id', company: 'Company', email: 'Email', status: 'Status', annualrevenue: 'AnnualRevenue' }[
        field.toLowerCase()
      ];
      return type && name ? { name, type } : undefined;
    },
  };
  const faker = seededFaker(7);
  const statuses = ['Open', 'Working', 'Qualified', 'Unqualified'];
  const leads: SoqlRecord[] = Array.from({ length: 100_000 }, (_, i) => ({
    Id: `00Q${String(i).padStart(12, '0')}`,
    Company: faker.company.name(),
    Email: i % 10 === 0 ? null : faker.internet.email(),
    Status: statuses[i % statuses.length],
    AnnualRevenue: i % 7 === 0 ? null : faker.number.int({ min: 0, max: 5_000_000 }),
  }));

  it('filters, sorts and pages 100,000 rows with one compiled query (well under a second of engine time)', () => {
    const query = compileSoql(
      "SELECT Id, Company, AnnualRevenue FROM Lead WHERE (Status IN ('Open', 'Working') OR Company LIKE '%llc%') AND Email != null ORDER BY AnnualRevenue DESC NULLS LAST, Company LIMIT 2000 OFFSET 100",
      schema,
    );
    const result = runSoql(query, leads);
    expect(result.totalSize).toBe(2000);
    const revenues = result.records.map((record) => record.AnnualRevenue as number);
    expect(revenues.every((revenue, i) => i === 0 || (revenues[i - 1] as number) >= revenue)).toBe(true);
    expect(runSoql(compileSoql('SELECT COUNT() FROM Lead WHERE Email = null', schema), leads).totalSize).toBe(10_000);
  });
});
