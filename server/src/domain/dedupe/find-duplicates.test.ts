import type { MatchMethod } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_SCENARIOS } from './default-scenarios.ts';
import { realisticSample } from './engine-test-support.ts';
import type { EnginePair, EngineResult, EngineRule, EngineScenario, EngineSpec } from './engine-types.ts';
import { DuplicateFinder, dismissalKey, MIN_COMPARED_SHARE } from './find-duplicates.ts';
import { fieldsToRead, MAX_RECORDS, RecordTable } from './record-table.ts';

const rule = (field: string, method: MatchMethod, weight: number, contactField?: string): EngineRule => ({
  field,
  method,
  weight,
  ...(contactField ? { contactField } : {}),
});

const scenario = (id: string, rules: EngineRule[], threshold = 75): EngineScenario => ({
  id,
  name: id,
  threshold,
  rules,
});

const contacts = (...scenarios: EngineScenario[]): EngineSpec => ({
  scenarios,
  crossObject: false,
  nameField: 'Name',
  objects: ['Contact'],
});

/** Like the built-in "Contacts: name and e-mail" scenario. */
const NAME_AND_EMAIL = scenario('name-email', [
  rule('FirstName', 'name-variant', 15),
  rule('LastName', 'jaro-winkler', 25),
  rule('Email', 'email', 50),
  rule('MailingCity', 'jaro-winkler', 10),
]);

const HEADER = ['Id', 'Name', 'FirstName', 'LastName', 'Email', 'MailingCity', 'Phone'];

function run(spec: EngineSpec, rows: string[][], dismissed: ReadonlySet<string> = new Set()): EngineResult {
  const finder = new DuplicateFinder(spec);
  finder.table.addRows(0, HEADER, rows);
  return finder.find(dismissed);
}

/** The result's pair between the records with these ids, if it matched. */
function pairOf(result: EngineResult, idA: string, idB: string): EnginePair | undefined {
  return result.pairs.find((pair) => {
    const ids = [result.records[pair.a]?.id, result.records[pair.b]?.id].sort();
    return ids[0] === [idA, idB].sort()[0] && ids[1] === [idA, idB].sort()[1];
  });
}

