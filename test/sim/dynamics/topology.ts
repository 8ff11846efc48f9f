import type { Faker } from '@faker-js/faker';
import { seededFaker } from '../common/simulator.ts';

/**
 * The five Dataverse clouds (crm-apis.md 6.6, host-apps.md 4.3). GCC signs in through public Entra; GCC High and DoD
 * share Azure AD Government; China has its own authority.
 */
export type CloudKey = 'public' | 'gcc' | 'gcchigh' | 'dod' | 'china';

export interface Authority {
  /** Origin key of the Entra origin serving this authority. */
  key: string;
  /** The host msal-node is configured with, e.g. `login.microsoftonline.com`. */
  host: string;
  /** Other names Entra answers to for the same cloud (msal's alias list). */
  aliases: string[];
  /** Host msal caches under (instance discovery `preferred_cache`). */
  preferredCache: string;
  /** Issuer of v1 access tokens (Dataverse gets v1 tokens), with a trailing slash after the tenant id. */
  accessTokenIssuerHost: string;
}

export interface Cloud {
  key: CloudKey;
  label: string;
  authority: Authority;
  discoveryHost: string;
  /** Origin key of this cloud's Global Discovery Service. */
  discoveryKey: string;
  /** Region-less Dataverse domain suffix used to accept resource URLs of environments the simulator doesn't host. */
  crmDomain: RegExp;
}

const publicAuthority: Authority = {
  key: 'entra:public',
  host: 'login.microsoftonline.com',
  aliases: ['login.microsoftonline.com', 'login.windows.net', 'login.microsoft.com', 'sts.windows.net'],
  preferredCache: 'login.windows.net',
  accessTokenIssuerHost: 'sts.windows.net',
};
const usGovAuthority: Authority = {
  key: 'entra:usgov',
  host: 'login.microsoftonline.us',
  aliases: ['login.microsoftonline.us', 'login.usgovcloudapi.net'],
  preferredCache: 'login.microsoftonline.us',
  accessTokenIssuerHost: 'login.microsoftonline.us',
};
const chinaAuthority: Authority = {
  key: 'entra:china',
  host: 'login.chinacloudapi.cn',
  aliases: ['login.chinacloudapi.cn', 'login.partner.microsoftonline.cn'],
  preferredCache: 'login.partner.microsoftonline.cn',
  accessTokenIssuerHost: 'sts.chinacloudapi.cn',
};

export const AUTHORITIES: Authority[] = [publicAuthority, usGovAuthority, chinaAuthority];

export const CLOUDS: Record<CloudKey, Cloud> = {
  public: {
    key: 'public',
    label: 'Public (Commercial)',
    authority: publicAuthority,
    discoveryHost: 'globaldisco.crm.dynamics.com',
    discoveryKey: 'disco:public',
    // crm9 is GCC; every other crmN region is commercial.
    crmDomain: /\.(?:api\.)?crm(?:[0-8]|[1-9]\d)?\.dynamics\.com$/,
  },
  gcc: {
    key: 'gcc',
    label: 'US Government (GCC)',
    authority: publicAuthority,
    discoveryHost: 'globaldisco.crm9.dynamics.com',
    discoveryKey: 'disco:gcc',
    crmDomain: /\.(?:api\.)?crm9\.dynamics\.com$/,
  },
  gcchigh: {
    key: 'gcchigh',
    label: 'US Government (GCC High)',
    authority: usGovAuthority,
    discoveryHost: 'globaldisco.crm.microsoftdynamics.us',
    discoveryKey: 'disco:gcchigh',
    crmDomain: /\.(?:api\.)?crm\.microsoftdynamics\.us$/,
  },
  dod: {
    key: 'dod',
    label: 'US Government (DoD)',
    authority: usGovAuthority,
    discoveryHost: 'globaldisco.crm.appsplatform.us',
    discoveryKey: 'disco:dod',
    crmDomain: /\.(?:api\.)?crm\.appsplatform\.us$/,
  },
  china: {
    key: 'china',
    label: 'China (21Vianet)',
    authority: chinaAuthority,
    discoveryHost: 'globaldisco.crm.dynamics.cn',
    discoveryKey: 'disco:china',
    crmDomain: /\.(?:api\.)?crm\.dynamics\.cn$/,
  },
};

