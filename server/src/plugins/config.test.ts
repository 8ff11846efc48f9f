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
    });
  });

  it('reads overrides', () => {
    const config = loadConfig(
      {
        HOST: '0.0.0.0',
        PORT: '0',
        DATABASE_PATH: ':memory:',
        LOG_LEVEL: 'WARN',
        ALLOWED_ORIGINS: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop, http://localhost:3000/',
      },
      '/x',
    );
    expect(config).toMatchObject({ host: '0.0.0.0', port: 0, databasePath: ':memory:', logLevel: 'warn' });
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
