import type { Origins } from '../common/origins.ts';
import { AUTHORITIES, CLOUDS, type CloudKey, type Topology } from './topology.ts';

/** The part of a simulator these helpers need (DynamicsSimulator satisfies it). */
export interface MsalTarget {
  readonly origins: Origins;
  readonly topology: Topology;
}

export interface MsalConfigOptions {
  /** Tenant id or domain; defaults to the cloud's first tenant. */
  tenant?: string;
  /**
   * Where the browser is sent to sign in. `loopback` (default): the simulator's http://127.0.0.1 port, for a normal
   * browser or fetch. `hostname`: https://login.microsoftonline.com etc., for Chromium run with host-resolver rules.
   */
  browser?: 'loopback' | 'hostname';
}

/** A ConfidentialClientApplication configuration (msal-node 7 `Configuration`, auth part). */
export interface SandboxMsalConfig {
  auth: {
    clientId: string;
    clientSecret: string;
    authority: string;
    knownAuthorities: string[];
    authorityMetadata: string;
    cloudDiscoveryMetadata: string;
  };
}

function resolveTarget(sim: MsalTarget, cloud: CloudKey, tenant: string | undefined) {
  const authority = CLOUDS[cloud].authority;
  const tenants = sim.topology.tenants.filter((candidate) => candidate.authority.key === authority.key);
  const wanted = tenant?.toLowerCase();
  const found = wanted
    ? tenants.find((candidate) => candidate.id === wanted || candidate.domain === wanted)
    : tenants.find((candidate) =>
        sim.topology.environments.some((env) => env.cloud === cloud && env.tenantId === candidate.id),
      );
  if (!found) throw new Error(`no tenant ${tenant ?? ''} for the ${cloud} cloud`);
  const app = sim.topology.apps.find((candidate) => candidate.authorityKey === authority.key);
  if (!app) throw new Error(`no app registration for ${authority.host}`);
  return { authority, tenant: found, app };
}

/**
 * How the OrgLink server configures msal-node 7 against the sandbox, verified with msal-node 7.2.1: keep the real
 * https authority (msal refuses http authorities with `authority_uri_insecure`), list its host in knownAuthorities,
 * and give authorityMetadata and cloudDiscoveryMetadata so msal makes no discovery call. The metadata's
 * token_endpoint is the simulator's plain-http loopback URL, which msal accepts for endpoints.
 */
export function msalConfigFor(
  sim: MsalTarget,
  cloud: CloudKey = 'public',
  options: MsalConfigOptions = {},
): SandboxMsalConfig {
  const { authority, tenant, app } = resolveTarget(sim, cloud, options.tenant);
  const loopback = `${sim.origins.httpUrl(authority.key)}/${tenant.id}`;
  const browser = options.browser === 'hostname' ? `https://${authority.host}/${tenant.id}` : loopback;
  const authorityMetadata = {
    token_endpoint: `${loopback}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${loopback}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `https://${authority.host}/${tenant.id}/v2.0`,
    authorization_endpoint: `${browser}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${browser}/oauth2/v2.0/logout`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
  };
  const cloudDiscoveryMetadata = {
    tenant_discovery_endpoint: `https://${authority.host}/${tenant.id}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: AUTHORITIES.map((candidate) => ({
      preferred_network: candidate.host,
      preferred_cache: candidate.preferredCache,
      aliases: candidate.aliases,
    })),
  };
  return {
    auth: {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      authority: `https://${authority.host}/${tenant.id}`,
      knownAuthorities: [authority.host],
      authorityMetadata: JSON.stringify(authorityMetadata),
      cloudDiscoveryMetadata: JSON.stringify(cloudDiscoveryMetadata),
    },
  };
}

interface NetworkResponse<T> {
  headers: Record<string, string>;
  body: T;
  status: number;
}

/** An msal `INetworkModule` (structurally typed, to keep msal-node out of the simulator's imports). */
export interface SandboxNetworkClient {
  sendGetRequestAsync<T>(url: string, options?: { headers?: Record<string, string> }): Promise<NetworkResponse<T>>;
  sendPostRequestAsync<T>(
    url: string,
    options?: { headers?: Record<string, string>; body?: string },
  ): Promise<NetworkResponse<T>>;
}

/**
 * The alternative: a `system.networkClient` that sends every https://<Entra host> request to the simulator's
 * loopback port. With it msal-node needs only the real authority, and performs its usual instance discovery and
 * OpenID configuration calls against the simulator.
 */
export function simulatorNetworkClient(sim: MsalTarget): SandboxNetworkClient {
  const rewrite = (url: string): string => {
    const parsed = new URL(url);
    const authority = AUTHORITIES.find((candidate) => candidate.aliases.includes(parsed.hostname.toLowerCase()));
    if (!authority || parsed.protocol !== 'https:') return url;
    return `${sim.origins.httpUrl(authority.key)}${parsed.pathname}${parsed.search}`;
  };
  const call = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options: { headers?: Record<string, string>; body?: string } = {},
  ) => {
    const response = await fetch(rewrite(url), {
      method,
      headers: options.headers,
      body: method === 'POST' ? options.body : undefined,
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: (text ? JSON.parse(text) : {}) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => call('GET', url, options),
    sendPostRequestAsync: (url, options) => call('POST', url, options),
  };
}
