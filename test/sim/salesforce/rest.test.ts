import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checksumSuffix } from './model/ids.ts';
import { API_VERSION, connect, orgInfo, type Running, rawFetch, startSimulator } from './test-support.ts';

let running: Running;
let conn: jsforce.Connection;

beforeAll(async () => {
  running = await startSimulator({ recordCounts: { Account: 50, Contact: 4500, Lead: 80 } });
  conn = await connect(running, 'acme');
});
afterAll(() => running.close());

type Contact = {
  attributes?: { type: string; url: string };
  Id: string;
  LastName: string;
  FirstName?: string | null;
  Email?: string | null;
  LMS_User_Id__c?: string | null;
};

describe('versions, resources, describe and limits', () => {
  it('lists versions without auth and resources with it', async () => {
    const versions = (await conn.request('/services/data/')) as { version: string; label: string; url: string }[];
    expect(versions[0]).toEqual({ label: "Summer '14", url: '/services/data/v31.0', version: '31.0' });
    expect(versions.at(-1)).toEqual({ label: "Summer '26", url: '/services/data/v67.0', version: '67.0' });
    const unauthenticated = await fetch(`${conn.instanceUrl}/services/data`);
    expect(unauthenticated.status).toBe(200);
    const resources = (await conn.request(`/services/data/v${API_VERSION}`)) as Record<string, string>;
    expect(resources.sobjects).toBe(`/services/data/v${API_VERSION}/sobjects`);
    expect(resources.identity).toMatch(/\/id\/00D/);
    const retired = await rawFetch(conn, '/services/data/v30.0/limits');
    expect(retired.status).toBe(404);
    expect(await retired.json()).toEqual([
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
    ]);
  });

  it('describes the org and its objects, including the LMS external id', async () => {
    const global = await conn.describeGlobal();
    expect(global.sobjects.map((object) => object.name)).toEqual(['Account', 'Contact', 'Lead']);
    expect(global.sobjects.find((object) => object.name === 'Lead')?.keyPrefix).toBe('00Q');
    const contact = await conn.describe('Contact');
    expect(contact.keyPrefix).toBe('003');
    const field = (name: string) => contact.fields.find((candidate) => candidate.name === name);
    expect(field('LMS_User_Id__c')).toMatchObject({
      type: 'string',
      length: 255,
      externalId: true,
      unique: true,
      idLookup: true,
      custom: true,
      nillable: true,
      createable: true,
      updateable: true,
    });
    expect(field('LastName')).toMatchObject({ nillable: false, createable: true, length: 80, byteLength: 240 });
    expect(field('Name')).toMatchObject({ createable: false, updateable: false, nameField: true });
    expect(field('LeadSource')?.picklistValues?.map((entry) => entry.value)).toContain('Web');
    expect(field('AccountId')).toMatchObject({
      type: 'reference',
      referenceTo: ['Account'],
      relationshipName: 'Account',
    });
    const lead = await conn.describe('Lead');
    const status = lead.fields.find((candidate) => candidate.name === 'Status');
    expect(status).toMatchObject({ nillable: false, defaultedOnCreate: true });
    expect(status?.picklistValues?.find((entry) => entry.defaultValue)?.value).toBe('Open - Not Contacted');
    await expect(conn.describe('Nope__c')).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });

  it('reports limits and stamps Sforce-Limit-Info on every response', async () => {
    const before = running.sim.org('acme').apiUsage().used;
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBe(100_000);
    expect(limits.DailyApiRequests?.Remaining).toBe(100_000 - before - 1);
    expect(conn.limitInfo.apiUsage).toEqual({ used: before + 1, limit: 100_000 });
    const response = await rawFetch(conn, `/services/data/v${API_VERSION}/sobjects/Nope`);
    expect(response.headers.get('sforce-limit-info')).toBe(`api-usage=${before + 2}/100000`);
    expect(response.headers.get('content-type')).toBe('application/json;charset=UTF-8');
  });
});

