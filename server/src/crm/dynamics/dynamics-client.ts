import { CrmAuthorizationLost, type CrmClient, type CrmClientHooks, type OrgIdentity } from '../crm-client.ts';
import type { DynamicsEndpoint } from './dynamics-endpoints.ts';
import { createMsalApp, dynamicsFailureReason, isDynamicsAuthorizationLost } from './msal-app.ts';

/** What is sealed in a Dynamics connection's credentials column. */
export interface DynamicsCredentials {
  kind: 'dynamics';
  /** msal-node's serialized token cache: accounts, access and refresh tokens. */
  msalCache: string;
  homeAccountId: string;
  username: string;
  /** The environment's user_impersonation scope. */
  scope: string;
  /** Base of the Web API, ending in /api/data/v9.2/. */
  webApiUrl: string;
  environmentUrl: string;
  environmentId: string | null;
  orgId: string;
  orgName: string;
  userId: string;
}

export interface DynamicsCacheUpdate {
  msalCache: string;
}

/**
 * The Dataverse Web API on a connection's stored sign-in. msal refreshes silently (and its cache plugin hands every
 * change to the owner to seal and save); a 401 gets one forced refresh and a retry. invalid_grant and
 * interaction_required mean the sign-in is gone: the owner hears "authorization lost".
 */
export class DynamicsClient implements CrmClient {
  readonly kind = 'dynamics' as const;
  readonly webApiUrl: string;
  readonly #credentials: DynamicsCredentials;
  readonly #hooks: CrmClientHooks<DynamicsCacheUpdate>;
  readonly #msal;
  #cache: string;

  constructor(
    endpoint: DynamicsEndpoint,
    credentials: DynamicsCredentials,
    hooks: CrmClientHooks<DynamicsCacheUpdate>,
  ) {
    this.webApiUrl = credentials.webApiUrl;
    this.#credentials = credentials;
    this.#hooks = hooks;
    this.#cache = credentials.msalCache;
    this.#msal = createMsalApp(endpoint.msal, {
      read: () => this.#cache,
      write: (serialized) => {
        this.#cache = serialized;
        hooks.onCredentialsChanged({ msalCache: serialized });
        // Awaited by every method; a failure is theirs to report, not an unhandled rejection when none is called.
        this.#msal.catch(() => {});
      },
    });
  }

  #lost(reason: string): never {
    this.#hooks.onAuthorizationLost(reason);
    throw new CrmAuthorizationLost(reason);
  }

  async accessToken(forceRefresh = false): Promise<string> {
    const msal = await this.#msal;
    const account = await msal.getTokenCache().getAccountByHomeId(this.#credentials.homeAccountId);
    if (!account) this.#lost('the stored Microsoft sign-in has no account');
    try {
      const result = await msal.acquireTokenSilent({
        account,
        scopes: [this.#credentials.scope],
        forceRefresh,
      });
      return result.accessToken;
    } catch (error) {
      if (isDynamicsAuthorizationLost(error)) this.#lost(dynamicsFailureReason(error));
      throw error;
    }
  }

  /** A Web API request (path relative to /api/data/v9.2/); a 401 is retried once with a freshly refreshed token. */
  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const send = async (token: string) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      if (!headers.has('accept')) headers.set('accept', 'application/json');
      headers.set('odata-version', '4.0');
      headers.set('odata-maxversion', '4.0');
      return fetch(new URL(path, this.webApiUrl), {
        ...init,
        headers,
        signal: init.signal ?? AbortSignal.timeout(60_000),
      });
    };
    const first = await send(await this.accessToken());
    if (first.status !== 401) return first;
    await first.body?.cancel();
    const second = await send(await this.accessToken(true));
    if (second.status === 401) this.#lost('the environment refused a freshly issued token (401)');
    return second;
  }

  async identify(): Promise<OrgIdentity> {
    const response = await this.request('WhoAmI');
    if (!response.ok) throw new Error(`WhoAmI answered HTTP ${response.status}`);
    const who = (await response.json()) as { OrganizationId?: unknown; UserId?: unknown };
    if (typeof who.OrganizationId !== 'string') throw new Error('WhoAmI did not name the organization');
    return { orgId: who.OrganizationId.toLowerCase(), userId: typeof who.UserId === 'string' ? who.UserId : '' };
  }
}