export const CLOUD_KEYS = Object.keys(CLOUDS) as CloudKey[];

export interface Tenant {
  id: string;
  /** Initial domain, e.g. `contoso.onmicrosoft.com`; accepted in authority paths like the tenant id. */
  domain: string;
  displayName: string;
  authority: Authority;
}

export interface User {
  oid: string;
  tenantId: string;
  upn: string;
  password: string;
  givenName: string;
  surname: string;
  displayName: string;
  enabled: boolean;
  /** Holds the System Administrator role in its environments (Global Discovery IsUserSysAdmin). */
  isAdmin: boolean;
  /** Names of the environments this user is a member of. */
  environments: string[];
}

export interface Environment {
  /** Unique name within the simulator; also the first label of the host (`contoso` in contoso.crm.dynamics.com). */
  name: string;
  key: string;
  cloud: CloudKey;
  tenantId: string;
  host: string;
  apiHost: string;
  /** The resource URL: what scopes, `aud` and Global Discovery `Url` use. */
  url: string;
  friendlyName: string;
  uniqueName: string;
  environmentId: string;
  organizationId: string;
  businessUnitId: string;
  appModuleId: string;
  region: string;
  datacenter: string;
  purpose: string;
  /** 0 = Production, 5 = Sandbox, matching Global Discovery OrganizationType. */
  organizationType: number;
  version: string;
}

export interface AppRegistration {
  authorityKey: string;
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Exact redirect URIs besides any http://127.0.0.1:* or http://localhost:* loopback URI. */
  redirectUris: string[];
}

export interface Topology {
  tenants: Tenant[];
  users: User[];
  environments: Environment[];
  apps: AppRegistration[];
}

/** Sample users share one documented password so the sandbox index can print it once. */
export const SANDBOX_PASSWORD = 'OrgLink-sandbox-1';

/** Entra's first-party id of the Dynamics CRM web client: model-driven pages sign in as this application. */
export const DYNAMICS_WEB_CLIENT_ID = '00000007-0000-0000-c000-000000000000';

interface EnvironmentPlan {
  name: string;
  cloud: CloudKey;
  domain: string;
  tenant: string;
  friendlyName: string;
  region: string;
  datacenter: string;
  purpose: string;
  organizationType: number;
}

interface TenantPlan {
  domain: string;
  displayName: string;
  authority: Authority;
}

const TENANT_PLANS: TenantPlan[] = [
  { domain: 'contoso.onmicrosoft.com', displayName: 'Contoso', authority: publicAuthority },
  { domain: 'contosogov.onmicrosoft.com', displayName: 'Contoso Government', authority: publicAuthority },
  { domain: 'contosohigh.onmicrosoft.us', displayName: 'Contoso Federal', authority: usGovAuthority },
  { domain: 'contosodod.onmicrosoft.us', displayName: 'Contoso Defense', authority: usGovAuthority },
  { domain: 'contosocn.partner.onmschina.cn', displayName: 'Contoso China', authority: chinaAuthority },
];

const ENVIRONMENT_PLANS: EnvironmentPlan[] = [
  {
    name: 'contoso',
    cloud: 'public',
    domain: 'crm.dynamics.com',
    tenant: 'contoso.onmicrosoft.com',
    friendlyName: 'Contoso',
    region: 'NA',
    datacenter: 'NAM',
    purpose: 'Production',
    organizationType: 0,
  },
  {
    name: 'contoso-dev',
    cloud: 'public',
    domain: 'crm4.dynamics.com',
    tenant: 'contoso.onmicrosoft.com',
    friendlyName: 'Contoso (Dev)',
    region: 'EMEA',
    datacenter: 'EUR',
    purpose: 'Development',
    organizationType: 5,
  },
  {
    name: 'contosogov',
    cloud: 'gcc',
    domain: 'crm9.dynamics.com',
    tenant: 'contosogov.onmicrosoft.com',
    friendlyName: 'Contoso Government',
    region: 'GCC',
    datacenter: 'USG',
    purpose: 'Production',
    organizationType: 0,
  },
  {
    name: 'contosohigh',
    cloud: 'gcchigh',
    domain: 'crm.microsoftdynamics.us',
    tenant: 'contosohigh.onmicrosoft.us',
    friendlyName: 'Contoso Federal',
    region: 'USG',
    datacenter: 'USG',
    purpose: 'Production',
    organizationType: 0,
  },
  {
    name: 'contosodod',
    cloud: 'dod',
    domain: 'crm.appsplatform.us',
    tenant: 'contosodod.onmicrosoft.us',
    friendlyName: 'Contoso Defense',
    region: 'DOD',
    datacenter: 'DOD',
    purpose: 'Production',
    organizationType: 0,
  },
  {
    name: 'contosocn',
    cloud: 'china',
    domain: 'crm.dynamics.cn',
    tenant: 'contosocn.partner.onmschina.cn',
    friendlyName: 'Contoso China',
    region: 'CHN',
    datacenter: 'CHN',
    purpose: 'Production',
    organizationType: 0,
  },
];

