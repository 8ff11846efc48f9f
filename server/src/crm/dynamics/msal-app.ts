import type { ConfidentialClientApplication, ICachePlugin } from '@azure/msal-node';
import type { MsalAuthOptions } from './dynamics-endpoints.ts';

type Msal = typeof import('@azure/msal-node');
let loading: Promise<Msal> | undefined;
let loaded: Msal | undefined;

/**
 * msal-node is loaded on the first Dynamics sign-in or connection, not at start: it costs the server about 6 MB of
 * heap and 20 MB of RSS, which a team that only connects Salesforce orgs should not carry.
 */
export function loadMsal(): Promise<Msal> {
  loading ??= import('@azure/msal-node').then((module) => {
    loaded = module;
    return module;
  });
  return loading;
}

/** Where one ConfidentialClientApplication keeps its token cache: a flow's memory, or a connection's sealed row. */
export interface MsalCacheStore {
  read(): string | undefined;
  write(serialized: string): void;
}

/**
 * msal-node keeps refresh tokens to itself; the only way to keep them across restarts is its serialized cache
 * (lib/msal-node/docs/faq.md). One application per connection, each with its own cache, so one connection's
 * accounts and tokens can never serve another.
 */
export async function createMsalApp(
  auth: MsalAuthOptions,
  store: MsalCacheStore,
): Promise<ConfidentialClientApplication> {
  const { ConfidentialClientApplication, LogLevel } = await loadMsal();
  const cachePlugin: ICachePlugin = {
    async beforeCacheAccess(context) {
      const serialized = store.read();
      if (serialized) context.tokenCache.deserialize(serialized);
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) store.write(context.tokenCache.serialize());
    },
  };
  return new ConfidentialClientApplication({
    auth,
    cache: { cachePlugin },
    // Tokens and user names never reach the log.
    system: { loggerOptions: { piiLoggingEnabled: false, logLevel: LogLevel.Error, loggerCallback: () => {} } },
  });
}

/** invalid_grant (revoked or expired refresh token) and interaction_required (consent, MFA) need a new sign-in. */
export function isDynamicsAuthorizationLost(error: unknown): boolean {
  // Before msal-node is loaded no error can be one of its own.
  if (!loaded) return false;
  if (error instanceof loaded.InteractionRequiredAuthError) return true;
  return (
    error instanceof loaded.AuthError &&
    ['invalid_grant', 'interaction_required', 'no_tokens_found'].includes(error.errorCode)
  );
}

/** Entra's description without the trace and correlation ids, which mean nothing to an admin. */
export function dynamicsFailureReason(error: unknown): string {
  if (loaded && error instanceof loaded.AuthError) {
    const message = (error.errorMessage || error.message).split(/\r?\n| Trace ID:/)[0]?.trim();
    return `${error.errorCode}: ${message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
