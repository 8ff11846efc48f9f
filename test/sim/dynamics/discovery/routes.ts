import type { SimClock } from '../../common/clock.ts';
import { verifyBearer } from '../dataverse/auth.ts';
import { DataverseError, dataverseErrors } from '../dataverse/errors.ts';
import { compileFilter, type FilterSchema, type Value } from '../dataverse/filter.ts';
import { parseSegment, pathSegments } from '../dataverse/odata-url.ts';
import { checkQueryOptions } from '../dataverse/query.ts';
import { odataError, odataJson } from '../dataverse/response.ts';
import type { EntraService } from '../entra/service.ts';
import type { SimRequest, SimResponse } from '../http.ts';
import type { Cloud, Environment, Topology } from '../topology.ts';

type Instance = Record<string, Value>;

/** When the simulated environments were last changed, as Global Discovery reports it. */
const LAST_UPDATED = '2025-11-03T08:41:12Z';

const INSTANCE_PROPERTIES = [
  'ApiUrl',
  'DatacenterId',
  'DatacenterName',
  'EnvironmentId',
  'FriendlyName',
  'Id',
  'IsUserSysAdmin',
  'LastUpdated',
  'OrganizationType',
  'Purpose',
  'Region',
  'SchemaType',
  'State',
  'StatusMessage',
  'TenantId',
  'TrialExpirationDate',
  'UniqueName',
  'UrlName',
  'Url',
  'Version',
];

const schema: FilterSchema<Instance> = {
  typeOf: (path) => (INSTANCE_PROPERTIES.includes(path) ? 'Edm.Untyped' : undefined),
  valueOf: (row, path) => row[path] ?? null,
  unknownProperty: (path) =>
    new DataverseError(
      400,
      '0x80060888',
      `Could not find a property named '${path}' on type 'Microsoft.Xrm.Sdk.Discovery.Instance'.`,
    ),
};

export interface DiscoveryContext {
  topology: Topology;
  entra: EntraService;
  clock: SimClock;
  /** The base URL of an environment as this request's sender reaches the simulator (loopback or real host). */
  environmentBase: (environment: Environment) => { url: string; apiUrl: string };
}

function instanceOf(environment: Environment, isAdmin: boolean, context: DiscoveryContext): Instance {
  const { url, apiUrl } = context.environmentBase(environment);
  return {
    ApiUrl: apiUrl,
    DatacenterId: environment.organizationId.replace(/^.{8}/, 'dc000000'),
    DatacenterName: environment.datacenter,
    EnvironmentId: environment.environmentId,
    FriendlyName: environment.friendlyName,
    Id: environment.organizationId,
    IsUserSysAdmin: isAdmin,
    LastUpdated: LAST_UPDATED,
    OrganizationType: environment.organizationType,
    Purpose: environment.purpose,
    Region: environment.region,
    SchemaType: 'Standard',
    State: 0,
    StatusMessage: 0,
    TenantId: environment.tenantId,
    TrialExpirationDate: null,
    UniqueName: environment.uniqueName,
    UrlName: environment.name,
    Url: url,
    Version: environment.version,
  };
}

/**
 * Global Discovery (`/api/discovery/v2.0/Instances`): the environments of this cloud that the signed-in user is a
 * member of, in the documented Instance shape, with `$select` and `$filter`.
 */
export function handleDiscovery(request: SimRequest, cloud: Cloud, context: DiscoveryContext): SimResponse {
  try {
    const segments = pathSegments(request.path);
    if (segments.slice(0, 3).join('/').toLowerCase() !== 'api/discovery/v2.0' || segments.length !== 4) {
      throw dataverseErrors.segmentNotFound(segments[segments.length - 1] ?? '');
    }
    if (request.method !== 'GET') throw dataverseErrors.methodNotAllowed(request.method);
    const auth = verifyBearer(
      request.headers.authorization,
      [`https://${cloud.discoveryHost}`],
      undefined,
      cloud.authority.key,
      context.entra,
      context.clock,
    );
    if (!auth.ok) {
      return {
        status: 401,
        headers: {
          'www-authenticate': `Bearer authorization_uri=https://${cloud.authority.host}/common/oauth2/authorize, resource_id=https://${cloud.discoveryHost}/`,
        },
        body: '',
      };
    }
    const user = context.entra.userByOid(auth.caller.oid);
    const segment = parseSegment(segments[3] ?? '');
    if (segment.name !== 'Instances') throw dataverseErrors.segmentNotFound(segment.name);
    checkQueryOptions(request.query, new Set(['$select', '$filter']));
    let instances = context.topology.environments
      .filter((environment) => environment.cloud === cloud.key && environment.tenantId === auth.caller.tenantId)
      .filter((environment) => user?.environments.includes(environment.name))
      .map((environment) => instanceOf(environment, user?.isAdmin ?? false, context));
    const filter = request.query.get('$filter');
    if (filter) instances = instances.filter(compileFilter(filter, schema));
    const selectText = request.query.get('$select');
    const selection = selectText?.split(',').map((name) => name.trim());
    for (const name of selection ?? []) if (!INSTANCE_PROPERTIES.includes(name)) throw schema.unknownProperty(name);
    const project = (instance: Instance) =>
      selection ? Object.fromEntries(selection.map((name) => [name, instance[name] ?? null])) : instance;
    const contextUrl = `${request.base}/api/discovery/v2.0/$metadata#Instances${selection ? `(${selection.join(',')})` : ''}`;
    if (segment.key) {
      const [part] = segment.key;
      const instance = instances.find((candidate) =>
        part?.name === 'UniqueName' ? candidate.UniqueName === part.value : part?.guid && candidate.Id === part.value,
      );
      if (!instance) throw new DataverseError(404, '0x80040217', 'Instance not found.');
      return odataJson(200, { '@odata.context': `${contextUrl}/$entity`, ...project(instance) });
    }
    return odataJson(200, { '@odata.context': contextUrl, value: instances.map(project) });
  } catch (error) {
    if (error instanceof DataverseError) return odataError(error, false);
    throw error;
  }
}
