import type { FastifyInstance } from 'fastify';
import { SimClock } from '../common/clock.ts';
import { Origins } from '../common/origins.ts';
import type { Simulator } from '../common/simulator.ts';
import { buildApp } from './app.ts';
import { createControl, type DynamicsControl, type SimSettings } from './control.ts';
import { DataverseEnvironment } from './dataverse/environment.ts';
import { DEFAULT_SEED_COUNTS, type SeedCounts } from './dataverse/seed.ts';
import { ServiceProtection } from './dataverse/service-protection.ts';
import { describeSandbox } from './describe.ts';
import { EntraService } from './entra/service.ts';
import { Faults } from './faults.ts';
import { PageSessions } from './pages/routes.ts';
import { AUTHORITIES, buildTopology, CLOUDS, type Environment, type Topology } from './topology.ts';

export type { DynamicsControl, RecordJson, SimSettings } from './control.ts';
export type { FaultSettings, RequestKind } from './faults.ts';
export {
  type MsalConfigOptions,
  msalConfigFor,
  type SandboxMsalConfig,
  simulatorNetworkClient,
} from './msal-config.ts';
export {
  type AppRegistration,
  CLOUDS,
  type CloudKey,
  DYNAMICS_WEB_CLIENT_ID,
  type Environment,
  SANDBOX_PASSWORD,
  type Tenant,
  type Topology,
  type User,
} from './topology.ts';

export interface DynamicsSimulatorOptions {
  /** Seed of ids, names and records (default 20260101). */
  seed?: number;
  /** Clock in epoch milliseconds (default Date.now); control.advanceClock moves simulator time on top of it. */
  now?: () => number;
  /** Seeded rows per environment (default 150 accounts, 300 contacts, 200 leads). */
  records?: Partial<SeedCounts>;
  /** Redirect URIs of the OrgLink app registration besides any http://127.0.0.1:* and http://localhost:* URI. */
  redirectUris?: string[];
  /** expires_in of access tokens (default 3599). */
  accessTokenLifetimeSeconds?: number;
  /** Reject creates missing ApplicationRequired columns (default true; real Dataverse enforces only SystemRequired). */
  enforceApplicationRequired?: boolean;
  /** Service protection limits per user (defaults: 6000 requests per 300 s, 52 concurrent). */
  serviceProtection?: Partial<Pick<SimSettings, 'requestLimit' | 'requestWindowSeconds' | 'concurrencyLimit'>>;
}

export interface DynamicsSimulator extends Simulator {
  readonly control: DynamicsControl;
  readonly topology: Topology;
  /** The environment named `name` (e.g. `contoso`), with its ids and origin key. */
  environment(name: string): Environment;
}

export const DEFAULT_SEED = 20260101;

/**
 * Dynamics 365 + Entra ID sandbox: Entra authorities for the public, US government and China clouds, Global Discovery
 * per cloud, and Dataverse environments (Web API v9.2, `$batch`, metadata, model-driven pages), each origin on its
 * own loopback port and real host name. The app is returned unstarted: call listenOrigins(sim.app, sim.origins).
 */
export function createDynamicsSimulator(options: DynamicsSimulatorOptions = {}): DynamicsSimulator {
  const seed = options.seed ?? DEFAULT_SEED;
  const clock = new SimClock(options.now);
  const topology = buildTopology(seed, options.redirectUris ?? []);
  const origins = new Origins();
  for (const authority of AUTHORITIES) origins.add({ key: authority.key, hostnames: authority.aliases });
  for (const cloud of Object.values(CLOUDS)) origins.add({ key: cloud.discoveryKey, hostnames: [cloud.discoveryHost] });
  for (const environment of topology.environments) {
    origins.add({ key: environment.key, hostnames: [environment.host, environment.apiHost] });
  }

  const defaults: SimSettings = {
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3599,
    enforceApplicationRequired: options.enforceApplicationRequired ?? false,
    requestLimit: options.serviceProtection?.requestLimit ?? 6000,
    requestWindowSeconds: options.serviceProtection?.requestWindowSeconds ?? 300,
    concurrencyLimit: options.serviceProtection?.concurrencyLimit ?? 52,
  };
  const settings: SimSettings = { ...defaults };
  const counts: SeedCounts = { ...DEFAULT_SEED_COUNTS, ...options.records };
  const entra = new EntraService(topology, clock, (host) => origins.resolve({ headers: { host } }), {
    accessTokenLifetimeSeconds: settings.accessTokenLifetimeSeconds,
  });
  const environments = new Map(
    topology.environments.map((info) => [
      info.name,
      new DataverseEnvironment(info, topology.users, seed, counts, clock, settings),
    ]),
  );
  const faults = new Faults(seed);
  const protection = new ServiceProtection(clock, () => settings);
  const sessions = new PageSessions();
  const control = createControl({ clock, entra, faults, protection, sessions, environments, settings, defaults });
  const describe = () => describeSandbox(origins, topology);
  const app: FastifyInstance = buildApp({
    origins,
    topology,
    clock,
    entra,
    faults,
    protection,
    sessions,
    environments,
    control,
    describe,
  });

  return {
    name: 'dynamics',
    app,
    origins,
    control,
    topology,
    describe,
    environment(name) {
      const found = topology.environments.find((environment) => environment.name === name);
      if (!found) throw new Error(`no environment ${name}`);
      return found;
    },
  };
}
