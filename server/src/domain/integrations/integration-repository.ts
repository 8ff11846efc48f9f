import type { FieldMapping, Integration, IntegrationLinkState } from '@orglink/shared';
import { and, asc, desc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { connections, integrations, jobRuns, jobs, users } from '../../db/schema.ts';
import { preparedPerDatabase } from '../prepared-queries.ts';
import { runToApi } from '../runs/run-view.ts';

export type IntegrationRow = typeof integrations.$inferSelect;
type ConnectionRow = typeof connections.$inferSelect;

/**
 * The integration's connection is its write job's: when a new connection takes an org over, the jobs move to it
 * (domain/jobs/connection-jobs.ts moveJobs) and the integration follows them.
 */
function selectIntegrations(db: OrgLinkDatabase, where: SQL | undefined) {
  return db
    .select({ row: integrations, job: jobs, connection: connections, createdByName: users.displayName })
    .from(integrations)
    .innerJoin(jobs, eq(jobs.id, integrations.jobId))
    .innerJoin(connections, eq(connections.id, jobs.connectionId))
    .innerJoin(users, eq(users.id, integrations.createdBy))
    .where(where);
}

const lastRunOf = preparedPerDatabase((db) =>
  db
    .select()
    .from(jobRuns)
    .where(eq(jobRuns.integrationId, sql.placeholder('integrationId')))
    .orderBy(desc(jobRuns.queuedAt), desc(jobRuns.id))
    .limit(1)
    .prepare(),
);

const integrationById = preparedPerDatabase((db) =>
  selectIntegrations(db, eq(integrations.id, sql.placeholder('id'))).prepare(),
);

const teamIntegrationRow = preparedPerDatabase((db) =>
  db
    .select()
    .from(integrations)
    .where(and(eq(integrations.id, sql.placeholder('id')), eq(integrations.teamId, sql.placeholder('teamId'))))
    .prepare(),
);

export function linkStateOf(row: IntegrationRow, connection: ConnectionRow): IntegrationLinkState {
  if (row.unlinkedAt || connection.deletedAt) return 'not-linked';
  if (connection.status === 'inactive' || connection.status === 'pending') return 'connection-inactive';
  return 'linked';
}

function toIntegration(
  db: OrgLinkDatabase,
  found: {
    row: IntegrationRow;
    job: typeof jobs.$inferSelect;
    connection: ConnectionRow;
    createdByName: string;
  },
): Integration {
  const { row, job, connection } = found;
  const lastRun = lastRunOf(db).get({ integrationId: row.id });
  return {
    id: row.id,
    connectionId: connection.id,
    connectionName: connection.name,
    catalogHost: row.catalogHost,
    catalogAccountName: row.catalogAccountName,
    target: row.target,
    matchKey: row.matchKey,
    externalIdField: row.externalIdField,
    fieldMap: (row.fieldMap ?? []) as FieldMapping[],
    schedule: job.schedule,
    linkState: linkStateOf(row, connection),
    problem: row.problem,
    jobId: row.jobId,
    lastRun: lastRun ? runToApi(lastRun) : null,
    createdBy: found.createdByName,
    createdAt: row.createdAt,
  };
}

export function loadIntegration(db: OrgLinkDatabase, id: string): Integration | undefined {
  const found = integrationById(db).get({ id });
  return found && toIntegration(db, found);
}

export function listIntegrations(
  db: OrgLinkDatabase,
  teamId: string,
  options: { connectionId?: string | undefined; includeUnlinked: boolean },
): Integration[] {
  const conditions: SQL[] = [eq(integrations.teamId, teamId)];
  if (options.connectionId) conditions.push(eq(jobs.connectionId, options.connectionId));
  if (!options.includeUnlinked) conditions.push(isNull(integrations.unlinkedAt));
  return selectIntegrations(db, and(...conditions))
    .orderBy(asc(integrations.createdAt), asc(integrations.catalogHost))
    .all()
    .map((found) => toIntegration(db, found));
}

/** A row of the team, unlinked or not; another team's id is simply not found. */
export function findIntegrationRow(db: OrgLinkDatabase, teamId: string, id: string): IntegrationRow | undefined {
  return teamIntegrationRow(db).get({ id, teamId });
}

/** The live link of this Catalog account to this connection, if any. */
export function liveIntegrationFor(
  db: OrgLinkDatabase,
  catalogHost: string,
  connectionId: string,
): IntegrationRow | undefined {
  return db
    .select({ row: integrations })
    .from(integrations)
    .innerJoin(jobs, eq(jobs.id, integrations.jobId))
    .where(
      and(
        eq(integrations.catalogHost, catalogHost),
        eq(jobs.connectionId, connectionId),
        isNull(integrations.unlinkedAt),
      ),
    )
    .get()?.row;
}
