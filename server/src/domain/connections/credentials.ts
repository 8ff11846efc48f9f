import type { DynamicsCredentials } from '../../crm/dynamics/dynamics-client.ts';
import type { SalesforceCredentials } from '../../crm/salesforce/salesforce-client.ts';
import type { SecretBox } from '../../plugins/secrets.ts';

export type StoredCredentials = SalesforceCredentials | DynamicsCredentials;

/** Sealed with the connection's id as associated data: a ciphertext copied onto another connection does not open. */
export function sealCredentials(secrets: SecretBox, connectionId: string, credentials: StoredCredentials): string {
  return secrets.sealJson(credentials, connectionId);
}

export function openCredentials(secrets: SecretBox, connectionId: string, sealed: string): StoredCredentials {
  return secrets.openJson<StoredCredentials>(sealed, connectionId);
}

/**
 * Credentials sealed under another key (ENCRYPTION_KEY changed, key file replaced) cannot be opened; callers that
 * only want to revoke or reuse them treat that as "no usable tokens" instead of failing.
 */
export function tryOpenCredentials(
  secrets: SecretBox,
  connectionId: string,
  sealed: string | null,
): StoredCredentials | undefined {
  if (!sealed) return undefined;
  try {
    return openCredentials(secrets, connectionId, sealed);
  } catch {
    return undefined;
  }
}