describe('query and queryMore', () => {
  it('pages 2000 records at a time and autoFetch follows nextRecordsUrl', async () => {
    const first = await conn.query<Contact>('SELECT Id, LastName FROM Contact');
    const total = running.sim.org('acme').count('Contact');
    expect(total).toBe(4500);
    expect(first.totalSize).toBe(total);
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(2000);
    const raw = await rawFetch(
      conn,
      `/services/data/v${API_VERSION}/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`,
    );
    const rawBody = (await raw.json()) as { nextRecordsUrl: string; done: boolean };
    expect(rawBody.nextRecordsUrl).toMatch(
      new RegExp(`^/services/data/v${API_VERSION}/query/01g[a-zA-Z0-9]{15}-2000$`),
    );
    expect(first.records[0]?.attributes).toEqual({
      type: 'Contact',
      url: `/services/data/v${API_VERSION}/sobjects/Contact/${first.records[0]?.Id}`,
    });
    const all: Contact[] = [];
    await conn
      .query<Contact>('SELECT Id, LastName FROM Contact ORDER BY LastName', { autoFetch: true, maxFetch: 100_000 })
      .on('record', (record: Contact) => all.push(record))
      .run();
    expect(all).toHaveLength(total);
    expect(new Set(all.map((record) => record.Id)).size).toBe(total);
    const names = all.map((record) => record.LastName.toUpperCase());
    expect(names).toEqual([...names].sort());
  });

  it('honours Sforce-Query-Options batchSize and leaves Id out when not selected', async () => {
    const result = await conn.query<Contact>('SELECT LastName FROM Contact', {
      headers: { 'Sforce-Query-Options': 'batchSize=500' },
    });
    expect(result.records).toHaveLength(500);
    expect(Object.keys(result.records[0] ?? {})).toEqual(['attributes', 'LastName']);
    const more = await conn.queryMore<Contact>(result.nextRecordsUrl ?? '');
    expect(more.records).toHaveLength(500);
    expect(more.nextRecordsUrl).toMatch(/-1000$/);
  });

  it('answers COUNT(), bad queries and bad locators with Salesforce errors', async () => {
    const count = await conn.query("SELECT COUNT() FROM Lead WHERE Status = 'Open - Not Contacted'");
    const expected = running.sim
      .org('acme')
      .records('Lead')
      .filter((lead) => lead.Status === 'Open - Not Contacted').length;
    expect(count).toEqual({ totalSize: expected, done: true, records: [] });
    await expect(conn.query('SELECT Nope FROM Contact')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
    await expect(conn.query('SELECT Id FROM Nope')).rejects.toMatchObject({ errorCode: 'INVALID_TYPE' });
    await expect(conn.query('SELEC Id FROM Contact')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    const badLocator = await rawFetch(conn, `/services/data/v${API_VERSION}/query/01gXXXXXXXXXXXXXXX-2000`);
    expect(badLocator.status).toBe(400);
    expect(await badLocator.json()).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });
});

describe('single-record CRUD', () => {
  it('creates, retrieves (with ?fields=), updates and deletes, maintaining audit fields', async () => {
    const created = await conn
      .sobject('Contact')
      .create({ FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@navy.mil' });
    expect(created).toEqual({ id: expect.stringMatching(/^003[a-zA-Z0-9]{15}$/), success: true, errors: [] });
    const id = created.id ?? '';
    expect(checksumSuffix(id.slice(0, 15))).toBe(id.slice(15));
    const stored = running.sim.org('acme').record('Contact', id);
    expect(stored).toMatchObject({
      Name: 'Grace Hopper',
      IsDeleted: false,
      OwnerId: conn.userInfo?.id,
      CreatedById: conn.userInfo?.id,
    });
    expect(stored?.CreatedDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);

    const full = (await conn.sobject('Contact').retrieve(id)) as unknown as Record<string, unknown>;
    expect(full.attributes).toEqual({ type: 'Contact', url: `/services/data/v${API_VERSION}/sobjects/Contact/${id}` });
    expect(full.LastName).toBe('Hopper');
    expect(full.LMS_User_Id__c).toBeNull();
    const some = await conn.request(`/services/data/v${API_VERSION}/sobjects/Contact/${id.slice(0, 15)}?fields=Email`);
    expect(some).toEqual({ attributes: full.attributes, Email: 'grace@navy.mil', Id: id });

    const update = await rawFetch(conn, `/services/data/v${API_VERSION}/sobjects/Contact/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Title: 'Rear Admiral', Email: null }),
    });
    expect(update.status).toBe(204);
    const updated = running.sim.org('acme').record('Contact', id);
    expect(updated).toMatchObject({ Title: 'Rear Admiral', Email: null, CreatedDate: stored?.CreatedDate });

    expect(await conn.sobject('Contact').destroy(id)).toEqual({ id, success: true, errors: [] });
    expect(running.sim.org('acme').record('Contact', id)?.IsDeleted).toBe(true);
    await expect(conn.sobject('Contact').retrieve(id)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
    await expect(conn.sobject('Contact').update({ Id: id, Title: 'x' })).rejects.toMatchObject({
      errorCode: 'ENTITY_IS_DELETED',
      message: 'entity is deleted',
    });
    await expect(conn.sobject('Contact').destroy(id)).rejects.toMatchObject({ errorCode: 'ENTITY_IS_DELETED' });

    const visible = await conn.query(`SELECT Id FROM Contact WHERE Id = '${id}'`);
    expect(visible.totalSize).toBe(0);
    const recycled = await conn.query<{ Id: string; IsDeleted: boolean }>(
      `SELECT Id, IsDeleted FROM Contact WHERE Id = '${id}'`,
      {
        scanAll: true,
      },
    );
    expect(recycled.records.map((record) => record.IsDeleted)).toEqual([true]);
    const deleted = await conn.sobject('Contact').deleted(new Date(Date.now() - 60_000), new Date(Date.now() + 60_000));
    expect(deleted.deletedRecords.map((entry) => entry.id)).toContain(id);
  });

  it('validates like Salesforce: required, lengths, types, read-only, unknown fields, ids', async () => {
    const error = async (promise: Promise<unknown>) => {
      try {
        await promise;
      } catch (caught) {
        const { errorCode, message, data } = caught as {
          errorCode: string;
          message: string;
          data: { fields?: string[] };
        };
        return { errorCode, message, fields: data.fields };
      }
      throw new Error('expected a failure');
    };
    expect(await error(conn.sobject('Contact').create({ FirstName: 'No' }))).toEqual({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [LastName]',
      fields: ['LastName'],
    });
    expect(await error(conn.sobject('Lead').create({ FirstName: 'No' }))).toMatchObject({
      errorCode: 'REQUIRED_FIELD_MISSING',
      message: 'Required fields are missing: [LastName, Company]',
    });
    expect(await error(conn.sobject('Contact').create({ LastName: 'x'.repeat(81) }))).toEqual({
      errorCode: 'STRING_TOO_LONG',
      message: `Last Name: data value too large: ${'x'.repeat(81)} (max length=80)`,
      fields: ['LastName'],
    });
    expect(await error(conn.sobject('Contact').create({ LastName: 'A', Email: 'not-an-email' }))).toMatchObject({
      errorCode: 'INVALID_EMAIL_ADDRESS',
    });
    expect(await error(conn.sobject('Contact').create({ LastName: 'A', Birthdate: 'yesterday' }))).toMatchObject({
      errorCode: 'JSON_PARSER_ERROR',
      message: expect.stringMatching(
        /^Cannot deserialize instance of date from VALUE_STRING value yesterday .*\[line:1, column:\d+\]$/,
      ),
    });
    expect(await error(conn.sobject('Contact').create({ LastName: 'A', Name: 'Full' }))).toMatchObject({
      errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE',
      fields: ['Name'],
    });
    expect(await error(conn.sobject('Contact').create({ LastName: 'A', Shoe_Size__c: 9 }))).toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Shoe_Size__c' on sobject of type Contact",
    });
    expect(
      await error(conn.sobject('Contact').create({ LastName: 'A', AccountId: '003000000000000AAA' })),
    ).toMatchObject({
      errorCode: 'FIELD_INTEGRITY_EXCEPTION',
    });
    expect(await error(conn.sobject('Contact').retrieve('003RM000003oLnnXXX'))).toMatchObject({
      errorCode: 'MALFORMED_ID',
    });
    expect(await error(conn.sobject('Contact').retrieve('001RM000003oLnnYAE'))).toMatchObject({
      errorCode: 'MALFORMED_ID',
      message: 'Contact ID: id value of incorrect type: 001RM000003oLnnYAE',
    });
    expect(await error(conn.sobject('Contact').retrieve('0038a000000zzzzAAA'))).toMatchObject({
      errorCode: 'NOT_FOUND',
    });
    const malformedJson = await rawFetch(conn, `/services/data/v${API_VERSION}/sobjects/Contact`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"LastName": x}',
    });
    expect(malformedJson.status).toBe(400);
    expect((await malformedJson.json())[0]).toMatchObject({ errorCode: 'JSON_PARSER_ERROR' });
  });

  it('enforces unique external ids with the real DUPLICATE_VALUE message', async () => {
    const first = await conn.sobject('Contact').create({ LastName: 'Unique', LMS_User_Id__c: 'lms-dup-1' });
    await expect(
      conn.sobject('Contact').create({ LastName: 'Again', LMS_User_Id__c: 'LMS-DUP-1' }),
    ).rejects.toMatchObject({
      errorCode: 'DUPLICATE_VALUE',
      message: `duplicate value found: LMS_User_Id__c duplicates value on record with id: ${first.id}`,
    });
  });
});

describe('upsert', () => {
  it('creates (201), updates (200 with created:false; 204 before v46), and finds several (300)', async () => {
    const path = `/services/data/v${API_VERSION}/sobjects/Contact/LMS_User_Id__c/up-1`;
    const created = await rawFetch(conn, path, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ LastName: 'Upserted', FirstName: 'Una' }),
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string };
    expect(body).toEqual({ id: expect.any(String), success: true, errors: [], created: true });
    const updated = await conn
      .sobject('Contact')
      .upsert({ LMS_User_Id__c: 'up-1', Title: 'Engineer' }, 'LMS_User_Id__c');
    expect(updated).toEqual({ id: body.id, success: true, errors: [], created: false });
    expect(running.sim.org('acme').record('Contact', body.id)).toMatchObject({
      Title: 'Engineer',
      LastName: 'Upserted',
    });

    const old = await connect(running, 'acme', 'admin@acme.com', '45.0');
    const legacy = await rawFetch(old, '/services/data/v45.0/sobjects/Contact/LMS_User_Id__c/up-1', {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Title: 'Lead Engineer' }),
    });
    expect(legacy.status).toBe(204);

    for (const lastName of ['Twin One', 'Twin Two']) {
      await conn.sobject('Contact').create({ LastName: lastName, Legacy_Id__c: 'LEG-TWIN' });
    }
    const multiple = await rawFetch(conn, `/services/data/v${API_VERSION}/sobjects/Contact/Legacy_Id__c/LEG-TWIN`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Title: 'x' }),
    });
    expect(multiple.status).toBe(300);
    const urls = (await multiple.json()) as string[];
    expect(urls).toHaveLength(2);
    expect(urls[0]).toMatch(new RegExp(`^/services/data/v${API_VERSION}/sobjects/Contact/003`));
    await expect(
      conn.sobject('Contact').upsert({ Legacy_Id__c: 'LEG-TWIN', Title: 'x' }, 'Legacy_Id__c'),
    ).rejects.toMatchObject({
      errorCode: 'MULTIPLE_CHOICES',
    });
  });

  it('answers 404 for updateOnly misses and unknown external id fields, and upserts by Id', async () => {
    const missing = await rawFetch(
      conn,
      `/services/data/v${API_VERSION}/sobjects/Contact/LMS_User_Id__c/nobody?updateOnly=true`,
      {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ LastName: 'Nobody' }),
      },
    );
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual([
      { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
    ]);
    expect(
      running.sim
        .org('acme')
        .records('Contact')
        .some((row) => row.LMS_User_Id__c === 'nobody'),
    ).toBe(false);
    await expect(conn.sobject('Contact').upsert({ Email: 'x@y.z', LastName: 'E' }, 'Email')).rejects.toMatchObject({
      errorCode: 'NOT_FOUND',
      message: 'Provided external ID field does not exist or is not accessible: Email',
    });
    const target = running.sim.org('acme').records('Contact')[0];
    const byId = await rawFetch(conn, `/services/data/v${API_VERSION}/sobjects/Contact/Id/${String(target?.Id)}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Department: 'By Id' }),
    });
    expect(byId.status).toBe(200);
    expect(running.sim.org('acme').record('Contact', String(target?.Id))?.Department).toBe('By Id');
    const createById = await rawFetch(conn, `/services/data/v${API_VERSION}/sobjects/Contact/Id`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ LastName: 'Made By Id Upsert' }),
    });
    expect(createById.status).toBe(201);
  });
});

describe('other orgs', () => {
  it('keeps each org to its own instance and data', async () => {
    const globex = await connect(running, 'globex');
    expect(globex.instanceUrl).toBe(orgInfo(running, 'globex').instanceUrl);
    expect(globex.instanceUrl).not.toBe(conn.instanceUrl);
    const wrongOrg = await fetch(`${conn.instanceUrl}/services/data/v${API_VERSION}/limits`, {
      headers: { authorization: `Bearer ${globex.accessToken}` },
    });
    expect(wrongOrg.status).toBe(401);
    const count = await globex.query('SELECT COUNT() FROM Contact');
    expect(count.totalSize).toBe(running.sim.org('globex').count('Contact'));
  });
});
