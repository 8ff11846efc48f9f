import { parse } from 'csv-parse/sync';
import type jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { to18 } from './model/ids.ts';
import { API_VERSION, connect, type Running, rawFetch, startSimulator } from './test-support.ts';

let running: Running;
let conn: jsforce.Connection;

beforeAll(async () => {
  running = await startSimulator({ recordCounts: { Account: 30, Contact: 2500, Lead: 40 } });
  conn = await connect(running, 'acme');
  conn.bulk2.pollInterval = 25;
});
afterAll(() => running.close());

type Row = Record<string, string>;

function jobsPath(path = ''): string {
  return `/services/data/v${API_VERSION}/jobs${path}`;
}

async function createJob(body: Record<string, unknown>): Promise<{ id: string; state: string; contentUrl: string }> {
  const response = await rawFetch(conn, jobsPath('/ingest'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string; state: string; contentUrl: string };
}

async function upload(id: string, csv: string): Promise<number> {
  const response = await rawFetch(conn, jobsPath(`/ingest/${id}/batches`), {
    method: 'PUT',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
  return response.status;
}

async function close(id: string): Promise<void> {
  const response = await rawFetch(conn, jobsPath(`/ingest/${id}`), {
    method: 'PATCH',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ state: 'UploadComplete' }),
  });
  expect(response.status).toBe(200);
}

async function settled(id: string, kind = 'ingest'): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const info = (await (await rawFetch(conn, jobsPath(`/${kind}/${id}`))).json()) as Record<string, unknown>;
    if (['JobComplete', 'Failed', 'Aborted'].includes(String(info.state))) return info;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('job did not settle');
}

