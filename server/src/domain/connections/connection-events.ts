import type { OrgLinkDatabase } from '../../db/database.ts';
import type { TeamEvents } from '../../plugins/events.ts';
import { loadJob } from '../jobs/job-repository.ts';
import { connectionRowById, loadConnection } from './connection-repository.ts';

export interface EventDeps {
  db: OrgLinkDatabase;
  events: TeamEvents;
}

/** Published after the change is committed, so a client that re-reads on the event sees the new state. */
export function publishConnectionChanged(deps: EventDeps, connectionId: string): void {
  const teamId = connectionRowById(deps.db, connectionId)?.teamId;
  const connection = loadConnection(deps.db, connectionId);
  if (teamId && connection) deps.events.publish(teamId, { type: 'connection.changed', connection });
}

export function publishConnectionDeleted(deps: EventDeps, teamId: string, connectionId: string): void {
  deps.events.publish(teamId, { type: 'connection.deleted', connectionId });
}

export function publishJobsChanged(deps: EventDeps, teamId: string, jobIds: readonly string[]): void {
  for (const id of jobIds) {
    const job = loadJob(deps.db, id);
    if (job) deps.events.publish(teamId, { type: 'job.changed', job });
  }
}
