import {
  AuthError,
  ConfidentialClientApplication,
  type ICachePlugin,
  InteractionRequiredAuthError,
  LogLevel,
} from '@azure/msal-node';
import type { MsalAuthOptions } from './dynamics-endpoints.ts';

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
export function createMsalApp(auth: MsalAuthOptions, store: MsalCacheStore): ConfidentialClientApplication {
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
  if (error instanceof InteractionRequiredAuthError) return true;
  return (
    error instanceof AuthError && ['invalid_grant', 'interaction_required', 'no_tokens_found'].includes(error.errorCode)
  );
}

/** Entra's description without the trace and correlation ids, which mean nothing to an admin. */
export function dynamicsFailureReason(error: unknown): string {
  if (error instanceof AuthError) {
    const message = (error.errorMessage || error.message).split(/\r?\n| Trace ID:/)[0]?.trim();
    return `${error.errorCode}: ${message}`;
  }
  return error instanceof Error ? error.message : String(error);
}
