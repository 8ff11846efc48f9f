import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorReply } from '../api/local-test-server.ts';
import { sampleConnection, sampleJob } from '../api/test-fixtures.ts';
import { sendMessage } from '../messaging.ts';
import { signInItem } from '../storage.ts';
import { registerConnectionHandlers } from './connection-handlers.ts';
import { handlerTestServer } from './handler-test-server.ts';

const { api, answers } = handlerTestServer(() => registerConnectionHandlers());
beforeEach(() => {
  fakeBrowser.windows.resetState();
  vi.restoreAllMocks();
});

const connection = sampleConnection();

describe('connection handlers', () => {
  it('says "not signed in" without calling the server when there is no token', async () => {
    await signInItem.removeValue();
    const result = await sendMessage('listConnections');
    expect(result).toMatchObject({ ok: false, status: 0, error: { code: 'NOT_SIGNED_IN' } });
    expect(api.requests).toHaveLength(0);
  });

  it('lists the connections with the stored token', async () => {
    answers['GET /api/connections'] = () => ({ body: { connections: [connection] } });
    expect(await sendMessage('listConnections')).toEqual({ ok: true, data: { connections: [connection] } });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer oltok_page_never_sees');
  });

  it('creates a connection and opens its login URL in a popup window', async () => {
    const pending = sampleConnection({ status: 'pending', orgId: null, environment: 'sandbox' });
    answers['POST /api/connections'] = () => ({
      status: 201,
      body: { connection: pending, loginUrl: `${api.url}/oauth/salesforce/start?state=abc` },
    });
    const create = vi.spyOn(fakeBrowser.windows, 'create');
    const result = await sendMessage('createConnection', {
      name: '  Acme UAT ',
      kind: 'salesforce',
      environment: 'sandbox',
      loginHost: 'https://acme--uat.sandbox.my.salesforce.com/',
    });
    expect(result).toEqual({ ok: true, data: { connection: pending, login: { windowId: 1 } } });
    expect(api.requests[0]?.body).toEqual({
      name: 'Acme UAT',
      kind: 'salesforce',
      environment: 'sandbox',
      loginHost: 'acme--uat.sandbox.my.salesforce.com',
    });
    expect(create).toHaveBeenCalledWith(
      expect.objectContaining({ url: `${api.url}/oauth/salesforce/start?state=abc`, type: 'popup' }),
    );
  });

  it.each([
    [{ name: 'Acme/Prod', kind: 'salesforce', environment: 'production' }, 'must not contain / or :'],
    [{ name: 'Acme', kind: 'dynamics', environment: 'sandbox' }, 'Dynamics 365 environment type'],
    [{ name: 'Acme', kind: 'salesforce', environment: 'gcc' }, 'Production or a Sandbox'],
    [{ name: 'Acme', kind: 'salesforce', environment: 'sandbox', loginHost: 'not a host' }, 'My Domain host name'],
    [{ name: 'Acme', kind: 'oracle', environment: 'production' }, 'kind'],
  ])('refuses %j before calling the server', async (input, message) => {
    // biome-ignore lint/suspicious/noExplicitAny: a page could send anything; the background must cope
    const result = await sendMessage('createConnection', input as any);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining(message) },
    });
    expect(api.requests).toHaveLength(0);
  });

  it('passes the server 409 for a duplicate name through unchanged', async () => {
    answers[`PATCH /api/connections/${connection.id}`] = () =>
      errorReply(409, 'CONNECTION_NAME_TAKEN', 'Your team already has a connection named "Globex".');
    const result = await sendMessage('updateConnection', { id: connection.id, patch: { name: 'Globex' } });
    expect(result).toEqual({
      ok: false,
      status: 409,
      error: { code: 'CONNECTION_NAME_TAKEN', message: 'Your team already has a connection named "Globex".' },
    });
  });

  it('refuses an edit with a forbidden character or an id that is not one', async () => {
    expect(await sendMessage('updateConnection', { id: connection.id, patch: { name: 'a:b' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await sendMessage('pauseConnection', '../me')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(api.requests).toHaveLength(0);
  });

  it('forgets the token when the server says it was revoked', async () => {
    answers[`POST /api/connections/${connection.id}/pause`] = () => errorReply(401, 'UNAUTHORIZED', 'Signed out.');
    expect(await sendMessage('pauseConnection', connection.id)).toMatchObject({ ok: false, status: 401 });
    expect(await signInItem.getValue()).toBeNull();
  });

  it('re-authorizes in a popup window, and refuses a login URL that is not a web page', async () => {
    let loginUrl = 'https://login.salesforce.com/services/oauth2/authorize?x=1';
    answers[`POST /api/connections/${connection.id}/authorize`] = () => ({
      body: { loginUrl, expiresAt: '2026-11-21T10:10:00.000Z' },
    });
    expect(await sendMessage('authorizeConnection', connection.id)).toEqual({ ok: true, data: { windowId: 1 } });
    loginUrl = 'javascript:alert(1)';
    expect(await sendMessage('authorizeConnection', connection.id)).toMatchObject({
      ok: true,
      data: { windowId: null, problem: expect.stringContaining('not a web page') },
    });
  });

  it('relays delete, activate, test, confirm-org-change and the job list', async () => {
    const base = `/api/connections/${connection.id}`;
    answers[`DELETE ${base}`] = () => ({ status: 204 });
    answers[`POST ${base}/activate`] = () => ({ body: connection });
    answers[`POST ${base}/test`] = () => ({
      body: { ok: true, latencyMs: 42, message: 'Signed in as admin', connection },
    });
    answers[`POST ${base}/confirm-org-change`] = () => ({ body: { connection } });
    answers[`GET /api/jobs?connection=${connection.id}`] = () => ({
      body: { jobs: [sampleJob({ state: 'holding' })] },
    });
    expect(await sendMessage('deleteConnection', connection.id)).toEqual({ ok: true, data: null });
    expect(await sendMessage('activateConnection', connection.id)).toEqual({ ok: true, data: connection });
    expect(await sendMessage('testConnection', connection.id)).toMatchObject({ ok: true, data: { latencyMs: 42 } });
    expect(await sendMessage('confirmOrgChange', connection.id)).toEqual({ ok: true, data: connection });
    expect(await sendMessage('listJobs', connection.id)).toMatchObject({
      ok: true,
      data: { jobs: [{ state: 'holding' }] },
    });
  });
});
