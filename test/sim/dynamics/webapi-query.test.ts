import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import type { DynamicsSimulator, RecordJson } from './index.ts';
import { ADMIN, CONTOSO, signIn, startDynamics, webApi } from './testing.ts';

let sim: DynamicsSimulator;
let listening: ListeningOrigins;
let api: ReturnType<typeof webApi>;
let contacts: RecordJson[];

beforeAll(async () => {
  ({ sim, listening } = await startDynamics({ records: { accounts: 15, contacts: 60, leads: 10 } }));
  api = webApi(sim, 'contoso', (await signIn(sim, ADMIN, CONTOSO)).accessToken);
  contacts = sim.control.records('contoso', 'contacts');
});
afterAll(async () => listening.close());

interface Page {
  '@odata.context': string;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  value: RecordJson[];
}

async function query(path: string, headers: Record<string, string> = {}): Promise<Page> {
  const response = await api(path, { headers });
  expect(response.status).toBe(200);
  return (await response.json()) as Page;
}

const fold = (value: unknown) =>
  String(value ?? '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
const ids = (rows: RecordJson[]) => rows.map((row) => row.contactid).sort();

describe('$filter, $select, $orderby, $top, $count', () => {
  it('filters with comparisons, functions, and/or/not and parentheses, case-insensitively', async () => {
    const letter = fold(contacts[0]?.lastname).charAt(0);
    const filter = `(startswith(lastname,'${letter.toUpperCase()}') or contains(emailaddress1,'.org')) and not (statecode eq 1)`;
    const page = await query(`contacts?$select=lastname,emailaddress1,statecode&$filter=${encodeURIComponent(filter)}`);
    const expected = contacts.filter(
      (row) =>
        (fold(row.lastname).startsWith(letter) || fold(row.emailaddress1).includes('.org')) && row.statecode !== 1,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids(page.value)).toEqual(ids(expected));
    expect(Object.keys(page.value[0] ?? {}).sort()).toEqual([
      '@odata.etag',
      'contactid',
      'emailaddress1',
      'lastname',
      'statecode',
    ]);
  });

  it('compares dates, numbers, GUIDs and null the way SQL Server does', async () => {
    const cutoff = '2024-06-01T00:00:00Z';
    const dated = await query(`contacts?$select=createdon&$filter=createdon ge ${cutoff} and numberofchildren lt 2`);
    expect(ids(dated.value)).toEqual(
      ids(contacts.filter((row) => String(row.createdon) >= cutoff && Number(row.numberofchildren) < 2)),
    );
    const account = contacts.find((row) => row._parentcustomerid_value)?._parentcustomerid_value;
    const linked = await query(`contacts?$select=fullname&$filter=_parentcustomerid_value eq ${String(account)}`);
    expect(ids(linked.value)).toEqual(ids(contacts.filter((row) => row._parentcustomerid_value === account)));
    const noAccount = await query('contacts?$select=fullname&$filter=_parentcustomerid_value eq null');
    expect(ids(noAccount.value)).toEqual(ids(contacts.filter((row) => row._parentcustomerid_value === null)));
    // `ne` never matches a null column (three-valued logic), so these two do not add up to every row.
    const notAccount = await query(`contacts?$select=fullname&$filter=_parentcustomerid_value ne ${String(account)}`);
    expect(ids(notAccount.value)).toEqual(
      ids(contacts.filter((row) => row._parentcustomerid_value !== null && row._parentcustomerid_value !== account)),
    );
    const inList = await query(
      `contacts?$select=fullname&$filter=Microsoft.Dynamics.CRM.In(PropertyName='preferredcontactmethodcode',PropertyValues=['2','3'])`,
    );
    expect(ids(inList.value)).toEqual(
      ids(contacts.filter((row) => [2, 3].includes(Number(row.preferredcontactmethodcode)))),
    );
  });

  it('orders, limits with $top and counts', async () => {
    const page = await query('contacts?$select=lastname,firstname&$orderby=lastname desc,firstname&$top=5&$count=true');
    const sorted = [...contacts].sort(
      (a, b) => fold(b.lastname).localeCompare(fold(a.lastname)) || fold(a.firstname).localeCompare(fold(b.firstname)),
    );
    expect(page.value.map((row) => row.lastname)).toEqual(sorted.slice(0, 5).map((row) => row.lastname));
    expect(page['@odata.count']).toBe(contacts.length);
    expect(page['@odata.nextLink']).toBeUndefined();
    const count = await api(`contacts/$count`);
    expect(count.headers.get('content-type')).toBe('text/plain');
    expect(await count.text()).toBe(String(contacts.length));
  });

  it('expands single-valued navigation properties with their own $select', async () => {
    const page = await query(
      'contacts?$select=fullname&$expand=parentcustomerid_account($select=name,accountnumber)&$filter=_parentcustomerid_value ne null&$top=3',
    );
    expect(page['@odata.context']).toMatch(
      /\$metadata#contacts\(fullname,parentcustomerid_account\(name,accountnumber\)\)$/,
    );
    const accounts = sim.control.records('contoso', 'accounts');
    for (const row of page.value) {
      const contact = contacts.find((candidate) => candidate.contactid === row.contactid);
      const account = accounts.find((candidate) => candidate.accountid === contact?._parentcustomerid_value);
      expect(row.parentcustomerid_account).toEqual({
        '@odata.etag': account?.['@odata.etag'],
        name: account?.name,
        accountnumber: account?.accountnumber,
        accountid: account?.accountid,
      });
    }
    const notSimulated = await api('contacts?$apply=aggregate($count as total)');
    expect(notSimulated.status).toBe(501);
  });

  it('rejects $skip, unknown properties, mismatched types and syntax errors with 0x80060888', async () => {
    const cases: [string, string][] = [
      ['contacts?$top=5&$skip=5', 'The query parameter $skip is not supported'],
      [
        'contacts?$select=nickname',
        "Could not find a property named 'nickname' on type 'Microsoft.Dynamics.CRM.contact'.",
      ],
      [
        "contacts?$filter=parentcustomerid eq 'x'",
        "Could not find a property named 'parentcustomerid' on type 'Microsoft.Dynamics.CRM.contact'.",
      ],
      [
        'contacts?$filter=lastname eq 5',
        "A binary operator with incompatible types was detected. Found operand types 'Edm.String' and 'Edm.Int32' for operator kind 'Equal'.",
      ],
      ['contacts?$filter=lastname eq', "Syntax error at position 11 in 'lastname eq'."],
    ];
    for (const [path, message] of cases) {
      const response = await api(path);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: '0x80060888', message } });
    }
  });
});

