import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
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
  until,
  writeExtensionStorage,
} from '../support/orglink-ui.ts';
import { waitForText } from '../support/page-text.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

// Duplicate Check end to end: the production extension build in Chromium, a real server process with its runner and
// the sandbox's acme org seeded with a pair of duplicate Contacts. The job starts from the Connections page's dialog,
// its results page shows the pair side by side with the reasons, the pair is dismissed and restored, the CSV is
// exported, and the Contact's Lightning page shows "1 possible duplicate" in the org badge.

const BADGE = 'orglink-org-badge';
/** Surnames no seeded record has, so the group found is ours whatever else the org holds. */
const JONATHAN = { FirstName: 'Jonathan', LastName: 'Quillfeatherby', Email: 'jon.quillfeatherby@dc-e2e.test' };
const JON = { FirstName: 'Jon', LastName: 'Quillfeatherby', Email: 'Jon.Quillfeatherby@dc-e2e.test' };
const STRANGER = { FirstName: 'Marguerite', LastName: 'Oyelaran-Szabo', Email: 'm.oyelaran@elsewhere-e2e.test' };

let sandbox: Sandbox;
let server: ServerProcess;
let chromium: ExtensionBrowser;
let token: string;
let connectionId: string;
let work: string;
let jonathanId: string;
let jonId: string;

beforeAll(async () => {
  sandbox = await startSandbox({ https: true });
  // biome-ignore lint/suspicious/noExplicitAny: the sandbox index is JSON read as a developer reads it
  const index: any = await (await fetch(sandbox.url)).json();
  server = await startServerProcess({ SANDBOX_URL: sandbox.url });
  chromium = await launchWithExtension(index.browser.chromiumFlags);
  const signIn = await redeemFirstInvite(server);
  token = signIn.token;
  await writeExtensionStorage(chromium, { serverUrl: server.url, signIn });
  connectionId = await connectSandboxSalesforce(server.url, token, sandbox);
  await loadRecords(await salesforceLoader(sandbox), 'Contact', [JONATHAN, JON, STRANGER]);
  const idOf = (email: string) =>
    String(
      sandbox.salesforce
        .org('acme')
        .records('Contact')
        .find((record) => record.Email === email)?.Id,
    );
  jonathanId = idOf(JONATHAN.Email);
  jonId = idOf(JON.Email);
  work = mkdtempSync(path.join(tmpdir(), 'orglink-dc-'));
}, 60_000);
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
  await sandbox?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const OUR_GROUP = '[data-testid=dc-group]:has([data-testid=dc-record-header])';

/** The card of the group whose records are the two Quillfeatherbys. */
async function ourGroupSelector(page: Page): Promise<string> {
  const groupId = await until(
    () =>
      page.$$eval(OUR_GROUP, (cards) => {
        const ours = cards.find((card) => (card.textContent ?? '').includes('Quillfeatherby'));
        return ours?.getAttribute('data-group-id') ?? '';
      }),
    (id) => id !== '',
    'the Quillfeatherby group never showed',
  );
  return `[data-testid=dc-group][data-group-id="${groupId}"]`;
}

/** Opens a Contact's Lightning record page in a new tab, signing in to acme first if need be. */
const openRecordPage = async (recordId: string) =>
  openLightningPage(
    await chromium.browser.newPage(),
    sandbox,
    `https://acme.lightning.force.com/lightning/r/Contact/${recordId}/view`,
  );

