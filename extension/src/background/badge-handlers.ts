import type { ServerEvent } from '@orglink/shared';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { isSignedOutFailure } from '../api/api-result.ts';
import {
  type BadgeConnection,
  normaliseDynamicsOrgId,
  type OrgBadgeStatus,
  type OrgPageRequest,
} from '../features/org-badge-status.ts';
import { isDynamicsPage, isSalesforcePage } from '../host-patterns.ts';
import { onMessage, sendMessage } from '../messaging.ts';
import { browserCookieAccess } from './browser-cookies.ts';
import { type CookieReader, salesforceOrgIdForPage } from './salesforce-session.ts';
import { callSignedIn, currentSignIn } from './signed-in-client.ts';

/** Who sent a message, as the runtime reports it: the only part of a request the page cannot make up. */
export interface BadgeSender {
  tab?: { id?: number };
  frameId?: number;
  url?: string;
}

export interface BadgeBrowser {
  cookies: CookieReader;
  /** The cookie store of a tab: an incognito tab has its own. */
  cookieStoreOf: (tabId: number) => Promise<string | undefined>;
}

/**
 * Tabs that asked for a badge, to tell when a connection changes. In session storage because Chrome stops the
 * service worker when idle, and a tab keeps its badge across that.
 */
const badgeTabsItem = storage.defineItem<number[]>('session:badgeTabs', { fallback: [], version: 1 });
let badgeTabsUpdate = Promise.resolve();

function updateBadgeTabs(change: (tabs: number[]) => number[]): Promise<void> {
  badgeTabsUpdate = badgeTabsUpdate
    .then(async () => badgeTabsItem.setValue(change(await badgeTabsItem.getValue())))
    .catch(() => undefined);
  return badgeTabsUpdate;
}

/**
 * Gate 3 for a CRM page: is its org connected to the signed-in user's team? Without a sign-in it answers at once,
 * reading no cookie and calling nothing. The org comes from what the page cannot forge: the sender's URL and, on
 * Salesforce, the `sid` cookie of that URL's host. Never throws: a failure is an answer that keeps the page as it was.
 */
export async function orgBadgeStatusFor(
  request: unknown,
  sender: BadgeSender,
  browserApi: BadgeBrowser,
): Promise<OrgBadgeStatus> {
  try {
    if (!(await currentSignIn())) return { state: 'signed-out' };
    const orgId = await orgIdOfPage(request, sender, browserApi);
    if (!orgId) return { state: 'unrecognised' };
    const result = await callSignedIn((client) => client.lookupConnection(orgId));
    if (!result.ok) {
      return isSignedOutFailure(result)
        ? { state: 'signed-out' }
        : { state: 'unavailable', message: result.error.message };
    }
    const tabId = sender.tab?.id;
    if (tabId !== undefined) await updateBadgeTabs((tabs) => (tabs.includes(tabId) ? tabs : [...tabs, tabId]));
    const connection = result.data.connection;
    return connection ? { state: 'connected', connection: badgeConnection(connection) } : { state: 'not-connected' };
  } catch (error) {
    return { state: 'unavailable', message: error instanceof Error ? error.message : String(error) };
  }
}

function badgeConnection({ id, name, status, statusReason }: BadgeConnection): BadgeConnection {
  return { id, name, status, statusReason };
}

function isPageRequest(request: unknown): request is OrgPageRequest {
  if (typeof request !== 'object' || request === null || !('kind' in request)) return false;
  if (request.kind === 'salesforce') return true;
  return request.kind === 'dynamics' && 'orgId' in request && typeof request.orgId === 'string';
}

async function orgIdOfPage(
  request: unknown,
  sender: BadgeSender,
  browserApi: BadgeBrowser,
): Promise<string | undefined> {
  const tabId = sender.tab?.id;
  // Only a tab's top frame has a badge; extension pages and iframes get no answer about an org.
  if (tabId === undefined || sender.frameId !== 0 || !sender.url || !URL.canParse(sender.url)) return undefined;
  if (!isPageRequest(request)) return undefined;
  const pageUrl = new URL(sender.url);
  if (request.kind === 'salesforce') {
    if (!isSalesforcePage(pageUrl)) return undefined;
    return salesforceOrgIdForPage(pageUrl, browserApi.cookies, await browserApi.cookieStoreOf(tabId));
  }
  return isDynamicsPage(pageUrl) ? normaliseDynamicsOrgId(request.orgId) : undefined;
}

/**
 * Tells every tab with a badge that a connection changed; each badge then asks again (the message carries nothing,
 * so no connection data goes to tabs that did not ask). Tabs that no longer answer are forgotten.
 */
export async function relayConnectionChange(
  send: (tabId: number) => Promise<void> = (tabId) => sendMessage('connection.changed', undefined, tabId),
): Promise<void> {
  const tabs = await badgeTabsItem.getValue();
  const gone: number[] = [];
  await Promise.all(
    tabs.map(async (tabId) => {
      try {
        await send(tabId);
      } catch {
        gone.push(tabId);
      }
    }),
  );
  if (gone.length > 0) await updateBadgeTabs((current) => current.filter((tabId) => !gone.includes(tabId)));
}

export function isConnectionEvent(event: ServerEvent): boolean {
  return event.type === 'connection.changed' || event.type === 'connection.deleted';
}

const browserBadgeApi: BadgeBrowser = browserCookieAccess;

/** The badge's background side: gate 3 answers, and the relay of the live event stream's connection changes. */
export function registerBadgeHandlers(events: { subscribe(listener: (event: ServerEvent) => void): () => void }) {
  onMessage('getOrgBadgeStatus', ({ data, sender }) => orgBadgeStatusFor(data, sender, browserBadgeApi));
  events.subscribe((event) => {
    if (isConnectionEvent(event)) void relayConnectionChange();
  });
  browser.tabs.onRemoved.addListener((tabId) => {
    void updateBadgeTabs((tabs) => tabs.filter((id) => id !== tabId));
  });
}
