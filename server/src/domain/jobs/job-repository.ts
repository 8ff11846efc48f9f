import type { Job } from '@orglink/shared';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { jobs } from '../../db/schema.ts';
import { preparedPerShape } from '../prepared-queries.ts';

export type JobRow = typeof jobs.$inferSelect;

function toJob(row: JobRow): Job {
  return {
    id: row.id,
    connectionId: row.connectionId,
    kind: row.kind,
    name: row.name,
    schedule: row.schedule,
    state: row.state,
    stateReason: row.stateReason,
    config: (row.config ?? {}) as Record<string, unknown>,
    createdAt: row.createdAt,
  };
}

export function loadJob(db: OrgLinkDatabase, id: string): Job | undefined {
  const row = db.select().from(jobs).where(eq(jobs.id, id)).get();
  return row && toJob(row);
}

export function findTeamJob(db: OrgLinkDatabase, teamId: string, id: string): Job | undefined {
  const row = db
    .select()
    .from(jobs)
    .where(and(eq(jobs.id, id), eq(jobs.teamId, teamId)))
    .get();
  return row && toJob(row);
}

const teamJobs = preparedPerShape((db, shape) => {
  const team = eq(jobs.teamId, sql.placeholder('teamId'));
  return db
    .select()
    .from(jobs)
    .where(shape === 'connection' ? and(team, eq(jobs.connectionId, sql.placeholder('connectionId'))) : team)
    .orderBy(asc(jobs.createdAt), asc(jobs.name))
    .prepare();
});

export function listJobs(db: OrgLinkDatabase, teamId: string, connectionId: string | undefined): Job[] {
  return teamJobs(db, connectionId ? 'connection' : 'team')
    .all({ teamId, connectionId })
    .map(toJob);
}