describe('Bulk API 2.0 ingest', () => {
  it('inserts through loadAndWaitForResults with successful, failed and unprocessed results', async () => {
    const before = running.sim.org('acme').count('Contact');
    const input = [
      { FirstName: 'Bulk', LastName: 'One', Email: 'bulk.one@example.com', LMS_User_Id__c: 'bulk-1' },
      { FirstName: 'Bulk', LastName: null, Email: 'bulk.two@example.com', LMS_User_Id__c: 'bulk-2' },
      { FirstName: 'Bulk', LastName: 'Three', Email: 'not-an-email', LMS_User_Id__c: 'bulk-3' },
      { FirstName: 'Bulk', LastName: 'Four', Email: 'bulk.four@example.com', LMS_User_Id__c: 'bulk-4' },
    ];
    const results = await conn.bulk2.loadAndWaitForResults({ object: 'Contact', operation: 'insert', input });
    expect(results.successfulResults).toHaveLength(2);
    expect(results.successfulResults[0]).toMatchObject({
      sf__Created: 'true',
      LastName: 'One',
      LMS_User_Id__c: 'bulk-1',
    });
    expect(results.successfulResults[0]?.sf__Id).toMatch(/^003[a-zA-Z0-9]{15}$/);
    expect((results.failedResults as unknown as Row[]).map((row) => row.sf__Error)).toEqual([
      'REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --',
      'INVALID_EMAIL_ADDRESS:Email: invalid email address: not-an-email:Email --',
    ]);
    expect(results.failedResults[0]).toMatchObject({ sf__Id: '', LastName: '#N/A', LMS_User_Id__c: 'bulk-2' });
    expect(results.unprocessedRecords).toEqual([]);
    expect(running.sim.org('acme').count('Contact')).toBe(before + 2);
    const stored = running.sim.org('acme').record('Contact', results.successfulResults[0]?.sf__Id ?? '');
    expect(stored).toMatchObject({ Email: 'bulk.one@example.com', Name: 'Bulk One', IsDeleted: false });
  });

  it('upserts by external id with an empty Id column, #N/A nulling fields and sf__Created false on updates', async () => {
    const existing = await conn
      .sobject('Contact')
      .create({ LastName: 'Before', Title: 'Keep me?', LMS_User_Id__c: 'bulk-up-1' });
    // jsforce writes an empty Id column for upserts (gotcha 14).
    const input = [
      { LMS_User_Id__c: 'bulk-up-1', LastName: 'After', Title: null },
      { LMS_User_Id__c: 'bulk-up-2', LastName: 'Fresh', Title: 'New' },
      { LMS_User_Id__c: null, LastName: 'Keyless', Title: 'x' },
    ];
    const results = await conn.bulk2.loadAndWaitForResults({
      object: 'Contact',
      operation: 'upsert',
      externalIdFieldName: 'LMS_User_Id__c',
      input,
    });
    expect((results.successfulResults as unknown as Row[]).map((row) => [row.LMS_User_Id__c, row.sf__Created])).toEqual(
      [
        ['bulk-up-1', 'false'],
        ['bulk-up-2', 'true'],
      ],
    );
    expect(results.successfulResults[0]?.sf__Id).toBe(existing.id);
    expect(results.failedResults[0]?.sf__Error).toBe('MISSING_ARGUMENT:LMS_User_Id__c not specified:--');
    expect(running.sim.org('acme').record('Contact', existing.id ?? '')).toMatchObject({
      LastName: 'After',
      Title: null,
    });
  });

  it('updates, soft-deletes (recycle bin) and hard-deletes (gone, permission required)', async () => {
    const created = await conn.sobject('Lead').create([
      { LastName: 'Ingest A', Company: 'A Co' },
      { LastName: 'Ingest B', Company: 'B Co' },
      { LastName: 'Ingest C', Company: 'C Co' },
    ]);
    const [a, b, c] = created.map((result) => result.id ?? '');
    const update = await conn.bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'update',
      input: [
        { Id: a, Status: 'Working - Contacted' },
        { Id: to18('00Q8a0000000000'), Status: 'Working - Contacted' },
      ],
    });
    expect(update.successfulResults).toMatchObject([{ sf__Id: a, sf__Created: 'false' }]);
    expect(update.failedResults[0]?.sf__Error).toBe('INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--');
    expect(running.sim.org('acme').record('Lead', a ?? '')?.Status).toBe('Working - Contacted');

    const remove = await conn.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'delete', input: [{ Id: a }] });
    expect(remove.successfulResults).toHaveLength(1);
    const hard = await conn.bulk2.loadAndWaitForResults({
      object: 'Lead',
      operation: 'hardDelete',
      input: [{ Id: b }],
    });
    expect(hard.successfulResults).toHaveLength(1);
    const all = await conn.query<{ Id: string; IsDeleted: boolean }>(
      `SELECT Id, IsDeleted FROM Lead WHERE Id IN ('${a}', '${b}', '${c}')`,
      { scanAll: true },
    );
    expect(all.records.map((row) => [row.Id, row.IsDeleted])).toEqual([
      [a, true],
      [c, false],
    ]);
    expect(running.sim.org('acme').record('Lead', b ?? '')).toBeUndefined();

    const sales = await connect(running, 'acme', 'sales@acme.com');
    await expect(
      sales.bulk2.loadAndWaitForResults({ object: 'Lead', operation: 'hardDelete', input: [{ Id: c }] }),
    ).rejects.toThrow(
      'hardDelete operation requires special user profile permission, please contact your system administrator',
    );
  });

  it('walks the job states and fails jobs the way Salesforce does', async () => {
    const job = await createJob({ object: 'Account', operation: 'insert' });
    expect(job).toMatchObject({
      state: 'Open',
      contentUrl: `services/data/v${API_VERSION}/jobs/ingest/${job.id}/batches`,
    });
    expect(job.id).toMatch(/^750/);
    expect(await upload(job.id, 'Name,NumberOfEmployees\nAcme Rockets,12\nBad Count,many\n')).toBe(201);
    expect(await upload(job.id, 'Name\nTwice\n')).toBe(409);
    await close(job.id);
    const info = await settled(job.id);
    expect(info).toMatchObject({
      state: 'JobComplete',
      jobType: 'V2Ingest',
      numberRecordsProcessed: 2,
      numberRecordsFailed: 1,
      retries: 0,
    });
    const failed = await (await rawFetch(conn, jobsPath(`/ingest/${job.id}/failedResults`))).text();
    expect(failed).toBe(
      '"sf__Id","sf__Error",Name,NumberOfEmployees\n"","INVALID_TYPE_ON_FIELD_IN_RECORD:Employees: value not of required type: many:NumberOfEmployees --","Bad Count","many"\n',
    );

    const unknownColumn = await createJob({ object: 'Account', operation: 'insert' });
    await upload(unknownColumn.id, 'Name,Shoe_Size__c\nX,9\n');
    await close(unknownColumn.id);
    expect(await settled(unknownColumn.id)).toMatchObject({
      state: 'Failed',
      errorMessage: 'InvalidBatch : Field name not found : Shoe_Size__c',
    });
    const unprocessed = await (await rawFetch(conn, jobsPath(`/ingest/${unknownColumn.id}/unprocessedrecords`))).text();
    expect(unprocessed).toBe('Name,Shoe_Size__c\n"X","9"\n');

    const crlf = await createJob({ object: 'Account', operation: 'insert', lineEnding: 'LF' });
    await upload(crlf.id, 'Name\r\nWindows Co\r\n');
    await close(crlf.id);
    expect(await settled(crlf.id)).toMatchObject({
      state: 'Failed',
      errorMessage: 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF',
    });

    const aborted = await createJob({ object: 'Account', operation: 'insert' });
    await upload(aborted.id, 'Name\nNever\n');
    const abort = await rawFetch(conn, jobsPath(`/ingest/${aborted.id}`), {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: 'Aborted' }),
    });
    expect(((await abort.json()) as { state: string }).state).toBe('Aborted');
    expect(await (await rawFetch(conn, jobsPath(`/ingest/${aborted.id}/unprocessedrecords`))).text()).toBe(
      'Name\n"Never"\n',
    );

    const noExternalId = await rawFetch(conn, jobsPath('/ingest'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ object: 'Contact', operation: 'upsert' }),
    });
    expect(await noExternalId.json()).toEqual([
      {
        message: 'External ID was blank for Contact. An External ID must be specified for upsert.',
        errorCode: 'INVALIDJOB',
      },
    ]);

    running.sim.org('acme').failNextBulkJob('InternalServerError : Something broke');
    await expect(
      conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: [{ Name: 'Doomed' }] }),
    ).rejects.toThrow('Ingest job failed to complete due to: InternalServerError : Something broke');
  });

  it('refreshes the session on a Bulk 401, whose body names INVALID_SESSION_ID', async () => {
    // globex, so no request still in flight from the tests above can take the one-shot 401.
    const globex = await connect(running, 'globex');
    running.sim.org('globex').invalidateNextSession();
    const response = await rawFetch(globex, jobsPath('/ingest'));
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    const fresh = await connect(running, 'globex');
    fresh.bulk2.pollInterval = 25;
    const refreshed: string[] = [];
    fresh.on('refresh', (token: string) => refreshed.push(token));
    running.sim.org('globex').invalidateNextSession();
    const results = await fresh.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [{ Name: 'After 401' }],
    });
    expect(results.successfulResults).toHaveLength(1);
    expect(refreshed).toEqual([fresh.accessToken]);
  });
});