describe('paging with Prefer: odata.maxpagesize and @odata.nextLink', () => {
  it('walks every row once through $skiptoken links, stable under deletes between pages', async () => {
    const seen: string[] = [];
    let next: string | undefined = 'contacts?$select=fullname&$orderby=lastname&$count=true';
    let pages = 0;
    let deleted: string | undefined;
    while (next) {
      const response = await api(next, { headers: { prefer: 'odata.maxpagesize=7' } });
      expect(response.headers.get('preference-applied')).toBe('odata.maxpagesize=7');
      const page = (await response.json()) as Page;
      expect(page['@odata.count']).toBe(contacts.length - (deleted ? 1 : 0));
      expect(page.value.length).toBeLessThanOrEqual(7);
      seen.push(...page.value.map((row) => String(row.contactid)));
      next = page['@odata.nextLink'];
      if (next) {
        expect(next).toMatch(/\$skiptoken=%3Ccookie%20pagenumber=%22\d+%22%20pagingcookie=%22%253ccookie/);
        expect(
          next.startsWith(
            `${sim.origins.httpUrl('env:contoso')}/api/data/v9.2/contacts?$select=fullname&$orderby=lastname&$count=true&$skiptoken=`,
          ),
        ).toBe(true);
      }
      pages += 1;
      if (pages === 2) {
        // A row of the first page disappears: the next page must neither skip nor repeat rows.
        deleted = seen[0];
        sim.control.deleteRecord('contoso', 'contacts', String(deleted));
      }
    }
    expect(pages).toBe(Math.ceil(contacts.length / 7));
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(ids(contacts));
  });

  it('ignores $top when a page size is preferred, and caps the page size at 5000', async () => {
    const withTop = await api('contacts?$select=fullname&$top=3', { headers: { prefer: 'odata.maxpagesize=10' } });
    const page = (await withTop.json()) as Page;
    expect(page.value).toHaveLength(10);
    expect(page['@odata.nextLink']).toBeDefined();
    const huge = await api('contacts?$select=fullname', { headers: { prefer: 'odata.maxpagesize=6000' } });
    expect(huge.headers.get('preference-applied')).toBeNull();
    expect(((await huge.json()) as Page).value.length).toBe(sim.control.records('contoso', 'contacts').length);
  });
});
