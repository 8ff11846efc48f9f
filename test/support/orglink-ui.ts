import type { Browser, Page } from 'puppeteer-core';
import { Browser as FormBrowser } from '../integration/support/browser.ts';
import { decideDpa, salesforceUser, signInToSalesforce } from '../integration/support/sign-in.ts';
import type { Sandbox } from '../sim/sandbox.ts';
import type { ExtensionBrowser } from './chromium.ts';
import { typeInto, waitForText } from './page-text.ts';
import type { ServerProcess } from './server-process.ts';

// Steps an admin takes in the extension and the sign-in windows, shared by the browser tests.

const INVITE = /olinv_[A-Za-z0-9_-]{20,64}/;

/** The owner invite the server prints at its first start (printed just after listening, so it may trail a little). */
export async function firstStartInvite(server: ServerProcess): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const match = INVITE.exec(server.output().stdout);
    if (match) return match[0];
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the server printed no invite: ${server.output().stdout}`);
}

/** Settings: set the server address, redeem the invite, and wait until it shows who you are. */
export async function joinTeamInSettings(options: Page, serverUrl: string, invite: string, displayName: string) {
  await typeInto(options, '#server-url', serverUrl);
  await options.click('button[type=submit]');
  await waitForText(options, '[data-testid=server-url-feedback]', 'Saved.');
  await options.waitForSelector('#invite-code');
  await typeInto(options, '#invite-code', invite);
  await typeInto(options, '#display-name', displayName);
  await options.click('[data-testid=redeem-invite]');
  await waitForText(options, '[data-testid=whoami-name]', displayName);
}

/** Fills a form's fields and submits it, waiting for the page it leads to. */
export async function submitForm(page: Page, fields: Record<string, string>, submit: string) {
  for (const [selector, value] of Object.entries(fields)) await typeInto(page, selector, value);
  await Promise.all([page.waitForNavigation(), page.click(submit)]);
}

/** The next page target whose URL matches: the sign-in popup window the extension opens. */
export async function nextWindow(browser: Browser, url: RegExp): Promise<Page> {
  const target = await browser.waitForTarget((candidate) => candidate.type() === 'page' && url.test(candidate.url()));
  const page = await target.page();
  if (!page) throw new Error(`the window at ${target.url()} has no page`);
  return page;
}

/** The text of a connection's row on the Connections page, once it shows `expected`. */
export async function connectionRowText(page: Page, name: string, expected: string | RegExp): Promise<string> {
  const row = `xpath///tr[th//a[normalize-space(text())="${name}"]]`;
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    const element = await page.$(row);
    last = element ? await element.evaluate((node) => node.textContent ?? '') : '(no row)';
    if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the row of "${name}" never showed ${expected}; last: ${last}`);
}

/**
 * Writes the extension's storage from its service worker, as the background does when the admin signs in: for tests
 * whose subject is not the Settings page itself.
 */
export async function writeExtensionStorage(
  chromium: ExtensionBrowser,
  items: Record<string, unknown>,
  remove: string[] = [],
) {
  const target = await chromium.browser.waitForTarget(
    (candidate) => candidate.type() === 'service_worker' && candidate.url() === chromium.pageUrl('background.js'),
  );
  const worker = await target.worker();
  if (!worker) throw new Error('the extension service worker is not running');
  await worker.evaluate(
    async (values, keys) => {
      type StorageArea = { set(values: object): Promise<void>; remove(key: string): Promise<void> };
      const local = (globalThis as unknown as { chrome: { storage: { local: StorageArea } } }).chrome.storage.local;
      await local.set(values);
      for (const key of keys) await local.remove(key);
    },
    items,
    remove,
  );
}

/** The owner invite the first start prints, redeemed through the API as the Settings page redeems it. */
export async function redeemFirstInvite(server: ServerProcess, displayName = 'Ada Admin') {
  const code = await firstStartInvite(server);
  const response = await fetch(`${server.url}/api/auth/redeem`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, displayName }),
  });
  const body = (await response.json()) as { token: string; me: unknown };
  return { serverUrl: server.url, token: body.token, me: body.me };
}

/** The team's API with a member's token, called as the extension's background calls it. */
export async function callTeamApi(serverUrl: string, token: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${serverUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: answers are read as the contract in shared/src describes them
  return { status: response.status, body: (await response.json().catch(() => undefined)) as any };
}

/** Reads until `done` says yes, or fails after `ms` naming what it waited for and what it last read. */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await read();
  }
  return last;
}

/**
 * Connects a sandbox Salesforce org to the team through its real OAuth pages and the DPA step, as the admin's
 * sign-in window would (connections.test.ts drives that window in the browser); returns the connection id.
 */
export async function connectSandboxSalesforce(
  serverUrl: string,
  token: string,
  sandbox: Sandbox,
  org = 'acme',
  name = 'Acme Production',
): Promise<string> {
  const created = await callTeamApi(serverUrl, token, 'POST', '/api/connections', {
    name,
    kind: 'salesforce',
    environment: 'production',
  });
  if (created.status !== 201) throw new Error(`connection refused: ${JSON.stringify(created.body)}`);
  const browser = new FormBrowser();
  const dpa = await signInToSalesforce(browser, created.body.loginUrl, salesforceUser(sandbox, org));
  await decideDpa(browser, dpa, 'accept');
  return created.body.connection.id;
}

/**
 * Opens a page of a sandbox org's Lightning in `page`, signing in as the org's admin on the simulator's My Domain
 * login when Lightning sends it there, and waits until Lightning has drawn the page.
 */
export async function openLightningPage(page: Page, sandbox: Sandbox, url: string, org = 'acme'): Promise<Page> {
  await page.goto(url);
  if (new URL(page.url()).hostname === `${org}.my.salesforce.com`) {
    const admin = salesforceUser(sandbox, org);
    await submitForm(page, { '#username': admin.username, '#password': admin.password }, '#Login');
    if (page.url() !== url) await page.goto(url);
  }
  await page.waitForSelector('body.desktop .oneOne');
  return page;
}
