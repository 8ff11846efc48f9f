import { revokeSalesforceToken } from '../../crm/salesforce/salesforce-oauth.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import type { ConnectionRow } from './connection-repository.ts';
import type { StoredCredentials } from './credentials.ts';

/**
 * Tokens OrgLink stops using are revoked at Salesforce, so no live refresh token outlives its connection (Salesforce
 * also caps them per user and app). Best effort: a failure is logged and changes nothing. Entra ID has no revocation
 * endpoint for a client; dropping the msal cache is all a client can do.
 */
export async function revokeStoredTokens(
  deps: ConnectionDeps,
  row: Pick<ConnectionRow, 'id' | 'environment' | 'loginHost'>,
  credentials: StoredCredentials,
): Promise<void> {
  if (credentials.kind !== 'salesforce') return;
  try {
    const endpoint = await deps.crm.salesforce({
      environment: row.environment as 'production' | 'sandbox',
      loginHost: row.loginHost,
    });
    // Password and client-credentials connections have no refresh token: their session is what is ended.
    if (!(await revokeSalesforceToken(endpoint, credentials.refreshToken || credentials.accessToken))) {
      deps.log.warn({ connectionId: row.id }, 'Salesforce did not confirm the revocation of a dropped refresh token');
    }
  } catch (error) {
    deps.log.warn({ connectionId: row.id, err: error }, 'could not revoke a dropped Salesforce refresh token');
  }
}
