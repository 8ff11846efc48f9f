import type { CrmKind } from '@orglink/shared';

/** Who the stored tokens belong to, as the CRM itself reports it. */
export interface OrgIdentity {
  /** Salesforce 18-character Org ID, or the Dynamics OrganizationId (WhoAmI). */
  orgId: string;
  userId: string;
}

/**
 * What every feature uses to talk to a connected org. The Salesforce and Dynamics clients implement it; each also
 * exposes its native API (a jsforce Connection, an authenticated Web API request) for the features that need more.
 * Token refresh, saving rotated tokens and marking the connection inactive happen inside the clients.
 */
export interface CrmClient {
  readonly kind: CrmKind;
  /** A cheap authenticated call (identity URL or WhoAmI): proves the tokens work and names the org. */
  identify(): Promise<OrgIdentity>;
}

/** The CRM refused the stored tokens for good (revoked or expired): only a new sign-in helps. */
export class CrmAuthorizationLost extends Error {
  override name = 'CrmAuthorizationLost';
  readonly reason: string;

  constructor(reason: string) {
    super(`The CRM no longer accepts this connection's tokens (${reason}).`);
    this.reason = reason;
  }
}

/** What the clients tell their owner: new tokens to save, and tokens that stopped working. */
export interface CrmClientHooks<Update> {
  onCredentialsChanged(update: Update): void;
  onAuthorizationLost(reason: string): void;
}