describe('Bulk API 2.0 query', () => {
  it('pages results with Sforce-Locator until the literal null (gotcha 2)', async () => {
    const created = await rawFetch(conn, jobsPath('/query'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: 'SELECT Id, LastName, Email FROM Contact ORDER BY Id' }),
    });
    const job = (await created.json()) as { id: string; state: string };
    expect(job.state).toBe('UploadComplete');
    const info = await settled(job.id, 'query');
    const total = running.sim.org('acme').count('Contact');
    expect(info).toMatchObject({ state: 'JobComplete', jobType: 'V2Query', numberRecordsProcessed: total });

    const pages: { locator: string | null; count: string | null; rows: Row[] }[] = [];
    let locator: string | null = '';
    while (locator !== 'null') {
      const query: string = locator ? `&locator=${locator}` : '';
      const response = await rawFetch(conn, jobsPath(`/query/${job.id}/results?maxRecords=1000${query}`), {
        headers: { accept: 'text/csv' },
      });
      expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
      locator = response.headers.get('sforce-locator');
      const rows = parse(await response.text(), { columns: true }) as Row[];
      pages.push({ locator, count: response.headers.get('sforce-numberofrecords'), rows });
    }
    expect(pages.length).toBe(Math.ceil(total / 1000));
    expect(pages.at(-1)?.locator).toBe('null');
    expect(pages[0]?.locator).toBe(Buffer.from('1000').toString('base64').replace(/=+$/, ''));
    expect(pages.map((page) => Number(page.count))).toEqual(pages.map((page) => page.rows.length));
    const ids = pages.flatMap((page) => page.rows.map((row) => row.Id));
    expect(ids).toHaveLength(total);
    expect(ids).toEqual([...ids].sort());
    expect(Object.keys(pages[0]?.rows[0] ?? {})).toEqual(['Id', 'LastName', 'Email']);
  });

  it('works with jsforce bulk2.query when the results fit one page, and rejects bad queries', async () => {
    const records: Row[] = [];
    const stream = await conn.bulk2.query("SELECT Id, Name FROM Account WHERE Name != 'zzz'");
    await new Promise<void>((resolve, reject) => {
      stream.on('record', (record: Row) => records.push(record));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(records).toHaveLength(running.sim.org('acme').count('Account'));
    const bad = await rawFetch(conn, jobsPath('/query'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ operation: 'query', query: 'SELECT Nope FROM Account' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errorCode: string }[])[0]?.errorCode).toBe('INVALID_FIELD');
  });
});
