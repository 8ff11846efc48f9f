import { and, eq, inArray, isNotNull, ne } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { jobs } from '../../db/schema.ts';

/**
 * How a connection's state carries over to its jobs. Each returns the ids it changed, so the caller can publish
 * job.changed for exactly those once its transaction is committed.
 */

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);
const now = () => new Date().toISOString();

/** The connection stopped working: its scheduled jobs wait in Holding instead of failing on every due time. */
export function holdScheduledJobs(db: OrgLinkDatabase, connectionId: string, reason: string): string[] {
  return ids(
    db
      .update(jobs)
      .set({ state: 'holding', stateReason: reason, updatedAt: now() })
      .where(and(eq(jobs.connectionId, connectionId), eq(jobs.state, 'active'), isNotNull(jobs.schedule)))
      .returning({ id: jobs.id })
      .all(),
  );
}

/** The connection works again: the jobs it held go back on their schedules. */
export function releaseHeldJobs(db: OrgLinkDatabase, connectionId: string): string[] {
  return ids(
    db
      .update(jobs)
      .set({ state: 'active', stateReason: null, updatedAt: now() })
      .where(and(eq(jobs.connectionId, connectionId), eq(jobs.state, 'holding')))
      .returning({ id: jobs.id })
      .all(),
  );
}

export function disableJobs(db: OrgLinkDatabase, connectionId: string, reason: string): string[] {
  return ids(
    db
      .update(jobs)
      .set({ state: 'disabled', stateReason: reason, updatedAt: now() })
      .where(and(eq(jobs.connectionId, connectionId), ne(jobs.state, 'disabled')))
      .returning({ id: jobs.id })
      .all(),
  );
}

/** A new connection to the same org takes the old one's jobs over. */
export function moveJobs(db: OrgLinkDatabase, fromConnectionId: string, toConnectionId: string): string[] {
  const moved = ids(db.select({ id: jobs.id }).from(jobs).where(eq(jobs.connectionId, fromConnectionId)).all());
  if (moved.length) {
    db.update(jobs).set({ connectionId: toConnectionId, updatedAt: now() }).where(inArray(jobs.id, moved)).run();
  }
  return moved;
}
