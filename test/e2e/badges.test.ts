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

// The in-page badges end to end: the production extension build in Chromium, a real server process and the sandbox's
// Salesforce and Dynamics pages at their real host names. The badge lives in a shadow root (`>>>` pierces it).
const BADGE_HOST = 'orglink-org-badge';
const BADGE_TEXT = `${BADGE_HOST} >>> [data-testid=orglink-badge-text]`;
/** Long enough for the content script, the background and the lookup to have shown a badge if they were going to. */
const SETTLE_MS = 2000;

let sandbox: Sandbox;
let server: ServerProcess;
let chromium: ExtensionBrowser;
// biome-ignore lint/suspicious/noExplicitAny: the sandbox index is JSON read as a developer reads it
let index: any;
let signIn: { serverUrl: string; token: string; me: unknown };

beforeAll(async () => {
  sandbox = await startSandbox({ https: true });
  index = await (await fetch(sandbox.url)).json();
  server = await startServerProcess({ SANDBOX_URL: sandbox.url });
  chromium = await launchWithExtension(index.browser.chromiumFlags);
  signIn = await redeemFirstInvite();
  await writeExtensionStorage({ serverUrl: server.url });
});
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
  await sandbox?.close();
});

/**
 * Signs in or out by writing the extension's storage from its service worker, as the background does. Not from an
 * extension page: pages ask the background about the session as they open, and that answer may land after the write.
 */
const writeExtensionStorage = (items: Record<string, unknown>, remove: string[] = []) =>
  writeStorage(chromium, items, remove);

const redeemFirstInvite = () => redeemInvite(server);

const signInExtension = () => writeExtensionStorage({ signIn });
const signOutExtension = () => writeExtensionStorage({}, ['signIn']);

/** Signs in to the acme org through the simulator's My Domain login and lands on Lightning's home page. */
async function openLightning(): Promise<Page> {
  const acme = index.salesforce.orgs.find((org: { name: string }) => org.name === 'acme');
  const admin = acme.users.find((user: { username: string }) => user.username.startsWith('admin@'));
  const page = await chromium.browser.newPage();
  await page.goto('https://acme.lightning.force.com/lightning/page/home');
  if (new URL(page.url()).hostname === 'acme.my.salesforce.com') {
    await submitForm(page, { '#username': admin.username, '#password': admin.password }, '#Login');
  }
  await page.waitForSelector('body.desktop .oneOne');
  expect(new URL(page.url()).hostname).toBe('acme.lightning.force.com');
  return page;
}

const badgeCount = (page: Page) => page.evaluate((name) => document.querySelectorAll(name).length, BADGE_HOST);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** What the window does when the admin comes back to it, for instance from the CRM sign-in popup. */
const regainFocus = (page: Page) => page.evaluate(() => window.dispatchEvent(new Event('focus')));

describe('Salesforce org badge', () => {
  it('leaves Lightning untouched while signed out, and shows "Not connected to your team" once signed in', async () => {
    await signOutExtension();
    const page = await openLightning();
    await pause(SETTLE_MS);
    expect(await badgeCount(page)).toBe(0);

    await signInExtension();
    await regainFocus(page);
    expect(await waitForText(page, BADGE_TEXT, 'OrgLink: Not connected to your team')).toBe(
      'OrgLink: Not connected to your team',
    );
    expect(await badgeCount(page)).toBe(1);
    await page.close();
  });

  it('keeps exactly one badge across Lightning navigation, re-mounted for each page and folded as the admin left it', async () => {
    const page = await openLightning();
    await waitForText(page, BADGE_TEXT, 'Not connected to your team');
    await page.evaluate((name) => document.querySelector(name)?.setAttribute('data-first-page', ''), BADGE_HOST);
    await page.click(`${BADGE_HOST} >>> .ol-badge__collapse`);
    await page.waitForSelector(`${BADGE_HOST} >>> [data-testid=orglink-badge-expand]`);

    for (const path of ['/lightning/o/Contact/list', '/lightning/o/Lead/list', '/lightning/page/home']) {
      await page.evaluate((to) => history.pushState({}, '', to), path);
    }
    await page.goBack();
    await page.waitForFunction(
      (name) => document.querySelector(`${name}:not([data-first-page])`) !== null,
      {},
      BADGE_HOST,
    );
    await pause(500);
    expect(await badgeCount(page)).toBe(1);

    await page.click(`${BADGE_HOST} >>> [data-testid=orglink-badge-expand]`);
    await waitForText(page, BADGE_TEXT, 'Not connected to your team');
    expect(await badgeCount(page)).toBe(1);
    await page.close();
  });

  it('shows nothing on a Salesforce page where Lightning has not loaded', async () => {
    const page = await chromium.browser.newPage();
    await page.goto('https://globex.my.salesforce.com/');
    await page.waitForSelector('#username');
    await pause(SETTLE_MS);
    expect(await badgeCount(page)).toBe(0);
    await page.close();
  });

  it('takes the badge away when the admin signs out of OrgLink', async () => {
    const page = await openLightning();
    await waitForText(page, BADGE_TEXT, 'Not connected to your team');
    await signOutExtension();
    await regainFocus(page);
    await page.waitForFunction((name) => document.querySelector(name) === null, { timeout: 10_000 }, BADGE_HOST);
    await signInExtension();
    await page.close();
  });
});

