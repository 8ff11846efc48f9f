import { ConnectionErrorCode, type DynamicsCloud } from '@orglink/shared';
import { and, eq, isNull } from 'drizzle-orm';
import type { CrmClient } from '../../crm/crm-client.ts';
import { DynamicsClient } from '../../crm/dynamics/dynamics-client.ts';
import { openClassicSession } from '../../crm/salesforce/salesforce-classic-login.ts';
import { SalesforceClient, type SalesforceSessionRenewer } from '../../crm/salesforce/salesforce-client.ts';
import { connections } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { classicEndpoint } from './classic-connections.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { type ConnectionRow, connectionRowById } from './connection-repository.ts';
import { inactiveRemedy, markConnectionInactive } from './connection-state.ts';
import { openCredentials, type StoredCredentials, sealCredentials, tryOpenCredentials } from './credentials.ts';

interface CachedClient {
  /** The sealed credentials the client was built from, or last saved itself. */
  sealed: string;
  client: SalesforceClient | DynamicsClient;
}

/**
 * The one way into a connected org, for every feature: `open(connectionId)` gives a CrmClient on the stored tokens.
 * Clients are shared per connection so that concurrent work shares one refresh (with rotating refresh tokens, two
 * parallel refreshes would invalidate each other). Saving refreshed tokens and marking a connection inactive when
 * the CRM refuses them happen here, once, for all features.
 */
export class ConnectionClients {
  readonly #deps: ConnectionDeps;
  readonly #cache = new Map<string, CachedClient>();

  constructor(deps: ConnectionDeps) {
    this.#deps = deps;
  }

  /** A client for a working connection; 409 (with what to do) for one that has no usable tokens. */
  async open(connectionId: string): Promise<SalesforceClient | DynamicsClient> {
    const row = connectionRowById(this.#deps.db, connectionId);
    if (!row || row.deletedAt) {
      this.#cache.delete(connectionId);
      throw new ApiError(
        404,
        ConnectionErrorCode.NotFound,
        'There is no such connection. Reload the Connections list.',
      );
    }
    if (row.pendingOrgId) {
      throw new ApiError(
        409,
        ConnectionErrorCode.NotAuthorized,
        `"${row.name}" is a refreshed sandbox whose Org ID changed to ${row.pendingOrgId}. Confirm the org change first.`,
      );
    }
    if (!row.credentials) {
      this.#cache.delete(connectionId);
      throw new ApiError(
        409,
        ConnectionErrorCode.NotAuthorized,
        row.status === 'pending'
          ? `"${row.name}" has not finished signing in. Sign in (authorize) first.`
          : `"${row.name}" is inactive. Re-authorize it to make it active again.`,
      );
    }
    const cached = this.#cache.get(connectionId);
    if (cached && cached.sealed === row.credentials) return cached.client;
    const client = await this.#build(row, row.credentials);
    this.#cache.set(connectionId, { sealed: row.credentials, client });
    return client;
  }

  /** Every client in the CrmClient shape; features that need jsforce or the Web API narrow by `kind`. */
  openCrm(connectionId: string): Promise<CrmClient> {
    return this.open(connectionId);
  }

  forget(connectionId: string): void {
    this.#cache.delete(connectionId);
  }

  async #build(row: ConnectionRow, sealed: string): Promise<SalesforceClient | DynamicsClient> {
    const onAuthorizationLost = (reason: string) => {
      this.#cache.delete(row.id);
      markConnectionInactive(this.#deps, row.id, reason, inactiveRemedy(row.authMethod));
    };
    const credentials = tryOpenCredentials(this.#deps.secrets, row.id, sealed);
    if (!credentials) {
      onAuthorizationLost("the stored tokens cannot be decrypted with this server's encryption key");
      throw new ApiError(
        409,
        ConnectionErrorCode.NotAuthorized,
        `The stored tokens of "${row.name}" cannot be decrypted (the server's encryption key changed). The connection is now inactive; re-authorize it.`,
      );
    }
    if (credentials.kind === 'salesforce') {
      const target = { environment: row.environment as 'production' | 'sandbox', loginHost: row.loginHost };
      const endpoint = await this.#deps.crm.salesforce(target);
      // Password and client-credentials connections have no refresh token: an expired session means logging in again.
      const classic = credentials.classic;
      const renew: SalesforceSessionRenewer | undefined = classic
        ? async () => openClassicSession(await classicEndpoint(this.#deps, target, classic), classic)
        : undefined;
      return new SalesforceClient(
        endpoint,
        credentials,
        {
          onAuthorizationLost,
          onCredentialsChanged: (update) =>
            this.#save(row.id, (current) =>
              current.kind === 'salesforce'
                ? {
                    ...current,
                    accessToken: update.accessToken,
                    refreshToken: update.refreshToken ?? current.refreshToken,
                  }
                : current,
            ),
        },
        renew,
      );
    }
    const endpoint = await this.#deps.crm.dynamics(row.environment as DynamicsCloud);
    return new DynamicsClient(endpoint, credentials, {
      onAuthorizationLost,
      onCredentialsChanged: (update) =>
        this.#save(row.id, (current) =>
          current.kind === 'dynamics' ? { ...current, msalCache: update.msalCache } : current,
        ),
    });
  }

  /**
   * Re-seals the credentials with the refreshed tokens. Only while the row still holds the credentials this client
   * came from: a re-authorize or delete in the meantime wins over a late refresh.
   */
  #save(connectionId: string, update: (current: StoredCredentials) => StoredCredentials): void {
    const cached = this.#cache.get(connectionId);
    const row = connectionRowById(this.#deps.db, connectionId);
    if (!cached || !row?.credentials || row.credentials !== cached.sealed) return;
    const sealed = sealCredentials(
      this.#deps.secrets,
      connectionId,
      update(openCredentials(this.#deps.secrets, connectionId, row.credentials)),
    );
    const saved = this.#deps.db
      .update(connections)
      .set({ credentials: sealed, updatedAt: new Date().toISOString() })
      .where(
        and(
          eq(connections.id, connectionId),
          eq(connections.credentials, row.credentials),
          isNull(connections.deletedAt),
        ),
      )
      .run();
    if (saved.changes === 1) cached.sealed = sealed;
  }
}
