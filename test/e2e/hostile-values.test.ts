import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { FINAL_RUN_STATUSES } from '@orglink/shared';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecords, salesforceLoader } from '../integration/support/salesforce-loader.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium.ts';
import {
  callTeamApi,
  connectSandboxSalesforce,
  openLightningPage,
  redeemFirstInvite,
  submitForm,
  until,
  writeExtensionStorage,
} from '../support/orglink-ui.ts';
import { waitForText } from '../support/page-text.ts';
import { extensionBuild } from '../support/paths.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

// Hostile CRM values in the browser (issue 8): an org whose connection name, job name, records and CRM error messages
// carry markup and script. Everywhere the extension shows them (Duplicate Check results page, the Salesforce record
// badge, the popup's job history, the Catalog widget) they must read as text: the literal payload is in the text, no
// element of it is in the DOM, nothing it would run has run (window.__pwned, dialogs), and the extension pages' CSP
// never had to block anything. Then the CSP itself: the built manifest, the built pages, and an inline script refused.

const PWN_IMG = '<img src=x onerror="window.__pwned=(window.__pwned||0)+1">';
const PWN_SCRIPT = '<script>window.__pwned=1</script>';
const PWN_SVG = '"><svg onload=alert(document.domain)>';
const PWN_TEMPLATE = "{{constructor.constructor('alert(1)')()}}";
const PWN_JS_URL = 'javascript:alert(1)';

/** Connection names may not hold `/` or `:`; this one holds everything else an attacker would try. */
const CONNECTION_NAME = `${PWN_IMG} Acme`;
const DC_JOB_NAME = `${PWN_SCRIPT}${PWN_SVG}`;
/** The org's name as Salesforce reports it (getUserInfo), shown on the Connections page. */
const ORG_NAME = `Acme ${PWN_SVG}${PWN_TEMPLATE}`;
/** Within Salesforce's lengths (FirstName and MailingCity 40, LastName 80), identical names so the pair is found. */
const FIRST_NAME = '<img src=x onerror=alert(1)>';
const LAST_NAME = `Quill${PWN_SCRIPT}${PWN_TEMPLATE}`;
const HOSTILE_PAIR = [
  { FirstName: FIRST_NAME, LastName: LAST_NAME, Email: 'hostile.pair@xss-e2e.test', MailingCity: PWN_SVG },
  { FirstName: FIRST_NAME, LastName: LAST_NAME, Email: 'Hostile.Pair@xss-e2e.test', MailingCity: PWN_JS_URL },
];
/** What the simulated Salesforce answers for the failed Bulk job: a CRM error message that quotes markup. */
const BULK_ERROR = `InvalidBatch : value ${PWN_IMG}${PWN_SCRIPT} rejected`;

const BADGE = 'orglink-org-badge';
const WIDGET = 'orglink-catalog-widget';
const ACME_CATALOG = 'acme.catalog.instructure.com';

