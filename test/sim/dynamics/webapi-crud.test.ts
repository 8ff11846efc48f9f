import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import type { DynamicsSimulator } from './index.ts';
import { ADMIN, CONTOSO, SALES, signIn, startDynamics, webApi } from './testing.ts';

let sim: DynamicsSimulator;
let listening: ListeningOrigins;
let api: ReturnType<typeof webApi>;
let root: string;

beforeAll(async () => {
  ({ sim, listening } = await startDynamics({ records: { accounts: 20, contacts: 40, leads: 20 } }));
  api = webApi(sim, 'contoso', (await signIn(sim, ADMIN, CONTOSO)).accessToken);
  root = `${sim.origins.httpUrl('env:contoso')}/api/data/v9.2/`;
});
afterAll(async () => listening.close());
beforeEach(() => {
  // Rows only: tokens issued in beforeAll stay valid.
  for (const row of sim.control.records('contoso', 'contacts')) {
    if (String(row.lastname).startsWith('Test-'))
      sim.control.deleteRecord('contoso', 'contacts', String(row.contactid));
  }
});

async function errorOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/json; odata.metadata=minimal');
  expect(response.headers.get('odata-version')).toBe('4.0');
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

describe('Web API create, retrieve, update, delete', () => {
  it('creates with 204 and OData-EntityId, retrieves with $select, updates and deletes', async () => {
    const created = await api('contacts', {
      method: 'POST',
      body: JSON.stringify({ firstname: 'Ada', lastname: 'Test-Lovelace', emailaddress1: 'ada@example.com' }),
    });
    expect(created.status).toBe(204);
    const entityId = created.headers.get('odata-entityid') ?? '';
    expect(entityId).toMatch(new RegExp(`^${root.replaceAll('.', '\\.')}contacts\\([0-9a-f-]{36}\\)$`));
    const id = /\(([^)]+)\)/.exec(entityId)?.[1] ?? '';
    expect(sim.control.record('contoso', 'contacts', id)).toMatchObject({
      fullname: 'Ada Test-Lovelace',
      emailaddress1: 'ada@example.com',
      statecode: 0,
      statuscode: 1,
    });

    const read = await api(`contacts(${id})?$select=fullname,emailaddress1`);
    expect(read.status).toBe(200);
    const body = (await read.json()) as Record<string, unknown>;
    expect(body).toEqual({
      '@odata.context': `${root}$metadata#contacts(fullname,emailaddress1)/$entity`,
      '@odata.etag': expect.stringMatching(/^W\/"\d+"$/),
      fullname: 'Ada Test-Lovelace',
      emailaddress1: 'ada@example.com',
      contactid: id,
    });

    const updated = await api(`contacts(${id})`, {
      method: 'PATCH',
      headers: { 'if-match': '*' },
      body: JSON.stringify({ jobtitle: 'Analyst', lastname: 'Test-King' }),
    });
    expect(updated.status).toBe(204);
    const after = sim.control.record('contoso', 'contacts', id);
    expect(after).toMatchObject({ jobtitle: 'Analyst', fullname: 'Ada Test-King' });
    expect(after?.['@odata.etag']).not.toBe(body['@odata.etag']);

    const stale = await api(`contacts(${id})`, {
      method: 'PATCH',
      headers: { 'if-match': String(body['@odata.etag']) },
      body: JSON.stringify({ jobtitle: 'Lost update' }),
    });
    expect(stale.status).toBe(412);
    expect((await errorOf(stale)).message).toBe(
      "The version of the existing record doesn't match the RowVersion property provided.",
    );

    expect((await api(`contacts(${id})`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.control.record('contoso', 'contacts', id)).toBeUndefined();
    const gone = await api(`contacts(${id})`);
    expect(gone.status).toBe(404);
    expect(await errorOf(gone)).toEqual({ code: '0x80040217', message: `contact With Id = ${id} Does Not Exist` });
  });

  it('returns 201 with the record for Prefer: return=representation, and binds lookups with @odata.bind', async () => {
    const account = sim.control.records('contoso', 'accounts')[0];
    const response = await api('contacts?$select=fullname,_parentcustomerid_value', {
      method: 'POST',
      headers: { prefer: 'return=representation,odata.include-annotations="*"' },
      body: JSON.stringify({
        firstname: 'Grace',
        lastname: 'Test-Hopper',
        'parentcustomerid_account@odata.bind': `/accounts(${String(account?.accountid)})`,
      }),
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('preference-applied')).toBe('return=representation');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body['@odata.context']).toBe(`${root}$metadata#contacts(fullname,_parentcustomerid_value)/$entity`);
    expect(body).toMatchObject({
      fullname: 'Grace Test-Hopper',
      _parentcustomerid_value: account?.accountid,
      '_parentcustomerid_value@OData.Community.Display.V1.FormattedValue': account?.name,
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'account',
      '_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty': 'parentcustomerid_account',
    });
  });

  it('answers validation errors with the documented codes and changes nothing', async () => {
    const before = sim.control.records('contoso', 'contacts').length;
    const unknown = await api('contacts', {
      method: 'POST',
      body: JSON.stringify({ lastname: 'Test-X', nickname: 'x' }),
    });
    expect(unknown.status).toBe(400);
    expect(await errorOf(unknown)).toEqual({
      code: '0x80060888',
      message: "Could not find a property named 'nickname' on type 'Microsoft.Dynamics.CRM.contact'.",
    });
    const tooLong = await api('contacts', {
      method: 'POST',
      body: JSON.stringify({ lastname: 'Test-'.padEnd(51, 'x') }),
    });
    expect(tooLong.status).toBe(400);
    expect(await errorOf(tooLong)).toEqual({
      code: '0x80044331',
      message:
        "A validation error occurred.  The length of the 'lastname' attribute of the 'contact' entity exceeded the maximum allowed length of '50'.",
    });
    // Like real Dataverse, the Web API enforces only SystemRequired columns unless a test asks for more.
    sim.control.configure({ enforceApplicationRequired: true });
    try {
      const missing = await api('contacts', { method: 'POST', body: JSON.stringify({ firstname: 'Nobody' }) });
      expect(missing.status).toBe(400);
      expect((await errorOf(missing)).message).toContain("'lastname'");
      const lead = await api('leads', { method: 'POST', body: JSON.stringify({ lastname: 'Test-Lead' }) });
      expect((await errorOf(lead)).message).toContain("'subject'");
    } finally {
      sim.control.configure({ enforceApplicationRequired: false });
    }
    const badType = await api('contacts', {
      method: 'POST',
      body: JSON.stringify({ lastname: 'Test-T', numberofchildren: 'two' }),
    });
    expect((await errorOf(badType)).code).toBe('0x80048d19');
    const directLookup = await api('contacts', {
      method: 'POST',
      body: JSON.stringify({ lastname: 'Test-L', _parentcustomerid_value: '00000000-0000-0000-0000-000000000001' }),
    });
    expect((await errorOf(directLookup)).message).toBe(
      'CRM do not support direct update of Entity Reference properties, Use Navigation properties instead.',
    );
    const badGuid = await api('contacts(not-a-guid)');
    expect(badGuid.status).toBe(400);
    expect((await errorOf(badGuid)).code).toBe('0x80060888');
    const badSet = await api('contact');
    expect(badSet.status).toBe(404);
    expect((await errorOf(badSet)).message).toBe("Resource not found for the segment 'contact'.");
    expect(sim.control.records('contoso', 'contacts').length).toBe(before);
  });

  it('detects duplicates only when asked (MSCRM.SuppressDuplicateDetection: false)', async () => {
    const existing = sim.control.records('contoso', 'contacts').find((row) => row.emailaddress1);
    const body = JSON.stringify({ lastname: 'Test-Dup', emailaddress1: String(existing?.emailaddress1).toUpperCase() });
    const checked = await api('contacts', {
      method: 'POST',
      headers: { 'mscrm.suppressduplicatedetection': 'false' },
      body,
    });
    expect(checked.status).toBe(500);
    expect(await errorOf(checked)).toEqual({
      code: '0x80040333',
      message: 'A record was not created or updated because a duplicate of the current record already exists.',
    });
    expect((await api('contacts', { method: 'POST', body })).status).toBe(204);
  });
});

describe('alternate keys and upsert', () => {
  it('upserts by lms_userid: creates, then updates, with If-None-Match and If-Match semantics', async () => {
    const key = "contacts(lms_userid='lms-test-1')";
    const updateOnly = await api(key, {
      method: 'PATCH',
      headers: { 'if-match': '*' },
      body: JSON.stringify({ lastname: 'Test-U' }),
    });
    expect(updateOnly.status).toBe(404);
    expect(await errorOf(updateOnly)).toEqual({
      code: '0x80040217',
      message: 'A record with the specified key values does not exist in contact entity',
    });
    expect(sim.control.records('contoso', 'contacts').some((row) => row.lms_userid === 'lms-test-1')).toBe(false);

    const created = await api(key, {
      method: 'PATCH',
      headers: { 'if-none-match': '*', prefer: 'return=representation' },
      body: JSON.stringify({ firstname: 'Alan', lastname: 'Test-Turing' }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('odata-entityid')).toBe(`${root}${key}`);
    const row = (await created.json()) as Record<string, unknown>;
    expect(row).toMatchObject({ lms_userid: 'lms-test-1', fullname: 'Alan Test-Turing' });

    const createOnly = await api(key, {
      method: 'PATCH',
      headers: { 'if-none-match': '*' },
      body: JSON.stringify({ lastname: 'Test-Again' }),
    });
    expect(createOnly.status).toBe(412);
    expect(await errorOf(createOnly)).toEqual({
      code: '0x80040237',
      message: 'A record with matching key values already exists.',
    });

    const upserted = await api(key, {
      method: 'PATCH',
      body: JSON.stringify({ jobtitle: 'Mathematician', lms_userid: 'ignored' }),
    });
    expect(upserted.status).toBe(204);
    const matches = sim.control
      .records('contoso', 'contacts')
      .filter((contact) => String(contact.lms_userid).startsWith('lms-test-1'));
    expect(matches).toHaveLength(1);
    expect(matches[0]).toMatchObject({ contactid: row.contactid, jobtitle: 'Mathematician', lastname: 'Test-Turing' });

    const byKey = await api(`${key}?$select=jobtitle`);
    expect(((await byKey.json()) as Record<string, unknown>).jobtitle).toBe('Mathematician');
  });

  it('rejects a second row with the same alternate key value', async () => {
    const taken = sim.control.records('contoso', 'contacts').find((row) => row.lms_userid);
    const response = await api('contacts', {
      method: 'POST',
      body: JSON.stringify({ lastname: 'Test-Clash', lms_userid: String(taken?.lms_userid).toUpperCase() }),
    });
    expect(response.status).toBe(412);
    expect(await errorOf(response)).toEqual({
      code: '0x80060892',
      message:
        'A record that has the attribute values LMS User Id already exists. The entity key LMS User Id Key requires that this set of attributes contains unique values. Select unique values and try again.',
    });
  });

  it('upserts by primary key and addresses accounts by accountnumber', async () => {
    const id = '6c1f7a3e-0b7e-4b8e-9d4f-3f1b2a9c0d11';
    expect(
      (await api(`contacts(${id})`, { method: 'PATCH', body: JSON.stringify({ lastname: 'Test-ById' }) })).status,
    ).toBe(204);
    expect(sim.control.record('contoso', 'contacts', id)).toMatchObject({ lastname: 'Test-ById' });
    const account = sim.control.records('contoso', 'accounts')[0];
    const read = await api(`accounts(accountnumber='${String(account?.accountnumber)}')?$select=name`);
    expect(((await read.json()) as Record<string, unknown>).name).toBe(account?.name);
  });
});

describe('authentication and authorization', () => {
  it('answers 401 with the WWW-Authenticate challenge, and 403 to a user outside the environment', async () => {
    const env = sim.environment('contoso');
    const anonymous = await fetch(`${root}WhoAmI`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe(
      `Bearer authorization_uri=https://login.microsoftonline.com/${env.tenantId}/oauth2/authorize, resource_id=${CONTOSO}/`,
    );
    const dev = await signIn(sim, SALES, 'https://contoso-dev.crm4.dynamics.com');
    const wrongAudience = await fetch(`${root}WhoAmI`, { headers: { authorization: `Bearer ${dev.accessToken}` } });
    expect(wrongAudience.status).toBe(401);
    const outsider = webApi(sim, 'contoso-dev', dev.accessToken);
    const forbidden = await outsider('WhoAmI');
    expect(forbidden.status).toBe(403);
    expect(await errorOf(forbidden)).toEqual({
      code: '0x80072560',
      message: 'The user is not a member of the organization.',
    });
  });
});
