import { useEffect, useState } from 'preact/hooks';
import { browser } from 'wxt/browser';
import type { ActiveTabContext } from '../../background/run-handlers.ts';
import { sendMessage } from '../../messaging.ts';

/**
 * The tab the popup is about: `?tab=<id>` when it was opened for a given tab (in a tab of its own, from a notification
 * or a test), otherwise the active tab of the popup's window.
 */
export async function targetTabId(): Promise<number | undefined> {
  const fromUrl = Number(new URLSearchParams(location.search).get('tab') ?? Number.NaN);
  if (Number.isInteger(fromUrl) && fromUrl >= 0) return fromUrl;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id;
}

/** Where the admin is, asked once as the popup opens; undefined until the background has answered. */
export function useTabContext(signedIn: boolean): ActiveTabContext | undefined {
  const [context, setContext] = useState<ActiveTabContext>();
  useEffect(() => {
    if (!signedIn) return;
    let current = true;
    const resolve = async (): Promise<ActiveTabContext> => {
      const tabId = await targetTabId();
      return tabId === undefined ? { kind: 'none' } : sendMessage('getActiveTabContext', tabId);
    };
    resolve().then(
      (answer) => current && setContext(answer),
      () => current && setContext({ kind: 'none' }),
    );
    return () => {
      current = false;
    };
  }, [signedIn]);
  return context;
}
