import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium.ts';
import { connectSandboxSalesforce, until } from '../support/orglink-ui.ts';
import { waitForText } from '../support/page-text.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

// The toolbar popup end to end: the production extension build in Chromium, a real server process with its runner,
// and the sandbox's Salesforce org and Catalog accounts. The popup is opened as a tab (chrome-extension://…/popup.html),
// and the toolbar badge and notifications are read in the service worker, where the extension sets them.
const ACME_CATALOG = 'acme.catalog.instructure.com';

let sandbox: Sandbox;
let server: ServerProcess;
let chromium: ExtensionBrowser;
let token: string;

beforeAll(async () => {
  sandbox = await startSandbox({ https: true });
  // biome-ignore lint/suspicious/noExplicitAny: the sandbox index is JSON read as a developer reads it
  const index: any = await (await fetch(sandbox.url)).json();
  server = await startServerProcess({ SANDBOX_URL: sandbox.url });
  chromium = await launchWithExtension(index.browser.chromiumFlags);
  const code = /olinv_[A-Za-z0-9_-]+/.exec(server.output().stdout)?.[0];
  const redeemed = await api('POST', '/api/auth/redeem', { code, displayName: 'Ada Admin' }, false);
  token = redeemed.token;
  await inWorker((values) => (globalThis as unknown as ChromeGlobal).chrome.storage.local.set(values), {
    serverUrl: server.url,
    signIn: { serverUrl: server.url, token, me: redeemed.me },
  });
});
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
  await sandbox?.close();
});

type ChromeGlobal = {
  chrome: {
    storage: { local: { set(items: object): Promise<void> } };
    action: { getBadgeText(details: object): Promise<string> };
    notifications: { getAll(): Promise<Record<string, boolean>> };
    tabs: { query(info: object): Promise<Array<{ id?: number }>> };
  };
};

// biome-ignore lint/suspicious/noExplicitAny: API answers read as JSON
async function api(method: string, path: string, body?: unknown, signedIn = true): Promise<any> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(signedIn ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs a function in the extension's service worker: the badge and notifications exist only there. */
async function inWorker<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  const target = await chromium.browser.waitForTarget(
    (candidate) => candidate.type() === 'service_worker' && candidate.url() === chromium.pageUrl('background.js'),
  );
  const worker = await target.worker();
  if (!worker) throw new Error('the extension service worker is not running');
  return (await worker.evaluate(fn as never, arg as never)) as R;
}

async function openPopup(query = ''): Promise<Page> {
  const page = await chromium.browser.newPage();
  await page.goto(chromium.pageUrl(`popup.html${query}`));
  return page;
}

const rowText = (page: Page) =>
  page.$$eval('[data-testid=run-row]', (rows) =>
    rows.map((row) => `${row.getAttribute('data-status')}: ${row.textContent}`),
  );

