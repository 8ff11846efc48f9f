import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { SimClock } from '../../common/clock.ts';
import {
  type AppRegistration,
  type Authority,
  CLOUDS,
  type Cloud,
  DYNAMICS_WEB_CLIENT_ID,
  type Environment,
  type Tenant,
  type Topology,
  type User,
} from '../topology.ts';
import { entraErrors } from './errors.ts';
import { type Claims, encodeClientInfo, SigningKey, unsignedJwt } from './jwt.ts';
import { parseScopes, type RequestedScopes } from './scopes.ts';

/** Authorization codes live about ten minutes in Entra. */
const CODE_LIFETIME_MS = 10 * 60 * 1000;
/** Refresh tokens expire after 90 days without use. */
const REFRESH_INACTIVITY_MS = 90 * 24 * 60 * 60 * 1000;
/** A sign-in page left open longer than this has an expired flow token. */
const FLOW_LIFETIME_MS = 60 * 60 * 1000;
const ID_TOKEN_LIFETIME_S = 3600;

/** What a token is for: a simulated environment, a Global Discovery Service, or a Dataverse host the sandbox lacks. */
export interface ResourceTarget {
  audience: string;
  cloud: Cloud;
  environment: Environment | undefined;
  discovery: boolean;
}

export interface Client {
  clientId: string;
  /** Undefined for the first-party Dynamics web client, which the environments redeem in-process. */
  registration: AppRegistration | undefined;
}

export interface PendingSignIn {
  ctx: string;
  authority: Authority;
  /** The tenant in the authority path; undefined for `common` and `organizations`. */
  tenant: Tenant | undefined;
  client: Client;
  redirectUri: string;
  responseMode: 'query' | 'form_post' | 'fragment';
  state: string | undefined;
  nonce: string | undefined;
  scope: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  loginHint: string | undefined;
  createdAt: number;
}

interface CodeGrant {
  authorityKey: string;
  tenantId: string;
  oid: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  codeChallenge: string | undefined;
  codeChallengeMethod: string | undefined;
  nonce: string | undefined;
  issuedAt: number;
  redeemed: boolean;
}

interface RefreshGrant {
  authorityKey: string;
  tenantId: string;
  oid: string;
  clientId: string;
  issuedAt: number;
  lastUsedAt: number;
  revokedAt: number | undefined;
}

export interface TokenSet {
  token_type: 'Bearer';
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token?: string;
  id_token?: string;
  client_info?: string;
}

export interface EntraSettings {
  accessTokenLifetimeSeconds: number;
}

export interface TokenRequestContext {
  authority: Authority;
  /** The tenant in the token endpoint path; undefined for `common` / `organizations`. */
  tenant: Tenant | undefined;
  client: Client;
  wantsClientInfo: boolean;
}

/**
 * Entra ID for every simulated cloud: app registrations, users, sign-in flows, codes, refresh tokens and signing
 * keys. Pure state and rules; the HTTP shapes live in routes.ts.
 */
export class EntraService {
  readonly #topology: Topology;
  readonly #clock: SimClock;
  /** Maps a loopback `host:port` to the origin key listening there (environment and discovery aliases). */
  readonly #originKeyOfHost: (host: string) => string | undefined;
  readonly #keys = new Map<string, SigningKey>();
  readonly #flows = new Map<string, PendingSignIn>();
  readonly #codes = new Map<string, CodeGrant>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  readonly #ssoSessions = new Map<string, { authorityKey: string; oid: string }>();
  readonly settings: EntraSettings;
  readonly #defaults: EntraSettings;

  constructor(
    topology: Topology,
    clock: SimClock,
    originKeyOfHost: (host: string) => string | undefined,
    settings: EntraSettings,
  ) {
    this.#topology = topology;
    this.#clock = clock;
    this.#originKeyOfHost = originKeyOfHost;
    this.#defaults = { ...settings };
    this.settings = { ...settings };
  }

