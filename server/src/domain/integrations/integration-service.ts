import { randomUUID } from 'node:crypto';
import {
  CATALOG_CUSTOM_FIELD_PREFIX,
  CATALOG_USER_FIELDS,
  type CreateIntegrationRequest,
  type FieldMapping,
  type Integration,
  IntegrationErrorCode,
  type JobRun,
  type MappingOptions,
  type MatchKey,
  type TargetObject,
  type UpdateIntegrationRequest,
} from '@orglink/shared';
import { and, eq, inArray, or } from 'drizzle-orm';
import type { DynamicsClient } from '../../crm/dynamics/dynamics-client.ts';
import type { SalesforceClient } from '../../crm/salesforce/salesforce-client.ts';
import { integrations, jobRuns, jobs } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import type { SecretBox } from '../../plugins/secrets.ts';
import type { ConnectionClients } from '../connections/connection-clients.ts';
import { type EventDeps, publishJobsChanged } from '../connections/connection-events.ts';
import { type ConnectionRow, connectionRowById } from '../connections/connection-repository.ts';
import type { Caller } from '../teams/team-service.ts';
import type { CatalogAccounts } from './catalog-accounts.ts';
import { normalizeCatalogHost } from './catalog-accounts.ts';
import { checkCatalogToken, sampleCustomFields } from './catalog-source.ts';
import { requireTeamConnection, requireUsableConnection } from './connection-access.ts';
import { crmCallProblem, describeCrmObject } from './crm-fields.ts';
import {
  defaultFieldMap,
  mandatoryFields,
  type TargetProfile,
  targetProfile,
  type ValidFieldMap,
  validateFieldMap,
} from './field-map-rules.ts';
import {
  findIntegrationRow,
  type IntegrationRow,
  liveIntegrationFor,
  loadIntegration,
} from './integration-repository.ts';
import { DEFAULT_INTEGRATION_SCHEDULE, integrationSchedule } from './integration-schedule.ts';

/** What runs a write job now: app.runner (runner/runner.ts). */
export interface WriteJobQueue {
  enqueue(request: { jobId: string; trigger: 'manual'; startedBy: string }): JobRun | Promise<JobRun>;
}

export interface IntegrationDeps extends EventDeps {
  secrets: SecretBox;
  connectionClients: ConnectionClients;
  catalogAccounts: CatalogAccounts;
}

const nowIso = () => new Date().toISOString();
const ACTIVE_RUN_STATUSES = ['queued', 'running', 'holding'] as const;

function jobName(target: TargetObject): string {
  return `Catalog users -> ${target}`;
}

function notFound(): ApiError {
  return new ApiError(
    404,
    IntegrationErrorCode.NotFound,
    'There is no such integration in your team. Reload the Integrations list.',
  );
}

export function requireIntegration(deps: EventDeps, caller: Caller, id: string): IntegrationRow {
  const row = findIntegrationRow(deps.db, caller.teamId, id);
  if (!row) throw notFound();
  return row;
}

function requireLinked(row: IntegrationRow): void {
  if (row.unlinkedAt) {
    throw new ApiError(
      409,
      IntegrationErrorCode.Unlinked,
      `The Catalog account ${row.catalogHost} was unlinked; its history stays. Link it again to write to the CRM.`,
    );
  }
}

function present(deps: EventDeps, id: string): Integration {
  const integration = loadIntegration(deps.db, id);
  if (!integration) throw new Error(`integration ${id} vanished`);
  return integration;
}

function publishChanged(deps: EventDeps, teamId: string, id: string): Integration {
  const integration = present(deps, id);
  deps.events.publish(teamId, { type: 'integration.changed', integration });
  return integration;
}

/** The connection of an integration is its job's (jobs follow an org to a new connection). */
function integrationConnection(deps: EventDeps, row: IntegrationRow): ConnectionRow {
  const job = deps.db.select().from(jobs).where(eq(jobs.id, row.jobId)).get();
  const connection = connectionRowById(deps.db, job?.connectionId ?? row.connectionId);
  if (!connection) throw new Error(`integration ${row.id} has no connection`);
  return connection;
}