describe('toolbar popup', () => {
  let integrationId: string;

  it('shows the team and "No runs yet" when signed in with no history', async () => {
    const page = await openPopup();
    await waitForText(page, '[data-testid=popup-team]', 'Ada Admin');
    expect(await waitForText(page, '[data-testid=runs-empty]', 'No runs yet')).toContain('No runs yet');
    await page.close();
  });

  it('shows a write job live, then its final counts, with the connection name', async () => {
    const connectionId = await connectSandboxSalesforce(server.url, token, sandbox);
    const catalogToken = sandbox.catalog.account('acme').apiTokens[0] ?? '';
    const integration = await api('POST', '/api/integrations', {
      connectionId,
      catalogHost: ACME_CATALOG,
      catalogToken,
      target: 'Contact',
      matchKey: 'email',
    });
    integrationId = integration.id;
    const page = await openPopup();
    await waitForText(page, '[data-testid=runs-empty]', 'No runs yet');
    // Slow enough that the popup sees the run while it is under way, however fast this machine writes it.
    sandbox.salesforce.faults.set({ latencyMs: 300 });
    await api('POST', `/api/integrations/${integrationId}/run`);
    // The row arrives by the live stream, not by reloading: the popup was open before the run existed.
    const seen = new Set<string>();
    const final = await until(
      async () => {
        const rows = await rowText(page);
        for (const row of rows) seen.add(row.split(':')[0] ?? '');
        return rows;
      },
      (rows) => rows.some((row) => /^(completed|completed-with-errors):/.test(row)),
      'the run never finished in the popup',
      60_000,
    );
    expect(final).toHaveLength(1);
    expect(final[0]).toContain('Acme Production');
    expect(final[0]).toMatch(/Created\s*[1-9]/);
    sandbox.salesforce.faults.reset();
    expect([...seen].some((status) => status === 'queued' || status === 'running')).toBe(true);
    await page.close();
  });

  it('opens on the Catalog account of the active tab, with Run Write Job and a way back to all runs', async () => {
    const catalog = await chromium.browser.newPage();
    await catalog.goto(`https://${ACME_CATALOG}/admin/integrations`);
    const [tab] = await inWorker(
      (host) => (globalThis as unknown as ChromeGlobal).chrome.tabs.query({ url: `https://${host}/*` }),
      ACME_CATALOG,
    );
    const page = await openPopup(`?tab=${tab?.id}`);
    await waitForText(page, '[data-testid=context-integration]', 'Linked');
    await waitForText(page, '[data-testid=run-write-job]', 'Run Write Job');
    await page.waitForSelector('[data-testid=run-row]');
    await page.click('[data-testid=show-all-runs]');
    await waitForText(page, '[data-testid=back-to-context]', 'Back to this Catalog account');
    await page.click('[data-testid=back-to-context]');

    // Edit field map sends the Catalog tab to the Integrations page with the widget open on its Mapping tab (this
    // browser is not signed in to Catalog, so Catalog first asks for its login, keeping the fragment; the widget's
    // side of it is in catalog-widget.test.ts).
    await page.click('[data-testid=edit-field-map]');
    await until(
      () => Promise.resolve(catalog.url()),
      (url) => /admin(\/|%2F)integrations.*#orglink-widget=mapping$/.test(url),
      'the Catalog tab was not sent to the Mapping tab',
      10_000,
    );
    await page.close().catch(() => {});
    await catalog.close();
  });

  it('sets a red toolbar badge and raises a notification when a run fails', async () => {
    const page = await openPopup();
    await page.waitForSelector('[data-testid=run-row]');
    await page.close();
    // Revoked in Catalog after linking: the next run fails with "Catalog API token rejected".
    const account = sandbox.catalog.account('acme');
    account.revokeToken(account.apiTokens[0] ?? '');
    await api('POST', `/api/integrations/${integrationId}/run`);
    const badge = await until(
      () => inWorker(() => (globalThis as unknown as ChromeGlobal).chrome.action.getBadgeText({}), null),
      (text) => text === '1',
      'the badge never counted the failed run',
      60_000,
    );
    expect(badge).toBe('1');
    // The badge is set first and the notification right after it: wait for the notification too.
    const shown = await until(
      () => inWorker(() => (globalThis as unknown as ChromeGlobal).chrome.notifications.getAll(), null),
      (notifications) => Object.keys(notifications).some((id) => id.startsWith('orglink-run-failed|')),
      'no notification was raised for the failed run',
      10_000,
    );
    expect(Object.keys(shown).some((id) => id.startsWith('orglink-run-failed|'))).toBe(true);

    const again = await openPopup('?');
    await until(
      () => rowText(again),
      (rows) => rows.some((row) => row.startsWith('failed:')),
      'no failed row',
    );
    expect((await rowText(again)).find((row) => row.startsWith('failed:'))).toMatch(/Catalog API token rejected/i);
    // Opening the popup is seeing the failure: the red count clears.
    await until(
      () => inWorker(() => (globalThis as unknown as ChromeGlobal).chrome.action.getBadgeText({}), null),
      (text) => text === '',
      'the badge kept the failure after the popup opened',
    );
    await again.close();
  });
});
