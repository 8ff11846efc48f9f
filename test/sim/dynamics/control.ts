import type { SimClock } from '../common/clock.ts';
import { type EntitySpec, entityByLogicalName, entityBySetName } from './dataverse/entities.ts';
import type { DataverseEnvironment } from './dataverse/environment.ts';
import { DataverseError } from './dataverse/errors.ts';
import { formatRow } from './dataverse/format.ts';
import { parsePrefer } from './dataverse/prefer.ts';
import { changesFromBody, createRow, deleteRow, updateRow } from './dataverse/records.ts';
import type { ServiceProtection } from './dataverse/service-protection.ts';
import type { EntraService } from './entra/service.ts';
import type { FaultSettings, Faults } from './faults.ts';
import type { PageSessions } from './pages/routes.ts';

export interface SimSettings {
  /** expires_in of access tokens; below 300 s msal-node treats a fresh token as already due for refresh. */
  accessTokenLifetimeSeconds: number;
  /** Reject creates that leave ApplicationRequired columns empty (the brief's choice; real Dataverse does not). */
  enforceApplicationRequired: boolean;
  /** Service protection: requests per user per window, the window in seconds, and concurrent requests per user. */
  requestLimit: number;
  requestWindowSeconds: number;
  concurrencyLimit: number;
}

/** Rows as the Web API shows them (lookups as `_x_value`), without annotations. */
export type RecordJson = Record<string, unknown>;

/** Test and fault controls of the simulator, in process; `/__sim/` on every origin exposes the same over HTTP. */
export interface DynamicsControl {
  /** Seeded state again: rows, tokens, sessions, faults, counters, clock offset and settings. */
  reset(): void;
  counters(): Record<string, number>;
  resetCounters(): void;
  faults(): FaultSettings;
  setFaults(changes: Partial<FaultSettings>): FaultSettings;
  clearFaults(): void;
  /** The next `times` Web API requests to the environment get 401 (as if the token had expired). */
  unauthorizedOnce(environment: string, times?: number): void;
  /** Revokes refresh tokens (of one user by UPN or object id, of a tenant, or all); returns how many. */
  revokeRefreshTokens(filter?: { user?: string; tenantId?: string }): number;
  advanceClock(ms: number): void;
  now(): number;
  settings(): SimSettings;
  configure(changes: Partial<SimSettings>): SimSettings;
  records(environment: string, table: string): RecordJson[];
  record(environment: string, table: string, id: string): RecordJson | undefined;
  /** Creates through the same validation as the Web API, as the environment's first member. */
  createRecord(environment: string, table: string, values: RecordJson): RecordJson;
  updateRecord(environment: string, table: string, id: string, values: RecordJson): RecordJson;
  deleteRecord(environment: string, table: string, id: string): boolean;
}

export interface ControlParts {
  clock: SimClock;
  entra: EntraService;
  faults: Faults;
  protection: ServiceProtection;
  sessions: PageSessions;
  environments: Map<string, DataverseEnvironment>;
  settings: SimSettings;
  defaults: SimSettings;
}

function tableOf(name: string): EntitySpec {
  const entity = entityBySetName(name) ?? entityByLogicalName(name);
  if (!entity) throw new DataverseError(404, '0x80060888', `Resource not found for the segment '${name}'.`);
  return entity;
}

export function createControl(parts: ControlParts): DynamicsControl {
  const environmentOf = (name: string): DataverseEnvironment => {
    const environment = parts.environments.get(name);
    if (!environment) throw new DataverseError(404, '0x80060888', `No environment named '${name}'.`);
    return environment;
  };
  const noAnnotations = parsePrefer(undefined);
  const json = (environment: DataverseEnvironment, entity: EntitySpec, row: Parameters<typeof formatRow>[1]) =>
    formatRow(entity, row, environment.store, undefined, noAnnotations);
  const callerOf = (environment: DataverseEnvironment) => {
    const id = environment.store.rows('systemuser')[0]?.systemuserid;
    return { callerId: String(id), detectDuplicates: false };
  };
  // Environments and service protection read `parts.settings` directly; Entra keeps its own copy of the lifetime.
  const applySettings = () => {
    parts.entra.settings.accessTokenLifetimeSeconds = parts.settings.accessTokenLifetimeSeconds;
  };
  return {
    reset() {
      parts.clock.reset();
      parts.entra.reset();
      parts.faults.reset();
      parts.protection.reset();
      parts.sessions.reset();
      Object.assign(parts.settings, parts.defaults);
      applySettings();
      for (const environment of parts.environments.values()) environment.reset();
    },
    counters: () => parts.faults.counters(),
    resetCounters: () => parts.faults.resetCounters(),
    faults: () => ({ ...parts.faults.settings }),
    setFaults: (changes) => ({ ...parts.faults.configure(changes) }),
    clearFaults: () => parts.faults.clear(),
    unauthorizedOnce: (environment, times = 1) => {
      environmentOf(environment);
      parts.faults.unauthorizedOnce(environment, times);
    },
    revokeRefreshTokens: (filter = {}) => parts.entra.revokeRefreshTokens(filter),
    advanceClock: (ms) => parts.clock.advance(ms),
    now: () => parts.clock.now(),
    settings: () => ({ ...parts.settings }),
    configure(changes) {
      Object.assign(parts.settings, changes);
      applySettings();
      return { ...parts.settings };
    },
    records(environment, table) {
      const env = environmentOf(environment);
      const entity = tableOf(table);
      return env.store.rows(entity.logicalName).map((row) => json(env, entity, row));
    },
    record(environment, table, id) {
      const env = environmentOf(environment);
      const entity = tableOf(table);
      const row = env.store.get(entity.logicalName, id);
      return row ? json(env, entity, row) : undefined;
    },
    createRecord(environment, table, values) {
      const env = environmentOf(environment);
      const entity = tableOf(table);
      const changes = changesFromBody(env, entity, values, 'create');
      return json(
        env,
        entity,
        env.store.transaction(() => createRow(env, entity, changes, callerOf(env))),
      );
    },
    updateRecord(environment, table, id, values) {
      const env = environmentOf(environment);
      const entity = tableOf(table);
      const changes = changesFromBody(env, entity, values, 'update');
      return json(
        env,
        entity,
        env.store.transaction(() => updateRow(env, entity, id, changes, callerOf(env))),
      );
    },
    deleteRecord(environment, table, id) {
      const env = environmentOf(environment);
      const entity = tableOf(table);
      if (!env.store.get(entity.logicalName, id)) return false;
      deleteRow(env, { entity, id, alternateKey: undefined, keyValues: {}, keyText: id });
      return true;
    },
  };
}
