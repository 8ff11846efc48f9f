import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { errorReply, type LocalTestServer, startLocalTestServer } from './local-test-server.ts';
import { OrgLinkClient } from './orglink-client.ts';
import { SAMPLE_INVITE, sampleConnection, sampleJob, sampleMe } from './test-fixtures.ts';

// The client against real HTTP servers on loopback that answer the ways a server can.
let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

async function serve(status: number, body: string): Promise<string> {
  const listening = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body);
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
}

const healthy = (database: object) =>
  JSON.stringify({ service: 'orglink', status: 'ok', version: '1.2.3', uptimeSeconds: 4, database });

describe('OrgLinkClient.checkHealth', () => {
  it('reports the version of a healthy server', async () => {
    const url = await serve(200, healthy({ status: 'ok', migrationsApplied: 1 }));
    expect(await new OrgLinkClient(url).checkHealth()).toEqual({
      state: 'connected',
      url,
      version: '1.2.3',
      databaseOk: true,
    });
  });

  it('reports a server whose database is unavailable as connected with the problem', async () => {
    const url = await serve(503, healthy({ status: 'unavailable', migrationsApplied: 0, message: 'disk I/O error' }));
    const status = await new OrgLinkClient(url).checkHealth();
    expect(status).toMatchObject({ state: 'connected', databaseOk: false });
    expect(status.problem).toContain('disk I/O error');
  });

  it('tells a server that is not OrgLink from one that does not answer', async () => {
    const url = await serve(200, '<html>hello</html>');
    const status = await new OrgLinkClient(url).checkHealth();
    expect(status.state).toBe('unreachable');
    expect(status.problem).toContain('is not an OrgLink server');
  });

  it('shows the server error message when it refuses', async () => {
    const url = await serve(
      403,
      JSON.stringify({ error: { code: 'ORIGIN_NOT_ALLOWED', message: 'Requests from x are not allowed.' } }),
    );
    expect((await new OrgLinkClient(url).checkHealth()).problem).toContain('Requests from x are not allowed.');
  });

  it('says how to fix it when nothing listens', async () => {
    const url = await serve(200, '{}');
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    const status = await new OrgLinkClient(url).checkHealth();
    expect(status).toMatchObject({ state: 'unreachable', url });
    expect(status.problem).toContain('npm start');
  });
});

