import { and, asc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../db/database.ts';
import { connections, jobRuns } from '../db/schema.ts';
import { preparedPerDatabase } from '../domain/prepared-queries.ts';
import type { RunRow } from '../domain/runs/run-view.ts';

/**
 * job_runs rows are the queue. A worker owns a run while its lease is fresh; a lease that ran out means the process
 * that held it died (a crash, kill -9), so any worker may take the run again and resume it from its checkpoint.
 * SQLite serialises writers, so the single UPDATE ... WHERE id = (SELECT ...) claim cannot hand one run to two workers.
 */
const iso = (ms: number) => new Date(ms).toISOString();

export function claimNextRun(
  db: OrgLinkDatabase,
  owner: string,
  leaseMs: number,
  now = Date.now(),
): RunRow | undefined {
  const nowIso = iso(now);
  const candidate = db
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .where(
      or(
        eq(jobRuns.status, 'queued'),
        and(eq(jobRuns.status, 'running'), or(isNull(jobRuns.leaseExpiresAt), lt(jobRuns.leaseExpiresAt, nowIso))),
      ),
    )
    .orderBy(asc(jobRuns.queuedAt))
    .limit(1)
    .get();
  if (!candidate) return undefined;
  return db
    .update(jobRuns)
    .set({
      status: 'running',
      leaseOwner: owner,
      leaseExpiresAt: iso(now + leaseMs),
      startedAt: sql`coalesce(${jobRuns.startedAt}, ${nowIso})`,
    })
    .where(
      and(
        eq(jobRuns.id, candidate.id),
        or(
          eq(jobRuns.status, 'queued'),
          and(eq(jobRuns.status, 'running'), or(isNull(jobRuns.leaseExpiresAt), lt(jobRuns.leaseExpiresAt, nowIso))),
        ),
      ),
    )
    .returning()
    .get();
}

/** Extends the lease; false when another worker took the run over (this one must stop touching it). */
export function renewLease(db: OrgLinkDatabase, runId: string, owner: string, leaseMs: number): boolean {
  const renewed = db
    .update(jobRuns)
    .set({ leaseExpiresAt: iso(Date.now() + leaseMs) })
    .where(and(eq(jobRuns.id, runId), eq(jobRuns.leaseOwner, owner), eq(jobRuns.status, 'running')))
    .run();
  return renewed.changes === 1;
}

const runByIdQuery = preparedPerDatabase((db) =>
  db
    .select()
    .from(jobRuns)
    .where(eq(jobRuns.id, sql.placeholder('runId')))
    .prepare(),
);

/** Read at every progress event and safe point of a running job. */
export function runById(db: OrgLinkDatabase, runId: string): RunRow | undefined {
  return runByIdQuery(db).get({ runId });
}

/**
 * Runs waiting in Holding whose connection works again go back to the queue; returns them. Runs waiting for an
 * admin to start them (auto-run off) stay.
 */
export function releaseHoldingRuns(db: OrgLinkDatabase): RunRow[] {
  const ready = db
    .select({ id: jobRuns.id })
    .from(jobRuns)
    .innerJoin(connections, eq(connections.id, jobRuns.connectionId))
    .where(
      and(
        eq(jobRuns.status, 'holding'),
        eq(jobRuns.awaitingStart, false),
        eq(connections.status, 'active'),
        isNull(connections.deletedAt),
      ),
    )
    .all();
  if (ready.length === 0) return [];
  return db
    .update(jobRuns)
    .set({ status: 'queued', leaseOwner: null, leaseExpiresAt: null })
    .where(
      and(
        inArray(
          jobRuns.id,
          ready.map((row) => row.id),
        ),
        eq(jobRuns.status, 'holding'),
      ),
    )
    .returning()
    .all();
}

export type RunUpdate = Partial<Omit<RunRow, 'id' | 'teamId'>>;

/** Writes a change only while this worker still holds the run. */
export function updateOwnedRun(
  db: OrgLinkDatabase,
  runId: string,
  owner: string,
  update: RunUpdate,
): RunRow | undefined {
  return db
    .update(jobRuns)
    .set(update)
    .where(and(eq(jobRuns.id, runId), eq(jobRuns.leaseOwner, owner)))
    .returning()
    .get();
}
