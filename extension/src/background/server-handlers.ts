import { OrgLinkClient } from '../api/orglink-client.ts';
import { parseServerUrl } from '../api/server-url.ts';
import { onMessage } from '../messaging.ts';
import { serverUrlItem } from '../storage.ts';

/**
 * The background's answers about the companion API. The client is made per request from storage rather than
 * kept in a variable, because Chrome stops an idle service worker and its memory with it.
 */
export function registerServerHandlers() {
  onMessage('getServerUrl', () => serverUrlItem.getValue());

  onMessage('getServerStatus', async () => new OrgLinkClient(await serverUrlItem.getValue()).checkHealth());

  onMessage('saveServerUrl', async ({ data }) => {
    // Checked again here: the background never trusts what a page sends it.
    const parsed = parseServerUrl(typeof data === 'string' ? data : '');
    if (!parsed.ok) return { saved: false, message: parsed.message };
    await serverUrlItem.setValue(parsed.url);
    return { saved: true, status: await new OrgLinkClient(parsed.url).checkHealth() };
  });
}
