import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium.ts';
import {
  callTeamApi,
  redeemFirstInvite as redeemInvite,
  submitForm,
  writeExtensionStorage as writeStorage,
} from '../support/orglink-ui.ts';
import { waitForText } from '../support/page-text.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

// Issue 5's widget end to end: the production extension build in Chromium, the server process and the sandbox at
// real host names. The admin logs into the Catalog admin, links the account to a Salesforce connection from the
// widget, maps to Lead, runs the write job, watches it, and downloads its errors CSV. The widget lives in a shadow
// root (`>>>` pierces it).
const WIDGET = 'orglink-catalog-widget';
const inWidget = (testId: string) => `${WIDGET} >>> [data-testid=${testId}]`;

let sandbox: Sandbox;
let server: ServerProcess;
let chromium: ExtensionBrowser;
// biome-ignore lint/suspicious/noExplicitAny: the sandbox index is JSON read as a developer reads it
let index: any;
let signIn: { serverUrl: string; token: string; me: unknown };
let downloads: string;
let page: Page;

beforeAll(async () => {
  sandbox = await startSandbox({ https: true });
  index = await (await fetch(sandbox.url)).json();
  server = await startServerProcess({ SANDBOX_URL: sandbox.url });
  chromium = await launchWithExtension(index.browser.chromiumFlags);
  signIn = await redeemFirstInvite();
  await writeExtensionStorage({ serverUrl: server.url, signIn });
  downloads = mkdtempSync(path.join(tmpdir(), 'orglink-downloads-'));
  const cdp = await chromium.browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
});
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
  await sandbox?.close();
  if (downloads) rmSync(downloads, { recursive: true, force: true });
});

const writeExtensionStorage = (items: Record<string, unknown>) => writeStorage(chromium, items);

const redeemFirstInvite = () => redeemInvite(server);

const api = (method: string, path: string, body?: unknown) => callTeamApi(server.url, signIn.token, method, path, body);

/** The acme Salesforce org connected to the team, its CRM sign-in done in a tab (connections.test.ts covers the UI). */
async function connectAcmeSalesforce(): Promise<string> {
  const created = await api('POST', '/api/connections', {
    name: 'Acme Production',
    kind: 'salesforce',
    environment: 'production',
  });
  expect(created.status).toBe(201);
  const acme = index.salesforce.orgs.find((org: { name: string }) => org.name === 'acme');
  const admin = acme.users.find((user: { username: string }) => user.username.startsWith('admin@'));
  const login = await chromium.browser.newPage();
  await login.goto(created.body.loginUrl);
  await login.waitForSelector('#username, #accept, #oaapprove');
  if (await login.$('#username')) {
    await submitForm(login, { '#username': admin.username, '#password': admin.password }, '#Login');
  }
  if (await login.$('#oaapprove')) await Promise.all([login.waitForNavigation(), login.click('#oaapprove')]);
  await login.waitForSelector('#accept');
  await Promise.all([login.waitForNavigation(), login.click('#accept')]);
  await waitForText(login, 'body', 'You can close this window');
  await login.close();
  return created.body.connection.id;
}

// biome-ignore lint/suspicious/noExplicitAny: the sandbox index is JSON read as a developer reads it
const acmeCatalog = (): any =>
  index.catalog.accounts.find((account: { subdomain: string }) => account.subdomain === 'acme');

async function clickInWidget(testId: string) {
  const element = await page.waitForSelector(inWidget(testId));
  await element?.click();
}

