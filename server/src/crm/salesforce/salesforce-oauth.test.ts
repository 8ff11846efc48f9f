import { describe, expect, it } from 'vitest';
import { isTrustedSalesforceUrl } from './salesforce-oauth.ts';

const real = { clientId: 'id', clientSecret: 'secret', loginUrl: 'https://login.salesforce.com' };
const sandbox = { clientId: 'id', clientSecret: 'secret', loginUrl: 'http://127.0.0.1:8801' };

describe('isTrustedSalesforceUrl', () => {
  it('follows only https URLs on Salesforce hosts when signing in to the real Salesforce', () => {
    expect(isTrustedSalesforceUrl('https://login.salesforce.com/id/00D/005', real)).toBe(true);
    expect(isTrustedSalesforceUrl('https://acme.my.salesforce.com', real)).toBe(true);
    expect(isTrustedSalesforceUrl('https://acme.lightning.force.com', real)).toBe(true);
    for (const url of [
      'http://acme.my.salesforce.com',
      'https://salesforce.com.attacker.example',
      'https://169.254.169.254/latest',
      'http://127.0.0.1:8801/id/x',
      'not a url',
      undefined,
    ]) {
      expect(isTrustedSalesforceUrl(url, real)).toBe(false);
    }
  });

  it('follows loopback URLs only when the endpoint itself is the local sandbox', () => {
    expect(isTrustedSalesforceUrl('http://127.0.0.1:8803', sandbox)).toBe(true);
    expect(isTrustedSalesforceUrl('https://acme.my.salesforce.com', sandbox)).toBe(false);
  });
});
