import { describe, expect, it } from 'vitest';
import { type CookieReader, orgIdFromSid, salesforceOrgIdForPage } from './salesforce-session.ts';

const ORG = '00D5e000000Acme';
const SID = `${ORG}!AQ4AQFakeSessionValueThatMustNeverLeave.x1`;

describe('orgIdFromSid', () => {
  it('takes the 15-character org prefix before the "!"', () => {
    expect(orgIdFromSid(SID)).toBe(ORG);
  });

  it.each([
    ['no cookie', undefined],
    ['an empty value', ''],
    ['no "!"', '00D5e000000AcmeAQ4AQ'],
    ['a prefix that is not an Org ID', '0055e000000Acme!AQ4AQ'],
    ['an 18-character prefix', '00D5e000000Acme01A!AQ4AQ'],
    ['a 14-character prefix', '00D5e000000Acm!AQ4AQ'],
    ['nothing after the "!"', `${ORG}!`],
    ['characters outside an id', '00D5e000000Ac-e!AQ4AQ'],
  ])('refuses %s', (_label, value) => {
    expect(orgIdFromSid(value)).toBeUndefined();
  });
});

/** A cookie jar keyed by host, recording which URLs were asked for. */
function jar(cookies: Record<string, string>, failing: string[] = []) {
  const asked: { url: string; storeId?: string }[] = [];
  const reader: CookieReader = {
    get: async ({ url, name, storeId }) => {
      asked.push({ url, ...(storeId ? { storeId } : {}) });
      const host = new URL(url).hostname;
      if (failing.includes(host)) throw new Error('No host permissions for cookies at url');
      const value = name === 'sid' ? cookies[host] : undefined;
      return value === undefined ? null : { value };
    },
  };
  return { reader, asked };
}

describe('salesforceOrgIdForPage', () => {
  it("reads the page host's own session first", async () => {
    const { reader, asked } = jar({ 'acme.lightning.force.com': SID, 'acme.my.salesforce.com': 'ignored' });
    expect(await salesforceOrgIdForPage(new URL('https://acme.lightning.force.com/lightning/page/home'), reader)).toBe(
      ORG,
    );
    expect(asked.map((entry) => entry.url)).toEqual(['https://acme.lightning.force.com/']);
  });

  it("falls back to the My Domain session of a Lightning host, in the tab's cookie store", async () => {
    const { reader, asked } = jar({ 'acme--uat.sandbox.my.salesforce.com': SID });
    const page = new URL('https://acme--uat.sandbox.lightning.force.com/lightning/o/Contact/list');
    expect(await salesforceOrgIdForPage(page, reader, '1')).toBe(ORG);
    expect(asked).toEqual([
      { url: 'https://acme--uat.sandbox.lightning.force.com/', storeId: '1' },
      { url: 'https://acme--uat.sandbox.my.salesforce.com/', storeId: '1' },
    ]);
  });

  it('goes on to the My Domain when the page host cannot be read', async () => {
    const { reader } = jar({ 'acme.my.salesforce.com': SID }, ['acme.lightning.force.com']);
    expect(await salesforceOrgIdForPage(new URL('https://acme.lightning.force.com/'), reader)).toBe(ORG);
  });

  it('reads no cookie outside the Salesforce session hosts', async () => {
    const { reader, asked } = jar({ 'login.salesforce.com': SID, 'acme.visual.force.com': SID });
    expect(await salesforceOrgIdForPage(new URL('https://login.salesforce.com/'), reader)).toBeUndefined();
    expect(await salesforceOrgIdForPage(new URL('https://acme--c.visual.force.com/apex/x'), reader)).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('answers nothing when there is no session', async () => {
    const { reader } = jar({ 'acme.lightning.force.com': 'not-a-sid' });
    expect(await salesforceOrgIdForPage(new URL('https://acme.lightning.force.com/'), reader)).toBeUndefined();
  });
});
