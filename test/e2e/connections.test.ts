import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium.ts';
import { connectionRowText, firstStartInvite } from '../support/orglink-ui.ts';
import { typeInto, waitForText } from '../support/page-text.ts';
import { repoRoot } from '../support/paths.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

// Issue 4 in the browser: joining the team in Settings, the popup's team line, and the Connections page's states and
// actions, with the real server process, the production extension build and the sandbox's Salesforce at its real
// host names (the CRM sign-in happens in the popup window the extension opens, as an admin would see it).
let sandbox: Sandbox;
let server: ServerProcess;
let chromium: ExtensionBrowser;
let ownerInvite: string;
// biome-ignore lint/suspicious/noExplicitAny: the sandbox index is JSON read as a developer reads it
let index: any;

const INVITE = /olinv_[A-Za-z0-9_-]{20,64}/;

/** A further invite, made the way an admin makes one: the CLI against the server's database. */
function createInvite(role: 'admin' | 'viewer'): string {
  const stdout = execFileSync(
    process.execPath,
    [path.join(repoRoot, 'server/src/cli/create-invite.ts'), '--role', role],
    {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_PATH: server.databasePath },
      encoding: 'utf8',
    },
  );
  const match = INVITE.exec(stdout);
  if (!match) throw new Error(`create-invite printed no code: ${stdout}`);
  return match[0];
}

/** The acme org's admin in the Salesforce simulator. */
function acmeAdmin(): { username: string; password: string; orgId: string } {
  const acme = index.salesforce.orgs.find((org: { name: string }) => org.name === 'acme');
  const admin = acme.users.find((user: { username: string }) => user.username.startsWith('admin@'));
  return { username: admin.username, password: admin.password, orgId: acme.orgId };
}

/** Resolves with the sign-in popup window the extension opens next (the server's /oauth/start page, then the CRM). */
function nextSignInWindow(): Promise<Page> {
  return chromium.browser
    .waitForTarget((target) => target.type() === 'page' && /\/oauth\/start\/|salesforce\.com/.test(target.url()))
    .then(async (target) => {
      const page = await target.page();
      if (!page) throw new Error('the sign-in window has no page');
      return page;
    });
}

/** What the admin does in the popup: log in (unless the CRM still knows them), Allow, then accept the DPA. */
async function signInToSalesforceInPopup(popup: Page) {
  const user = acmeAdmin();
  await popup.waitForSelector('#username, #oaapprove, #accept', { timeout: 15_000 });
  if (await popup.$('#username')) {
    await typeInto(popup, '#username', user.username);
    await typeInto(popup, '#password', user.password);
    await Promise.all([popup.waitForNavigation(), popup.click('#Login')]);
    await popup.waitForSelector('#oaapprove, #accept');
  }
  if (await popup.$('#oaapprove')) {
    await Promise.all([popup.waitForNavigation(), popup.click('#oaapprove')]);
  }
  await popup.waitForSelector('#accept');
  expect(await popup.$eval('#org-id', (element) => element.textContent)).toBe(user.orgId);
  await Promise.all([popup.waitForNavigation(), popup.click('#accept')]);
  expect(await popup.evaluate(() => document.body.textContent)).toContain('You can close this window.');
}

/** The row of a connection in the list, found by its name. */
const rowOf = (name: string) => `xpath///tr[th//a[normalize-space(text())="${name}"]]`;

/** A member of the team for what the extension offers no page for yet (defining a scheduled job). */
async function apiMemberToken(): Promise<string> {
  const response = await fetch(`${server.url}/api/auth/redeem`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: createInvite('admin'), displayName: 'Job Scheduler' }),
  });
  return ((await response.json()) as { token: string }).token;
}

async function openExtensionPage(page: string): Promise<Page> {
  const tab = await chromium.browser.newPage();
  await tab.goto(chromium.pageUrl(page));
  return tab;
}

async function redeem(options: Page, code: string, name: string) {
  await options.waitForSelector('#invite-code');
  await typeInto(options, '#invite-code', code);
  await typeInto(options, '#display-name', name);
  await options.click('[data-testid=redeem-invite]');
}

beforeAll(async () => {
  sandbox = await startSandbox({ https: true });
  index = await (await fetch(sandbox.url)).json();
  server = await startServerProcess({ SANDBOX_URL: sandbox.url });
  ownerInvite = await firstStartInvite(server);
  chromium = await launchWithExtension(index.browser.chromiumFlags);
  const options = await openExtensionPage('options.html');
  await typeInto(options, '#server-url', server.url);
  await options.click('button[type=submit]');
  await waitForText(options, '[data-testid=server-url-feedback]', 'Saved.');
  await options.close();
});
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
  await sandbox?.close();
});

