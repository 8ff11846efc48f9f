import { type JobRun, MAX_UPLOAD_BYTES } from '@orglink/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../sim/sandbox.ts';
import { connectDynamics, connectSalesforce, startWithAcmeConnection } from './support/connect.ts';
import { apiAs, createTeam, type Member, type RunningOrgLink } from './support/orglink.ts';
import { waitForRun } from './support/write-job.ts';

let sandbox: Sandbox;
let orglink: RunningOrgLink;
let team: Record<'owner' | 'admin' | 'viewer', Member>;
let connectionId: string;

beforeAll(async () => {
  ({ sandbox, orglink, team, connectionId } = await startWithAcmeConnection());
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

const api = () => apiAs(orglink.app, team.admin);
const contacts = () => sandbox.salesforce.org('acme').records('Contact') as unknown as Record<string, unknown>[];

async function activity(body: Record<string, unknown>, member: Member = team.admin): Promise<JobRun> {
  const answer = await apiAs(orglink.app, member).post(`/api/connections/${connectionId}/activities`, body);
  if (answer.status !== 202) throw new Error(`activity refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return waitForRun(orglink.app, team.viewer, answer.body.run.id, undefined, 60_000);
}

async function upload(csv: string): Promise<string> {
  const answer = await orglink.app.inject({
    method: 'POST',
    url: `/api/connections/${connectionId}/activities/uploads`,
    headers: { authorization: `Bearer ${team.admin.token}`, 'content-type': 'text/csv' },
    payload: csv,
  });
  if (answer.statusCode !== 201) throw new Error(`upload refused: ${answer.statusCode} ${answer.body}`);
  return answer.json().uploadId;
}

async function download(runId: string, file: 'results' | 'errors'): Promise<string[]> {
  const answer = await orglink.app.inject({
    method: 'GET',
    url: `/api/runs/${runId}/${file}.csv`,
    headers: { authorization: `Bearer ${team.viewer.token}` },
  });
  expect(answer.statusCode).toBe(200);
  return answer.body.split(/\r?\n/).filter(Boolean);
}

describe('standard activities (sObject Collections)', () => {
  let insertedIds: string[] = [];

  it('Insert creates every row and records its Id', async () => {
    const run = await activity({
      activity: 'insert',
      object: 'Contact',
      rows: [
        { LastName: 'Activity One', Email: 'one@example.org' },
        { LastName: 'Activity Two', Email: null },
        { LastName: 'Activity Three' },
      ],
    });
    expect(run).toMatchObject({ status: 'completed', kind: 'activity', title: 'Insert Contact' });
    expect(run.counts).toMatchObject({ created: 3, failed: 0, processed: 3, total: 3 });
    const created = contacts().filter((record) => String(record.LastName).startsWith('Activity '));
    expect(created.map((record) => record.LastName).sort()).toEqual(['Activity One', 'Activity Three', 'Activity Two']);
    const results = await download(run.id, 'results');
    expect(results).toHaveLength(4);
    insertedIds = created.map((record) => String(record.Id));
    for (const id of insertedIds) expect(results.join('\n')).toContain(id);
  });

  it('Query by the builder pages its results and the count preview agrees', async () => {
    const builder = {
      fields: ['Id', 'LastName', 'Email'],
      conditions: [{ field: 'LastName', operator: 'LIKE', value: 'Activity %' }],
      orderBy: { field: 'LastName', direction: 'ASC' },
    };
    const count = await api().post(`/api/connections/${connectionId}/activities/count`, { object: 'Contact', builder });
    expect(count.status).toBe(200);
    expect(count.body).toMatchObject({ count: 3 });
    expect(count.body.soql).toBe(
      "SELECT Id, LastName, Email FROM Contact WHERE LastName LIKE 'Activity %' ORDER BY LastName ASC",
    );
    const run = await activity({ activity: 'query', object: 'Contact', builder });
    expect(run.counts).toMatchObject({ processed: 3, total: 3 });
    const page = await apiAs(orglink.app, team.viewer).get(`/api/runs/${run.id}/rows?from=1&count=5`);
    expect(page.status).toBe(200);
    expect(page.body.columns).toEqual(['Id', 'LastName', 'Email']);
    expect(page.body.total).toBe(3);
    expect(page.body.rows.map((row: string[]) => row[1])).toEqual(['Activity Three', 'Activity Two']);
  });

  it('keeps values typed into the builder out of the query (no SOQL injection)', async () => {
    const builder = {
      fields: ['Id'],
      conditions: [{ field: 'LastName', operator: '=', value: "x' OR LastName != 'x" }],
    };
    const count = await api().post(`/api/connections/${connectionId}/activities/count`, { object: 'Contact', builder });
    expect(count.status).toBe(200);
    expect(count.body.count).toBe(0);
    expect(count.body.soql).toContain("\\' OR LastName != \\'x'");
  });

  it('Update writes by Id; Upsert creates then updates by a unique External ID; Delete empties the rows', async () => {
    const updated = await activity({
      activity: 'update',
      object: 'Contact',
      rows: insertedIds.map((Id, index) => ({ Id, Email: `updated${index}@example.org` })),
    });
    expect(updated.counts).toMatchObject({ updated: 3, failed: 0 });
    expect(insertedIds.map((id) => sandbox.salesforce.org('acme').record('Contact', id)?.Email)).toEqual([
      'updated0@example.org',
      'updated1@example.org',
      'updated2@example.org',
    ]);

    const upsert = (rows: Record<string, string>[]) =>
      activity({ activity: 'upsert', object: 'Contact', externalIdField: 'LMS_User_Id__c', rows });
    const first = await upsert([
      { LMS_User_Id__c: 'act-1', LastName: 'Upserted One' },
      { LMS_User_Id__c: 'act-2', LastName: 'Upserted Two' },
    ]);
    expect(first.counts).toMatchObject({ created: 2, updated: 0 });
    const second = await upsert([{ LMS_User_Id__c: 'act-1', LastName: 'Upserted Again' }]);
    expect(second.counts).toMatchObject({ created: 0, updated: 1 });
    expect(
      contacts()
        .filter((record) => record.LMS_User_Id__c === 'act-1')
        .map((record) => record.LastName),
    ).toEqual(['Upserted Again']);

    // A blank and a malformed Id among them fail on their own rows and never shift the answers onto other rows.
    const [firstId, ...others] = insertedIds;
    const deleted = await activity({
      activity: 'delete',
      object: 'Contact',
      rows: [{ Id: firstId }, { Id: '' }, { Id: 'x,y' }, ...others.map((Id) => ({ Id }))],
    });
    expect(deleted.counts).toMatchObject({ deleted: 3, failed: 2 });
    expect(contacts().filter((record) => insertedIds.includes(String(record.Id)))).toEqual([]);
    const failures = await download(deleted.id, 'errors');
    expect(failures.slice(1).map((line) => line.split(',').slice(0, 1)[0])).toEqual(['2', '3']);
    expect(failures[1]).toContain('MALFORMED_ID');
  });

  it('records per-record failures and, with all or none, rolls the whole request back', async () => {
    const rows = [{ LastName: 'Fine' }, { LastName: 'Bad', Email: 'not an e-mail' }];
    const partial = await activity({ activity: 'insert', object: 'Contact', rows });
    expect(partial).toMatchObject({ status: 'completed-with-errors' });
    expect(partial.counts).toMatchObject({ created: 1, failed: 1 });
    const errors = await download(partial.id, 'errors');
    expect(errors[1]).toMatch(/^2,.*INVALID_EMAIL_ADDRESS/);

    const before = contacts().length;
    const atomic = await activity({ activity: 'insert', object: 'Contact', rows, allOrNone: true });
    expect(atomic.counts).toMatchObject({ created: 0, failed: 2 });
    expect(contacts().length).toBe(before);
  });
});

describe('bulk activities (Bulk API 2.0)', () => {
  const size = 2_500;

  it('Bulk Insert from an uploaded CSV, Bulk Query of it, Bulk Update and Bulk Delete from the query results', async () => {
    const csv = [
      'Last name,E-mail,Notes',
      ...Array.from({ length: size }, (_, index) => `Bulkrow ${index},bulk${index}@example.org,skipped`),
    ].join('\n');
    const uploaded = await upload(csv);
    // While Salesforce counts nothing yet, the run says what it waits for; once finished, it says nothing of the kind.
    const stages: string[] = [];
    const unsubscribe = orglink.app.events.subscribe(team.admin.teamId, (event) => {
      if (event.type === 'run.changed' && event.run.stage && !stages.includes(event.run.stage)) {
        stages.push(event.run.stage);
      }
    });
    const inserted = await activity({
      activity: 'bulk-insert',
      object: 'Contact',
      uploadId: uploaded,
      columnMap: { 'Last name': 'LastName', 'E-mail': 'Email', Notes: '' },
    });
    expect(stages).toEqual(
      expect.arrayContaining(['Uploading the input to Salesforce', "Reading Salesforce's result files"]),
    );
    expect(inserted.stage).toBeUndefined();
    expect(inserted).toMatchObject({ status: 'completed', title: 'Bulk Insert Contact' });
    expect(inserted.counts).toMatchObject({ created: size, failed: 0, processed: size });
    expect(contacts().filter((record) => String(record.LastName).startsWith('Bulkrow '))).toHaveLength(size);
    expect(await download(inserted.id, 'results')).toHaveLength(size + 1);

    const queried = await activity({
      activity: 'bulk-query',
      soql: "SELECT Id, LastName FROM Contact WHERE LastName LIKE 'Bulkrow %'",
    });
    unsubscribe();
    expect(stages).toContain('Salesforce is running the Bulk query');
    expect(queried.stage).toBeUndefined();
    expect(queried.counts).toMatchObject({ processed: size, total: size });
    const results = await download(queried.id, 'results');
    expect(results[0]).toBe('Id,LastName');
    expect(results).toHaveLength(size + 1);
    const ids = results.slice(1).map((line) => line.split(',')[0]);

    const updated = await activity({
      activity: 'bulk-update',
      object: 'Contact',
      uploadId: await upload(['Id,Title', ...ids.map((id) => `${id},Learner`)].join('\n')),
    });
    expect(updated.counts).toMatchObject({ updated: size, failed: 0 });
    expect(contacts().filter((record) => record.Title === 'Learner')).toHaveLength(size);

    const half = ids.slice(0, size / 2);
    const deleted = await activity({
      activity: 'bulk-delete',
      object: 'Contact',
      uploadId: await upload(['Id', ...half].join('\n')),
    });
    expect(deleted.counts).toMatchObject({ deleted: half.length, failed: 0 });
    const inBin = sandbox.salesforce
      .org('acme')
      .records('Contact', { includeDeleted: true })
      .filter((record) => half.includes(String(record.Id)));
    expect(inBin).toHaveLength(half.length);

    const rest = ids.slice(size / 2);
    const hard = await activity({
      activity: 'bulk-hard-delete',
      object: 'Contact',
      uploadId: await upload(['Id', ...rest].join('\n')),
    });
    expect(hard.counts).toMatchObject({ deleted: rest.length, failed: 0 });
    const anywhere = sandbox.salesforce
      .org('acme')
      .records('Contact', { includeDeleted: true })
      .filter((record) => rest.includes(String(record.Id)));
    expect(anywhere).toEqual([]);
  });

  it('Bulk Upsert by a unique External ID creates, then updates, and keeps the failure file', async () => {
    const rows = (suffix: string) => [
      'LMS_User_Id__c,LastName',
      ...Array.from({ length: size }, (_, index) => `bu-${index},Upsert${suffix} ${index}`),
    ];
    const first = await activity({
      activity: 'bulk-upsert',
      object: 'Contact',
      externalIdField: 'LMS_User_Id__c',
      uploadId: await upload(rows('A').join('\n')),
    });
    expect(first.counts).toMatchObject({ created: size, updated: 0, failed: 0 });
    const withBadRow = [...rows('B'), 'bu-x,'];
    const second = await activity({
      activity: 'bulk-upsert',
      object: 'Contact',
      externalIdField: 'LMS_User_Id__c',
      uploadId: await upload(withBadRow.join('\n')),
    });
    expect(second).toMatchObject({ status: 'completed-with-errors' });
    expect(second.counts).toMatchObject({ created: 0, updated: size, failed: 1 });
    const failures = await download(second.id, 'errors');
    expect(failures).toHaveLength(2);
    expect(failures[1]).toMatch(/REQUIRED_FIELD_MISSING/);
  });
});

describe('what is refused before anything is sent', () => {
  it('a SOQL syntax error, with Salesforce message', async () => {
    const answer = await api().post(`/api/connections/${connectionId}/activities`, {
      activity: 'query',
      soql: 'SELECT Id FROM Contact WHERE',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('SOQL_INVALID');
    expect(answer.body.error.message).toMatch(/^Salesforce refused the query: .*unexpected token/is);
  });

  it('a CSV with columns that match no field, listing them', async () => {
    const answer = await api().post(`/api/connections/${connectionId}/activities`, {
      activity: 'bulk-insert',
      object: 'Contact',
      uploadId: await upload('LastName,Shoe size,Favourite colour\nA,42,red'),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({
      code: 'CSV_UNKNOWN_COLUMNS',
      details: { columns: ['Shoe size', 'Favourite colour'] },
    });
  });

  it('an upsert by Salesforce Id, and a query Salesforce refuses for another reason than syntax', async () => {
    const byId = await api().post(`/api/connections/${connectionId}/activities`, {
      activity: 'upsert',
      object: 'Contact',
      externalIdField: 'Id',
      rows: [{ Id: '', LastName: 'X' }],
    });
    expect(byId.status).toBe(400);
    expect(byId.body.error.message).toMatch(/use Update/);
    const offset = await api().post(`/api/connections/${connectionId}/activities`, {
      activity: 'query',
      soql: 'SELECT Id FROM Contact LIMIT 10 OFFSET 3000',
    });
    expect(offset.status).toBe(400);
    expect(offset.body.error.code).toBe('SOQL_INVALID');
  });

  it('an upsert on an External ID field that is not unique', async () => {
    const answer = await api().post(`/api/connections/${connectionId}/activities`, {
      activity: 'upsert',
      object: 'Contact',
      externalIdField: 'Legacy_Id__c',
      rows: [{ Legacy_Id__c: 'l-1', LastName: 'X' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('EXTERNAL_ID_NOT_UNIQUE');
  });

  it('a file declared over the cap, before it is read', async () => {
    const answer = await orglink.app.inject({
      method: 'POST',
      url: `/api/connections/${connectionId}/activities/uploads`,
      headers: {
        authorization: `Bearer ${team.admin.token}`,
        'content-type': 'text/csv',
        'content-length': String(MAX_UPLOAD_BYTES + 1),
      },
      payload: 'Id\n1',
    });
    expect(answer.statusCode).toBe(413);
    expect(answer.json().error.code).toBe('UPLOAD_TOO_LARGE');
  });

  it('a file that is not CSV, or has no header row', async () => {
    const send = (payload: string) =>
      orglink.app.inject({
        method: 'POST',
        url: `/api/connections/${connectionId}/activities/uploads`,
        headers: { authorization: `Bearer ${team.admin.token}`, 'content-type': 'text/csv' },
        payload,
      });
    const unclosed = await send('Id,Name\n1,"open quote\n2,x\n');
    expect(unclosed.statusCode).toBe(400);
    expect(unclosed.json().error.message).toMatch(/^The file is not valid CSV: .*Save it as CSV/s);
    const empty = await send('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/must name every column/);
  });

  it('an upload sent as JSON, saying to send the file as text/csv', async () => {
    const answer = await api().post(`/api/connections/${connectionId}/activities/uploads`, { Id: '1' });
    expect(answer.status).toBe(415);
    expect(answer.body.error.message).toMatch(/Content-Type: text\/csv/);
  });

  it('viewers cannot run activities; another team cannot see the connection', async () => {
    const asViewer = await apiAs(orglink.app, team.viewer).post(`/api/connections/${connectionId}/activities`, {
      activity: 'query',
      soql: 'SELECT Id FROM Contact',
    });
    expect(asViewer.status).toBe(403);
    const other = createTeam(orglink.app);
    const asOther = await apiAs(orglink.app, other.admin).post(`/api/connections/${connectionId}/activities`, {
      activity: 'query',
      soql: 'SELECT Id FROM Contact',
    });
    expect(asOther.status).toBe(404);
  });

  it('a Dynamics 365 connection, saying plainly that activities need a Salesforce connection', async () => {
    const other = createTeam(orglink.app);
    const { connection } = await connectDynamics(orglink.app, other.admin, { name: 'Contoso' });
    const answer = await apiAs(orglink.app, other.admin).post(`/api/connections/${connection.id}/activities`, {
      activity: 'insert',
      object: 'contact',
      rows: [{ lastname: 'X' }],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('ACTIVITY_NOT_OFFERED');
    expect(answer.body.error.message).toMatch(/^Insert runs against Salesforce connections/);
  });

  it('Bulk Hard Delete without the permission fails with Salesforce refusal as it states it', async () => {
    const other = createTeam(orglink.app);
    const { connection } = await connectSalesforce(orglink.app, sandbox, other.admin, {
      name: 'Globex',
      org: 'globex',
      user: 'sales',
    });
    const someone = sandbox.salesforce.org('globex').records('Contact')[0];
    const upload = await orglink.app.inject({
      method: 'POST',
      url: `/api/connections/${connection.id}/activities/uploads`,
      headers: { authorization: `Bearer ${other.admin.token}`, 'content-type': 'text/csv' },
      payload: `Id\n${someone?.Id}`,
    });
    const started = await apiAs(orglink.app, other.admin).post(`/api/connections/${connection.id}/activities`, {
      activity: 'bulk-hard-delete',
      object: 'Contact',
      uploadId: upload.json().uploadId,
    });
    expect(started.status).toBe(202);
    const run = await waitForRun(orglink.app, other.viewer, started.body.run.id);
    expect(run.status).toBe('failed');
    expect(run.errorMessage).toMatch(/hardDelete operation requires special user profile permission/);
    expect(sandbox.salesforce.org('globex').record('Contact', String(someone?.Id))).toBeDefined();
  });
});