describe('Duplicate Check', () => {
  let results: Page;

  it('runs from the Connections dialog and opens the results page with the pair side by side', async () => {
    const connections = await chromium.browser.newPage();
    await connections.goto(chromium.pageUrl(`connections.html#connection=${connectionId}`));
    await connections.waitForSelector('[data-testid=duplicate-check]');
    await connections.click('[data-testid=duplicate-check]');
    await connections.waitForSelector('[data-testid=dc-dialog] [data-testid=dc-scenario] input:checked');
    // The built-in scenario can be unfolded to its fields and methods.
    await connections.click('[data-testid=dc-scenario] summary');
    await waitForText(connections, '[data-testid=dc-scenario-rules]', /LastName/);

    const opened = chromium.browser.waitForTarget((target) => target.url().includes('/duplicates.html?run='));
    await connections.click('[data-testid=dc-run-now]');
    const target = await opened;
    results = (await target.page()) as Page;
    await connections.close();
    const cdp = await results.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: work });

    await until(
      () =>
        results
          .$eval('[data-testid=dc-results]', (node) => node.getAttribute('data-status') ?? '')
          .catch(() => 'not shown yet'),
      (status) => status === 'completed',
      'the Duplicate Check never completed',
      60_000,
    ).catch(async (error) => {
      throw new Error(`${error}; page: ${await results.$eval('main', (main) => main.textContent)}`);
    });
    expect(await waitForText(results, '[data-testid=dc-connection]', 'Acme Production')).toBe('Acme Production');
    expect(await waitForText(results, '[data-testid=dc-object]', 'Contacts')).toBe('Contacts');
    const recordsRead = Number((await waitForText(results, '[data-testid=dc-records-read]', /\d/)).replace(/,/g, ''));
    expect(recordsRead).toBeGreaterThanOrEqual(3);
    const possible = ((recordsRead * (recordsRead - 1)) / 2).toLocaleString('en-US');
    expect(await waitForText(results, '[data-testid=dc-pairs-scored]', ` of ${possible} possible`)).toMatch(
      /^[\d,]+ of /,
    );

    const group = await ourGroupSelector(results);
    const headers = await results.$$eval(`${group} [data-testid=dc-record-header] .ol-table__name`, (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(headers.sort()).toEqual(['Jon Quillfeatherby', 'Jonathan Quillfeatherby']);
    const lastNameRow = await results.$$eval(`${group} [data-testid=dc-field-row][data-field=LastName] td`, (cells) =>
      cells.map((cell) => cell.textContent),
    );
    expect(lastNameRow).toEqual(['Quillfeatherby', 'Quillfeatherby']);
    const reasons = await results.$$eval(`${group} [data-testid=dc-reason]`, (rows) =>
      rows.map((row) => row.textContent ?? ''),
    );
    expect(reasons.length).toBeGreaterThan(1);
    expect(reasons.some((reason) => reason.includes('Email'))).toBe(true);
  });

  it('dismisses the pair as not a duplicate, undoes it, and exports the CSV', async () => {
    const group = await ourGroupSelector(results);
    const pair = `${group} [data-testid=dc-pair]`;
    const pairId = await results.$eval(pair, (node) => node.getAttribute('data-pair-id') ?? '');
    await results.click(`${pair} [data-testid=dc-dismiss]`);
    await waitForText(results, pair, 'will not come back');
    const dismissed = await callTeamApi(
      server.url,
      token,
      'GET',
      `/api/dc/records/${jonathanId}/matches?connection=${connectionId}`,
    );
    expect(dismissed.body.matches.map((match: { pairId: string }) => match.pairId)).not.toContain(pairId);

    await results.click(`${pair} [data-testid=dc-restore]`);
    await results.waitForSelector(`${pair}[data-dismissed=false] [data-testid=dc-dismiss]`);
    const restored = await callTeamApi(
      server.url,
      token,
      'GET',
      `/api/dc/records/${jonathanId}/matches?connection=${connectionId}`,
    );
    expect(restored.body.matches.map((match: { pairId: string }) => match.pairId)).toContain(pairId);

    await results.click('[data-testid=dc-export-csv]');
    const file = await until(
      async () => readdirSync(work).find((name) => name.endsWith('-results.csv')),
      (name) => name !== undefined,
      'the results CSV was never downloaded',
    );
    const csv = readFileSync(path.join(work, String(file)), 'utf8');
    expect(csv).toContain(jonathanId);
    expect(csv).toContain(jonId);
    expect(csv).toContain('Quillfeatherby');
  });

  it('shows "1 possible duplicate" on the Contact\'s Lightning page, with the match and a link to it', async () => {
    const page = await openRecordPage(jonathanId);
    const toggle = `${BADGE} >>> [data-testid=orglink-duplicates-toggle]`;
    expect(await waitForText(page, toggle, '1 possible duplicate')).toMatch(/^1 possible duplicate /);
    await page.click(toggle);
    const item = await waitForText(page, `${BADGE} >>> [data-testid=orglink-duplicate]`, 'Jon Quillfeatherby');
    expect(item).toMatch(/\d+%/);
    const href = await page.$eval(`${BADGE} >>> [data-testid=orglink-duplicate-link]`, (link) =>
      link.getAttribute('href'),
    );
    expect(href).toBe(`https://acme.lightning.force.com/lightning/r/Contact/${jonId}/view`);

    // Following the link loads the other record; the badge there names the first one.
    await Promise.all([page.waitForNavigation(), page.click(`${BADGE} >>> [data-testid=orglink-duplicate-link]`)]);
    await page.waitForSelector('body.desktop .oneOne');
    await waitForText(page, toggle, '1 possible duplicate');
    await page.click(toggle);
    await waitForText(page, `${BADGE} >>> [data-testid=orglink-duplicate]`, 'Jonathan Quillfeatherby');
  });

  it("links the run in the popup's job history to its results page", async () => {
    const popup = await chromium.browser.newPage();
    await popup.goto(chromium.pageUrl('popup.html'));
    const review = '[data-testid=run-row][data-status=completed] [data-testid=dc-review]';
    expect(await waitForText(popup, review, /^Review \d+ groups?$/)).toMatch(/group/);
    const href = await popup.$eval(review, (link) => link.getAttribute('href') ?? '');
    expect(href).toBe(
      `/duplicates.html?run=${encodeURIComponent(new URL(results.url()).searchParams.get('run') ?? '')}`,
    );
    await popup.close();
  });
});