describe('Catalog widget', () => {
  it('stays off other admin pages, and says "Not linked" on the Integrations card', async () => {
    await connectAcmeSalesforce();
    const catalog = acmeCatalog();
    // A Catalog user whose last name is longer than Salesforce's 80 characters: the run completes with one error.
    const added = await fetch(`${catalog.simControlsUrl}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        first_name: 'Too',
        last_name: `Long${'g'.repeat(120)}`,
        email_address: 'too.long@example.com',
      }),
    });
    expect(added.ok).toBe(true);

    page = await chromium.browser.newPage();
    await page.goto('https://acme.catalog.instructure.com/admin');
    await submitForm(
      page,
      { '#email': catalog.admin.username, '#password': catalog.admin.password },
      '#login-form button',
    );
    await page.waitForSelector('#global-nav');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await page.$$(WIDGET)).toHaveLength(0);

    await Promise.all([page.waitForNavigation(), page.click('#global-nav a[data-nav="integrations"]')]);
    expect(new URL(page.url()).pathname).toBe('/admin/integrations');
    expect(await waitForText(page, inWidget('orglink-link-text'), 'OrgLink')).toBe('OrgLink: Not linked');
    // Mounted next to the card's own actions, exactly once.
    expect(
      await page.$$eval(
        'li[data-integration="salesforce"] .integration-actions orglink-catalog-widget',
        (nodes) => nodes.length,
      ),
    ).toBe(1);
  });

  it('refuses a wrong Catalog token, then links with the right one and opens the Mapping tab', async () => {
    await clickInWidget('orglink-widget-button');
    await page.waitForSelector(inWidget('orglink-link-form'));
    const token = await page.waitForSelector(inWidget('orglink-link-token'));
    await token?.type('0000000000000000deadbeef');
    await clickInWidget('orglink-link-submit');
    await waitForText(page, inWidget('orglink-link-token-error'), /token/i);

    await token?.click({ count: 3 });
    await token?.type(acmeCatalog().apiTokens[0]);
    await clickInWidget('orglink-link-submit');
    await waitForText(page, inWidget('orglink-link-text'), 'Linked to Acme Production');
    await page.waitForSelector(inWidget('orglink-mapping-form'));
  });

  it('maps to Lead: Company joins the mandatory rows, and Save keeps the map', async () => {
    const table = await page.waitForSelector(inWidget('orglink-mapping-table'));
    await table?.select('Lead');
    await page.waitForSelector(`${WIDGET} >>> [data-testid=orglink-mapping-row][data-target=Company]`);
    const targets = await page.$$eval(`${WIDGET} >>> [data-testid=orglink-mapping-row]`, (rows) =>
      rows.map((row) => row.getAttribute('data-target')),
    );
    expect(targets).toEqual(expect.arrayContaining(['FirstName', 'LastName', 'Email', 'Company']));
    await clickInWidget('orglink-mapping-save');
    await waitForText(page, inWidget('orglink-mapping-saved'), 'Saved');
    const { body } = await api('GET', '/api/integrations');
    expect(body.integrations[0]).toMatchObject({ target: 'Lead', catalogHost: 'acme.catalog.instructure.com' });
  });

  it('runs the write job, shows its progress live, and ends in Job History with its counts', async () => {
    // Slow Catalog pages, so the progress is there to be seen.
    await fetch(`${acmeCatalog().simControlsUrl}/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs: 1000 }),
    });
    await clickInWidget('orglink-tab-quick-actions');
    await clickInWidget('orglink-run-write-job');
    await page.waitForSelector(inWidget('orglink-panel-job-history'));
    await waitForText(page, inWidget('orglink-run-progress-text'), /\d+ \/ \d+|counting/);

    await clickInWidget('orglink-tab-job-history');
    const status = await waitForText(page, inWidget('orglink-run-status'), /Completed|Failed/, 60_000);
    expect(status).toBe('Completed with errors');
    const counts = await waitForText(page, inWidget('orglink-run-counts'), 'created');
    expect(counts).toMatch(/^\d+ created · \d+ updated · \d+ unchanged · 1 failed · /);
    expect(await page.$$(`${WIDGET} >>> [data-testid=orglink-chart-bar]`)).toHaveLength(1);
  });

  it('downloads the errors CSV through the extension, naming the refused record', async () => {
    await clickInWidget('orglink-errors-csv');
    const deadline = Date.now() + 10_000;
    let file: string | undefined;
    while (!file && Date.now() < deadline) {
      file = readdirSync(downloads).find((name) => name.endsWith('-errors.csv'));
      if (!file) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(file).toMatch(/^orglink-run-.+-errors\.csv$/);
    const csv = readFileSync(path.join(downloads, file ?? ''), 'utf8');
    expect(csv).toContain('STRING_TOO_LONG');
    await page.close();
  });

  it('opens the panel on the tab the popup asks for (#orglink-widget=mapping)', async () => {
    const tab = await chromium.browser.newPage();
    await tab.goto(`${acmeCatalog().httpsUrl}/admin/integrations#orglink-widget=mapping`);
    await tab.waitForSelector(`${WIDGET} >>> [data-testid=orglink-panel-mapping]`);
    expect(await tab.$eval(inWidget('orglink-tab-mapping'), (element) => element.getAttribute('aria-selected'))).toBe(
      'true',
    );
    await tab.close();
  });
});
