import { browser } from 'wxt/browser';
import type { CookieReader } from './salesforce-session.ts';

/**
 * The real cookies API as the badge and the popup's tab context read it: a tab's cookie store (so an incognito tab
 * reads its own session) and the cookies in it. Kept apart from salesforce-session.ts, which tests drive with a jar.
 */
export const browserCookieAccess: {
  cookies: CookieReader;
  cookieStoreOf: (tabId: number) => Promise<string | undefined>;
} = {
  cookies: { get: (details) => browser.cookies.get(details) },
  cookieStoreOf: async (tabId) => {
    try {
      const stores = await browser.cookies.getAllCookieStores();
      return stores.find((store) => store.tabIds.includes(tabId))?.id;
    } catch {
      return undefined;
    }
  },
};