  reset(): void {
    this.#flows.clear();
    this.#codes.clear();
    this.#refreshTokens.clear();
    this.#ssoSessions.clear();
    Object.assign(this.settings, this.#defaults);
  }

  signingKey(authorityKey: string): SigningKey {
    let key = this.#keys.get(authorityKey);
    if (!key) {
      key = new SigningKey();
      this.#keys.set(authorityKey, key);
    }
    return key;
  }

  /** `undefined` tenant means a multi-tenant path segment (`common`, `organizations`). */
  findTenant(authority: Authority, segment: string): { tenant: Tenant | undefined } | undefined {
    const lower = segment.toLowerCase();
    if (lower === 'common' || lower === 'organizations') return { tenant: undefined };
    const tenant = this.#topology.tenants.find(
      (candidate) =>
        candidate.authority.key === authority.key && (candidate.id === lower || candidate.domain === lower),
    );
    return tenant ? { tenant } : undefined;
  }

  tenantById(id: string): Tenant | undefined {
    return this.#topology.tenants.find((tenant) => tenant.id === id);
  }

  findClient(authority: Authority, clientId: string | undefined): Client | undefined {
    if (!clientId) return undefined;
    if (clientId === DYNAMICS_WEB_CLIENT_ID) return { clientId, registration: undefined };
    const registration = this.#topology.apps.find(
      (app) => app.authorityKey === authority.key && app.clientId === clientId,
    );
    return registration ? { clientId, registration } : undefined;
  }

  userByUpn(authority: Authority, upn: string): User | undefined {
    const lower = upn.trim().toLowerCase();
    return this.#topology.users.find(
      (user) => user.upn.toLowerCase() === lower && this.tenantById(user.tenantId)?.authority.key === authority.key,
    );
  }

  userByOid(oid: string): User | undefined {
    return this.#topology.users.find((user) => user.oid === oid);
  }

  /** Which resource a scope names, if this authority issues tokens for it. */
  resolveResource(authority: Authority, resource: string): ResourceTarget | undefined {
    let url: URL;
    try {
      url = new URL(resource);
    } catch {
      return undefined;
    }
    const clouds = Object.values(CLOUDS).filter((cloud) => cloud.authority.key === authority.key);
    const host = url.host.toLowerCase();
    if (url.protocol === 'http:') {
      // The sandbox's loopback address of an environment or discovery service stands for its real host name.
      const key = this.#originKeyOfHost(host);
      const environment = this.#topology.environments.find((env) => env.key === key);
      if (environment) {
        const cloud = CLOUDS[environment.cloud];
        return clouds.includes(cloud) ? { audience: environment.url, cloud, environment, discovery: false } : undefined;
      }
      const cloud = clouds.find((candidate) => candidate.discoveryKey === key);
      return cloud
        ? { audience: `https://${cloud.discoveryHost}`, cloud, environment: undefined, discovery: true }
        : undefined;
    }
    if (url.protocol !== 'https:') return undefined;
    const environment = this.#topology.environments.find((env) => env.host === host || env.apiHost === host);
    if (environment) {
      const cloud = CLOUDS[environment.cloud];
      return clouds.includes(cloud) ? { audience: `https://${host}`, cloud, environment, discovery: false } : undefined;
    }
    const discoveryCloud = clouds.find((cloud) => cloud.discoveryHost === host);
    if (discoveryCloud)
      return { audience: `https://${host}`, cloud: discoveryCloud, environment: undefined, discovery: true };
    const crmCloud = clouds.find((cloud) => cloud.crmDomain.test(host));
    return crmCloud
      ? { audience: `https://${host}`, cloud: crmCloud, environment: undefined, discovery: false }
      : undefined;
  }

  /** Validates the resource part of a scope for this tenant; throws the Entra error the real service gives. */
  checkScopes(authority: Authority, tenantName: string, scope: string | undefined): RequestedScopes {
    const scopes = parseScopes(scope);
    if (scopes.resource && !this.resolveResource(authority, scopes.resource)) {
      throw entraErrors.unknownResource(scopes.resource, tenantName);
    }
    return scopes;
  }

  startSignIn(flow: Omit<PendingSignIn, 'ctx' | 'createdAt'>): PendingSignIn {
    const pending: PendingSignIn = {
      ...flow,
      ctx: randomBytes(24).toString('base64url'),
      createdAt: this.#clock.now(),
    };
    this.#flows.set(pending.ctx, pending);
    return pending;
  }

  flow(ctx: string | undefined): PendingSignIn | undefined {
    if (!ctx) return undefined;
    const flow = this.#flows.get(ctx);
    if (!flow) return undefined;
    if (this.#clock.now() - flow.createdAt > FLOW_LIFETIME_MS) {
      this.#flows.delete(ctx);
      return undefined;
    }
    return flow;
  }

  finishFlow(ctx: string): void {
    this.#flows.delete(ctx);
  }

  startSsoSession(authority: Authority, oid: string): string {
    const id = randomBytes(32).toString('base64url');
    this.#ssoSessions.set(id, { authorityKey: authority.key, oid });
    return id;
  }

  ssoUser(authority: Authority, sessionId: string | undefined): User | undefined {
    const session = sessionId ? this.#ssoSessions.get(sessionId) : undefined;
    if (!session || session.authorityKey !== authority.key) return undefined;
    const user = this.userByOid(session.oid);
    return user?.enabled ? user : undefined;
  }

  issueCode(flow: PendingSignIn, user: User): string {
    const code = `1.A${randomBytes(180).toString('base64url')}`;
    this.#codes.set(code, {
      authorityKey: flow.authority.key,
      tenantId: user.tenantId,
      oid: user.oid,
      clientId: flow.client.clientId,
      redirectUri: flow.redirectUri,
      scope: flow.scope,
      codeChallenge: flow.codeChallenge,
      codeChallengeMethod: flow.codeChallengeMethod,
      nonce: flow.nonce,
      issuedAt: this.#clock.now(),
      redeemed: false,
    });
    return code;
  }

  /** grant_type=authorization_code, after client authentication. */
  redeemCode(
    context: TokenRequestContext,
    params: { code?: string; redirectUri?: string; codeVerifier?: string; scope?: string },
  ): TokenSet {
    if (!params.code) throw entraErrors.missingParameter('code');
    const grant = this.#codes.get(params.code);
    if (!grant || grant.authorityKey !== context.authority.key) throw entraErrors.malformedGrant();
    if (grant.clientId !== context.client.clientId) throw entraErrors.grantOfOtherClient();
    if (context.tenant && context.tenant.id !== grant.tenantId) throw entraErrors.grantOfOtherClient();
    if (grant.redeemed) throw entraErrors.redeemedCode();
    if (this.#clock.now() - grant.issuedAt > CODE_LIFETIME_MS) throw entraErrors.expiredCode();
    if (params.redirectUri !== grant.redirectUri) throw entraErrors.redirectMismatch();
    if (grant.codeChallenge !== undefined && !pkceMatches(grant, params.codeVerifier)) throw entraErrors.pkceMismatch();
    grant.redeemed = true;
    const user = this.userByOid(grant.oid);
    if (!user?.enabled) throw entraErrors.disabledUser();
    // The token request may narrow or repeat the scopes; the resource must be the one the user consented to.
    const scope = params.scope ?? grant.scope;
    return this.#issue(context, user, scope, grant.nonce);
  }

  /** grant_type=refresh_token: any resource of the same tenant (Entra refresh tokens are multi-resource). */
  redeemRefreshToken(context: TokenRequestContext, params: { refreshToken?: string; scope?: string }): TokenSet {
    if (!params.refreshToken) throw entraErrors.missingParameter('refresh_token');
    if (!params.scope) throw entraErrors.missingScope();
    const grant = this.#refreshTokens.get(params.refreshToken);
    if (!grant || grant.authorityKey !== context.authority.key) throw entraErrors.malformedGrant();
    if (grant.clientId !== context.client.clientId) throw entraErrors.grantOfOtherClient();
    if (context.tenant && context.tenant.id !== grant.tenantId) throw entraErrors.grantOfOtherClient();
    const issued = new Date(grant.issuedAt).toISOString();
    if (grant.revokedAt !== undefined) {
      throw entraErrors.revokedRefreshToken(issued, new Date(grant.revokedAt).toISOString());
    }
    if (this.#clock.now() - grant.lastUsedAt > REFRESH_INACTIVITY_MS) throw entraErrors.expiredRefreshToken(issued);
    const user = this.userByOid(grant.oid);
    if (!user?.enabled) throw entraErrors.disabledUser();
    grant.lastUsedAt = this.#clock.now();
    return this.#issue(context, user, params.scope, undefined);
  }

  /** Revokes the refresh tokens of matching users (all users when no filter): the next refresh gets AADSTS50173. */
  revokeRefreshTokens(filter: { user?: string | undefined; tenantId?: string | undefined } = {}): number {
    const now = this.#clock.now();
    const upn = filter.user?.toLowerCase();
    let revoked = 0;
    for (const grant of this.#refreshTokens.values()) {
      const user = this.userByOid(grant.oid);
      if (!user || grant.revokedAt !== undefined) continue;
      if (upn && user.upn.toLowerCase() !== upn && user.oid !== filter.user) continue;
      if (filter.tenantId && grant.tenantId !== filter.tenantId) continue;
      grant.revokedAt = now;
      revoked += 1;
    }
    return revoked;
  }

  #issue(context: TokenRequestContext, user: User, scope: string, nonce: string | undefined): TokenSet {
    const tenant = this.tenantById(user.tenantId);
    if (!tenant) throw entraErrors.malformedGrant();
    const scopes = this.checkScopes(context.authority, tenant.displayName, scope);
    const nowS = this.#clock.nowSeconds();
    const lifetime = this.settings.accessTokenLifetimeSeconds;
    const target = scopes.resource ? this.resolveResource(context.authority, scopes.resource) : undefined;
    const sub = createHash('sha256').update(`${user.oid}:${context.client.clientId}`).digest('base64url').slice(0, 43);
    const accessClaims: Claims = {
      aud: target?.audience ?? '00000003-0000-0000-c000-000000000000',
      iss: `https://${context.authority.accessTokenIssuerHost}/${tenant.id}/`,
      iat: nowS,
      nbf: nowS,
      exp: nowS + lifetime,
      acr: '1',
      aio: randomBytes(36).toString('base64url'),
      amr: ['pwd'],
      appid: context.client.clientId,
      appidacr: context.client.registration ? '1' : '0',
      family_name: user.surname,
      given_name: user.givenName,
      idtyp: 'user',
      ipaddr: '127.0.0.1',
      name: user.displayName,
      oid: user.oid,
      puid: createHash('sha1').update(user.oid).digest('hex').slice(0, 16).toUpperCase(),
      rh: `0.A${randomBytes(24).toString('base64url')}.`,
      scp: target ? 'user_impersonation' : 'User.Read',
      sub,
      tid: tenant.id,
      unique_name: user.upn,
      upn: user.upn,
      uti: randomBytes(16).toString('base64url'),
      ver: '1.0',
    };
    const tokens: TokenSet = {
      token_type: 'Bearer',
      scope: scopes.resourceScopes.length > 0 ? scopes.resourceScopes.join(' ') : 'User.Read',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: this.signingKey(context.authority.key).sign(accessClaims),
    };
    if (scopes.oidc.has('offline_access')) {
      const refreshToken = `1.A${randomBytes(300).toString('base64url')}`;
      this.#refreshTokens.set(refreshToken, {
        authorityKey: context.authority.key,
        tenantId: tenant.id,
        oid: user.oid,
        clientId: context.client.clientId,
        issuedAt: this.#clock.now(),
        lastUsedAt: this.#clock.now(),
        revokedAt: undefined,
      });
      tokens.refresh_token = refreshToken;
    }
    if (scopes.oidc.has('openid')) {
      tokens.id_token = unsignedJwt({
        aud: context.client.clientId,
        iss: `https://${context.authority.host}/${tenant.id}/v2.0`,
        iat: nowS,
        nbf: nowS,
        exp: nowS + ID_TOKEN_LIFETIME_S,
        aio: randomBytes(36).toString('base64url'),
        name: user.displayName,
        ...(nonce ? { nonce } : {}),
        oid: user.oid,
        preferred_username: user.upn,
        rh: `0.A${randomBytes(24).toString('base64url')}.`,
        sid: randomUUID(),
        sub,
        tid: tenant.id,
        uti: randomBytes(16).toString('base64url'),
        ver: '2.0',
      });
    }
    if (context.wantsClientInfo) tokens.client_info = encodeClientInfo(user.oid, tenant.id);
    return tokens;
  }
}

function pkceMatches(grant: CodeGrant, verifier: string | undefined): boolean {
  if (!verifier || grant.codeChallenge === undefined) return false;
  const method = (grant.codeChallengeMethod ?? 'plain').toLowerCase();
  const expected = method === 's256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(expected);
  const b = Buffer.from(grant.codeChallenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function secretMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
