/** The REST and SOAP API version OrgLink speaks; the simulators and every org since Winter '25 support it. */
export const SALESFORCE_API_VERSION = '62.0';

/** api: REST and Bulk; refresh_token: keep working without the admin; id: the identity URL (Org ID). */
export const SALESFORCE_SCOPES = 'api refresh_token id';

/**
 * invalid_grant is Salesforce's answer for a revoked or expired refresh token, a deactivated user or a changed
 * password (crm-apis.md 1.4). jsforce names the error after the OAuth error code, but its refresh delegate re-wraps
 * it as "Unable to refresh session due to: <description>", losing the name, so the description is matched too.
 */
export function isSalesforceAuthorizationLost(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'invalid_grant') return true;
  return /expired access\/refresh token|authentication failure|inactive user|inactive organization|No refresh token found/i.test(
    error.message,
  );
}

/** The description an admin can act on: jsforce's wrapper text removed. */
export function salesforceFailureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Unable to refresh session due to: /, '');
}
