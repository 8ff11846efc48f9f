import type { Origins } from '../common/origins.ts';
import { CLOUD_KEYS, CLOUDS, DYNAMICS_WEB_CLIENT_ID, type Topology } from './topology.ts';

/** The sandbox index entry: everything a developer needs to point OrgLink, msal-node or a plain client at it. */
export function describeSandbox(origins: Origins, topology: Topology) {
  const tenantName = (id: string) => topology.tenants.find((tenant) => tenant.id === id)?.domain ?? id;
  return {
    name: 'dynamics',
    description: 'Dynamics 365 (Dataverse Web API v9.2), Global Discovery and Entra ID for five clouds.',
    https: origins.httpsPort === undefined ? null : { port: origins.httpsPort },
    clouds: CLOUD_KEYS.map((key) => {
      const cloud = CLOUDS[key];
      const app = topology.apps.find((candidate) => candidate.authorityKey === cloud.authority.key);
      const tenants = topology.tenants.filter((tenant) =>
        topology.environments.some((env) => env.cloud === key && env.tenantId === tenant.id),
      );
      return {
        key,
        label: cloud.label,
        entra: {
          authorityHost: cloud.authority.host,
          loopback: origins.httpUrl(cloud.authority.key),
          tenants: tenants.map((tenant) => ({
            id: tenant.id,
            domain: tenant.domain,
            authority: `https://${cloud.authority.host}/${tenant.id}`,
            authorizeUrl: `${origins.httpUrl(cloud.authority.key)}/${tenant.id}/oauth2/v2.0/authorize`,
            tokenUrl: `${origins.httpUrl(cloud.authority.key)}/${tenant.id}/oauth2/v2.0/token`,
          })),
        },
        app: app && {
          clientId: app.clientId,
          clientSecret: app.clientSecret,
          redirectUris: ['http://127.0.0.1:* (any port)', 'http://localhost:* (any port)', ...app.redirectUris],
        },
        discovery: {
          url: `https://${cloud.discoveryHost}`,
          loopback: origins.httpUrl(cloud.discoveryKey),
          instances: `${origins.httpUrl(cloud.discoveryKey)}/api/discovery/v2.0/Instances`,
          scope: `https://${cloud.discoveryHost}/user_impersonation`,
        },
      };
    }),
    environments: topology.environments.map((env) => ({
      name: env.name,
      cloud: env.cloud,
      friendlyName: env.friendlyName,
      url: env.url,
      scope: `${env.url}/user_impersonation`,
      loopback: origins.httpUrl(env.key),
      webApiUrl: `${origins.httpUrl(env.key)}/api/data/v9.2/`,
      /** The real host; reachable over the sandbox's HTTPS listener when it runs one (see `https`). */
      webApiHostUrl: `${env.url}/api/data/v9.2/`,
      appUrl: `${origins.httpUrl(env.key)}/main.aspx?appid=${env.appModuleId}`,
      environmentId: env.environmentId,
      organizationId: env.organizationId,
      uniqueName: env.uniqueName,
      tenantId: env.tenantId,
      tenant: tenantName(env.tenantId),
      region: env.region,
      appModuleId: env.appModuleId,
    })),
    users: topology.users.map((user) => ({
      upn: user.upn,
      password: user.password,
      displayName: user.displayName,
      objectId: user.oid,
      tenant: tenantName(user.tenantId),
      enabled: user.enabled,
      environments: user.environments,
    })),
    dynamicsWebClientId: DYNAMICS_WEB_CLIENT_ID,
    controls: '/__sim/ on any origin (GET /__sim/ lists them)',
  };
}
