import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACTED, redactUrl } from './logging.ts';
import { buildTestServer } from './test-support.ts';

describe('redactUrl', () => {
  it('hides the values of secret query parameters and keeps the rest', () => {
    expect(redactUrl('/oauth/salesforce/callback?code=abc123&state=xyz&lang=en')).toBe(
      `/oauth/salesforce/callback?code=${encodeURIComponent(REDACTED)}&state=${encodeURIComponent(REDACTED)}&lang=en`,
    );
    expect(redactUrl('/api/runs?status=failed')).toBe('/api/runs?status=failed');
    expect(redactUrl('/api/health')).toBe('/api/health');
    expect(redactUrl('/oauth/start/AbC-123_xyz')).toBe(`/oauth/start/${REDACTED}`);
  });
});

describe('server logs', () => {
  let server: Awaited<ReturnType<typeof buildTestServer>>;
  beforeAll(async () => {
    server = await buildTestServer();
  });
  afterAll(() => server.app.close());

  it('never contain tokens, passwords, authorization headers or OAuth codes', async () => {
    await server.app.inject({
      method: 'GET',
      url: '/api/health?code=OAUTH-CODE-SECRET&access_token=ACCESS-SECRET',
      headers: { authorization: 'Bearer BEARER-SECRET', cookie: 'sid=COOKIE-SECRET' },
    });
    server.app.log.info(
      {
        connection: {
          password: 'PASSWORD-SECRET',
          securityToken: 'SECTOKEN-SECRET',
          credentials: { refresh_token: 'REFRESH-SECRET' },
        },
        token: 'TOKEN-SECRET',
        req: { headers: { authorization: 'Bearer HEADER-SECRET' } },
      },
      'connection saved',
    );
    const log = server.logLines.join('\n');
    expect(log).toContain('connection saved');
    expect(log).toContain('/api/health');
    for (const secret of [
      'OAUTH-CODE',
      'ACCESS-SECRET',
      'BEARER',
      'COOKIE',
      'PASSWORD',
      'SECTOKEN',
      'REFRESH',
      'TOKEN-SECRET',
      'HEADER-SECRET',
    ]) {
      expect(log).not.toContain(secret);
    }
  });

  it('drops the parameters of a failed query from an error logged anywhere, as the runner logs a failed run', () => {
    const failed = Object.assign(
      new Error('Failed query: insert into api_tokens (token) values (?)\nparams: QUERY-PARAM-SECRET'),
      { query: 'insert into api_tokens (token) values (?)', params: ['QUERY-PARAM-SECRET'] },
    );
    server.app.log.error({ runId: 'r1', err: new Error('run failed', { cause: failed }) }, 'run failed');
    const log = server.logLines.join('\n');
    expect(log).toContain('insert into api_tokens (token) values (?)');
    expect(log).not.toContain('QUERY-PARAM-SECRET');
  });
});
