import { existsSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { extensionBuild } from './paths.ts';

/** Debian's Chromium unless CHROME_PATH says otherwise; puppeteer never downloads a browser here. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    Boolean,
  ) as string[];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      'Chromium is not installed. Install it with `apt-get install -y chromium` or set CHROME_PATH (.ci/run does this).',
    );
  }
  return found;
}

/** Flags that keep Chromium from reaching for the network these machines do not have. */
const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--no-first-run',
  '--no-default-browser-check',
  '--enable-unsafe-extension-debugging',
];

export interface ExtensionBrowser {
  browser: Browser;
  extensionId: string;
  /** chrome-extension://<id>/<page> */
  pageUrl: (page: string) => string;
}

/** A real, headless Chromium with the production extension build installed, as an admin would load it unpacked. */
export async function launchWithExtension(extraArgs: string[] = []): Promise<ExtensionBrowser> {
  if (!existsSync(`${extensionBuild}/manifest.json`)) {
    throw new Error(
      `No extension build at ${extensionBuild}. Run \`npm test\` (it builds first) or \`npm run build\`.`,
    );
  }
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    pipe: true,
    enableExtensions: true,
    args: [...QUIET_FLAGS, ...extraArgs],
  });
  const extensionId = await browser.installExtension(extensionBuild);
  return { browser, extensionId, pageUrl: (page) => `chrome-extension://${extensionId}/${page}` };
}
