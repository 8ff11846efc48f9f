import { EXTENSION_ORIGIN } from '@orglink/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestServer } from '../test-support.ts';

let app: Awaited<ReturnType<typeof buildTestServer>>['app'];
beforeAll(async () => {
  ({ app } = await buildTestServer({ extraAllowedOrigins: ['http://localhost:5173'] }));
});
afterAll(() => app.close());

describe('browser origins', () => {
  it('lets the extension call the API, preflight included', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/health',
      headers: { origin: EXTENSION_ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(EXTENSION_ORIGIN);
    for (const method of ['PATCH', 'DELETE']) {
      const write = await app.inject({
        method: 'OPTIONS',
        url: '/api/connections/x',
        headers: { origin: EXTENSION_ORIGIN, 'access-control-request-method': method },
      });
      expect(String(write.headers['access-control-allow-methods'])).toContain(method);
    }

    const response = await app.inject({ method: 'GET', url: '/api/health', headers: { origin: EXTENSION_ORIGIN } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(EXTENSION_ORIGIN);
  });

  it('accepts origins added with ALLOWED_ORIGINS and same-origin requests', async () => {
    const extra = await app.inject({ method: 'GET', url: '/api/health', headers: { origin: 'http://localhost:5173' } });
    expect(extra.statusCode).toBe(200);
    const same = await app.inject({
      method: 'GET',
      url: '/api/health',
      headers: { origin: 'http://127.0.0.1:8787', host: '127.0.0.1:8787' },
    });
    expect(same.statusCode).toBe(200);
  });

  it('refuses any other web origin with 403 and the reason', async () => {
    for (const origin of ['https://evil.example', 'chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'null']) {
      const response = await app.inject({ method: 'GET', url: '/api/health', headers: { origin } });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('ORIGIN_NOT_ALLOWED');
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});