let sandbox: Sandbox;
let server: ServerProcess;
let chromium: ExtensionBrowser;
// biome-ignore lint/suspicious/noExplicitAny: the sandbox index is JSON read as a developer reads it
let index: any;
let token: string;
let connectionId: string;
let recordIds: string[];
let dcRunId: string;
let activityRunId: string;
/** Every dialog (alert, confirm, prompt) any page of the test opened: a payload that ran would open one. */
const dialogs: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ https: true });
  index = await (await fetch(sandbox.url)).json();
  server = await startServerProcess({ SANDBOX_URL: sandbox.url });
  chromium = await launchWithExtension(index.browser.chromiumFlags);
  const signIn = await redeemFirstInvite(server);
  token = signIn.token;
  await writeExtensionStorage(chromium, { serverUrl: server.url, signIn });
  // The simulator has no control for it: the org's name is set on its model, as a Setup edit of the company would.
  Object.assign(sandbox.salesforce.org('acme').org, { organizationName: ORG_NAME });
  connectionId = await connectSandboxSalesforce(server.url, token, sandbox, 'acme', CONNECTION_NAME);
  await loadRecords(await salesforceLoader(sandbox), 'Contact', HOSTILE_PAIR);
  recordIds = sandbox.salesforce
    .org('acme')
    .records('Contact')
    .filter((record) => record.LastName === LAST_NAME)
    .map((record) => String(record.Id));
  expect(recordIds).toHaveLength(2);

  sandbox.salesforce.org('acme').failNextBulkJob(BULK_ERROR);
  const activity = await api('POST', `/api/connections/${connectionId}/activities`, {
    activity: 'bulk-insert',
    object: 'Contact',
    rows: [{ FirstName: 'Bulk', LastName: 'Refused' }],
  });
  expect(activity.status, JSON.stringify(activity.body)).toBe(202);
  activityRunId = activity.body.run.id;
  const dc = await api('POST', '/api/dc/jobs', { connectionId, object: 'Contact', name: DC_JOB_NAME });
  expect(dc.status, JSON.stringify(dc.body)).toBe(201);
  dcRunId = dc.body.run.id;
  await finalRun(activityRunId);
  await finalRun(dcRunId);
}, 120_000);
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
  await sandbox?.close();
});

const api = (method: string, apiPath: string, body?: unknown) => callTeamApi(server.url, token, method, apiPath, body);

async function finalRun(runId: string) {
  const run = await until(
    async () => (await api('GET', `/api/runs/${runId}`)).body,
    (body) => FINAL_RUN_STATUSES.includes(body?.status),
    `run ${runId} never ended`,
    60_000,
  );
  return run;
}