const api = (method: string, path: string, body?: unknown) => callTeamApi(server.url, signIn.token, method, path, body);

/** Signs in to the CRM on the simulator's login page (unless its session is still there) and accepts the DPA. */
async function completeCrmSignIn(page: Page) {
  const acme = index.salesforce.orgs.find((org: { name: string }) => org.name === 'acme');
  const admin = acme.users.find((user: { username: string }) => user.username.startsWith('admin@'));
  await page.waitForSelector('#username, #accept, #oaapprove');
  if (await page.$('#username')) {
    await submitForm(page, { '#username': admin.username, '#password': admin.password }, '#Login');
  }
  if (await page.$('#oaapprove')) await Promise.all([page.waitForNavigation(), page.click('#oaapprove')]);
  await page.waitForSelector('#accept');
  await Promise.all([page.waitForNavigation(), page.click('#accept')]);
  await waitForText(page, 'body', 'You can close this window');
}

describe('Salesforce org badge for a connected org', () => {
  let connectionId: string;

  it('says Connected with the connection name once the team has connected the org', async () => {
    await signInExtension();
    const created = await api('POST', '/api/connections', {
      name: 'Acme Production',
      kind: 'salesforce',
      environment: 'production',
    });
    expect(created.status).toBe(201);
    connectionId = created.body.connection.id;
    const login = await chromium.browser.newPage();
    await login.goto(created.body.loginUrl);
    await completeCrmSignIn(login);
    await login.close();
    expect((await api('GET', `/api/connections/${connectionId}`)).body).toMatchObject({ status: 'active' });

    const page = await openLightning();
    expect(await waitForText(page, BADGE_TEXT, 'Connected')).toBe('OrgLink: Connected (Acme Production)');
    await page.close();
  });

  it('turns to "Connection inactive" live when the org revokes the tokens, and re-authorizes from the badge', async () => {
    const page = await openLightning();
    await waitForText(page, BADGE_TEXT, 'OrgLink: Connected (Acme Production)');

    sandbox.salesforce.org('acme').revokeAllTokens();
    const tested = await api('POST', `/api/connections/${connectionId}/test`);
    expect(tested.body).toMatchObject({ ok: false, connection: { status: 'inactive' } });
    // No focus and no reload: the change reaches the badge through the server's event stream.
    const inactive = await waitForText(page, BADGE_TEXT, 'Connection inactive');
    expect(inactive).toMatch(/^OrgLink: Connection inactive: .+/);

    const pagesBefore = new Set(chromium.browser.targets());
    const popupOpened = chromium.browser.waitForTarget(
      (target) => target.type() === 'page' && !pagesBefore.has(target),
    );
    await page.click(`${BADGE_HOST} >>> [data-testid=orglink-badge-reauthorize]`);
    const popup = await (await popupOpened).page();
    if (!popup) throw new Error('the sign-in window did not open');
    await completeCrmSignIn(popup);
    await popup.close();

    expect(await waitForText(page, BADGE_TEXT, 'OrgLink: Connected')).toBe('OrgLink: Connected (Acme Production)');
    expect(await badgeCount(page)).toBe(1);
    await page.close();
  });
});

describe('Dynamics 365 environment badge', () => {
  it('reads the environment from the app and shows "Not connected to your team"', async () => {
    await signInExtension();
    const contoso = index.dynamics.environments.find((environment: { name: string }) => environment.name === 'contoso');
    const admin = index.dynamics.users.find(
      (user: { upn: string; environments: string[] }) =>
        user.upn.startsWith('admin@') && user.environments.includes('contoso'),
    );
    const page = await chromium.browser.newPage();
    await page.goto(`${contoso.url}/main.aspx?appid=${contoso.appModuleId}&pagetype=entitylist&etn=contact`);
    await submitForm(page, { '#i0116': admin.upn, '#i0118': admin.password }, '#idSIButton9');
    await page.waitForSelector('#mainContent');
    expect(await waitForText(page, BADGE_TEXT, 'OrgLink:')).toBe('OrgLink: Not connected to your team');
    expect(await badgeCount(page)).toBe(1);
    await page.close();
  });
});
