import { invalidInput, succeeded } from '../api/api-result.ts';
import { parseDisplayName, parseInviteCode } from '../api/invite-input.ts';
import { OrgLinkClient } from '../api/orglink-client.ts';
import type { Session } from '../api/session.ts';
import { onMessage } from '../messaging.ts';
import { serverUrlItem, signInItem } from '../storage.ts';
import { currentSignIn, forgetSignIn } from './signed-in-client.ts';

/** Joining a team with an invite, asking who we are, and signing out. */
export function registerAuthHandlers() {
  onMessage('getSession', () => describeSession());

  onMessage('redeemInvite', async ({ data }) => {
    // Checked again here: the background never trusts what a page sends it.
    const code = parseInviteCode(typeof data?.code === 'string' ? data.code : '');
    if (!code.ok) return invalidInput(code.message);
    const displayName = parseDisplayName(typeof data?.displayName === 'string' ? data.displayName : '');
    if (!displayName.ok) return invalidInput(displayName.message);
    const serverUrl = await serverUrlItem.getValue();
    const result = await new OrgLinkClient(serverUrl).redeemInvite({
      code: code.value,
      displayName: displayName.value,
    });
    if (!result.ok) return result;
    await signInItem.setValue({ serverUrl, token: result.data.token, me: result.data.me });
    return succeeded(result.data.me);
  });

  onMessage('signOut', async () => {
    const signIn = await currentSignIn();
    if (!signIn) return { serverRevoked: true };
    const result = await new OrgLinkClient(signIn.serverUrl, { token: signIn.token }).signOut();
    await forgetSignIn(signIn.token);
    // A 401 means the server had already let the token go: as good as revoked.
    if (result.ok || result.status === 401) return { serverRevoked: true };
    return {
      serverRevoked: false,
      problem: `Signed out in this browser, but the server could not be told (${result.error.message}). The old sign-in stays valid on the server until an admin revokes it.`,
    };
  });
}

/** Asks the server who we are, so the page shows the current team and role, not what was true at redeem time. */
async function describeSession(): Promise<Session> {
  const serverUrl = await serverUrlItem.getValue();
  const signIn = await currentSignIn();
  if (!signIn) return { state: 'signed-out', serverUrl };
  const result = await new OrgLinkClient(serverUrl, { token: signIn.token }).getMe();
  if (result.ok) {
    // A sign-out (or a new sign-in) may have landed while getMe was in flight: it wins, so write back only when
    // the stored sign-in is still the one this call used.
    const stored = await signInItem.getValue();
    if (stored?.token !== signIn.token) return stored ? describeSession() : { state: 'signed-out', serverUrl };
    await signInItem.setValue({ ...stored, me: result.data });
    return { state: 'signed-in', serverUrl, me: result.data };
  }
  if (result.status === 401) {
    await forgetSignIn(signIn.token);
    return { state: 'signed-out', serverUrl, reason: result.error.message };
  }
  // The server is away or failing: still signed in, with the last known identity and the reason shown.
  return { state: 'signed-in', serverUrl, me: signIn.me, problem: result.error.message };
}
