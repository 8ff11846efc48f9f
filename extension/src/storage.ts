import { storage } from 'wxt/utils/storage';
import { DEFAULT_SERVER_URL } from './api/server-url.ts';

/** The companion API's address, set on the options page. Local, not sync: each machine may run its own server. */
export const serverUrlItem = storage.defineItem<string>('local:serverUrl', {
  fallback: DEFAULT_SERVER_URL,
  version: 1,
});