describe('OrgLinkClient API calls', () => {
  let api: LocalTestServer | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it('sends the token as a bearer header and answers the validated data', async () => {
    api = await startLocalTestServer(() => ({ body: { connections: [sampleConnection()] } }));
    const result = await new OrgLinkClient(api.url, { token: 'oltok_secret' }).listConnections();
    expect(result).toEqual({ ok: true, data: { connections: [sampleConnection()] } });
    expect(api.requests[0]).toMatchObject({ method: 'GET', path: '/api/connections' });
    expect(api.requests[0]?.headers.authorization).toBe('Bearer oltok_secret');
  });

  it('redeems an invite without a token and sends the code and name as JSON', async () => {
    api = await startLocalTestServer(() => ({ body: { token: 'oltok_new', me: sampleMe } }));
    const result = await new OrgLinkClient(api.url).redeemInvite({ code: SAMPLE_INVITE, displayName: 'Ada' });
    expect(result).toEqual({ ok: true, data: { token: 'oltok_new', me: sampleMe } });
    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/auth/redeem',
      body: { code: SAMPLE_INVITE, displayName: 'Ada' },
    });
    expect(api.requests[0]?.headers.authorization).toBeUndefined();
    expect(api.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('keeps the server error shape and status, so the page can show the server message', async () => {
    api = await startLocalTestServer(() =>
      errorReply(409, 'CONNECTION_NAME_TAKEN', 'Your team already has a connection named "Acme".'),
    );
    const result = await new OrgLinkClient(api.url, { token: 't' }).updateConnection('c1', { name: 'Acme' });
    expect(result).toEqual({
      ok: false,
      status: 409,
      error: { code: 'CONNECTION_NAME_TAKEN', message: 'Your team already has a connection named "Acme".' },
    });
    expect(api.requests[0]).toMatchObject({ method: 'PATCH', path: '/api/connections/c1', body: { name: 'Acme' } });
  });

  it('refuses to call a signed-in route without a token, without sending anything', async () => {
    api = await startLocalTestServer(() => ({ body: sampleMe }));
    const result = await new OrgLinkClient(api.url).getMe();
    expect(result).toMatchObject({ ok: false, status: 0, error: { code: 'NOT_SIGNED_IN' } });
    expect(api.requests).toHaveLength(0);
  });

  it('accepts a single connection bare or wrapped in { connection }', async () => {
    const paused = sampleConnection({ status: 'paused' });
    api = await startLocalTestServer((request) =>
      request.path.endsWith('/pause') ? { body: paused } : { body: { connection: paused } },
    );
    const client = new OrgLinkClient(api.url, { token: 't' });
    expect(await client.pauseConnection('c1')).toEqual({ ok: true, data: paused });
    expect(await client.getConnection('c1')).toEqual({ ok: true, data: paused });
  });

  it('calls every connection route with the right method and path', async () => {
    const connection = sampleConnection();
    api = await startLocalTestServer((request) => {
      if (request.path.endsWith('/test')) return { body: { ok: true, latencyMs: 12, message: 'ok', connection } };
      if (request.path.endsWith('/authorize'))
        return { body: { loginUrl: 'https://x/login', expiresAt: '2026-11-21T10:00:00.000Z' } };
      if (request.path.startsWith('/api/jobs')) return { body: { jobs: [sampleJob()] } };
      if (request.path.startsWith('/api/connections/lookup')) return { body: { connection: null } };
      if (request.method === 'DELETE') return { status: 204 };
      if (request.method === 'POST' && request.path === '/api/connections')
        return { status: 201, body: { connection, loginUrl: 'https://x/login' } };
      return { body: connection };
    });
    const client = new OrgLinkClient(api.url, { token: 't' });
    const results = [
      await client.createConnection({ name: 'A', kind: 'dynamics', environment: 'gcc' }),
      await client.activateConnection('id 1'),
      await client.testConnection('c1'),
      await client.authorizeConnection('c1'),
      await client.confirmOrgChange('c1'),
      await client.deleteConnection('c1'),
      await client.listJobs('c1'),
      await client.lookupConnection('00D5e000000Acme'),
      await client.signOut(),
    ];
    expect(results.every((result) => result.ok)).toBe(true);
    expect(api.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/connections',
      'POST /api/connections/id%201/activate',
      'POST /api/connections/c1/test',
      'POST /api/connections/c1/authorize',
      'POST /api/connections/c1/confirm-org-change',
      'DELETE /api/connections/c1',
      'GET /api/jobs?connection=c1',
      'GET /api/connections/lookup?orgId=00D5e000000Acme',
      'POST /api/auth/signout',
    ]);
  });

  it('says the versions differ when an answer does not match the contract', async () => {
    api = await startLocalTestServer(() => ({ body: { connections: [{ id: 'c1' }] } }));
    const result = await new OrgLinkClient(api.url, { token: 't' }).listConnections();
    expect(result).toMatchObject({ ok: false, status: 200, error: { code: 'UNEXPECTED_RESPONSE' } });
    if (!result.ok) expect(result.error.message).toContain('different versions');
  });

  it('explains an error answer that is not in the API shape', async () => {
    api = await startLocalTestServer(() => ({ status: 502, body: '<html>Bad gateway</html>' }));
    const result = await new OrgLinkClient(api.url, { token: 't' }).listConnections();
    expect(result).toMatchObject({ ok: false, status: 502, error: { code: 'UNEXPECTED_RESPONSE' } });
    if (!result.ok) expect(result.error.message).toContain('HTTP 502');
  });

  it('tells a server that refuses one request apart from a server that is down', async () => {
    api = await startLocalTestServer((request, response) => {
      if (request.path === '/api/health') return { body: {} };
      response.destroy(); // what a browser reports for a CORS refusal: a network error, no status
      return undefined;
    });
    const result = await new OrgLinkClient(api.url, { token: 't' }).updateConnection('c1', { name: 'B' });
    expect(result).toMatchObject({ ok: false, status: 0, error: { code: 'SERVER_UNREACHABLE' } });
    if (!result.ok) expect(result.error.message).toContain('is running but did not accept PATCH /api/connections/c1');
  });

  it('says how to fix it when nothing listens', async () => {
    api = await startLocalTestServer(() => ({ body: {} }));
    const url = api.url;
    await api.close();
    api = undefined;
    const result = await new OrgLinkClient(url, { token: 't' }).listConnections();
    expect(result).toMatchObject({ ok: false, status: 0, error: { code: 'SERVER_UNREACHABLE' } });
    if (!result.ok) expect(result.error.message).toContain('npm start');
  });
});