describe('Settings: joining the team', () => {
  it('shows the Connections page as "sign in first" with a link to Settings before joining', async () => {
    const page = await openExtensionPage('connections.html');
    await waitForText(page, '[data-testid=signed-out]', "Sign in to see your team's connections");
    expect(await page.$eval('[data-testid=signed-out] a', (link) => link.getAttribute('href'))).toBe('/options.html');
    await page.close();
  });

  it('refuses a malformed invite code before sending it, and says what a code looks like', async () => {
    const options = await openExtensionPage('options.html');
    await redeem(options, 'welcome-123', 'Ada Admin');
    await waitForText(options, '[data-testid=invite-code-error]', 'An invite code starts with olinv_');
    expect(await options.$eval('#invite-code', (input) => input.getAttribute('aria-invalid'))).toBe('true');
    expect(await options.evaluate(() => document.activeElement?.id)).toBe('invite-code');
    await options.close();
  });

  it('redeems the first-start invite and shows who you are, your team and your role', async () => {
    const options = await openExtensionPage('options.html');
    await redeem(options, ownerInvite, 'Ada Admin');
    await waitForText(options, '[data-testid=whoami-name]', 'Ada Admin');
    expect(await waitForText(options, '[data-testid=whoami-team]', /\S/)).toBe('My team');
    expect(await waitForText(options, '[data-testid=whoami-role]', 'owner')).toContain('owner');

    // Still signed in after a reload: the background kept the token, and asks the server who we are.
    await options.reload();
    await waitForText(options, '[data-testid=whoami-name]', 'Ada Admin');
    await options.close();
  });

  it('shows the team in the popup with a link that opens the Connections page', async () => {
    const popup = await openExtensionPage('popup.html');
    await waitForText(popup, '[data-testid=popup-team]', 'My team');
    const opened = chromium.browser.waitForTarget((target) => target.url().endsWith('/connections.html'));
    await popup.click('[data-testid=connections-link]');
    const connectionsTab = await (await opened).page();
    await connectionsTab?.close();
    await popup.close().catch(() => {});
  });
});

describe('Connections page', () => {
  it('shows the designed empty state with the New Connection button', async () => {
    const page = await openExtensionPage('connections.html');
    await waitForText(page, '[data-testid=signed-in-as]', 'My team');
    await waitForText(page, '[data-testid=connections-empty]', 'No connections yet');
    expect(await page.$eval('[data-testid=connections-empty] [data-testid=new-connection]', (b) => b.textContent)).toBe(
      '+ New Connection',
    );
    await waitForText(page, '[data-testid=live-status]', 'Live updates on');
    await page.close();
  });

  it('validates the New Connection form in place and sends nothing until it is right', async () => {
    const page = await openExtensionPage('connections.html');
    await waitForText(page, '[data-testid=connections-empty]', 'No connections yet');
    await page.click('.ol-page__toolbar [data-testid=new-connection]');
    await page.waitForSelector('[data-testid=new-connection-dialog][open]');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('choice');

    await page.click('[data-testid=create-connection]');
    await waitForText(page, '#new-choice-error', 'Choose what to connect');
    await waitForText(page, '#new-name-error', 'Give the connection a name');

    // Salesforce Sandbox offers the optional My Domain; a slash in the name and a bad host are refused.
    await page.click('input[value=salesforce-sandbox]');
    await typeInto(page, '#new-name', 'Acme/UAT');
    await typeInto(page, '#new-login-host', 'acme uat');
    await page.click('[data-testid=create-connection]');
    await waitForText(page, '#new-name-error', 'must not contain / or :');
    await waitForText(page, '#new-loginHost-error', 'My Domain host name');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('new-login-host');

    // Dynamics 365 offers the five environment types, Public Cloud first.
    await page.click('input[value=dynamics]');
    const clouds = await page.$$eval('#new-cloud option', (options) => options.map((option) => option.textContent));
    expect(clouds).toEqual(['Public Cloud (Default)', 'GCC', 'GCC High', 'DoD', 'China']);
    expect(await page.$('#new-login-host')).toBeNull();

    // Escape closes the dialog, focus returns to the button that opened it, and nothing was created.
    await page.keyboard.press('Escape');
    await page.waitForSelector('[data-testid=new-connection-dialog]:not([open])');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('new-connection');
    await page.reload();
    await waitForText(page, '[data-testid=connections-empty]', 'No connections yet');
    await page.close();
  });
});

