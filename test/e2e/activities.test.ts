import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ElementHandle, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium.ts';
import { connectSandboxSalesforce, redeemFirstInvite, until, writeExtensionStorage } from '../support/orglink-ui.ts';
import { typeInto, waitForText } from '../support/page-text.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

// The Activities page end to end: the production extension build in Chromium, a real server process with its runner,
// and the sandbox's acme Salesforce org. A Query built in the page, counted, run, shown and downloaded; then a Bulk
// Upsert from a CSV chosen in the file picker, mapped, run, and checked in the simulator's records.

let sandbox: Sandbox;
let server: ServerProcess;
let chromium: ExtensionBrowser;
let token: string;
let connectionId: string;
let work: string;

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
  work = mkdtempSync(path.join(tmpdir(), 'orglink-activities-'));
  const cdp = await chromium.browser.target().createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: work });
});
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
  await sandbox?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

const contacts = () => sandbox.salesforce.org('acme').records('Contact') as unknown as Record<string, unknown>[];

/** Opens the Activities page and picks the connection, the activity and the object, waiting for its fields. */
async function openActivities(activity: string, object: string): Promise<Page> {
  const page = await chromium.browser.newPage();
  await page.goto(chromium.pageUrl('activities.html'));
  await page.waitForSelector('[data-testid=connection-select]');
  await page.select('[data-testid=connection-select]', connectionId);
  await page.select('[data-testid=activity-select]', activity);
  await typeInto(page, '[data-testid=object-input]', object);
  await page.keyboard.press('Enter');
  await waitForText(page, '[data-testid=object-feedback]', new RegExp(`^${object}: \\d+ fields$`));
  return page;
}

const runStatus = (page: Page) =>
  page.$eval('[data-testid=run-panel]', (panel) => panel.getAttribute('data-status') ?? '').catch(() => '');

describe('Activities page', () => {
  it('Query: builds SOQL with a condition, counts, runs, shows the rows and downloads results.csv', async () => {
    const expected = contacts().filter((record) => /^s/i.test(String(record.LastName ?? ''))).length;
    expect(expected).toBeGreaterThan(0);
    const page = await openActivities('query', 'Contact');

    await page.select('[data-testid=builder-fields]', 'Id', 'LastName', 'Email');
    await page.click('[data-testid=add-condition]');
    await page.select('[data-testid=condition-field]', 'LastName');
    await page.select('[data-testid=condition-operator]', 'LIKE');
    await page.type('[data-testid=condition-value]', 'S%');
    await page.select('[data-testid=order-field]', 'LastName');
    expect(await waitForText(page, '[data-testid=soql-preview]', 'WHERE')).toBe(
      "SELECT Id, LastName, Email FROM Contact WHERE LastName LIKE 'S%' ORDER BY LastName ASC",
    );

    await page.click('[data-testid=count]');
    await waitForText(page, '[data-testid=count-result]', `${expected.toLocaleString('en-US')} record`);

    await page.click('[data-testid=run-activity]');
    await until(
      () => runStatus(page),
      (status) => status === 'completed',
      'the query never completed',
    );
    await waitForText(page, '[data-testid=results-total]', `${expected.toLocaleString('en-US')} row`);
    await page.waitForSelector('[data-testid=results-table] tr[data-row-index="0"] td:not(:empty)');
    const firstRow = await page.$$eval('[data-testid=results-table] tr[data-row-index="0"] td', (cells) =>
      cells.map((cell) => cell.textContent ?? ''),
    );
    expect(firstRow).toHaveLength(3);
    expect(firstRow[0]).toMatch(/^003/);
    expect(firstRow[1]).toMatch(/^S/i);
    // Only the rows in view are drawn, whatever the total.
    const drawn = await page.$$eval('[data-testid=results-table] tr[data-row-index]', (rows) => rows.length);
    expect(drawn).toBe(Math.min(expected, 25));

    await page.click('[data-testid=download-results]');
    const file = await until(
      async () => readdirSync(work).find((name) => name.endsWith('-results.csv')),
      (name) => name !== undefined,
      'results.csv was never downloaded',
    );
    const lines = readFileSync(path.join(work, file ?? ''), 'utf8')
      .split(/\r?\n/)
      .filter(Boolean);
    expect(lines[0]).toBe('Id,LastName,Email');
    expect(lines).toHaveLength(expected + 1);
    await page.close();
  });

  it('Bulk Upsert: uploads a CSV of 2,500 rows, maps it, upserts by LMS_User_Id__c and writes the records', async () => {
    const size = 2_500;
    const csvPath = path.join(work, 'learners.csv');
    writeFileSync(
      csvPath,
      [
        'Learner key,Last Name,E-mail',
        ...Array.from({ length: size }, (_, at) => `e2e-${at},Learner ${at},learner${at}@example.org`),
      ].join('\n'),
    );
    const page = await openActivities('bulk-upsert', 'Contact');
    const input = (await page.waitForSelector('[data-testid=csv-file]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(csvPath);
    await waitForText(page, '[data-testid=upload-summary]', '2,500 records, 3 columns');

    // "Last Name" and "E-mail" map themselves; the key column is mapped by hand, and the External ID chosen.
    const mapped = await page.$$eval('[data-testid=mapping-row]', (rows) =>
      rows.map((row) => [row.getAttribute('data-column'), row.querySelector('select')?.value]),
    );
    expect(mapped).toEqual([
      ['Learner key', ''],
      ['Last Name', 'LastName'],
      ['E-mail', 'Email'],
    ]);
    await page.select('[data-testid=mapping-row][data-column="Learner key"] select', 'LMS_User_Id__c');
    const externalIds = await page.$$eval('[data-testid=external-id] option', (options) =>
      options.map((option) => option.getAttribute('value')),
    );
    expect(externalIds).toEqual(['', 'LMS_User_Id__c']);
    await waitForText(page, '[data-testid=mapping-problems]', 'Pick the External ID field');
    await page.select('[data-testid=external-id]', 'LMS_User_Id__c');
    await waitForText(page, '[data-testid=mapping-problems]', /^$/);

    await page.click('[data-testid=run-activity]');
    await until(
      () => runStatus(page),
      (status) => status === 'completed',
      'the bulk upsert never completed',
      60_000,
    );
    expect(await waitForText(page, '[data-testid=run-summary]', '2,500 processed')).toContain('2,500 created');

    const written = contacts().filter((record) => String(record.LMS_User_Id__c ?? '').startsWith('e2e-'));
    expect(written).toHaveLength(size);
    const sample = written.find((record) => record.LMS_User_Id__c === 'e2e-1234');
    expect(sample).toMatchObject({ LastName: 'Learner 1234', Email: 'learner1234@example.org' });
    await page.close();
  });
});
