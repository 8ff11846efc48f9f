import type { ApiResult } from '../api/api-result.ts';
import { notSignedIn } from '../api/api-result.ts';
import { OrgLinkClient } from '../api/orglink-client.ts';
import { type StoredSignIn, serverUrlItem, signInItem } from '../storage.ts';

/** The sign-in for the server Settings points at now; a sign-in made with another server does not count. */
export async function currentSignIn(): Promise<StoredSignIn | undefined> {
  const [signIn, serverUrl] = await Promise.all([signInItem.getValue(), serverUrlItem.getValue()]);
  return signIn && signIn.serverUrl === serverUrl ? signIn : undefined;
}

/**
 * Forgets a token the server no longer accepts. Only that token: a redeem that finished meanwhile has stored a
 * new one, which must survive a late 401 of the old one.
 */
export async function forgetSignIn(token: string) {
  const stored = await signInItem.getValue();
  if (stored?.token === token) await signInItem.removeValue();
}

/**
 * Runs one API call with the stored token. Made per call from storage, never kept in a variable, because Chrome
 * stops an idle service worker and its memory with it. A 401 means the token was revoked: it is forgotten, so every
 * page falls back to "not signed in" instead of failing the same way again.
 */
export async function callSignedIn<T>(call: (client: OrgLinkClient) => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  const signIn = await currentSignIn();
  if (!signIn) return notSignedIn();
  const result = await call(new OrgLinkClient(signIn.serverUrl, { token: signIn.token }));
  if (!result.ok && result.status === 401) await forgetSignIn(signIn.token);
  return result;
}
