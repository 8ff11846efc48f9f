import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SERVER_URL } from '../api/server-url.ts';
import { sendMessage } from '../messaging.ts';
import { serverUrlItem } from '../storage.ts';
import { registerServerHandlers } from './server-handlers.ts';

// The background's message handlers with WXT's in-memory browser and a real HTTP server standing in for the API.
let server: Server;
let serverUrl: string;
beforeAll(async () => {
  server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        service: 'orglink',
        status: 'ok',
        version: '9.9.9',
        uptimeSeconds: 1,
        database: { status: 'ok', migrationsApplied: 1 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  registerServerHandlers();
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => fakeBrowser.storage.local.clear());

describe('background server handlers', () => {
  it('starts with the default server address', async () => {
    expect(await sendMessage('getServerUrl')).toBe(DEFAULT_SERVER_URL);
  });

  it('saves a valid address, normalised, and reports the server behind it', async () => {
    const result = await sendMessage('saveServerUrl', ` ${serverUrl}/ `);
    expect(result).toEqual({
      saved: true,
      status: { state: 'connected', url: serverUrl, version: '9.9.9', databaseOk: true },
    });
    expect(await serverUrlItem.getValue()).toBe(serverUrl);
    expect(await sendMessage('getServerStatus')).toMatchObject({ state: 'connected', version: '9.9.9' });
  });

  it('refuses an invalid address and keeps the saved one', async () => {
    await serverUrlItem.setValue(serverUrl);
    const result = await sendMessage('saveServerUrl', 'not a url');
    expect(result).toMatchObject({ saved: false, message: expect.stringContaining('is not a URL') });
    expect(await serverUrlItem.getValue()).toBe(serverUrl);
  });
});
