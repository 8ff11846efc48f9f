import { browser } from 'wxt/browser';
import type { LoginWindow } from '../api/session.ts';

/** Big enough for the Salesforce and Microsoft sign-in pages and the Data Processing Agreement without scrolling. */
const WINDOW_SIZE = { width: 600, height: 780 };

/**
 * Opens the CRM sign-in the server handed out in a popup window, as Plauti does: the admin signs in, accepts the
 * agreement and closes it, while the Connections page stays where it was.
 */
export async function openLoginWindow(loginUrl: string): Promise<LoginWindow> {
  if (!/^https?:\/\//i.test(loginUrl)) {
    return {
      windowId: null,
      problem: 'The server sent a sign-in address that is not a web page. Check the server address in Settings.',
    };
  }
  try {
    const window = await browser.windows.create({ url: loginUrl, type: 'popup', focused: true, ...WINDOW_SIZE });
    if (window?.id === undefined) return { windowId: null, problem: 'The browser did not open the sign-in window.' };
    return { windowId: window.id };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { windowId: null, problem: `The sign-in window did not open (${reason}). Try Re-authorize again.` };
  }
}
