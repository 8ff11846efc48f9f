import { describe, expect, it } from 'vitest';
import {
  clientCredentialsTarget,
  missingSecrets,
  missingSecretsMessage,
  passwordLoginTarget,
  serverHostOf,
} from './classic-login-rules.ts';

describe('passwordLoginTarget', () => {
  it('defaults to login.salesforce.com, and Sandbox switches to test.salesforce.com', () => {
    expect(passwordLoginTarget(undefined, undefined)).toEqual({ environment: 'production', loginHost: null });
    expect(passwordLoginTarget('https://login.salesforce.com/', false)).toEqual({
      environment: 'production',
      loginHost: null,
    });
    expect(passwordLoginTarget(undefined, true)).toEqual({ environment: 'sandbox', loginHost: null });
    expect(passwordLoginTarget('https://test.salesforce.com', undefined)).toEqual({
      environment: 'sandbox',
      loginHost: null,
    });
  });

  it('accepts production, sandbox and scratch My Domains and refuses other hosts', () => {
    expect(passwordLoginTarget('https://Acme.my.salesforce.com', undefined)).toEqual({
      environment: 'production',
      loginHost: 'acme.my.salesforce.com',
    });
    expect(passwordLoginTarget('acme--uat.sandbox.my.salesforce.com', undefined)).toEqual({
      environment: 'sandbox',
      loginHost: 'acme--uat.sandbox.my.salesforce.com',
    });
    expect(passwordLoginTarget('https://fun-dream-1234-dev-ed.scratch.my.salesforce.com', undefined).loginHost).toBe(
      'fun-dream-1234-dev-ed.scratch.my.salesforce.com',
    );
    expect(() => passwordLoginTarget('https://evil.example.com', undefined)).toThrow(/not a Salesforce My Domain/);
    expect(() => passwordLoginTarget('http://acme.my.salesforce.com', undefined)).toThrow(/https/);
    expect(() => passwordLoginTarget('https://login.salesforce.com', true)).toThrow(/Sandbox is ticked/);
    expect(() => passwordLoginTarget('https://acme.my.salesforce.com', true)).toThrow(/production My Domain/);
  });
});

describe('clientCredentialsTarget', () => {
  it('requires a My Domain', () => {
    expect(clientCredentialsTarget('https://acme.my.salesforce.com')).toEqual({
      environment: 'production',
      loginHost: 'acme.my.salesforce.com',
    });
    expect(clientCredentialsTarget('acme--uat.sandbox.my.salesforce.com').environment).toBe('sandbox');
    for (const host of ['https://login.salesforce.com', 'test.salesforce.com', ' ']) {
      expect(() => clientCredentialsTarget(host)).toThrow(/only at your org's My Domain/);
    }
  });

  it('shows the host as an https URL', () => {
    expect(serverHostOf({ environment: 'sandbox', loginHost: null })).toBe('https://test.salesforce.com');
    expect(serverHostOf({ environment: 'production', loginHost: 'acme.my.salesforce.com' })).toBe(
      'https://acme.my.salesforce.com',
    );
  });
});

describe('missingSecrets', () => {
  const stored = { serverHostChanged: false, usernameChanged: false, hasStoredLogin: true };

  it('asks for password and token again after a new host or username, and for both together', () => {
    expect(missingSecrets('password', { username: 'b@x' }, { ...stored, usernameChanged: true })).toEqual([
      'password',
      'securityToken',
    ]);
    expect(missingSecrets('password', { loginHost: 'h' }, { ...stored, serverHostChanged: true })).toEqual([
      'password',
      'securityToken',
    ]);
    expect(missingSecrets('password', { password: 'p' }, stored)).toEqual(['securityToken']);
    expect(missingSecrets('password', { password: 'p', securityToken: '' }, stored)).toEqual([]);
    // The same username again is no change.
    expect(missingSecrets('password', { username: 'a@x' }, stored)).toEqual([]);
  });

  it('asks for everything when the stored login was dropped', () => {
    expect(missingSecrets('password', {}, { ...stored, hasStoredLogin: false })).toEqual([
      'username',
      'password',
      'securityToken',
    ]);
    expect(missingSecrets('client-credentials', {}, { ...stored, hasStoredLogin: false })).toEqual([
      'consumerKey',
      'consumerSecret',
    ]);
  });

  it('asks for the consumer secret after a new My Domain or key', () => {
    expect(missingSecrets('client-credentials', { consumerKey: 'k' }, stored)).toEqual(['consumerSecret']);
    expect(missingSecrets('client-credentials', { myDomain: 'd' }, { ...stored, serverHostChanged: true })).toEqual([
      'consumerSecret',
    ]);
    expect(missingSecrets('client-credentials', { consumerSecret: 's' }, stored)).toEqual([]);
  });

  it('names the missing fields in the message', () => {
    expect(missingSecretsMessage(['password', 'securityToken'], 'Why.')).toBe(
      'Why. Enter the password and security token again (password, securityToken); nothing was changed.',
    );
  });
});
