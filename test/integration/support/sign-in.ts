import type { Sandbox } from '../../sim/sandbox.ts';
import { type Browser, type Page, pageText } from './browser.ts';

/** A sandbox user's credentials (the simulators' seeded users; every Dynamics password is the same). */
export function salesforceUser(sandbox: Sandbox, org: string, who: 'admin' | 'sales' = 'admin') {
  const entry = sandbox.salesforce.describe().orgs.find((candidate) => candidate.name === org);
  const user = entry?.users.find((candidate) => candidate.username.startsWith(`${who}@`));
  if (!entry || !user) throw new Error(`no ${who} user in ${org}`);
  return {
    username: user.username,
    password: user.password,
    orgId: entry.orgId,
    organizationName: entry.organizationName,
  };
}

/**
 * OrgLink's login URL -> Salesforce login page -> Allow page -> back to OrgLink's callback. Returns the page
 * OrgLink shows then (the DPA, or a problem).
 */
export async function signInToSalesforce(
  browser: Browser,
  loginUrl: string,
  user: { username: string; password: string },
  choice: 'oaapprove' | 'oadeny' = 'oaapprove',
): Promise<Page> {
  let page = await browser.open(loginUrl);
  if (page.html.includes('name="pw"')) {
    page = await browser.submit(browser.form(page, 'pw'), { username: user.username, pw: user.password }, 'Login');
  }
  if (page.html.includes('oaapprove')) page = await browser.submit(browser.form(page, 'source'), {}, choice);
  return page;
}

export async function signInToMicrosoft(
  browser: Browser,
  loginUrl: string,
  user: string,
  password = 'OrgLink-sandbox-1',
): Promise<Page> {
  const page = await browser.open(loginUrl);
  if (!page.html.includes('loginfmt')) return page;
  return browser.submit(browser.form(page, 'loginfmt'), { loginfmt: user, passwd: password });
}

export async function decideDpa(browser: Browser, page: Page, decision: 'accept' | 'decline'): Promise<Page> {
  if (!pageText(page).includes('Data Processing Agreement')) {
    throw new Error(`expected the DPA page, got ${page.status}: ${pageText(page).slice(0, 400)}`);
  }
  return browser.submit(browser.form(page, '/oauth/consent'), { decision });
}
