import { describe, expect, it } from 'vitest';
import { ApiError } from '../../http-errors.ts';
import {
  NAME_FORBIDDEN_MESSAGE,
  normalizeLoginHost,
  sameOrg,
  validateConnectionName,
  validateEnvironment,
} from './connection-rules.ts';

function failure(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('connection names', () => {
  it('trims and accepts 1 to 80 characters', () => {
    expect(validateConnectionName('  Acme Production ')).toBe('Acme Production');
    expect(validateConnectionName('x'.repeat(80))).toHaveLength(80);
  });

  it('refuses "/" and ":" with exactly the documented message', () => {
    for (const name of ['Acme/Prod', 'Acme:Prod', '/']) {
      const error = failure(() => validateConnectionName(name));
      expect([error.statusCode, error.code, error.message]).toEqual([
        400,
        'CONNECTION_NAME_INVALID',
        NAME_FORBIDDEN_MESSAGE,
      ]);
    }
  });

  it('refuses blank and overlong names', () => {
    expect(failure(() => validateConnectionName('   ')).message).toMatch(/1 to 80/);
    expect(failure(() => validateConnectionName('x'.repeat(81))).message).toMatch(/1 to 80/);
  });
});

describe('environments', () => {
  it('pairs Salesforce with production|sandbox and Dynamics with a cloud', () => {
    expect(() => validateEnvironment('salesforce', 'sandbox')).not.toThrow();
    expect(() => validateEnvironment('dynamics', 'gcc-high')).not.toThrow();
    expect(failure(() => validateEnvironment('salesforce', 'gcc')).message).toMatch(/production, sandbox/);
    expect(failure(() => validateEnvironment('dynamics', 'production')).message).toMatch(
      /public, gcc, gcc-high, dod, china/,
    );
  });
});

describe('login hosts', () => {
  it('accepts Salesforce My Domains only, reducing a pasted URL to its host', () => {
    expect(normalizeLoginHost('salesforce', 'production', 'https://Acme.my.salesforce.com/')).toBe(
      'acme.my.salesforce.com',
    );
    expect(normalizeLoginHost('salesforce', 'sandbox', 'acme--uat.sandbox.my.salesforce.com')).toBe(
      'acme--uat.sandbox.my.salesforce.com',
    );
    expect(normalizeLoginHost('salesforce', 'production', 'acme.my.salesforce.mil')).toBe('acme.my.salesforce.mil');
    // Any other host would receive the connected app's client secret with each token request.
    for (const host of ['login.acme.example', 'attacker.example.com', 'my.salesforce.com.evil.example']) {
      expect(() => normalizeLoginHost('salesforce', 'production', host)).toThrow(/is not a Salesforce My Domain/);
    }
    expect(normalizeLoginHost('salesforce', 'production', '  ')).toBeNull();
    expect(normalizeLoginHost('dynamics', 'public', undefined)).toBeNull();
  });

  it('refuses what is not a usable login host, saying what to enter', () => {
    const cases: [string, 'production' | 'sandbox', RegExp][] = [
      ['http://acme.my.salesforce.com', 'production', /https/],
      ['acme.my.salesforce.com/path', 'production', /not a host name/],
      ['127.0.0.1', 'production', /not a host name/],
      ['localhost', 'production', /not a host name/],
      ['login.salesforce.com', 'production', /Leave the login host empty/],
      ['acme.lightning.force.com', 'production', /acme\.my\.salesforce\.com/],
      ['acme--uat.sandbox.lightning.force.com', 'sandbox', /acme--uat\.sandbox\.my\.salesforce\.com/],
      ['acme--uat.sandbox.my.salesforce.com', 'production', /sandbox My Domain/],
      ['acme.my.salesforce.com', 'sandbox', /production My Domain/],
    ];
    for (const [host, environment, message] of cases) {
      const error = failure(() => normalizeLoginHost('salesforce', environment, host));
      expect(error.code).toBe('CONNECTION_LOGIN_HOST_INVALID');
      expect(error.message).toMatch(message);
    }
    expect(failure(() => normalizeLoginHost('dynamics', 'public', 'contoso.crm.dynamics.com')).message).toMatch(
      /Salesforce connections only/,
    );
  });
});

describe('org identity', () => {
  it('compares Org IDs and GUIDs case-insensitively and never matches missing ids', () => {
    expect(sameOrg('00D8a000000MLZ5EAO', '00d8a000000mlz5eao')).toBe(true);
    expect(sameOrg('00D8a000000MLZ5EAO', '00D8a000000MLZ6EAO')).toBe(false);
    expect(sameOrg(null, null)).toBe(false);
  });
});

describe('connection names with control characters', () => {
  it('are refused with what is wrong', () => {
    for (const name of ['Acme\nProd', 'Acme\u0000', 'Tab\there']) {
      expect(() => validateConnectionName(name)).toThrow('must not contain line breaks or control characters');
    }
  });
});
