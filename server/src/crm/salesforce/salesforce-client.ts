import jsforce, { type Connection } from 'jsforce';
import { CrmAuthorizationLost, type CrmClient, type CrmClientHooks, type OrgIdentity } from '../crm-client.ts';
import { isSalesforceAuthorizationLost, SALESFORCE_API_VERSION, salesforceFailureReason } from './salesforce-api.ts';
import { type ClassicLogin, SalesforceLoginRefused } from './salesforce-classic-login.ts';
import type { SalesforceEndpoint } from './salesforce-endpoints.ts';

/** What is sealed in a Salesforce connection's credentials column. */
export interface SalesforceCredentials {
  kind: 'salesforce';
  accessToken: string;
  refreshToken: string;
  instanceUrl: string;
  identityUrl: string;
  orgId: string;
  orgName: string | null;
  userId: string;
  username: string;
  /** Password and client-credentials connections: how to log in again (they have no refresh token: it is ''). */
  classic?: ClassicLogin;
}

/** A new session for a connection without a refresh token; throws SalesforceLoginRefused when Salesforce says no. */
export type SalesforceSessionRenewer = () => Promise<{ accessToken: string }>;

export interface SalesforceTokenUpdate {
  accessToken: string;
  /** Set when the connected app rotates refresh tokens: the old one no longer works. */
  refreshToken: string | undefined;
}

interface RefreshResponse {
  access_token: string;
  refresh_token?: string;
}

/**
 * A jsforce Connection on the stored tokens. jsforce refreshes by itself on a 401; this client supplies the refresh
 * function so that a refusal (invalid_grant) reaches the owner as "authorization lost" before jsforce wraps it, and
 * saves rotated refresh tokens, which jsforce's own refresh function drops (crm-apis.md 1.4).
 */
export class SalesforceClient implements CrmClient {
  readonly kind = 'salesforce' as const;
  readonly jsforce: Connection;
  #lostReason: string | undefined;

  constructor(
    endpoint: SalesforceEndpoint,
    credentials: Pick<SalesforceCredentials, 'accessToken' | 'refreshToken' | 'instanceUrl'>,
    hooks: CrmClientHooks<SalesforceTokenUpdate>,
    renew?: SalesforceSessionRenewer,
  ) {
    const oauth2 = new jsforce.OAuth2({
      loginUrl: endpoint.loginUrl,
      clientId: endpoint.clientId,
      clientSecret: endpoint.clientSecret,
    });
    this.jsforce = new jsforce.Connection({
      oauth2,
      instanceUrl: credentials.instanceUrl,
      accessToken: credentials.accessToken,
      refreshToken: credentials.refreshToken,
      version: SALESFORCE_API_VERSION,
      refreshFn: (conn, callback) => {
        if (renew) {
          renew().then(
            (session) => callback(null, session.accessToken),
            (error: unknown) => {
              if (error instanceof SalesforceLoginRefused) this.#lost(error.message, hooks);
              callback(error instanceof Error ? error : new Error(String(error)));
            },
          );
          return;
        }
        const refreshToken = conn.refreshToken;
        if (!refreshToken) {
          this.#lost('no refresh token is stored', hooks);
          callback(new Error('No refresh token found in the connection'));
          return;
        }
        oauth2.refreshToken(refreshToken).then(
          (response) => callback(null, response.access_token, response),
          (error: unknown) => {
            if (isSalesforceAuthorizationLost(error)) this.#lost(salesforceFailureReason(error), hooks);
            callback(error instanceof Error ? error : new Error(String(error)));
          },
        );
      },
    });
    this.jsforce.on('refresh', (accessToken: string, response: RefreshResponse | undefined) => {
      const rotated = response?.refresh_token;
      if (rotated) this.jsforce.refreshToken = rotated;
      hooks.onCredentialsChanged({ accessToken, refreshToken: rotated });
    });
  }

  #lost(reason: string, hooks: CrmClientHooks<SalesforceTokenUpdate>) {
    this.#lostReason = reason;
    hooks.onAuthorizationLost(reason);
  }

  /** Any call that fails because the tokens are gone is reported as CrmAuthorizationLost, whatever jsforce wrapped. */
  async call<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    try {
      return await work(this.jsforce);
    } catch (error) {
      if (this.#lostReason) throw new CrmAuthorizationLost(this.#lostReason);
      if (isSalesforceAuthorizationLost(error)) throw new CrmAuthorizationLost(salesforceFailureReason(error));
      throw error;
    }
  }

  /**
   * The REST resource list first, every time: a dead session answers 401 there, which makes jsforce refresh, while
   * the identity URL answers 403 and would not. Then the identity URL the resource list names.
   */
  identify(): Promise<OrgIdentity> {
    return this.call(async (connection) => {
      const resources = await connection.request<{ identity?: string }>(`/services/data/v${SALESFORCE_API_VERSION}/`);
      if (!resources.identity) throw new Error('the REST API did not name the identity URL');
      const identity = await connection.request<{ organization_id: string; user_id: string }>(
        `${resources.identity}?format=json`,
      );
      return { orgId: identity.organization_id, userId: identity.user_id };
    });
  }
}
