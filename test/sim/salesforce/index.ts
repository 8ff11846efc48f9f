import Fastify, { type FastifyInstance } from 'fastify';
import { Origins } from '../common/origins.ts';
import type { Simulator } from '../common/simulator.ts';
import { registerLoginRoutes } from './auth/login-routes.ts';
import { registerSoapRoutes } from './auth/soap-routes.ts';
import { registerTokenRoutes } from './auth/token-routes.ts';
import { registerIngestRoutes } from './bulk/ingest-routes.ts';
import { DEFAULT_RESULTS_PAGE, registerBulkQueryRoutes } from './bulk/query-routes.ts';
import type { FaultSettings, InjectedFaults } from './control/faults.ts';
import { OrgControl } from './control/org-control.ts';
import { registerControlRoutes } from './control/routes.ts';
import { describeSimulator } from './describe.ts';
import { ApiGate } from './http/api-gate.ts';
import type { SimContext } from './http/context.ts';
import { registerErrorHandling } from './http/errors.ts';
import { LOGIN_ORIGIN, TEST_LOGIN_ORIGIN } from './http/hosts.ts';
import { registerParsers } from './http/parsers.ts';
import { registerLightningRoutes } from './lightning/routes.ts';
import type { OrgSeed, SeededObject } from './model/org.ts';
import { defaultOrgSeeds } from './model/seed-orgs.ts';
import type { CallKind } from './model/usage.ts';
import { registerCompositeRoutes } from './rest/composite-routes.ts';
import { registerQueryRoutes } from './rest/query-routes.ts';
import { registerResourceRoutes } from './rest/resource-routes.ts';
import { registerSObjectRoutes } from './rest/sobject-routes.ts';
import { SalesforceState } from './state.ts';

export type { FaultSettings, InjectedFaults } from './control/faults.ts';
export type { OrgControl } from './control/org-control.ts';
export type { ConnectedAppSeed, OrgSeed, UserSeed } from './model/org.ts';
export type { SfRecord } from './model/record-store.ts';

export interface SalesforceSimulatorOptions {
  /** Seed of every generated credential and record (default 1). */
  seed?: number;
  /** The orgs to simulate; default acme (production), acme--uat (its sandbox) and globex (production). */
  orgs?: OrgSeed[];
  /** Seeded records per object in every org, unless an org seed says otherwise. Default 200/400/300. */
  recordCounts?: Partial<Record<SeededObject, number>>;
  /** The clock (epoch ms); tests inject one to expire codes and sessions. */
  now?: () => number;
  /** Rows per Bulk 2.0 query results page when the client sends no maxRecords (default 50,000). */
  bulkQueryPageSize?: number;
}

/** In-process controls, the same as the HTTP ones under /__sim/. */
export interface SalesforceSimulator extends Simulator {
  org(name: string): OrgControl;
  readonly faults: {
    readonly settings: Readonly<FaultSettings>;
    set(changes: Partial<FaultSettings>): FaultSettings;
    reset(): void;
    /** What the faults (shares and one-shot 401s) hit since the last reset (`reset()` zeroes it). */
    injected(): Readonly<InjectedFaults>;
    invalidateNextSession(orgName: string): void;
    failNextBulkJob(orgName: string, errorMessage?: string): void;
  };
  counters(): { total: Partial<Record<CallKind, number>>; byOrg: Record<string, Partial<Record<CallKind, number>>> };
  resetCounters(): void;
  readonly clock: { now(): number; advance(ms: number): void };
  /** Back to the seeded state: records, tokens, jobs, cursors, faults, counters, clock offset. */
  reset(): void;
  describe(): ReturnType<typeof describeSimulator>;
}

function buildOrigins(orgs: OrgSeed[]): Origins {
  const origins = new Origins();
  origins.add({ key: LOGIN_ORIGIN, hostnames: ['login.salesforce.com'] });
  origins.add({ key: TEST_LOGIN_ORIGIN, hostnames: ['test.salesforce.com'] });
  for (const org of orgs) {
    const hostnames = org.sandbox
      ? [`${org.myDomain}.sandbox.my.salesforce.com`, `${org.myDomain}.sandbox.lightning.force.com`]
      : [`${org.myDomain}.my.salesforce.com`, `${org.myDomain}.lightning.force.com`];
    origins.add({ key: `org:${org.name}`, hostnames });
  }
  return origins;
}

function buildApp(context: SimContext, bulkQueryPageSize: number): FastifyInstance {
  const app = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true } });
  registerParsers(app);
  registerErrorHandling(app, context);
  registerControlRoutes(app, context);
  registerLoginRoutes(app, context);
  registerTokenRoutes(app, context);
  registerSoapRoutes(app, context);
  registerResourceRoutes(app, context);
  registerSObjectRoutes(app, context);
  registerQueryRoutes(app, context);
  registerCompositeRoutes(app, context);
  registerIngestRoutes(app, context);
  registerBulkQueryRoutes(app, context, bulkQueryPageSize);
  registerLightningRoutes(app, context);
  return app;
}

export function createSalesforceSimulator(options: SalesforceSimulatorOptions = {}): SalesforceSimulator {
  const seed = options.seed ?? 1;
  const orgSeeds = options.orgs ?? defaultOrgSeeds(seed);
  const state = new SalesforceState({
    seed,
    orgs: orgSeeds,
    recordCounts: options.recordCounts ?? {},
    ...(options.now ? { now: options.now } : {}),
  });
  const origins = buildOrigins(orgSeeds);
  const context: SimContext = { state, origins, gate: new ApiGate(state, origins) };
  const app = buildApp(context, options.bulkQueryPageSize ?? DEFAULT_RESULTS_PAGE);

  return {
    name: 'salesforce',
    app,
    origins,
    describe: () => describeSimulator(state, origins),
    org(name) {
      if (!state.org(name)) throw new Error(`no org ${name}; orgs: ${[...state.orgs.keys()].join(', ')}`);
      return new OrgControl(state, name);
    },
    faults: {
      get settings() {
        return state.faults.settings;
      },
      set: (changes) => state.faults.set(changes),
      reset: () => state.faults.reset(),
      injected: () => state.faults.injected(),
      invalidateNextSession: (orgName) => state.faults.invalidateNextSession(orgName),
      failNextBulkJob: (orgName, errorMessage = 'InternalServerError : Internal Server Error') =>
        state.faults.failNextBulkJob(orgName, errorMessage),
    },
    counters: () => state.counters.snapshot(),
    resetCounters: () => state.counters.reset(),
    clock: { now: () => state.clock.now(), advance: (ms) => state.clock.advance(ms) },
    reset: () => state.reset(),
  };
}
