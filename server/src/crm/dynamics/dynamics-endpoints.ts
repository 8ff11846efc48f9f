import { ConnectionErrorCode, type DynamicsCloud } from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';
import type { CrmConfig } from '../../plugins/config.ts';
import type { SandboxDynamicsCloud, SandboxIndex, SandboxIndexReader } from '../sandbox-index.ts';

/** The msal-node `auth` options of one cloud's ConfidentialClientApplication. */
export interface MsalAuthOptions {
  clientId: string;
  clientSecret: string;
  authority: string;
  knownAuthorities?: string[];
  authorityMetadata?: string;
  cloudDiscoveryMetadata?: string;
}

/** How an environment listed by Global Discovery is reached: the token scope and the Web API base URL. */
export interface EnvironmentAccess {
  scope: string;
  webApiUrl: string;
}

export interface DynamicsEndpoint {
  cloud: DynamicsCloud;
  msal: MsalAuthOptions;
  discovery: { scope: string; instancesUrl: string };
  environmentAccess(instance: { Url: string; ApiUrl?: string | undefined }): EnvironmentAccess;
}

/** Sign-in authority and Global Discovery of each cloud (crm-apis.md 6.6): GCC signs in through public Entra. */
const CLOUDS: Record<DynamicsCloud, { authorityHost: string; discoveryUrl: string }> = {
  public: { authorityHost: 'login.microsoftonline.com', discoveryUrl: 'https://globaldisco.crm.dynamics.com' },
  gcc: { authorityHost: 'login.microsoftonline.com', discoveryUrl: 'https://globaldisco.crm9.dynamics.com' },
  'gcc-high': {
    authorityHost: 'login.microsoftonline.us',
    discoveryUrl: 'https://globaldisco.crm.microsoftdynamics.us',
  },
  dod: { authorityHost: 'login.microsoftonline.us', discoveryUrl: 'https://globaldisco.crm.appsplatform.us' },
  china: { authorityHost: 'login.chinacloudapi.cn', discoveryUrl: 'https://globaldisco.crm.dynamics.cn' },
};

/** The sandbox names the GCC High cloud without the dash. */
const SANDBOX_CLOUD_KEYS: Record<DynamicsCloud, string> = {
  public: 'public',
  gcc: 'gcc',
  'gcc-high': 'gcchigh',
  dod: 'dod',
  china: 'china',
};

export const WEB_API_PATH = '/api/data/v9.2/';

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function dynamicsNotConfigured(): ApiError {
  return new ApiError(
    503,
    ConnectionErrorCode.CrmNotConfigured,
    'Dynamics 365 is not set up on this OrgLink server. Set DYNAMICS_CLIENT_ID and DYNAMICS_CLIENT_SECRET (an Entra ID app registration with the Dynamics CRM user_impersonation permission), or SANDBOX_URL to use the local sandbox, then restart the server.',
  );
}

function realEndpoint(crm: NonNullable<CrmConfig['dynamics']>, cloud: DynamicsCloud): DynamicsEndpoint {
  const { authorityHost, discoveryUrl } = CLOUDS[cloud];
  return {
    cloud,
    msal: {
      clientId: crm.clientId,
      clientSecret: crm.clientSecret,
      authority: `https://${authorityHost}/${crm.tenant}`,
    },
    discovery: {
      scope: `${discoveryUrl}/user_impersonation`,
      instancesUrl: `${discoveryUrl}/api/discovery/v2.0/Instances`,
    },
    environmentAccess: (instance) => ({
      scope: `${trimSlash(instance.Url)}/user_impersonation`,
      webApiUrl: `${trimSlash(instance.ApiUrl || instance.Url)}${WEB_API_PATH}`,
    }),
  };
}

/**
 * msal-node refuses http authorities, so the sandbox keeps the real https authority and hands msal the endpoint
 * metadata (the simulator's loopback token and authorize URLs): msal then makes no discovery call of its own.
 */
function sandboxMsal(cloud: SandboxDynamicsCloud): MsalAuthOptions {
  const host = cloud.entra.authorityHost;
  const tenant = cloud.entra.tenants[0];
  if (!tenant) throw dynamicsNotConfigured();
  const authority = `https://${host}/${tenant.id}`;
  const loopback = `${trimSlash(cloud.entra.loopback)}/${tenant.id}`;
  return {
    clientId: cloud.app.clientId,
    clientSecret: cloud.app.clientSecret,
    authority,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      token_endpoint: tenant.tokenUrl,
      authorization_endpoint: tenant.authorizeUrl,
      end_session_endpoint: `${loopback}/oauth2/v2.0/logout`,
      jwks_uri: `${loopback}/discovery/v2.0/keys`,
      issuer: `${authority}/v2.0`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      response_types_supported: ['code'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
    }),
    cloudDiscoveryMetadata: JSON.stringify({
      tenant_discovery_endpoint: `${authority}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    }),
  };
}

function sandboxEndpoint(index: SandboxIndex['dynamics'], cloud: DynamicsCloud): DynamicsEndpoint {
  const entry = index.clouds.find((candidate) => candidate.key === SANDBOX_CLOUD_KEYS[cloud]);
  if (!entry) {
    throw new ApiError(
      503,
      ConnectionErrorCode.SandboxUnreachable,
      `The sandbox does not simulate the ${cloud} cloud. Choose another environment type.`,
    );
  }
  return {
    cloud,
    msal: sandboxMsal(entry),
    discovery: { scope: entry.discovery.scope, instancesUrl: entry.discovery.instances },
    environmentAccess: (instance) => {
      // Discovery lists loopback URLs (the address the server used); the token scope names the real resource.
      const url = trimSlash(instance.Url);
      const known = index.environments.find((environment) => trimSlash(environment.loopback) === url);
      return {
        scope: known?.scope ?? `${url}/user_impersonation`,
        webApiUrl: `${url}${WEB_API_PATH}`,
      };
    },
  };
}

/** Real app registration first; otherwise the sandbox's app and loopback endpoints for the cloud. */
export async function resolveDynamicsEndpoint(
  crm: CrmConfig,
  sandbox: SandboxIndexReader | undefined,
  cloud: DynamicsCloud,
): Promise<DynamicsEndpoint> {
  if (crm.dynamics) return realEndpoint(crm.dynamics, cloud);
  if (!sandbox) throw dynamicsNotConfigured();
  return sandboxEndpoint((await sandbox.read()).dynamics, cloud);
}
