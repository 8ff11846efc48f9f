import {
  type Connection,
  type Integration,
  type RunListQuery,
  RunListQuery as RunListQuerySchema,
  type ServerEvent,
} from '@orglink/shared';
import { Value } from 'typebox/value';
import { browser } from 'wxt/browser';
import { invalidInput } from '../api/api-result.ts';
import { isDynamicsPage, isSalesforcePage } from '../host-patterns.ts';
import { onMessage } from '../messaging.ts';
import { serverUrlItem, signInItem } from '../storage.ts';
import { browserCookieAccess } from './browser-cookies.ts';
import { withId } from './handler-input.ts';
import { openNotificationTarget, RunStatusTracker } from './run-status.ts';
import { type CookieReader, salesforceOrgIdForPage } from './salesforce-session.ts';
import { callSignedIn, currentSignIn } from './signed-in-client.ts';

/** Where the admin is, as the popup opens: the integration or org of the active tab, when OrgLink knows it. */
export type ActiveTabContext =
  | { kind: 'none' }
  | { kind: 'integration'; integration: Integration }
  | { kind: 'catalog-not-linked'; host: string }
  | { kind: 'org'; connection: Connection }
  | { kind: 'org-not-connected'; crm: 'salesforce' | 'dynamics'; host: string };

/** Catalog's own admin hosts; custom domains are recognised by being some integration's Catalog host. */
const CATALOG_HOST = /\.catalog\.(instructure|canvaslms)\.com$/;

export function checkRunListQuery(input: unknown): { ok: true; value: RunListQuery } | { ok: false; message: string } {
  const candidate = typeof input === 'object' && input !== null ? input : {};
  // Empty filters mean "all", so they are dropped rather than sent as `?status=`.
  const cleaned = Object.fromEntries(
    Object.entries(candidate).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  );
  if (Value.Check(RunListQuerySchema, cleaned)) return { ok: true, value: cleaned };
  const problem = [...Value.Errors(RunListQuerySchema, cleaned)][0];
  const field = problem?.instancePath.replace(/^\//, '') || 'the filters';
  return {
    ok: false,
    message: `The run filter ${field} is not valid (${problem?.message ?? 'unknown field'}). Clear the filters and try again.`,
  };
}

export interface TabContextBrowser {
  getTabUrl(tabId: number): Promise<string | undefined>;
  cookies: CookieReader;
  cookieStoreOf(tabId: number): Promise<string | undefined>;
}

/**
 * Recognises the tab the popup was opened over: a Catalog admin host (linked to an integration or not), or a
 * Salesforce / Dynamics page whose org the team has connected. Salesforce orgs are known by the `sid` cookie's org
 * prefix, as the in-page badge knows them; Dynamics environments by their app host, which is the connection's
 * instance URL. Anything else, or any failure, is `none`: the popup then shows all runs.
 */
export async function activeTabContext(tabId: unknown, browserApi: TabContextBrowser): Promise<ActiveTabContext> {
  try {
    if (typeof tabId !== 'number' || !Number.isInteger(tabId) || tabId < 0) return { kind: 'none' };
    if (!(await currentSignIn())) return { kind: 'none' };
    const url = await browserApi.getTabUrl(tabId);
    if (!url || !URL.canParse(url)) return { kind: 'none' };
    const page = new URL(url);
    if (page.protocol !== 'https:') return { kind: 'none' };
    if (isSalesforcePage(page)) return await salesforceContext(page, tabId, browserApi);
    if (isDynamicsPage(page)) return await dynamicsContext(page);
    return await catalogContext(page);
  } catch {
    return { kind: 'none' };
  }
}

async function salesforceContext(page: URL, tabId: number, browserApi: TabContextBrowser): Promise<ActiveTabContext> {
  const orgId = await salesforceOrgIdForPage(page, browserApi.cookies, await browserApi.cookieStoreOf(tabId));
  if (!orgId) return { kind: 'none' };
  const found = await callSignedIn((client) => client.lookupConnection(orgId));
  if (!found.ok) return { kind: 'none' };
  const connection = found.data.connection;
  return connection
    ? { kind: 'org', connection }
    : { kind: 'org-not-connected', crm: 'salesforce', host: page.hostname };
}

async function dynamicsContext(page: URL): Promise<ActiveTabContext> {
  const listed = await callSignedIn((client) => client.listConnections());
  if (!listed.ok) return { kind: 'none' };
  const connection = listed.data.connections.find(
    (candidate) =>
      candidate.kind === 'dynamics' &&
      candidate.instanceUrl !== null &&
      URL.canParse(candidate.instanceUrl) &&
      new URL(candidate.instanceUrl).hostname === page.hostname,
  );
  return connection ? { kind: 'org', connection } : { kind: 'org-not-connected', crm: 'dynamics', host: page.hostname };
}

async function catalogContext(page: URL): Promise<ActiveTabContext> {
  const host = page.hostname.toLowerCase();
  const listed = await callSignedIn((client) => client.listIntegrations());
  if (listed.ok) {
    const linked = listed.data.integrations.filter((integration) => integration.catalogHost.toLowerCase() === host);
    // An account unlinked and linked again keeps its old integration in the history; the live one comes first.
    const integration = linked.find((candidate) => candidate.linkState !== 'not-linked') ?? linked[0];
    if (integration) return { kind: 'integration', integration };
  }
  return CATALOG_HOST.test(host) ? { kind: 'catalog-not-linked', host } : { kind: 'none' };
}

const tabContextBrowser: TabContextBrowser = {
  getTabUrl: async (tabId) => (await browser.tabs.get(tabId)).url,
  ...browserCookieAccess,
};

/** The popup's calls about runs, and the toolbar badge and notifications fed by the live event stream. */
export function registerRunHandlers(events: { subscribe(listener: (event: ServerEvent) => void): () => void }) {
  const tracker = new RunStatusTracker();

  onMessage('listRuns', ({ data }) => {
    const checked = checkRunListQuery(data);
    if (!checked.ok) return Promise.resolve(invalidInput(checked.message));
    return callSignedIn((client) => client.listRuns(checked.value));
  });
  onMessage('getRun', ({ data }) => withId(data, 'run', (id) => callSignedIn((client) => client.getRun(id))));
  onMessage('getActiveTabContext', ({ data }) => activeTabContext(data, tabContextBrowser));
  onMessage('acknowledgeRunFailures', async () => {
    await tracker.acknowledgeFailures();
    await tracker.refresh();
  });

  events.subscribe((event) => void tracker.onEvent(event));
  signInItem.watch(() => void tracker.refresh());
  serverUrlItem.watch(() => void tracker.refresh());
  browser.notifications.onClicked.addListener((id) => void openNotificationTarget(id));
  void tracker.refresh();
  return tracker;
}
