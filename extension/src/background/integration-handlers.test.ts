import { describe, expect, it } from 'vitest';
import { errorReply } from '../api/local-test-server.ts';
import { sampleMe } from '../api/test-fixtures.ts';
import { sampleIntegration, sampleMappingOptions, sampleRun } from '../features/catalog-widget-fixtures.ts';
import { sendMessage } from '../messaging.ts';
import { signInItem } from '../storage.ts';
import { handlerTestServer } from './handler-test-server.ts';
import { registerIntegrationHandlers } from './integration-handlers.ts';

const { api, answers } = handlerTestServer(() => registerIntegrationHandlers());

const HOST = 'acme.catalog.instructure.com';

describe('Catalog widget status (gate 3)', () => {
  it('stays off without calling the server when signed out', async () => {
    await signInItem.removeValue();
    expect(await sendMessage('getCatalogWidgetStatus', HOST)).toEqual({ state: 'signed-out' });
    expect(api.requests).toHaveLength(0);
  });

  it("picks the team's linked integration for this host over an older unlinked one", async () => {
    const unlinked = sampleIntegration({ id: 'old', linkState: 'not-linked', createdAt: '2026-12-01T00:00:00.000Z' });
    const linked = sampleIntegration({ id: 'current' });
    const other = sampleIntegration({ id: 'globex', catalogHost: 'globex.catalog.canvaslms.com' });
    answers['GET /api/integrations'] = () => ({ body: { integrations: [unlinked, other, linked] } });
    const status = await sendMessage('getCatalogWidgetStatus', 'ACME.catalog.instructure.com');
    expect(status).toMatchObject({ state: 'signed-in', canEdit: true, integration: { id: 'current' } });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer oltok_page_never_sees');
  });

  it('answers "no integration" for a host the team never linked, and tells viewers they cannot edit', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: 't', me: { ...sampleMe, role: 'viewer' } });
    answers['GET /api/integrations'] = () => ({ body: { integrations: [sampleIntegration()] } });
    expect(await sendMessage('getCatalogWidgetStatus', 'globex.catalog.canvaslms.com')).toEqual({
      state: 'signed-in',
      integration: null,
      canEdit: false,
    });
  });

  it('says unavailable with the server words when the list fails', async () => {
    answers['GET /api/integrations'] = () => errorReply(503, 'DATABASE_UNAVAILABLE', 'The database is busy.');
    expect(await sendMessage('getCatalogWidgetStatus', HOST)).toEqual({
      state: 'unavailable',
      message: 'The database is busy.',
    });
  });
});

describe('Catalog widget calls', () => {
  it('links with a trimmed token and host, and refuses a token with spaces before calling', async () => {
    const created = sampleIntegration();
    answers['POST /api/integrations'] = () => ({ status: 201, body: { integration: created } });
    const result = await sendMessage('createIntegration', {
      connectionId: created.connectionId,
      catalogHost: ` https://${HOST}/admin `,
      catalogToken: '  0123456789abcdef  ',
    });
    expect(result).toEqual({ ok: true, data: created });
    expect(api.requests[0]?.body).toEqual({
      connectionId: created.connectionId,
      catalogHost: HOST,
      catalogToken: '0123456789abcdef',
    });

    api.requests.length = 0;
    const refused = await sendMessage('createIntegration', {
      connectionId: created.connectionId,
      catalogHost: HOST,
      catalogToken: '0123 4567 89',
    });
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('spaces') },
    });
    expect(api.requests).toHaveLength(0);
  });

  it("passes the server's 400 about a mapping through unchanged", async () => {
    answers['PATCH /api/integrations/int-1'] = () =>
      errorReply(400, 'FIELD_NOT_WRITABLE', 'CreatedDate cannot be written on Contact: choose another field.');
    const result = await sendMessage('updateIntegration', {
      id: 'int-1',
      patch: { fieldMap: [{ target: 'CreatedDate', source: 'created_at' }] },
    });
    expect(result).toEqual({
      ok: false,
      status: 400,
      error: { code: 'FIELD_NOT_WRITABLE', message: 'CreatedDate cannot be written on Contact: choose another field.' },
    });
  });

  it('refuses a patch that is not in the contract and an id that is not one', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: a page could send anything; the background must cope
    const patch = { target: 'Account' } as any;
    expect(await sendMessage('updateIntegration', { id: 'int-1', patch })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await sendMessage('runIntegration', '../connections')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(api.requests).toHaveLength(0);
  });

  it('reads the mapping options of the chosen table', async () => {
    answers['GET /api/integrations/int-1/mapping-options?target=Lead'] = () => ({ body: sampleMappingOptions('Lead') });
    const result = await sendMessage('getMappingOptions', { id: 'int-1', target: 'Lead' });
    expect(result).toMatchObject({
      ok: true,
      data: { target: 'Lead', mandatory: expect.arrayContaining(['Company']) },
    });
  });

  it('runs the write job and answers the queued run', async () => {
    const run = sampleRun({ status: 'queued', startedAt: null, finishedAt: null });
    answers['POST /api/integrations/int-1/run'] = () => ({ status: 202, body: { run } });
    expect(await sendMessage('runIntegration', 'int-1')).toEqual({ ok: true, data: run });
  });

  it("lists the integration's last 30 runs", async () => {
    answers['GET /api/runs?integration=int-1&limit=30'] = () => ({ body: { runs: [sampleRun()], nextCursor: null } });
    expect(await sendMessage('listIntegrationRuns', 'int-1')).toMatchObject({
      ok: true,
      data: { runs: [{ id: 'run-1' }] },
    });
  });

  it('unlinks with DELETE', async () => {
    answers['DELETE /api/integrations/int-1'] = () => ({ status: 204 });
    expect(await sendMessage('unlinkIntegration', 'int-1')).toEqual({ ok: true, data: null });
    expect(api.requests[0]?.method).toBe('DELETE');
  });

  it('hands the errors CSV to the page as text, fetched with the token', async () => {
    const csv = 'source_key,action,error_code,message\r\n1012,failed,DUPLICATE_VALUE,"\'=HYPERLINK()"\r\n';
    answers['GET /api/runs/run-1/errors.csv'] = () => ({ body: csv });
    expect(await sendMessage('downloadRunErrors', 'run-1')).toEqual({
      ok: true,
      data: { filename: 'orglink-run-run-1-errors.csv', text: csv },
    });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer oltok_page_never_sees');
    answers['GET /api/runs/run-2/errors.csv'] = () => errorReply(404, 'RUN_NOT_FOUND', 'No such run in your team.');
    expect(await sendMessage('downloadRunErrors', 'run-2')).toMatchObject({
      ok: false,
      status: 404,
      error: { message: 'No such run in your team.' },
    });
  });
});
