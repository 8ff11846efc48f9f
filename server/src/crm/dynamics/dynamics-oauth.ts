import type { AccountInfo } from '@azure/msal-node';
import type { DynamicsCredentials } from './dynamics-client.ts';
import type { DynamicsEndpoint } from './dynamics-endpoints.ts';
import { createMsalApp, dynamicsFailureReason, loadMsal } from './msal-app.ts';

/** An environment the signed-in user can reach, as Global Discovery lists it. */
export interface DiscoveredEnvironment {
  id: string;
  friendlyName: string;
  uniqueName: string;
  url: string;
  apiUrl: string | undefined;
  environmentId: string | null;
  region: string | null;
  enabled: boolean;
}

export class DynamicsSignInError extends Error {
  override name = 'DynamicsSignInError';
}

interface DiscoveryInstance {
  Id?: unknown;
  FriendlyName?: unknown;
  UniqueName?: unknown;
  Url?: unknown;
  ApiUrl?: unknown;
  EnvironmentId?: unknown;
  Region?: unknown;
  State?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/**
 * One admin's Microsoft sign-in for one connection, as Plauti's flow goes: sign in for Global Discovery, list the
 * environments, and once the admin picked one, get a token for it from the same sign-in (Entra refresh tokens are
 * multi-resource) and ask WhoAmI which organization it is. The msal cache lives in memory until the DPA is accepted.
 */
export class DynamicsSignIn {
  readonly endpoint: DynamicsEndpoint;
  readonly redirectUri: string;
  #cache: string | undefined;
  #verifier: string | undefined;
  #account: AccountInfo | undefined;
  readonly #msal;

  constructor(endpoint: DynamicsEndpoint, redirectUri: string) {
    this.endpoint = endpoint;
    this.redirectUri = redirectUri;
    this.#msal = createMsalApp(endpoint.msal, {
      read: () => this.#cache,
      write: (serialized) => {
        this.#cache = serialized;
      },
    });
    // Awaited by every method; a failure is theirs to report, not an unhandled rejection when none is called.
    this.#msal.catch(() => {});
  }

  /** Who signed in, once the code was redeemed. */
  get username(): string {
    return this.#account?.username ?? '';
  }

  async authorizeUrl(state: string): Promise<string> {
    const { CryptoProvider } = await loadMsal();
    const pkce = await new CryptoProvider().generatePkceCodes();
    this.#verifier = pkce.verifier;
    return (await this.#msal).getAuthCodeUrl({
      scopes: [this.endpoint.discovery.scope],
      redirectUri: this.redirectUri,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
      state,
      prompt: 'select_account',
    });
  }

  async redeem(code: string): Promise<{ username: string }> {
    if (!this.#verifier) throw new DynamicsSignInError('The sign-in was not started from OrgLink.');
    try {
      const result = await (await this.#msal).acquireTokenByCode({
        code,
        scopes: [this.endpoint.discovery.scope],
        redirectUri: this.redirectUri,
        codeVerifier: this.#verifier,
      });
      if (!result.account) throw new Error('no account in the token response');
      this.#account = result.account;
      return { username: result.account.username };
    } catch (error) {
      throw new DynamicsSignInError(`Microsoft refused the sign-in code (${dynamicsFailureReason(error)}).`);
    }
  }

  async #token(scope: string): Promise<string> {
    if (!this.#account) throw new DynamicsSignInError('Sign in first.');
    try {
      const result = await (await this.#msal).acquireTokenSilent({ account: this.#account, scopes: [scope] });
      return result.accessToken;
    } catch (error) {
      throw new DynamicsSignInError(`Microsoft did not issue a token for ${scope} (${dynamicsFailureReason(error)}).`);
    }
  }

  async listEnvironments(): Promise<DiscoveredEnvironment[]> {
    const token = await this.#token(this.endpoint.discovery.scope);
    let body: { value?: DiscoveryInstance[] };
    try {
      const response = await fetch(this.endpoint.discovery.instancesUrl, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = (await response.json()) as { value?: DiscoveryInstance[] };
    } catch (error) {
      throw new DynamicsSignInError(`Global Discovery could not be read (${(error as Error).message}).`);
    }
    return (body.value ?? []).flatMap((instance) => {
      const id = text(instance.Id);
      const url = text(instance.Url);
      if (!id || !url) return [];
      return [
        {
          id,
          url,
          apiUrl: text(instance.ApiUrl) ?? undefined,
          friendlyName: text(instance.FriendlyName) ?? text(instance.UniqueName) ?? url,
          uniqueName: text(instance.UniqueName) ?? '',
          environmentId: text(instance.EnvironmentId),
          region: text(instance.Region),
          // State 0 is Enabled; a disabled environment cannot be connected.
          enabled: instance.State === undefined || instance.State === 0,
        },
      ];
    });
  }

  /** A token for the chosen environment and its WhoAmI: the OrganizationId OrgLink stores as the connection's org. */
  async connect(environment: DiscoveredEnvironment): Promise<DynamicsCredentials> {
    const access = this.endpoint.environmentAccess({ Url: environment.url, ApiUrl: environment.apiUrl });
    const token = await this.#token(access.scope);
    let who: { OrganizationId?: unknown; UserId?: unknown };
    try {
      const response = await fetch(`${access.webApiUrl}WhoAmI`, {
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'odata-version': '4.0' },
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      who = (await response.json()) as { OrganizationId?: unknown; UserId?: unknown };
    } catch (error) {
      throw new DynamicsSignInError(
        `WhoAmI in ${environment.friendlyName} failed (${(error as Error).message}). Check that your user has a security role in that environment.`,
      );
    }
    const organizationId = text(who.OrganizationId);
    if (!organizationId || !this.#account || !this.#cache) {
      throw new DynamicsSignInError(`WhoAmI in ${environment.friendlyName} did not name the organization.`);
    }
    return {
      kind: 'dynamics',
      msalCache: this.#cache,
      homeAccountId: this.#account.homeAccountId,
      username: this.#account.username,
      scope: access.scope,
      webApiUrl: access.webApiUrl,
      environmentUrl: environment.url,
      environmentId: environment.environmentId,
      orgId: organizationId.toLowerCase(),
      orgName: environment.friendlyName,
      userId: text(who.UserId) ?? '',
    };
  }
}
