import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium.ts';
import { waitForText } from '../support/page-text.ts';

// The sandbox as a developer and the browser tests meet it: the index lists everything, and Chromium reaches the
// simulators by the real host names (login.salesforce.com, *.lightning.force.com, login.microsoftonline.com,
// *.crm.dynamics.com, *.catalog.instructure.com) over HTTPS, so the extension's real match patterns and cookies are what later tests exercise.
let sandbox: Sandbox;
let chromium: ExtensionBrowser;
// biome-ignore lint/suspicious/noExplicitAny: the index is JSON read as a developer reads it
let index: any;

beforeAll(async () => {
  sandbox = await startSandbox({ https: true });
  index = await (await fetch(sandbox.url)).json();
  chromium = await launchWithExtension(index.browser.chromiumFlags);
});
afterAll(async () => {
  await chromium?.browser.close();
  await sandbox?.close();
});

async function submitForm(page: Page, fields: Record<string, string>, submit: string) {
  for (const [selector, value] of Object.entries(fields)) await page.type(selector, value);
  await Promise.all([page.waitForNavigation(), page.click(submit)]);
}

describe('sandbox', () => {
  it('lists every simulated org, environment and Catalog account with URLs and credentials', () => {
    const orgs = index.salesforce.orgs;
    expect(orgs.map((org: { name: string }) => org.name)).toEqual(
      expect.arrayContaining(['acme', 'acme--uat', 'globex']),
    );
    for (const org of orgs) {
      expect(org.instanceUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(org.orgId).toMatch(/^00D[0-9A-Za-z]{15}$/);
      expect(org.users[0]).toMatchObject({ username: expect.any(String), password: expect.any(String) });
    }
    expect(index.salesforce.connectedApps[0]).toMatchObject({
      clientId: expect.any(String),
      clientSecret: expect.any(String),
    });
    expect(JSON.stringify(index.dynamics)).toContain('crm.dynamics.com');
    expect(index.catalog.accounts.length).toBeGreaterThanOrEqual(2);
    expect(index.catalog.accounts[0]).toMatchObject({
      apiTokens: [expect.any(String)],
      baseUrl: expect.stringMatching(/^http/),
    });
    expect(index.browser.chromiumFlags).toContain('--ignore-certificate-errors');
  });

  it('serves Lightning at its real host name: login at My Domain, then the sid cookie', async () => {
    const acme = index.salesforce.orgs.find((org: { name: string }) => org.name === 'acme');
    const admin = acme.users.find((user: { username: string }) => user.username.startsWith('admin@'));
    const page = await chromium.browser.newPage();
    await page.goto('https://acme.lightning.force.com/lightning/page/home');
    expect(new URL(page.url()).hostname).toBe('acme.my.salesforce.com');
    await submitForm(page, { '#username': admin.username, '#password': admin.password }, '#Login');
    await page.waitForSelector('body.desktop');
    expect(new URL(page.url()).hostname).toBe('acme.lightning.force.com');
    const cookies = await chromium.browser.cookies();
    const sid = cookies.find((cookie) => cookie.name === 'sid' && cookie.domain.includes('acme.my.salesforce.com'));
    expect(sid?.value.startsWith(`${acme.orgId.slice(0, 15)}!`)).toBe(true);
    await page.close();
  });

  it('serves the Dynamics app at its real host name, signing in through Entra ID', async () => {
    const contoso = index.dynamics.environments.find((environment: { name: string }) => environment.name === 'contoso');
    const admin = index.dynamics.users.find(
      (user: { upn: string; environments: string[] }) =>
        user.upn.startsWith('admin@') && user.environments.includes('contoso'),
    );
    const page = await chromium.browser.newPage();
    await page.goto(`${contoso.url}/main.aspx?appid=${contoso.appModuleId}&pagetype=entitylist&etn=contact`);
    expect(new URL(page.url()).hostname).toBe('login.microsoftonline.com');
    await page.$eval('#i0116', (input) => {
      (input as HTMLInputElement).value = '';
    });
    await submitForm(page, { '#i0116': admin.upn, '#i0118': admin.password }, '#idSIButton9');
    expect(new URL(page.url()).hostname).toBe('contoso.crm.dynamics.com');
    await page.waitForSelector('#mainContent [data-id="grid-container"]');
    await page.close();
  });

  it("serves the Catalog admin at its real host name, with the Integrations area's Salesforce card", async () => {
    const account = index.catalog.accounts.find((entry: { subdomain: string }) => entry.subdomain === 'acme');
    const page = await chromium.browser.newPage();
    await page.goto(`${account.httpsUrl}/admin/integrations`);
    await submitForm(
      page,
      { '#email': account.admin.username, '#password': account.admin.password },
      '#login-form button',
    );
    expect(new URL(page.url()).pathname).toBe('/admin/integrations');
    await waitForText(page, '#integrations li[data-integration="salesforce"]', 'Salesforce');
    await page.close();
  });
});
