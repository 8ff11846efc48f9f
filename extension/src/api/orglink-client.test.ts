import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OrgLinkClient } from './orglink-client.ts';

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
