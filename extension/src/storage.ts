import type { Me } from '@orglink/shared';
import { storage } from 'wxt/utils/storage';
import { DEFAULT_SERVER_URL } from './api/server-url.ts';

/** The companion API's address, set on the options page. Local, not sync: each machine may run its own server. */
export const serverUrlItem = storage.defineItem<string>('local:serverUrl', {
  fallback: DEFAULT_SERVER_URL,
  version: 1,
});

/**
 * The sign-in from redeeming an invite. Only the background reads it: the token never goes to a page or a content
 * script. It is tied to the server that issued it, so pointing Settings at another server signs the admin out there
 * without losing the sign-in here. `me` is the last known answer of GET /api/me, shown while the server is away.
 */
export interface StoredSignIn {
  serverUrl: string;
  token: string;
  me: Me;
}

export const signInItem = storage.defineItem<StoredSignIn | null>('local:signIn', {
  fallback: null,
  version: 1,
});
