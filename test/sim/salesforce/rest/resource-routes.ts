import type { FastifyInstance } from 'fastify';
import type { SimContext } from '../http/context.ts';
import { sendJson } from '../http/reply.ts';
import type { Org } from '../model/org.ts';
import { describeGlobalEntry } from '../schema/describe.ts';
import { schema } from '../schema/registry.ts';
import { versionList } from './versions.ts';

/** /services/data (versions), /services/data/vXX.X (resources), /sobjects (describeGlobal) and /limits. */

const RESOURCES = [
  'tooling',
  'metadata',
  'eclair',
  'folders',
  'prechatForms',
  'jsonxform',
  'chatter',
  'tabs',
  'appMenu',
  'quickActions',
  'queryAll',
  'commerce',
  'wave',
  'iot',
  'analytics',
  'search',
  'composite',
  'parameterizedSearch',
  'fingerprint',
  'theme',
  'nouns',
  'event',
  'serviceTemplates',
  'recent',
  'connect',
  'licensing',
  'limits',
  'process',
  'async-queries',
  'query',
  'match',
  'emailConnect',
  'compactLayouts',
  'knowledgeManagement',
  'sobjects',
  'actions',
  'support',
  'jobs',
];

/** Each record costs 2 KB of data storage, as Salesforce counts it for most objects. */
function dataStorageUsedMb(org: Org): number {
  let records = 0;
  for (const store of org.stores.values()) records += store.size;
  return Math.ceil((records * 2) / 1024);
}

function limit(max: number, used: number) {
  return { Max: max, Remaining: Math.max(0, max - used) };
}

export function organizationLimits(org: Org, now: number) {
  const apiUsed = org.apiUsage.used(now);
  return {
    ActiveScratchOrgs: limit(0, 0),
    AnalyticsExternalDataSizeMB: limit(40960, 0),
    ConcurrentAsyncGetReportInstances: limit(200, 0),
    ConcurrentEinsteinDataInsightsStoryCreation: limit(5, 0),
    ConcurrentEinsteinDiscoveryStoryCreation: limit(2, 0),
    ConcurrentSyncReportRuns: limit(20, 0),
    DailyAnalyticsDataflowJobExecutions: limit(60, 0),
    DailyAnalyticsUploadedFilesSizeMB: limit(51200, 0),
    DailyApiRequests: limit(org.dailyApiMax, apiUsed),
    DailyAsyncApexExecutions: limit(250000, 0),
    DailyAsyncApexTests: limit(500, 0),
    DailyBulkApiBatches: limit(15000, org.bulkBatches.used(now)),
    DailyBulkV2QueryFileStorageMB: limit(976562, 0),
    DailyBulkV2QueryJobs: limit(10000, org.bulkQueryJobs.used(now)),
    DailyDeliveredPlatformEvents: limit(50000, 0),
    DailyDurableGenericStreamingApiEvents: limit(1000000, 0),
    DailyDurableStreamingApiEvents: limit(1000000, 0),
    DailyEinsteinDataInsightsStoryCreation: limit(1000, 0),
    DailyEinsteinDiscoveryPredictAPICalls: limit(50000, 0),
    DailyEinsteinDiscoveryPredictionsByCDC: limit(5000000, 0),
    DailyEinsteinDiscoveryStoryCreation: limit(100, 0),
    DailyFunctionsApiCallLimit: limit(235000, 0),
    DailyGenericStreamingApiEvents: limit(10000, 0),
    DailyScratchOrgs: limit(0, 0),
    DailyStandardVolumePlatformEvents: limit(25000, 0),
    DailyStreamingApiEvents: limit(1000000, 0),
    DailyWorkflowEmails: limit(390000, 0),
    DataStorageMB: limit(org.sandbox ? 1024 : 10240, dataStorageUsedMb(org)),
    DurableStreamingApiConcurrentClients: limit(2000, 0),
    FileStorageMB: limit(org.sandbox ? 1024 : 122880, 0),
    HourlyAsyncReportRuns: limit(1200, 0),
    HourlyDashboardRefreshes: limit(200, 0),
    HourlyDashboardResults: limit(5000, 0),
    HourlyDashboardStatuses: limit(999999999, 0),
    HourlyLongTermIdMapping: limit(100000, 0),
    HourlyManagedContentPublicRequests: limit(50000, 0),
    HourlyODataCallout: limit(20000, 0),
    HourlyPublishedPlatformEvents: limit(250000, 0),
    HourlyPublishedStandardVolumePlatformEvents: limit(100000, 0),
    HourlyShortTermIdMapping: limit(100000, 0),
    HourlySyncReportRuns: limit(500, 0),
    HourlyTimeBasedWorkflow: limit(1000, 0),
    MassEmail: limit(5000, 0),
    MonthlyPlatformEventsUsageEntitlement: limit(300000, 0),
    Package2VersionCreates: limit(0, 0),
    Package2VersionCreatesWithoutValidation: limit(0, 0),
    PermissionTypes: limit(30, 0),
    PrivateConnectOutboundCalloutHourlyLimitMB: limit(0, 0),
    SingleEmail: limit(5000, 0),
    StreamingApiConcurrentClients: limit(2000, 0),
  };
}

export function registerResourceRoutes(app: FastifyInstance, context: SimContext): void {
  const { gate, state } = context;

  app.get('/services/data', async (request, reply) => {
    state.counters.count('rest-versions', gate.orgOf(request)?.name);
    return sendJson(reply, 200, versionList());
  });

  app.get('/services/data/:version', async (request, reply) => {
    const api = gate.open(request, reply, 'rest-resources');
    const base = `/services/data/v${api.version}`;
    const resources: Record<string, string> = {};
    for (const name of RESOURCES) resources[name] = `${base}/${name}`;
    const session = api.session;
    resources.identity = `${context.origins.urlFor(request, session.loginOriginKey)}/id/${api.org.orgId}/${session.user.id}`;
    return sendJson(reply, 200, resources);
  });

  app.get('/services/data/:version/sobjects', async (request, reply) => {
    const api = gate.open(request, reply, 'rest-describe');
    return sendJson(reply, 200, {
      encoding: 'UTF-8',
      maxBatchSize: 200,
      sobjects: schema.objects().map((object) => describeGlobalEntry(object, api.version, api.instanceUrl)),
    });
  });

  app.get('/services/data/:version/limits', async (request, reply) => {
    const api = gate.open(request, reply, 'rest-limits');
    return sendJson(reply, 200, organizationLimits(api.org, state.clock.now()));
  });
}
