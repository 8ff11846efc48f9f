import { EXTENSION_ID } from '@orglink/shared';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import serverPackage from '../../server/package.json' with { type: 'json' };
import { type ExtensionBrowser, launchWithExtension } from '../support/chromium.ts';
import { freePort } from '../support/free-port.ts';
import { typeInto, waitForText } from '../support/page-text.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';

// The walking skeleton end to end: the real server process, the production extension build in Chromium, and a
// person's clicks on the options page and the popup.
let server: ServerProcess;
let chromium: ExtensionBrowser;

beforeAll(async () => {
  server = await startServerProcess();
  chromium = await launchWithExtension();
});
afterAll(async () => {
  await chromium?.browser.close();
  await server?.stop();
});

async function openExtensionPage(page: string): Promise<Page> {
  const tab = await chromium.browser.newPage();
  await tab.goto(chromium.pageUrl(page));
  return tab;
}

describe('extension and server, end to end', () => {
  it('loads with the extension ID pinned by the manifest key', () => {
    expect(chromium.extensionId).toBe(EXTENSION_ID);
  });

  it('refuses a server URL that is not a URL, says why, and keeps the saved one', async () => {
    const options = await openExtensionPage('options.html');
    await waitForText(options, '[data-testid=server-status]', /./);
    const before = await options.$eval('#server-url', (input) => (input as HTMLInputElement).value);
    expect(before).toBe('http://127.0.0.1:8787');

    await typeInto(options, '#server-url', 'my server');
    await options.click('button[type=submit]');
    expect(await waitForText(options, '[data-testid=server-url-feedback]', 'is not a URL')).toContain('http://');
    expect(await options.$eval('#server-url', (input) => input.getAttribute('aria-invalid'))).toBe('true');

    await options.reload();
    await waitForText(options, '[data-testid=server-status]', /./);
    expect(await options.$eval('#server-url', (input) => (input as HTMLInputElement).value)).toBe(before);
    await options.close();
  });

  it('connects once the admin types the server URL and saves, and the popup shows the server version', async () => {
    const options = await openExtensionPage('options.html');
    await typeInto(options, '#server-url', `${server.url}/`);
    await options.click('button[type=submit]');
    await waitForText(options, '[data-testid=server-url-feedback]', 'Saved.');
    await waitForText(options, '[data-testid=server-status]', `Connected to OrgLink server ${serverPackage.version}`);
    expect(await options.$eval('#server-url', (input) => (input as HTMLInputElement).value)).toBe(server.url);
    await options.close();

    const popup = await openExtensionPage('popup.html');
    const headline = await waitForText(popup, '[data-testid=server-status]', 'Connected to OrgLink server');
    expect(headline).toBe(`Connected to OrgLink server ${serverPackage.version}`);
    await popup.close();
  });

  it('shows "Server unreachable" with a link to Settings once the server is stopped', async () => {
    expect(await server.stop()).toBe(0);
    const popup = await openExtensionPage('popup.html');
    await waitForText(popup, '[data-testid=server-status]', 'Server unreachable');
    expect(await popup.$eval('.ol-status__detail', (element) => element.textContent)).toContain('npm start');
    expect(await popup.$eval('[data-testid=settings-link]', (link) => link.textContent)).toBe('Settings');

    const optionsOpened = chromium.browser.waitForTarget((target) => target.url().endsWith('/options.html'));
    await popup.click('[data-testid=settings-link]');
    expect((await optionsOpened).url()).toBe(chromium.pageUrl('options.html'));
    await popup.close();
  });

  it('saves an address that does not answer, and says the server is not answering', async () => {
    const silentUrl = `http://127.0.0.1:${await freePort()}`;
    const options = await openExtensionPage('options.html');
    await typeInto(options, '#server-url', silentUrl);
    await options.click('button[type=submit]');
    await waitForText(options, '[data-testid=server-url-feedback]', 'Saved, but the server does not answer yet');
    await waitForText(options, '[data-testid=server-status]', 'Server unreachable');
    await options.close();
  });
});