/** A new tab whose dialogs are recorded, and on extension pages every CSP violation (from before any script runs). */
async function newWatchedPage(): Promise<Page> {
  const page = await chromium.browser.newPage();
  page.on('dialog', (dialog) => {
    dialogs.push(`${page.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  // Added through DevTools, which the CSP does not govern: it only listens.
  await page.evaluateOnNewDocument(() => {
    const seen: string[] = [];
    Object.assign(window, { __cspViolations: seen });
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  return page;
}

/**
 * What a payload rendered as HTML would leave inside `hostSelector`'s shadow root (or the whole document when
 * null): event-handler attributes, the payloads' elements, inline scripts and javascript: links. Preact attaches its
 * listeners as properties, so no legitimate element of ours carries an on* attribute.
 */
function injectedMarkup(page: Page, hostSelector: string | null): Promise<string[]> {
  return page.evaluate((selector) => {
    const found: string[] = [];
    const host = selector ? document.querySelector(selector) : null;
    const roots: Array<Document | ShadowRoot> = [];
    if (!selector) roots.push(document);
    else if (host?.shadowRoot) roots.push(host.shadowRoot);
    else found.push(`no shadow root at ${selector}`);
    while (roots.length > 0) {
      const root = roots.pop() as Document | ShadowRoot;
      for (const element of Array.from(root.querySelectorAll('*'))) {
        if (element.shadowRoot) roots.push(element.shadowRoot);
        const tag = element.tagName.toLowerCase();
        for (const attribute of Array.from(element.attributes)) {
          const value = attribute.value.trim().toLowerCase();
          if (attribute.name.toLowerCase().startsWith('on')) found.push(`<${tag} ${attribute.name}>`);
          if (
            ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attribute.name) &&
            /^javascript:/.test(value)
          )
            found.push(`<${tag} ${attribute.name}="${attribute.value}">`);
        }
        if (tag === 'img' && element.getAttribute('src') === 'x') found.push('<img src=x>');
        if (tag === 'script' && (!element.getAttribute('src') || (element.textContent ?? '').includes('pwned')))
          found.push(`<script>${element.textContent}</script>`);
      }
    }
    return found;
  }, hostSelector);
}

/** The page's own (main) world: where inline handlers injected into the DOM would have run. */
const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
const cspViolations = (page: Page) =>
  page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? ['(not listening)']);

/** The checks every view gets once its hostile text is on screen. */
async function expectNothingRan(page: Page, hostSelector: string | null) {
  expect(await injectedMarkup(page, hostSelector)).toEqual([]);
  expect(await pwned(page)).toBeUndefined();
  expect(dialogs).toEqual([]);
}

/** Opens a Contact's Lightning record page in a new watched tab, signing in to acme first if need be. */
const openRecordPage = async (recordId: string) =>
  openLightningPage(
    await newWatchedPage(),
    sandbox,
    `https://acme.lightning.force.com/lightning/r/Contact/${recordId}/view`,
  );

describe('hostile CRM values are shown as text', () => {
  it('on the Duplicate Check results page: run title, connection, record names, values and reasons', async () => {
    const page = await newWatchedPage();
    await page.goto(chromium.pageUrl(`duplicates.html?run=${encodeURIComponent(dcRunId)}`));
    await until(
      () => page.$eval('[data-testid=dc-results]', (node) => node.getAttribute('data-status') ?? '').catch(() => ''),
      (status) => status === 'completed',
      'the results page never showed the completed run',
    );
    expect(await waitForText(page, '[data-testid=dc-connection]', CONNECTION_NAME)).toBe(CONNECTION_NAME);
    expect(await page.$eval('main h2.ol-run__title', (node) => node.textContent)).toBe(DC_JOB_NAME);

    // Groups come by score, a page at a time: load more until the hostile pair's group is there.
    const groupId = await until(
      async () => {
        const id = await page.$$eval('[data-testid=dc-group]', (cards) =>
          cards.find((card) => card.textContent?.includes('Quill<script>'))?.getAttribute('data-group-id'),
        );
        if (!id) await page.click('[data-testid=dc-load-more]').catch(() => {});
        return id;
      },
      (id) => Boolean(id),
      'the hostile pair was not among the groups',
    );
    const group = `[data-testid=dc-group][data-group-id="${groupId}"]`;
    const names = await page.$$eval(`${group} [data-testid=dc-record-header] .ol-table__name`, (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(names).toEqual([`${FIRST_NAME} ${LAST_NAME}`, `${FIRST_NAME} ${LAST_NAME}`]);
    const cities = await page.$$eval(`${group} [data-testid=dc-field-row][data-field=MailingCity] td`, (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(cities.sort()).toEqual([PWN_SVG, PWN_JS_URL].sort());
    const pairText = await page.$eval(`${group} [data-testid=dc-pair]`, (node) => node.textContent ?? '');
    expect(pairText).toContain(`${FIRST_NAME} ${LAST_NAME} and ${FIRST_NAME} ${LAST_NAME}`);

    await expectNothingRan(page, null);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('in the Salesforce record badge: the connection name and the duplicate matches', async () => {
    const [recordId, otherId] = recordIds;
    const page = await openRecordPage(String(recordId));
    // The simulated Lightning page shows the hostile record too (escaped by the simulator): the baseline is clean.
    expect(
      await page.$eval('records-record-layout-item[data-field-api-name=LastName]', (n) => n.textContent),
    ).toContain(LAST_NAME);
    const badgeText = `${BADGE} >>> [data-testid=orglink-badge-text]`;
    expect(await waitForText(page, badgeText, 'Connected')).toBe(`OrgLink: Connected (${CONNECTION_NAME})`);
    const toggle = `${BADGE} >>> [data-testid=orglink-duplicates-toggle]`;
    await waitForText(page, toggle, '1 possible duplicate');
    await page.click(toggle);
    const match = await waitForText(page, `${BADGE} >>> [data-testid=orglink-duplicate-link]`, 'Quill');
    expect(match).toBe(`${FIRST_NAME} ${LAST_NAME}`);
    const href = await page.$eval(`${BADGE} >>> [data-testid=orglink-duplicate-link]`, (link) =>
      link.getAttribute('href'),
    );
    expect(href).toBe(`https://acme.lightning.force.com/lightning/r/Contact/${otherId}/view`);

    await expectNothingRan(page, BADGE);
    expect(await page.$$('img[src=x], svg[onload]')).toHaveLength(0);
    await page.close();
  });

  it("in the popup's job history: run titles, connection names and a CRM error message that quotes markup", async () => {
    const page = await newWatchedPage();
    await page.goto(chromium.pageUrl('popup.html'));
    const activityRow = `[data-testid=run-row][data-run-id="${activityRunId}"]`;
    const error = await waitForText(page, `${activityRow} [data-testid=run-error]`, 'InvalidBatch');
    expect(error).toContain(BULK_ERROR);
    expect(await page.$eval(`${activityRow} [data-testid=run-connection]`, (node) => node.textContent)).toBe(
      CONNECTION_NAME,
    );
    const dcTitle = `[data-testid=run-row][data-run-id="${dcRunId}"] [data-testid=run-title]`;
    expect(await waitForText(page, dcTitle, 'script')).toBe(DC_JOB_NAME);
    await until(
      () => page.$$eval('[data-testid=filter-connection] option', (nodes) => nodes.map((node) => node.textContent)),
      (options) => options.includes(CONNECTION_NAME),
      'the connection filter never offered the connection by its name',
    );

    await expectNothingRan(page, null);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it("on the Connections page: the connection's name and the CRM's organization name", async () => {
    const page = await newWatchedPage();
    await page.goto(chromium.pageUrl(`connections.html#connection=${encodeURIComponent(connectionId)}`));
    await page.waitForSelector('[data-testid=details-org-id]');
    const organization = await until(
      () =>
        page.$$eval(
          'dl.ol-facts dt',
          (terms) => terms.find((term) => term.textContent === 'Organization')?.nextElementSibling?.textContent ?? '',
        ),
      (text) => text !== '',
      'the Organization fact never showed',
    );
    expect(organization).toBe(ORG_NAME);
    expect(await page.$eval('body', (body) => body.textContent)).toContain(CONNECTION_NAME);

    await expectNothingRan(page, null);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  });

  it('in the Catalog widget: the linked connection, Reconnect and the Unlink confirmation', async () => {
    const integration = await api('POST', '/api/integrations', {
      connectionId,
      catalogHost: ACME_CATALOG,
      catalogToken: sandbox.catalog.account('acme').apiTokens[0] ?? '',
      target: 'Contact',
      matchKey: 'email',
    });
    expect(integration.status, JSON.stringify(integration.body)).toBe(201);

    const catalog = index.catalog.accounts.find((account: { subdomain: string }) => account.subdomain === 'acme');
    const integrationsPage = `https://${ACME_CATALOG}/admin/integrations`;
    const page = await newWatchedPage();
    await page.goto(integrationsPage);
    if (await page.$('#email')) {
      await submitForm(
        page,
        { '#email': catalog.admin.username, '#password': catalog.admin.password },
        '#login-form button',
      );
    }
    if (new URL(page.url()).pathname !== '/admin/integrations') await page.goto(integrationsPage);
    const inWidget = (testId: string) => `${WIDGET} >>> [data-testid=${testId}]`;
    expect(await waitForText(page, inWidget('orglink-link-text'), 'Linked')).toBe(
      `OrgLink: Linked to ${CONNECTION_NAME} (Contact)`,
    );
    await (await page.waitForSelector(inWidget('orglink-widget-button')))?.click();
    await (await page.waitForSelector(inWidget('orglink-tab-quick-actions')))?.click();
    await (await page.waitForSelector(inWidget('orglink-unlink')))?.click();
    const confirmation = await waitForText(page, inWidget('orglink-unlink-confirm'), 'Unlink');
    expect(confirmation).toContain(`Unlink ${ACME_CATALOG} from ${CONNECTION_NAME}?`);
    const panel = await page.$eval(WIDGET, (host) => host.shadowRoot?.textContent ?? '');
    expect(panel).toContain(`Signs in to ${CONNECTION_NAME} again.`);

    await expectNothingRan(page, WIDGET);
    expect(await page.$$('img[src=x], svg[onload]')).toHaveLength(0);
    await page.close();
  });
});

describe('content security policy of the extension pages', () => {
  const manifest = () => JSON.parse(readFileSync(path.join(extensionBuild, 'manifest.json'), 'utf8'));

  it('is strict in the built manifest: scripts only from the extension, no plugins, no base, no framing', () => {
    const policy: string = manifest().content_security_policy?.extension_pages ?? '';
    const directives = new Map(
      policy
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((words) => words[0])
        .map(([name, ...values]) => [name, values]),
    );
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(["'none'", "'self'"]).toContain(directives.get('object-src')?.join(' '));
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
    expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
  });

  it('leaves no inline script, handler or javascript: URL in any built page', () => {
    const pages = readdirSync(extensionBuild).filter((name) => name.endsWith('.html'));
    expect(pages).toEqual(expect.arrayContaining(['popup.html', 'duplicates.html', 'options.html']));
    for (const name of pages) {
      const html = readFileSync(path.join(extensionBuild, name), 'utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
      for (const [, attributes = '', body = ''] of scripts) {
        expect(attributes, `${name}: a script without src`).toMatch(/\bsrc=/);
        expect(body.trim(), `${name}: an inline script body`).toBe('');
      }
      expect(html, `${name}: an inline event handler`).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html, `${name}: a javascript: URL`).not.toMatch(/javascript:/i);
    }
  });

  it('refuses an inline script, an inline handler and eval injected into the popup', async () => {
    const page = await newWatchedPage();
    await page.goto(chromium.pageUrl('popup.html'));
    await page.waitForSelector('#app *');
    const outcome = await page.evaluate(async () => {
      const flags = window as unknown as { __inlineRan?: boolean; __handlerRan?: boolean };
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
      const image = document.createElement('img');
      image.setAttribute('onerror', 'window.__handlerRan = true');
      image.src = 'data:,not-an-image';
      document.body.append(image);
      await new Promise((resolve) => setTimeout(resolve, 300));
      let evaluated: string;
      try {
        // biome-ignore lint/security/noGlobalEval: the point is to show that the page's CSP refuses it
        evaluated = String(window.eval('"eval ran"'));
      } catch (error) {
        evaluated = (error as Error).name;
      }
      return { inline: flags.__inlineRan ?? false, handler: flags.__handlerRan ?? false, evaluated };
    });
    expect(outcome).toEqual({ inline: false, handler: false, evaluated: 'EvalError' });
    const violations = await cspViolations(page);
    expect(violations.some((line) => line.startsWith('script-src'))).toBe(true);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});

describe('the checks themselves', () => {
  it('catch a payload that is rendered as HTML, on a CRM page and on an extension page', async () => {
    // The same payloads, deliberately put in with innerHTML: what the checks above would see after a real bug.
    const lightning = await openRecordPage(String(recordIds[0]));
    await lightning.evaluate((html) => {
      const host = document.createElement('div');
      host.id = 'deliberately-unsafe';
      host.attachShadow({ mode: 'open' }).innerHTML = html;
      document.body.append(host);
    }, `${PWN_IMG}${PWN_SVG}`);
    await until(
      () => pwned(lightning),
      (value) => value !== undefined,
      'the deliberately injected handler never ran',
    );
    expect(await injectedMarkup(lightning, '#deliberately-unsafe')).toEqual(
      expect.arrayContaining(['<img onerror>', '<img src=x>', '<svg onload>']),
    );
    await lightning.close();

    const popup = await newWatchedPage();
    await popup.goto(chromium.pageUrl('popup.html'));
    await popup.waitForSelector('#app *');
    await popup.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), PWN_IMG);
    expect(await injectedMarkup(popup, null)).toEqual(expect.arrayContaining(['<img onerror>', '<img src=x>']));
    // The extension's CSP keeps the handler from running, and says so.
    await until(
      () => cspViolations(popup),
      (violations) => violations.some((line) => line.startsWith('script-src')),
      'the CSP reported nothing',
    );
    expect(await pwned(popup)).toBeUndefined();
    await popup.close();
  });
});