describe('DuplicateFinder scoring', () => {
  it('returns a pair at the threshold and not one below it', () => {
    const rows = [
      ['c1', 'Ann Lee', 'Ann', 'Lee', 'ann@acme.com', '', ''],
      ['c2', 'Ann Lee', 'Ann', 'Lee', 'zed@other.org', '', ''],
    ];
    const rules = [rule('LastName', 'exact', 50), rule('Email', 'exact', 50)];
    const below = run(contacts(scenario('s', rules, 75)), rows);
    expect(below.pairsScored).toBe(1);
    expect(below.pairsMatched).toBe(0);
    expect(below.pairs).toEqual([]);
    expect(below.groups).toEqual([]);

    const at = run(contacts(scenario('s', rules, 50)), rows);
    expect(at.pairs.map((pair) => pair.score)).toEqual([50]);
  });

  it('leaves blank fields out of the score and says so', () => {
    const result = run(contacts(NAME_AND_EMAIL), [
      ['c1', 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', 'Leeds', ''],
      ['c2', 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', '', ''],
    ]);
    const pair = pairOf(result, 'c1', 'c2');
    expect(pair?.score).toBe(100);
    expect(pair?.fields.find((field) => field.field === 'MailingCity')).toEqual({
      field: 'MailingCity',
      method: 'jaro-winkler',
      weight: 10,
      score: null,
      reason: 'blank on one side: not compared',
    });
  });

  it(`does not call two records duplicates on fields under ${MIN_COMPARED_SHARE * 100}% of the weight`, () => {
    // Names and city agree (50 of 100) but the e-mail is blank on one side: 50% compared is still enough.
    const enough = run(contacts(NAME_AND_EMAIL), [
      ['c1', 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', 'Leeds', ''],
      ['c2', 'Ann Lee', 'Ann', 'Lee', '', 'Leeds', ''],
    ]);
    expect(enough.pairs.map((pair) => pair.score)).toEqual([100]);

    // Only the names (40 of 100) can be compared: two Ann Lees are not the same person on that alone.
    const namesOnly = run(contacts(NAME_AND_EMAIL), [
      ['c1', 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', 'Leeds', ''],
      ['c2', 'Ann Lee', 'Ann', 'Lee', '', '', ''],
    ]);
    expect(namesOnly.pairsScored).toBe(1);
    expect(namesOnly.pairs).toEqual([]);
  });

  it('matches first and last names entered the wrong way round, and says so', () => {
    const result = run(contacts(NAME_AND_EMAIL), [
      ['c1', 'Margaret Okafor', 'Margaret', 'Okafor', 'm.okafor@acme.com', 'Lagos', ''],
      ['c2', 'Okafor Margaret', 'Okafor', 'Margaret', 'm.okafor@acme.com', 'Lagos', ''],
    ]);
    const pair = pairOf(result, 'c1', 'c2');
    expect(pair?.score).toBe(100);
    const reasons = Object.fromEntries(pair?.fields.map((field) => [field.field, field.reason]) ?? []);
    expect(reasons.FirstName).toMatch(/^names transposed; /);
    expect(reasons.LastName).toMatch(/^names transposed; /);
    expect(reasons.Email).not.toMatch(/transposed/);
    expect(pair?.fields.every((field) => field.score === 100)).toBe(true);
  });

  it('does not call the names transposed when they are in place', () => {
    const result = run(contacts(NAME_AND_EMAIL), [
      ['c1', 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', 'Leeds', ''],
      ['c2', 'Anne Lee', 'Anne', 'Lee', 'ann.lee@acme.com', 'Leeds', ''],
    ]);
    const pair = pairOf(result, 'c1', 'c2');
    expect(pair).toBeDefined();
    expect(pair?.fields.some((field) => field.reason.includes('transposed'))).toBe(false);
  });
});

describe('DuplicateFinder dismissals', () => {
  it('skips dismissed pairs, whichever id comes first, and counts them', () => {
    const rows = ['b', 'a', 'c'].map((id) => [id, 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', 'Leeds', '']);
    expect(dismissalKey('b', 'a')).toBe('a|b');
    expect(dismissalKey('a', 'b')).toBe('a|b');

    const all = run(contacts(NAME_AND_EMAIL), rows);
    expect(all.pairsMatched).toBe(3);
    expect(all.pairsDismissed).toBe(0);

    const result = run(contacts(NAME_AND_EMAIL), rows, new Set([dismissalKey('b', 'a')]));
    expect(result.pairsDismissed).toBe(1);
    expect(result.pairsMatched).toBe(2);
    expect(pairOf(result, 'a', 'b')).toBeUndefined();
    expect(pairOf(result, 'a', 'c')).toBeDefined();
    expect(pairOf(result, 'b', 'c')).toBeDefined();
    // a and b are still one group through c.
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]?.members).toHaveLength(3);
  });
});

describe('DuplicateFinder with several scenarios', () => {
  const byEmail = scenario('by-email', [rule('LastName', 'jaro-winkler', 50), rule('Email', 'email', 50)]);
  const byPhone = scenario('by-phone', [rule('LastName', 'jaro-winkler', 50), rule('Phone', 'phone', 50)]);
  const rows = [
    // Same phone; the same mailbox at another domain (60): by-email 80, by-phone 100.
    ['x1', 'Ada Lindqvist', 'Ada', 'Lindqvist', 'ada@acme.com', '', '415 555 0101'],
    ['x2', 'Ada Lindqvist', 'Ada', 'Lindqvist', 'ada@globex.com', '', '415-555-0101'],
    // Same address, unrelated phones: only by-email.
    ['y1', 'Bo Halvorsen', 'Bo', 'Halvorsen', 'bo@acme.com', '', '212 555 0199'],
    ['y2', 'Bo Halvorsen', 'Bo', 'Halvorsen', 'bo@acme.com', '', '617 868 4432'],
    // Unrelated addresses, same phone: only by-phone.
    ['z1', 'Cy Abernathy', 'Cy', 'Abernathy', 'cy@acme.com', '', '312 555 7788'],
    ['z2', 'Cy Abernathy', 'Cy', 'Abernathy', 'zz-top@initech.io', '', '(312) 555-7788'],
  ];

  it('matches a pair when any scenario does, keeping the best score and its scenario', () => {
    const result = run(contacts(byEmail, byPhone), rows);
    expect(result.pairsMatched).toBe(3);
    expect(pairOf(result, 'x1', 'x2')).toMatchObject({ score: 100, scenario: 1 });
    expect(pairOf(result, 'y1', 'y2')).toMatchObject({ score: 100, scenario: 0 });
    expect(pairOf(result, 'z1', 'z2')).toMatchObject({ score: 100, scenario: 1 });
    // The explanation is the winning scenario's.
    expect(pairOf(result, 'x1', 'x2')?.fields.map((field) => field.field)).toEqual(['LastName', 'Phone']);
    expect(pairOf(result, 'y1', 'y2')?.fields.map((field) => field.field)).toEqual(['LastName', 'Email']);
  });

  it('keeps the other scenario when it scores better, whatever the order', () => {
    const result = run(contacts(byPhone, byEmail), rows);
    expect(pairOf(result, 'x1', 'x2')).toMatchObject({ score: 100, scenario: 0 });
    expect(pairOf(result, 'y1', 'y2')).toMatchObject({ score: 100, scenario: 1 });
  });

  it('keeps a lower score when it is the only one above the threshold', () => {
    const result = run(contacts(byEmail), rows);
    expect(pairOf(result, 'x1', 'x2')).toMatchObject({ score: 80, scenario: 0 });
    expect(pairOf(result, 'z1', 'z2')).toBeUndefined();
  });
});

describe('DuplicateFinder results', () => {
  it('explains the fields in the scenario order with their weights, not the scoring order', () => {
    const ordered = scenario('ordered', [
      rule('FirstName', 'name-variant', 15),
      rule('Email', 'email', 50),
      rule('LastName', 'jaro-winkler', 25),
    ]);
    const result = run(contacts(ordered), [
      ['c1', 'William Brown', 'William', 'Brown', 'wb@acme.com', '', ''],
      ['c2', 'Bill Browne', 'Bill', 'Browne', 'wb@acme.com', '', ''],
    ]);
    const fields = pairOf(result, 'c1', 'c2')?.fields ?? [];
    expect(fields.map(({ field, method, weight }) => ({ field, method, weight }))).toEqual([
      { field: 'FirstName', method: 'name-variant', weight: 15 },
      { field: 'Email', method: 'email', weight: 50 },
      { field: 'LastName', method: 'jaro-winkler', weight: 25 },
    ]);
    expect(fields[0]).toMatchObject({ score: 100, reason: 'name variant: william = bill' });
    expect(fields[1]).toMatchObject({ score: 100, reason: 'the same' });
    expect(fields[2]?.score).toBeGreaterThan(90);
    expect(fields[2]?.score).toBeLessThan(100);
    expect(fields[2]?.reason).toMatch(/^Jaro-Winkler 0\.9/);
    // The pair's score is the weighted mean of its field scores.
    const weighted = fields.reduce((sum, field) => sum + field.weight * (field.score ?? 0), 0) / 90;
    expect(pairOf(result, 'c1', 'c2')?.score).toBeCloseTo(weighted, 0);
  });

  it('gives each record its id, name, object and values by field name, null when blank', () => {
    const result = run(contacts(NAME_AND_EMAIL), [
      ['c1', 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', 'Leeds', '555'],
      ['c2', 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', '', '555'],
      ['c3', 'Bob Stone', 'Bob', 'Stone', 'bob@stone.io', 'York', ''],
    ]);
    expect(result.recordsRead).toBe(3);
    const records = [...result.records].sort((x, y) => x.id.localeCompare(y.id));
    expect(records).toEqual([
      {
        id: 'c1',
        object: 'Contact',
        name: 'Ann Lee',
        values: { FirstName: 'Ann', LastName: 'Lee', Email: 'ann.lee@acme.com', MailingCity: 'Leeds' },
      },
      {
        id: 'c2',
        object: 'Contact',
        name: 'Ann Lee',
        values: { FirstName: 'Ann', LastName: 'Lee', Email: 'ann.lee@acme.com', MailingCity: null },
      },
    ]);
    expect(result.groups).toEqual([{ score: 100, members: [0, 1], pairs: [0] }]);
  });

  it('compares Leads only with Contacts, each side with its own field names', () => {
    const spec: EngineSpec = {
      scenarios: [
        scenario('lead-contact', [
          rule('FirstName', 'name-variant', 15),
          rule('LastName', 'jaro-winkler', 25),
          rule('Email', 'email', 50),
          rule('City', 'jaro-winkler', 10, 'MailingCity'),
        ]),
      ],
      crossObject: true,
      nameField: 'Name',
      objects: ['Lead', 'Contact'],
    };
    expect(fieldsToRead(spec, 0)).toEqual(['Id', 'Name', 'FirstName', 'LastName', 'Email', 'City']);
    expect(fieldsToRead(spec, 1)).toEqual(['Id', 'Name', 'FirstName', 'LastName', 'Email', 'MailingCity']);

    const finder = new DuplicateFinder(spec);
    const leadRow = (id: string) => [id, 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', 'Leeds'];
    finder.table.addRows(0, ['Id', 'Name', 'FirstName', 'LastName', 'Email', 'City'], [leadRow('l1'), leadRow('l2')]);
    finder.table.addRows(
      1,
      ['Id', 'Name', 'FirstName', 'LastName', 'Email', 'MailingCity'],
      [['k1', 'Ann Lee', 'Ann', 'Lee', 'ann.lee@acme.com', 'Leeds']],
    );
    const result = finder.find(new Set());

    // The two identical Leads are not a pair: only Lead-Contact pairs are.
    expect(result.pairsMatched).toBe(2);
    expect(pairOf(result, 'l1', 'l2')).toBeUndefined();
    expect(pairOf(result, 'l1', 'k1')).toBeDefined();
    expect(pairOf(result, 'l2', 'k1')).toBeDefined();

    const byId = new Map(result.records.map((record) => [record.id, record]));
    expect(byId.get('l1')).toMatchObject({ object: 'Lead', values: { City: 'Leeds' } });
    expect(byId.get('k1')).toMatchObject({ object: 'Contact', values: { MailingCity: 'Leeds' } });
    expect(Object.keys(byId.get('k1')?.values ?? {})).not.toContain('City');
    expect(pairOf(result, 'l1', 'k1')?.fields[3]).toMatchObject({
      field: 'City',
      contactField: 'MailingCity',
      score: 100,
    });
  });
});

describe('DuplicateFinder on a realistic sample', () => {
  it('scores far fewer than n(n-1)/2 pairs and finds the planted duplicates', () => {
    const { rows, planted } = realisticSample();
    const builtIn = BUILT_IN_SCENARIOS.find((candidate) => candidate.id === 'builtin-contact-email');
    if (!builtIn) throw new Error('the built-in Contact e-mail scenario is gone');
    const spec = contacts({
      ...builtIn,
      rules: builtIn.rules.map((r) => rule(r.field, r.method as MatchMethod, r.weight)),
    });
    const finder = new DuplicateFinder(spec);
    finder.table.addRows(
      0,
      ['Id', 'FirstName', 'LastName', 'Email', 'MailingCity'],
      rows.map((row, i) => [`c${i}`, ...row]),
    );
    const result = finder.find(new Set());
    expect(result.recordsRead).toBe(2000);
    expect(result.pairsScored).toBeLessThan((2000 * 1999) / 2 / 25);
    expect(result.largeBlocks).toBeGreaterThan(0);
    // The even twins keep the address (a typo in the last name); the odd ones only share names and city (50 of 100).
    for (const [d, [i, j]] of planted.entries()) {
      const pair = pairOf(result, `c${i}`, `c${j}`);
      if (d % 2 === 0) expect(pair?.score, `planted twin ${d}`).toBeGreaterThanOrEqual(75);
      else expect(pair, `planted twin ${d}`).toBeUndefined();
    }
  });
});

describe('RecordTable', () => {
  it('reads a Bulk API CSV page whose header is in any case and order, with columns missing', () => {
    const table = new RecordTable(contacts(NAME_AND_EMAIL));
    const csv = '\ufeffEMAIL,lastname,ID,name\n"ann@acme.com","Lee, Jr.",c1,Ann Lee\n,Stone,c2\n';
    expect(table.addCsv(0, csv)).toBe(2);
    expect(table.ids).toEqual(['c1', 'c2']);
    expect(table.names).toEqual(['Ann Lee', '']);
    const column = (field: string) => table.values[table.slotOf(field)];
    expect(column('Email')).toEqual(['ann@acme.com', '']);
    expect(column('LastName')).toEqual(['Lee, Jr.', 'Stone']);
    // FirstName and MailingCity were not in the query: blank, not an error.
    expect(column('FirstName')).toEqual(['', '']);
    expect(column('MailingCity')).toEqual(['', '']);
    expect(table.addCsv(0, '')).toBe(0);
    expect(table.size).toBe(2);
  });

  it('refuses records without an Id column', () => {
    const table = new RecordTable(contacts(NAME_AND_EMAIL));
    expect(() => table.addCsv(0, 'Name,Email\nAnn,ann@acme.com\n')).toThrow('the records have no Id column');
  });

  it(`refuses to read more than ${MAX_RECORDS} records, and says how to narrow the job`, () => {
    const table = new RecordTable(contacts(NAME_AND_EMAIL));
    table.addRows(0, ['Id'], [['c1']]);
    // Only the count is read before refusing: an array of holes is enough.
    const tooMany = new Array<string[]>(MAX_RECORDS);
    expect(() => table.addRows(0, ['Id'], tooMany)).toThrow(RangeError);
    expect(() => table.addRows(0, ['Id'], tooMany)).toThrow(
      'A Duplicate Check reads at most 2,097,151 records in one run and this object has more, so nothing was matched or stored.',
    );
    expect(table.size).toBe(1);
  });
});