describe('Connections page with a real Salesforce sign-in', () => {
  let page: Page;
  let otherConnectionId: string | undefined;
  beforeAll(async () => {
    page = await openExtensionPage('connections.html');
  });
  afterAll(() => page?.close());

  it('creates a Salesforce connection through the sign-in popup and the DPA, and lists it Active with its Org ID', async () => {
    await waitForText(page, '[data-testid=connections-empty]', 'No connections yet');
    await page.click('.ol-page__toolbar [data-testid=new-connection]');
    await page.click('input[value=salesforce-production]');
    await typeInto(page, '#new-name', 'Acme Production');
    await typeInto(page, '#new-description', 'Our main org');
    const signInWindow = nextSignInWindow();
    await page.click('[data-testid=create-connection]');

    // The new connection is listed at once, waiting for its sign-in; the sign-in runs in its own popup window.
    await waitForText(page, '[data-testid=page-notice]', 'Sign in for “Acme Production” in the window that opened');
    expect(await connectionRowText(page, 'Acme Production', 'Waiting for sign-in')).toContain('Salesforce Production');
    const popup = await signInWindow;
    const windowTypes = await page.evaluate(async () => {
      const { windows } = (globalThis as unknown as { chrome: { windows: { getAll(): Promise<{ type: string }[]> } } })
        .chrome;
      return (await windows.getAll()).map((window) => window.type);
    });
    expect(windowTypes).toContain('popup');
    await signInToSalesforceInPopup(popup);

    // The server's event reaches the page through the background's event stream, before the window is closed.
    const row = await connectionRowText(page, 'Acme Production', 'Active');
    expect(row).toContain(acmeAdmin().orgId);
    await popup.close();
    await waitForText(page, '[data-testid=page-notice]', 'closed; the list is up to date');
  });

  it('shows the details, tests the connection, pauses and activates it, and switches auto-run', async () => {
    await page.click(`${rowOf('Acme Production')}//a`);
    await waitForText(page, '#details-title', 'Acme Production');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('details-title');
    const facts = await page.$eval('.ol-facts', (element) => element.textContent ?? '');
    expect(facts).toContain('Salesforce Production');
    expect(facts).toContain(acmeAdmin().orgId);
    expect(facts).toContain('Created byAda Admin');
    expect(facts).toMatch(/Accepted by Ada Admin/);

    await page.click('[data-testid=test-connection]');
    expect(await waitForText(page, '[data-testid=test-result]', 'Test passed')).toMatch(/in \d+ ms/);

    await page.click('[data-testid=pause-connection]');
    await waitForText(page, '[data-testid=details-status]', 'Paused');
    await page.click('[data-testid=activate-connection]');
    await waitForText(page, '[data-testid=details-status]', 'Active');

    expect(await page.$eval('[data-testid=auto-run-toggle]', (input) => (input as HTMLInputElement).checked)).toBe(
      false,
    );
    await page.click('[data-testid=auto-run-toggle]');
    await waitForText(page, '[data-testid=action-feedback]', 'now run on their own');
    expect(await page.$eval('[data-testid=auto-run-toggle]', (input) => (input as HTMLInputElement).checked)).toBe(
      true,
    );
  });

  it('edits the name, with the refusals shown next to the field', async () => {
    const apiToken = await apiMemberToken();
    const other = await fetch(`${server.url}/api/connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiToken}` },
      body: JSON.stringify({ name: 'Globex', kind: 'salesforce', environment: 'production' }),
    });
    expect(other.status).toBe(201);
    otherConnectionId = ((await other.json()) as { connection: { id: string } }).connection.id;

    await page.click('[data-testid=edit-connection]');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('edit-name');
    await typeInto(page, '#edit-name', 'Acme: Production');
    await page.click('[data-testid=save-connection]');
    await waitForText(page, '[data-testid=edit-name-error]', 'must not contain / or :');

    // The server's 409 for a name the team already uses, in its own words, next to the name.
    await typeInto(page, '#edit-name', 'Globex');
    await page.click('[data-testid=save-connection]');
    await waitForText(page, '[data-testid=edit-name-error]', 'Your team already has a connection named "Globex"');

    await typeInto(page, '#edit-name', 'Acme Prod');
    await page.click('[data-testid=save-connection]');
    await waitForText(page, '#details-title', 'Acme Prod');
    await waitForText(page, '[data-testid=action-feedback]', 'Saved.');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('edit-connection');
  });

  it('goes "Connection inactive" with its job Holding when the org revokes the tokens, and Active again after Re-authorize', async () => {
    const connectionId = await page.$eval('[data-testid=connection-details]', () =>
      new URLSearchParams(location.hash.slice(1)).get('connection'),
    );
    const token = await apiMemberToken();
    const created = await fetch(`${server.url}/api/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        connectionId,
        kind: 'duplicate-check',
        name: 'Nightly Contact duplicates',
        config: { object: 'Contact' },
        schedule: '0 0 * * *',
      }),
    });
    expect(created.status).toBe(201);
    await page.reload();
    await waitForText(page, '[data-testid=connection-jobs]', 'Nightly Contact duplicates');
    expect(await waitForText(page, '[data-testid=connection-jobs]', 'Active')).toContain('0 0 * * *');

    sandbox.salesforce.org('acme').revokeAllTokens();
    await page.click('[data-testid=test-connection]');
    await waitForText(page, '[data-testid=test-result]', 'Test failed');
    await waitForText(page, '[data-testid=details-status]', 'Connection inactive');
    await waitForText(page, '[data-testid=inactive-reason]', 'Re-authorize');
    await waitForText(page, '[data-testid=connection-jobs]', 'Holding');

    const signInWindow = nextSignInWindow();
    await page.click('[data-testid=authorize-connection]');
    const popup = await signInWindow;
    await signInToSalesforceInPopup(popup);
    await waitForText(page, '[data-testid=details-status]', 'Active');
    await waitForText(page, '[data-testid=connection-jobs]', /Active(?!.*Holding)/);
    await popup.close();
  });

  it('asks before deleting, naming the connection, and lists it no more', async () => {
    await page.click('[data-testid=delete-connection]');
    await page.waitForSelector('[data-testid=confirm-dialog][open]');
    expect(await page.$eval('[data-testid=confirm-dialog] h2', (title) => title.textContent)).toBe(
      'Delete connection “Acme Prod”?',
    );
    // Focus starts on Cancel, so Enter never deletes by accident.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
    await page.click('[data-testid=confirm-button]');
    await waitForText(page, '[data-testid=page-notice]', 'Deleted “Acme Prod”. Its job history is kept.');
    expect(await connectionRowText(page, 'Globex', 'Waiting for sign-in')).not.toContain('Acme');

    // Deleted elsewhere (here through the API): the live event takes it off this page too.
    const apiToken = await apiMemberToken();
    const deleted = await fetch(`${server.url}/api/connections/${otherConnectionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(deleted.status).toBe(204);
    await waitForText(page, '[data-testid=connections-empty]', 'No connections yet');
  });
});

