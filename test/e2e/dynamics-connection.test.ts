import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium.ts';
import {
  connectionRowText,
  firstStartInvite,
  joinTeamInSettings,
  nextWindow,
  submitForm,
} from '../support/orglink-ui.ts';
import { typeInto, waitForText } from '../support/page-text.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

// One Dynamics 365 connection end to end, as an admin makes it: the Connections page, the Microsoft sign-in in the
// popup window, the environment choice (Global Discovery), the DPA, then the badge on the model-driven app.
let sandbox: Sandbox;
let server: ServerProcess;
let chromium: ExtensionBrowser;
// biome-ignore lint/suspicious/noExplicitAny: the sandbox index is JSON read as a developer reads it
let index: any;

const BADGE_TEXT = 'orglink-org-badge >>> [data-testid=orglink-badge-text]';

beforeAll(async () => {
  sandbox = await startSandbox({ https: true });
  index = await (await fetch(sandbox.url)).json();
  server = await startServerProcess({ SANDBOX_URL: sandbox.url });
  chromium = await launchWithExtension(index.browser.chromiumFlags);
  const options = await chromium.browser.newPage();
  await options.goto(chromium.pageUrl('options.html'));
  await joinTeamInSettings(options, server.url, await firstStartInvite(server), 'Dana Dynamics');
  await options.close();
});
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
  await sandbox?.close();
});

const contoso = () =>
  index.dynamics.environments.find((environment: { name: string }) => environment.name === 'contoso');
const contosoAdmin = () =>
  index.dynamics.users.find(
    (user: { upn: string; environments: string[] }) =>
      user.upn.startsWith('admin@') && user.environments.includes('contoso'),
  );

describe('a Dynamics 365 connection', () => {
  let page: Page;
  beforeAll(async () => {
    page = await chromium.browser.newPage();
    await page.goto(chromium.pageUrl('connections.html'));
  });
  afterAll(() => page?.close());

  it('is made through the Microsoft sign-in, the environment choice and the DPA, and listed Active', async () => {
    await waitForText(page, '[data-testid=connections-empty]', 'No connections yet');
    await page.click('.ol-page__toolbar [data-testid=new-connection]');
    await page.click('input[value=dynamics]');
    await page.select('#new-cloud', 'public');
    await typeInto(page, '#new-name', 'Contoso CRM');
    const signInWindow = nextWindow(chromium.browser, /\/oauth\/start\/|oauth2\/v2\.0\/authorize/);
    await page.click('[data-testid=create-connection]');
    expect(await connectionRowText(page, 'Contoso CRM', 'Waiting for sign-in')).toContain('Dynamics 365');

    const popup = await signInWindow;
    await popup.waitForSelector('#i0116');
    await submitForm(popup, { '#i0116': contosoAdmin().upn, '#i0118': contosoAdmin().password }, '#idSIButton9');

    // Global Discovery lists the environments this user can reach in the public cloud; the admin picks Contoso.
    await popup.waitForSelector('input[name=environment]');
    const listed = await popup.$$eval('label.env strong', (names) => names.map((name) => name.textContent));
    expect(listed).toEqual(expect.arrayContaining(['Contoso']));
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const contosoOption = await popup.$$eval(
      'label.env',
      (labels, friendly) =>
        labels.find((label) => label.querySelector('strong')?.textContent === friendly)?.querySelector('input')?.value,
      'Contoso',
    );
    await popup.click(`input[name=environment][value="${contosoOption}"]`);
    await Promise.all([popup.waitForNavigation(), popup.click('#continue')]);

    await popup.waitForSelector('#accept');
    expect(await popup.$eval('#org-id', (element) => element.textContent)).toBe(contoso().organizationId);
    await Promise.all([popup.waitForNavigation(), popup.click('#accept')]);
    expect(await popup.evaluate(() => document.body.textContent)).toContain('You can close this window.');
    await popup.close();

    const row = await connectionRowText(page, 'Contoso CRM', 'Active');
    expect(row).toContain(contoso().organizationId);
  });

  it('shows "Connected" in the badge on the model-driven app of that environment', async () => {
    const app = await chromium.browser.newPage();
    await app.goto(`${contoso().url}/main.aspx?appid=${contoso().appModuleId}&pagetype=entitylist&etn=contact`);
    // The Microsoft session from the connection's sign-in may still be there; sign in only if asked.
    if (new URL(app.url()).hostname.startsWith('login.')) {
      await submitForm(app, { '#i0116': contosoAdmin().upn, '#i0118': contosoAdmin().password }, '#idSIButton9');
    }
    await app.waitForSelector('#mainContent');
    expect(await waitForText(app, BADGE_TEXT, 'OrgLink:')).toBe('OrgLink: Connected (Contoso CRM)');
    await app.close();
  });
});