async function openClient(deps: IntegrationDeps, connectionId: string): Promise<SalesforceClient | DynamicsClient> {
  try {
    return await deps.connectionClients.open(connectionId);
  } catch (error) {
    throw crmCallProblem(error);
  }
}

interface MapRequest {
  target: TargetObject;
  matchKey: MatchKey;
  externalIdField: string | null | undefined;
  fieldMap: FieldMapping[] | undefined;
  companyName: string;
}

function usesCustomFields(fieldMap: readonly FieldMapping[] | undefined): boolean {
  return (fieldMap ?? []).some((mapping) => mapping.source?.trim().startsWith(CATALOG_CUSTOM_FIELD_PREFIX));
}

/** Describes the target and checks the (given or default) map and match key against it. */
async function resolveFieldMap(
  deps: IntegrationDeps,
  connection: ConnectionRow,
  request: MapRequest,
  customFields: () => Promise<Set<string>>,
): Promise<ValidFieldMap> {
  const profile = targetProfile(connection.kind, request.target);
  const client = await openClient(deps, connection.id);
  const described = await describeCrmObject(client, profile.object);
  const externalIdField =
    request.matchKey === 'email' ? null : (request.externalIdField ?? profile.defaultExternalIdField);
  const fieldMap = request.fieldMap ?? defaultFieldMap(profile, externalIdField, request.companyName);
  return validateFieldMap({
    kind: connection.kind,
    profile,
    fields: described.fields,
    matchKey: request.matchKey,
    externalIdField,
    fieldMap,
    customFieldsSeen: usesCustomFields(fieldMap) ? await customFields() : new Set(),
  });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function alreadyLinked(host: string, connection: ConnectionRow): ApiError {
  return new ApiError(
    409,
    IntegrationErrorCode.AlreadyLinked,
    `The Catalog account ${host} is already linked to "${connection.name}". Edit that integration instead.`,
  );
}

/** Links a Catalog account to a connection: checks everything first, then stores the integration and its job. */
export async function createIntegration(
  deps: IntegrationDeps,
  caller: Caller,
  input: CreateIntegrationRequest,
): Promise<Integration> {
  const host = normalizeCatalogHost(input.catalogHost);
  const connection = requireTeamConnection(deps.db, caller.teamId, input.connectionId);
  requireUsableConnection(connection, 'link');
  if (liveIntegrationFor(deps.db, host, connection.id)) throw alreadyLinked(host, connection);
  const schedule = integrationSchedule(input.schedule === undefined ? DEFAULT_INTEGRATION_SCHEDULE : input.schedule);
  const account = await deps.catalogAccounts.endpoint(host);
  const token = input.catalogToken.trim();
  await checkCatalogToken(account.baseUrl, host, token);
  const target = input.target ?? 'Contact';
  const { externalIdField, fieldMap } = await resolveFieldMap(
    deps,
    connection,
    {
      target,
      matchKey: input.matchKey ?? 'external-id',
      externalIdField: input.externalIdField,
      fieldMap: input.fieldMap,
      companyName: account.name ?? host,
    },
    () => sampleCustomFields(account.baseUrl, host, token),
  );

  const id = randomUUID();
  const jobId = randomUUID();
  const createdAt = nowIso();
  try {
    deps.db.transaction((tx) => {
      tx.insert(jobs)
        .values({
          id: jobId,
          teamId: caller.teamId,
          connectionId: connection.id,
          kind: 'write',
          name: jobName(target),
          config: { integrationId: id },
          schedule,
          state: 'active',
          createdBy: caller.userId,
          createdAt,
        })
        .run();
      tx.insert(integrations)
        .values({
          id,
          teamId: caller.teamId,
          connectionId: connection.id,
          jobId,
          catalogHost: host,
          catalogAccountName: account.name,
          catalogToken: deps.secrets.seal(token, id),
          target,
          matchKey: input.matchKey ?? 'external-id',
          externalIdField,
          fieldMap,
          createdBy: caller.userId,
          createdAt,
        })
        .run();
    });
  } catch (error) {
    // Two admins linking the same account at once: the unique index decides, the loser hears why.
    if (isUniqueViolation(error)) throw alreadyLinked(host, connection);
    throw error;
  }
  publishJobsChanged(deps, caller.teamId, [jobId]);
  return publishChanged(deps, caller.teamId, id);
}

/** Changes the map, match key, schedule or token; the map is checked again whenever anything it depends on changes. */
export async function updateIntegration(
  deps: IntegrationDeps,
  caller: Caller,
  id: string,
  input: UpdateIntegrationRequest,
): Promise<Integration> {
  const row = requireIntegration(deps, caller, id);
  requireLinked(row);
  const connection = integrationConnection(deps, row);
  const schedule = input.schedule === undefined ? undefined : integrationSchedule(input.schedule);
  const account = await deps.catalogAccounts.endpoint(row.catalogHost);
  const token = input.catalogToken?.trim() ?? deps.secrets.open(row.catalogToken, row.id);
  if (input.catalogToken !== undefined) await checkCatalogToken(account.baseUrl, row.catalogHost, token);

  const target = input.target ?? row.target;
  const matchKey = input.matchKey ?? row.matchKey;
  // A Dynamics integration stored with the e-mail match key (before it was refused) can never run: any edit re-checks
  // the map, so the admin hears why and switches the match key.
  const mapChanges =
    (connection.kind === 'dynamics' && matchKey === 'email') ||
    input.target !== undefined ||
    input.matchKey !== undefined ||
    input.externalIdField !== undefined ||
    input.fieldMap !== undefined;
  let mapping: ValidFieldMap = { externalIdField: row.externalIdField, fieldMap: row.fieldMap as FieldMapping[] };
  if (mapChanges) {
    const targetChanged = target !== row.target;
    mapping = await resolveFieldMap(
      deps,
      connection,
      {
        target,
        matchKey,
        externalIdField:
          input.externalIdField !== undefined ? input.externalIdField : (row.externalIdField ?? undefined),
        // A map for Contact rarely fits Lead: a new target without a new map starts from that target's default.
        fieldMap: input.fieldMap ?? (targetChanged ? undefined : (row.fieldMap as FieldMapping[])),
        companyName: row.catalogAccountName ?? row.catalogHost,
      },
      () => sampleCustomFields(account.baseUrl, row.catalogHost, token),
    );
  }

  const changedAt = nowIso();
  deps.db.transaction((tx) => {
    tx.update(integrations)
      .set({
        target,
        matchKey,
        externalIdField: mapping.externalIdField,
        fieldMap: mapping.fieldMap,
        ...(input.catalogToken !== undefined ? { catalogToken: deps.secrets.seal(token, row.id), problem: null } : {}),
        updatedAt: changedAt,
      })
      .where(eq(integrations.id, row.id))
      .run();
    tx.update(jobs)
      .set({ name: jobName(target), ...(schedule !== undefined ? { schedule } : {}), updatedAt: changedAt })
      .where(eq(jobs.id, row.jobId))
      .run();
  });
  publishJobsChanged(deps, caller.teamId, [row.jobId]);
  return publishChanged(deps, caller.teamId, row.id);
}

/** Unlink: the job stops (disabled), the integration and its run history stay. A second unlink changes nothing. */
export function unlinkIntegration(deps: EventDeps, caller: Caller, id: string): void {
  const row = requireIntegration(deps, caller, id);
  if (row.unlinkedAt) return;
  const at = nowIso();
  const unlinked = deps.db.transaction((tx) => {
    const changed = tx
      .update(integrations)
      .set({ unlinkedAt: at, updatedAt: at })
      .where(and(eq(integrations.id, row.id), eq(integrations.teamId, caller.teamId)))
      .run().changes;
    tx.update(jobs)
      .set({ state: 'disabled', stateReason: `Unlinked by ${caller.displayName}.`, updatedAt: at })
      .where(eq(jobs.id, row.jobId))
      .run();
    return changed === 1;
  });
  if (!unlinked) return;
  publishJobsChanged(deps, caller.teamId, [row.jobId]);
  deps.events.publish(caller.teamId, { type: 'integration.deleted', integrationId: row.id });
}

const CATALOG_FIELD_LABELS: Record<(typeof CATALOG_USER_FIELDS)[number], string> = {
  id: 'Catalog user ID',
  user_name: 'User name',
  first_name: 'First name',
  last_name: 'Last name',
  email_address: 'Email address',
  canvas_user_id: 'Canvas user ID',
  time_zone: 'Time zone',
  created_at: 'Created at',
  updated_at: 'Updated at',
};

function customFieldLabel(name: string): string {
  const words = name.replace(/[_-]+/g, ' ').trim();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} (custom field)`;
}

/** What the mapping editor offers: writable CRM fields of the target and every Catalog field, custom ones included. */
export async function mappingOptions(
  deps: IntegrationDeps,
  caller: Caller,
  id: string,
  requestedTarget: TargetObject | undefined,
): Promise<MappingOptions> {
  const row = requireIntegration(deps, caller, id);
  const connection = integrationConnection(deps, row);
  const target = requestedTarget ?? row.target;
  const profile: TargetProfile = targetProfile(connection.kind, target);
  const account = await deps.catalogAccounts.endpoint(row.catalogHost);
  const client = await openClient(deps, connection.id);
  const [described, customFields] = await Promise.all([
    describeCrmObject(client, profile.object),
    sampleCustomFields(account.baseUrl, row.catalogHost, deps.secrets.open(row.catalogToken, row.id)),
  ]);
  const externalIdField = row.matchKey === 'email' ? null : (row.externalIdField ?? profile.defaultExternalIdField);
  return {
    target,
    crmFields: described.fields.filter((field) => field.createable && field.updateable),
    catalogFields: [
      ...CATALOG_USER_FIELDS.map((name) => ({ name, label: CATALOG_FIELD_LABELS[name] })),
      ...[...customFields]
        .sort()
        .map((name) => ({ name: `${CATALOG_CUSTOM_FIELD_PREFIX}${name}`, label: customFieldLabel(name) })),
    ],
    mandatory: mandatoryFields(profile),
    defaultFieldMap: defaultFieldMap(profile, externalIdField, row.catalogAccountName ?? row.catalogHost),
  };
}

/** Run Write Job now: refused with the reason while a run is going, the connection cannot run it, or it is unlinked. */
export async function runIntegration(
  deps: IntegrationDeps,
  queue: WriteJobQueue,
  caller: Caller,
  id: string,
): Promise<JobRun> {
  const row = requireIntegration(deps, caller, id);
  requireLinked(row);
  requireUsableConnection(integrationConnection(deps, row), 'run');
  const active = deps.db
    .select({ status: jobRuns.status, queuedAt: jobRuns.queuedAt })
    .from(jobRuns)
    .where(
      and(
        or(eq(jobRuns.integrationId, row.id), eq(jobRuns.jobId, row.jobId)),
        inArray(jobRuns.status, [...ACTIVE_RUN_STATUSES]),
      ),
    )
    .get();
  if (active) {
    throw new ApiError(
      409,
      IntegrationErrorCode.RunInProgress,
      `A run of this integration is already ${active.status} (queued at ${active.queuedAt}). Wait for it to finish, or abort it first.`,
    );
  }
  return queue.enqueue({ jobId: row.jobId, trigger: 'manual', startedBy: caller.userId });
}
