import { eq } from 'drizzle-orm';
import { connections } from '../../db/schema.ts';
import { holdScheduledJobs } from '../jobs/connection-jobs.ts';
import { type EventDeps, publishConnectionChanged, publishJobsChanged } from './connection-events.ts';
import { connectionRowById } from './connection-repository.ts';

export const SANDBOX_REFRESHED_REASON = 'sandbox refreshed: Org ID changed';

export function holdingReason(connectionName: string, reason: string): string {
  return `Holding: the connection "${connectionName}" is inactive (${reason}). Re-authorize it to resume.`;
}

/**
 * "Connection inactive": the CRM refused the stored tokens for good. The dead tokens are dropped (only a new sign-in
 * helps), the scheduled jobs wait in Holding, and the team hears about both. Only a working connection (active or
 * paused) can become inactive, so a second failure of the same kind changes and publishes nothing.
 */
export function markConnectionInactive(
  deps: EventDeps,
  connectionId: string,
  cause: string,
  remedy = 'Re-authorize the connection.',
): boolean {
  const reason = `OrgLink's tokens no longer work (${cause}). ${remedy}`;
  const changed = deps.db.transaction(() => {
    const row = connectionRowById(deps.db, connectionId);
    if (!row || row.deletedAt || (row.status !== 'active' && row.status !== 'paused')) return undefined;
    deps.db
      .update(connections)
      .set({ status: 'inactive', statusReason: reason, credentials: null, updatedAt: new Date().toISOString() })
      .where(eq(connections.id, connectionId))
      .run();
    return { teamId: row.teamId, jobIds: holdScheduledJobs(deps.db, connectionId, holdingReason(row.name, cause)) };
  });
  if (!changed) return false;
  publishConnectionChanged(deps, connectionId);
  publishJobsChanged(deps, changed.teamId, changed.jobIds);
  return true;
}

/** What an admin does about an inactive connection, by how it logs in. */
export function inactiveRemedy(authMethod: 'oauth' | 'password' | 'client-credentials'): string {
  if (authMethod === 'password') {
    return 'Edit the connection and enter the password and security token again.';
  }
  if (authMethod === 'client-credentials') {
    return 'Edit the connection and enter the consumer key and secret again.';
  }
  return 'Re-authorize the connection.';
}