describe('Settings: signing out', () => {
  it('signs out, refuses the used invite with the server message, and joins as a viewer with a new one', async () => {
    const options = await openExtensionPage('options.html');
    await waitForText(options, '[data-testid=whoami-name]', 'Ada Admin');
    await options.click('[data-testid=sign-out]');
    await waitForText(options, '[data-testid=team-notice]', 'Signed out.');

    await redeem(options, ownerInvite, 'Ada Again');
    await waitForText(options, '[data-testid=invite-code-error]', 'This invite has already been used');

    await redeem(options, createInvite('viewer'), 'Vic Viewer');
    await waitForText(options, '[data-testid=whoami-role]', 'viewer');
    await options.close();

    // A viewer sees the page, but the New button says why it is not available.
    const page = await openExtensionPage('connections.html');
    await waitForText(page, '[data-testid=signed-in-as]', 'Vic Viewer (viewer)');
    await page.waitForSelector('.ol-page__toolbar [data-testid=new-connection]');
    const newButton = await page.$eval('.ol-page__toolbar [data-testid=new-connection]', (button) => ({
      disabled: button.getAttribute('aria-disabled'),
      title: button.getAttribute('title'),
    }));
    expect(newButton).toEqual({ disabled: 'true', title: expect.stringContaining('Viewers can see connections') });
    await page.click('.ol-page__toolbar [data-testid=new-connection]');
    expect(await page.$('[data-testid=new-connection-dialog][open]')).toBeNull();
    await page.close();
  });
});
