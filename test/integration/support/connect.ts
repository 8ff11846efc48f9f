import type { Connection } from '@orglink/shared';
import { type Sandbox, startSandbox } from '../../sim/sandbox.ts';
import { Browser, type Page, pageText } from './browser.ts';
import { apiAs, createTeam, type Member, type OrgLinkApp, startOrgLink } from './orglink.ts';
import { decideDpa, salesforceUser, signInToMicrosoft, signInToSalesforce } from './sign-in.ts';

export interface Connected {
  connection: Connection;
  finalPage: Page;
  browser: Browser;
}

/** Creates a Salesforce connection and completes its sign-in and DPA as `member`, like the admin in a popup. */
export async function connectSalesforce(
  app: OrgLinkApp,
  sandbox: Sandbox,
  member: Member,
  options: {
    name: string;
    org: string;
    environment?: 'production' | 'sandbox';
    loginHost?: string;
    /** The simulated user who signs in (sales lacks the Bulk API Hard Delete permission). */
    user?: 'admin' | 'sales';
  },
): Promise<Connected> {
  const api = apiAs(app, member);
  const created = await api.post('/api/connections', {
    name: options.name,
    kind: 'salesforce',
    environment: options.environment ?? 'production',
    ...(options.loginHost ? { loginHost: options.loginHost } : {}),
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  return finishSalesforce(
    app,
    sandbox,
    member,
    created.body.connection.id,
    created.body.loginUrl,
    options.org,
    options.user,
  );
}

export async function finishSalesforce(
  app: OrgLinkApp,
  sandbox: Sandbox,
  member: Member,
  connectionId: string,
  loginUrl: string,
  org: string,
  user: 'admin' | 'sales' = 'admin',
): Promise<Connected> {
  const browser = new Browser();
  const dpa = await signInToSalesforce(browser, loginUrl, salesforceUser(sandbox, org, user));
  const finalPage = await decideDpa(browser, dpa, 'accept');
  if (finalPage.status !== 200) throw new Error(`sign-in ended with ${finalPage.status}: ${pageText(finalPage)}`);
  const connection = (await apiAs(app, member).get(`/api/connections/${connectionId}`)).body as Connection;
  return { connection, finalPage, browser };
}

/** Re-authorize: a fresh login URL for an existing connection, signed in and accepted. */
export async function reauthorizeSalesforce(
  app: OrgLinkApp,
  sandbox: Sandbox,
  member: Member,
  connectionId: string,
  org: string,
): Promise<Connected> {
  const authorize = await apiAs(app, member).post(`/api/connections/${connectionId}/authorize`);
  if (authorize.status !== 200) throw new Error(`authorize failed: ${JSON.stringify(authorize.body)}`);
  return finishSalesforce(app, sandbox, member, connectionId, authorize.body.loginUrl, org);
}

export async function connectDynamics(
  app: OrgLinkApp,
  member: Member,
  options: { name: string; cloud?: string; user?: string; organizationId?: string },
): Promise<Connected & { environmentsPage: Page }> {
  const api = apiAs(app, member);
  const created = await api.post('/api/connections', {
    name: options.name,
    kind: 'dynamics',
    environment: options.cloud ?? 'public',
  });
  if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
  const browser = new Browser();
  const environmentsPage = await signInToMicrosoft(
    browser,
    created.body.loginUrl,
    options.user ?? 'admin@contoso.onmicrosoft.com',
  );
  const form = browser.form(environmentsPage, 'environment');
  const dpa = await browser.submit(form, options.organizationId ? { environment: options.organizationId } : {});
  const finalPage = await decideDpa(browser, dpa, 'accept');
  if (finalPage.status !== 200) throw new Error(`sign-in ended with ${finalPage.status}: ${pageText(finalPage)}`);
  const connection = (await api.get(`/api/connections/${created.body.connection.id}`)).body as Connection;
  return { connection, finalPage, browser, environmentsPage };
}

/** Tests share one sandbox, and an org can be connected once: each test leaves every org free again. */
export function releaseAllOrgs(app: OrgLinkApp): void {
  app.db.$client
    .prepare('update connections set deleted_at = ?, credentials = null where deleted_at is null')
    .run(new Date().toISOString());
}

/** A sandbox, an OrgLink in process, a team, and the team's connection to the acme org: most tests' starting point. */
export async function startWithAcmeConnection() {
  const sandbox = await startSandbox();
  const orglink = await startOrgLink({ SANDBOX_URL: sandbox.url });
  const team = createTeam(orglink.app);
  const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
  return { sandbox, orglink, team, connectionId: connection.id };
}
