import { isSalesforceCookieHost, myDomainHostFor } from '../host-patterns.ts';

/** A 15-character Salesforce Org ID: key prefix 00D, then 12 case-sensitive characters. */
const ORG_ID_15 = /^00D[A-Za-z0-9]{12}$/;

/**
 * The Org ID a `sid` cookie belongs to: the value is `<15-character org id>!<session>`. Only this prefix is ever
 * used; the session part never leaves this function, so it cannot end up in a request, a message or a log.
 */
export function orgIdFromSid(value: string | null | undefined): string | undefined {
  if (value?.indexOf('!') !== 15 || value.length === 16) return undefined;
  const prefix = value.slice(0, 15);
  return ORG_ID_15.test(prefix) ? prefix : undefined;
}

/** The slice of the cookies API this needs, so tests can hand in a jar of their own. */
export interface CookieReader {
  get(details: { url: string; name: string; storeId?: string }): Promise<{ value: string } | null | undefined>;
}

/**
 * Which org a Salesforce page belongs to, from its `sid` cookie (HttpOnly, so only the background can read it).
 * First the page's own host, then the org's My Domain, where the Lightning host's session comes from, as Salesforce
 * Inspector does. `storeId` keeps an incognito tab to its own cookies.
 */
export async function salesforceOrgIdForPage(
  pageUrl: URL,
  cookies: CookieReader,
  storeId?: string,
): Promise<string | undefined> {
  const hosts = [pageUrl.hostname, myDomainHostFor(pageUrl.hostname)];
  for (const host of hosts) {
    if (!host) continue;
    const url = `https://${host}/`;
    if (!isSalesforceCookieHost(url)) continue;
    try {
      const cookie = await cookies.get({ url, name: 'sid', ...(storeId ? { storeId } : {}) });
      const orgId = orgIdFromSid(cookie?.value);
      if (orgId) return orgId;
    } catch {
      // No permission for this host or no such store: try the next host.
    }
  }
  return undefined;
}
