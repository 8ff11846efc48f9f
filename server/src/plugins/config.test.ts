import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    expect(loadConfig({}, '/srv/orglink')).toEqual({
      host: '127.0.0.1',
      port: 8787,
      databasePath: path.resolve('/srv/orglink', 'data', 'orglink.db'),
      logLevel: 'info',
      extraAllowedOrigins: [],
      publicUrl: 'http://127.0.0.1:8787',
      encryptionKey: undefined,
      encryptionKeyFile: path.resolve('/srv/orglink', 'data', 'orglink.key'),
      connectionCheckMinutes: 15,
      signInRateLimit: 10,
      oauthRateLimit: 30,
      crm: { sandboxUrl: undefined, salesforce: undefined, dynamics: undefined },
    });
  });

  it('reads CRM credentials in pairs and a base64 encryption key', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const config = loadConfig({
      SALESFORCE_CLIENT_ID: 'id',
      SALESFORCE_CLIENT_SECRET: 'secret',
      DYNAMICS_CLIENT_ID: 'dyn',
      DYNAMICS_CLIENT_SECRET: 'dyn-secret',
      ENCRYPTION_KEY: key,
      SANDBOX_URL: 'http://127.0.0.1:8800/',
      HOST: '0.0.0.0',
    });
    expect(config.crm.salesforce).toEqual({
      clientId: 'id',
      clientSecret: 'secret',
      loginUrl: 'https://login.salesforce.com',
      sandboxLoginUrl: 'https://test.salesforce.com',
    });
    expect(config.crm.dynamics).toEqual({ clientId: 'dyn', clientSecret: 'dyn-secret', tenant: 'organizations' });
    expect(config.crm.sandboxUrl).toBe('http://127.0.0.1:8800');
    expect(config.encryptionKey?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.publicUrl).toBe('http://127.0.0.1:8787');
  });

  it('reads overrides', () => {
    const config = loadConfig(
      {
        HOST: '0.0.0.0',
        PORT: '0',
        DATABASE_PATH: ':memory:',
        LOG_LEVEL: 'WARN',
        ALLOWED_ORIGINS: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop, http://localhost:3000/',
        SIGN_IN_RATE_LIMIT: '3',
        OAUTH_RATE_LIMIT: '0',
      },
      '/x',
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      databasePath: ':memory:',
      logLevel: 'warn',
      signInRateLimit: 3,
      oauthRateLimit: 0,
    });
    expect(config.extraAllowedOrigins).toEqual([
      'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
      'http://localhost:3000',
    ]);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', ''],
    ['HOST', 'http://example.com'],
    ['HOST', 'two words'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_PATH', '  '],
    ['ALLOWED_ORIGINS', 'not an origin'],
    ['ALLOWED_ORIGINS', 'https://example.com/path'],
    ['ALLOWED_ORIGINS', 'chrome-extension://short'],
    ['ENCRYPTION_KEY', 'c2hvcnQ='],
    ['SALESFORCE_CLIENT_ID', 'only-the-id'],
    ['SANDBOX_URL', 'ftp://x'],
    ['PUBLIC_URL', 'not a url'],
    ['CONNECTION_CHECK_MINUTES', 'hourly'],
    ['CONNECTION_CHECK_MINUTES', '5000'],
    ['SIGN_IN_RATE_LIMIT', 'ten'],
    ['SIGN_IN_RATE_LIMIT', '-1'],
    ['OAUTH_RATE_LIMIT', '2.5'],
    ['OAUTH_RATE_LIMIT', '1000000'],
  ])('refuses %s=%j with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message.startsWith(`${name} must`)).toBe(true);
    expect(message).not.toContain('\n');
  });
});
