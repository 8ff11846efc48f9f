import { ActivityErrorCode, MAX_UPLOAD_BYTES } from '@orglink/shared';
import { describe, expect, it } from 'vitest';
import { errorReply } from '../api/local-test-server.ts';
import { OrgLinkClient } from '../api/orglink-client.ts';
import { sampleRun } from '../features/catalog-widget-fixtures.ts';
import { sendMessage } from '../messaging.ts';
import { registerActivityHandlers, UploadAssembler } from './activity-handlers.ts';
import { handlerTestServer } from './handler-test-server.ts';

const { api, answers } = handlerTestServer(() => registerActivityHandlers());

describe('activity messages', () => {
  it('starts an activity with the token and keeps the API refusal as it is', async () => {
    const run = sampleRun({ id: 'run-9', kind: 'activity' });
    answers['POST /api/connections/c-1/activities'] = () => ({
      status: 202,
      body: { run, soql: 'SELECT Id FROM Contact' },
    });
    const started = await sendMessage('startActivity', {
      connectionId: 'c-1',
      request: { activity: 'query', soql: 'SELECT Id FROM Contact' },
    });
    expect(started).toEqual({ ok: true, data: { run, soql: 'SELECT Id FROM Contact' } });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer oltok_page_never_sees');
    expect(api.requests[0]?.body).toEqual({ activity: 'query', soql: 'SELECT Id FROM Contact' });

    answers['POST /api/connections/c-1/activities'] = () =>
      errorReply(400, ActivityErrorCode.SoqlInvalid, 'Salesforce refused the query: unexpected token');
    const refused = await sendMessage('startActivity', {
      connectionId: 'c-1',
      request: { activity: 'query', soql: 'SELECT' },
    });
    expect(refused).toMatchObject({ ok: false, status: 400, error: { code: 'SOQL_INVALID' } });
  });

  it('refuses a malformed request before calling the server, naming where', async () => {
    const refused = await sendMessage('startActivity', {
      connectionId: 'c-1',
      request: { activity: 'merge' } as never,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: /activity/ } });
    const badObject = await sendMessage('getObjectFields', { connectionId: 'c-1', object: 'Contact; DROP' });
    expect(badObject).toMatchObject({ ok: false, error: { message: /object API name/ } });
    const tooMany = await sendMessage('getRunRows', { runId: 'run-1', from: 0, count: 5000 });
    expect(tooMany).toMatchObject({ ok: false, error: { message: /1 to 1000 rows/ } });
    expect(api.requests).toHaveLength(0);
  });

  it('reads describe, counts, and pages of rows', async () => {
    answers['GET /api/crm/c-1/objects/Contact/fields'] = () => ({ body: { object: 'Contact', fields: [] } });
    answers['POST /api/connections/c-1/activities/count'] = () => ({
      body: { count: 3, soql: 'SELECT Id FROM Contact' },
    });
    answers['GET /api/runs/run-1/rows?from=500&count=500'] = () => ({
      body: { columns: ['Id'], rows: [['003A']], from: 500, total: 501 },
    });
    expect(await sendMessage('getObjectFields', { connectionId: 'c-1', object: ' Contact ' })).toEqual({
      ok: true,
      data: { object: 'Contact', fields: [] },
    });
    expect(
      await sendMessage('countActivityQuery', { connectionId: 'c-1', request: { soql: 'SELECT Id FROM Contact' } }),
    ).toMatchObject({ ok: true, data: { count: 3 } });
    expect(await sendMessage('getRunRows', { runId: 'run-1', from: 500, count: 500 })).toMatchObject({
      ok: true,
      data: { rows: [['003A']], total: 501 },
    });
  });

  it('hands a results CSV to the page as text with a file name', async () => {
    answers['GET /api/runs/run-1/results.csv'] = () => ({ body: 'Id,LastName\n003A,Smith\n' });
    expect(await sendMessage('downloadRunCsv', { runId: 'run-1', file: 'results' })).toEqual({
      ok: true,
      data: { filename: 'orglink-run-run-1-results.csv', text: 'Id,LastName\n003A,Smith\n' },
    });
    expect(await sendMessage('downloadRunCsv', { runId: 'run-1', file: 'secrets' as never })).toMatchObject({
      ok: false,
    });
  });
});

describe('UploadAssembler', () => {
  it('joins the slices in order and hands the file over once', async () => {
    const assembler = new UploadAssembler();
    const begun = assembler.begin('c-1', 12);
    if (!begun.ok) throw new Error('not begun');
    expect(assembler.append(begun.data.uploadKey, 'Id\n00')).toEqual({ ok: true, data: null });
    expect(assembler.append(begun.data.uploadKey, '3Aé\n')).toEqual({ ok: true, data: null });
    const taken = assembler.take(begun.data.uploadKey);
    expect(taken?.connectionId).toBe('c-1');
    expect(await taken?.file.text()).toBe('Id\n003Aé\n');
    expect(taken?.file.size).toBe(10);
    expect(assembler.take(begun.data.uploadKey)).toBeUndefined();
  });

  it('refuses a file over the cap, and more text than the file declared', () => {
    const assembler = new UploadAssembler();
    expect(assembler.begin('c-1', MAX_UPLOAD_BYTES + 1)).toMatchObject({
      ok: false,
      error: { code: 'UPLOAD_TOO_LARGE' },
    });
    const begun = assembler.begin('c-1', 3);
    if (!begun.ok) throw new Error('not begun');
    expect(assembler.append(begun.data.uploadKey, 'abcd')).toMatchObject({ ok: false });
    expect(assembler.size).toBe(0);
    expect(assembler.append('unknown', 'x')).toMatchObject({ ok: false, error: { code: 'UPLOAD_LOST' } });
  });

  it('forgets an upload the page abandoned', async () => {
    const assembler = new UploadAssembler(20);
    assembler.begin('c-1', 10);
    expect(assembler.size).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(assembler.size).toBe(0);
  });
});

describe('OrgLinkClient.uploadActivityCsv', () => {
  it('posts the file as text/csv and reads the upload, or the refusal', async () => {
    const seen: { headers: Headers; body: string }[] = [];
    const answer = (status: number, body: unknown) => async (_url: string | URL | Request, init?: RequestInit) => {
      seen.push({ headers: new Headers(init?.headers), body: await new Response(init?.body).text() });
      return new Response(JSON.stringify(body), { status });
    };
    const upload = { uploadId: 'up-1', columns: ['Id'], rows: 1, bytes: 8 };
    const client = new OrgLinkClient('http://server', { token: 't', fetch: answer(201, upload) as typeof fetch });
    expect(await client.uploadActivityCsv('c-1', new Blob(['Id\n003A\n']))).toEqual({ ok: true, data: upload });
    expect(seen[0]?.headers.get('content-type')).toBe('text/csv');
    expect(seen[0]?.body).toBe('Id\n003A\n');

    const refusal = { error: { code: 'UPLOAD_INVALID', message: 'The CSV has no header row.' } };
    const refusing = new OrgLinkClient('http://server', { token: 't', fetch: answer(400, refusal) as typeof fetch });
    expect(await refusing.uploadActivityCsv('c-1', new Blob(['']))).toEqual({
      ok: false,
      status: 400,
      error: refusal.error,
    });
  });
});