/** A Dataverse build number of the 9.2 line, as Global Discovery reports it. */
const DATAVERSE_VERSION = '9.2.25113.00164';

/**
 * Builds the identity side of the sandbox from the seed: the same seed gives the same tenant, user, environment and
 * app ids, so sandbox configuration written down once keeps working.
 */
export function buildTopology(seed: number, extraRedirectUris: string[]): Topology {
  const faker = seededFaker(seed);
  const tenants = TENANT_PLANS.map((plan) => ({
    id: faker.string.uuid(),
    domain: plan.domain,
    displayName: plan.displayName,
    authority: plan.authority,
  }));
  const tenantByDomain = new Map(tenants.map((tenant) => [tenant.domain, tenant]));
  const environments = ENVIRONMENT_PLANS.map((plan) => {
    const tenant = tenantByDomain.get(plan.tenant);
    if (!tenant) throw new Error(`environment ${plan.name} names unknown tenant ${plan.tenant}`);
    const host = `${plan.name}.${plan.domain}`;
    const uniqueName = `org${faker.string.hexadecimal({ length: 8, casing: 'lower', prefix: '' })}`;
    return {
      name: plan.name,
      key: `env:${plan.name}`,
      cloud: plan.cloud,
      tenantId: tenant.id,
      host,
      apiHost: `${plan.name}.api.${plan.domain}`,
      url: `https://${host}`,
      friendlyName: plan.friendlyName,
      uniqueName,
      environmentId: faker.string.uuid(),
      organizationId: faker.string.uuid(),
      businessUnitId: faker.string.uuid(),
      appModuleId: faker.string.uuid(),
      region: plan.region,
      datacenter: plan.datacenter,
      purpose: plan.purpose,
      organizationType: plan.organizationType,
      version: DATAVERSE_VERSION,
    } satisfies Environment;
  });
  const users = tenants.flatMap((tenant) => buildUsers(faker, tenant, environments));
  const apps = AUTHORITIES.map((authority) => ({
    authorityKey: authority.key,
    clientId: faker.string.uuid(),
    clientSecret: `${faker.string.alphanumeric(3)}8Q~${faker.string.alphanumeric(34)}`,
    displayName: 'OrgLink (sandbox)',
    redirectUris: [...extraRedirectUris],
  }));
  return { tenants, users, environments, apps };
}

function buildUsers(faker: Faker, tenant: Tenant, environments: Environment[]): User[] {
  const own = environments.filter((environment) => environment.tenantId === tenant.id).map((env) => env.name);
  const person = (alias: string, reach: string[], enabled = true, isAdmin = false): User => {
    const givenName = faker.person.firstName();
    const surname = faker.person.lastName();
    return {
      oid: faker.string.uuid(),
      tenantId: tenant.id,
      upn: `${alias}@${tenant.domain}`,
      password: SANDBOX_PASSWORD,
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      enabled,
      isAdmin,
      environments: reach,
    };
  };
  // Every tenant gets an admin who reaches all of its environments, a user who reaches only the first one (so
  // discovery and 403s differ per user), and a disabled account (Entra AADSTS50057).
  return [person('admin', own, true, true), person('sales', own.slice(0, 1)), person('former', own, false)];
}
