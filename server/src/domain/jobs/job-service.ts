import { randomUUID } from 'node:crypto';
import { ConnectionErrorCode, type CreateJobRequest, type Job, JobErrorCode } from '@orglink/shared';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { jobs } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { type EventDeps, publishJobsChanged } from '../connections/connection-events.ts';
import { type ConnectionRow, findConnectionRow } from '../connections/connection-repository.ts';
import { scenariosForJob } from '../dedupe/scenario-service.ts';
import type { Caller } from '../teams/team-service.ts';
import { loadJob } from './job-repository.ts';
import { validateSchedule } from './job-schedule.ts';

/** Why a job cannot be defined on this connection now, or undefined when it can. */
export function unusableBecause(status: string, name: string, reason: string | null): string | undefined {
  switch (status) {
    case 'active':
      return undefined;
    case 'paused':
      return `The connection "${name}" is paused. Activate it first, then define the job.`;
    case 'inactive':
      return `The connection "${name}" is inactive${reason ? ` (${reason})` : ''}. Re-authorize it first, then define the job.`;
    default:
      return `The connection "${name}" has not finished signing in. Complete the sign-in first, then define the job.`;
  }
}

/**
 * Defines a scheduled job. Running it is not part of this version: the runner that executes due jobs arrives with
 * the features that do the work (duplicate check, sync); until then a job's state shows whether it would run.
 */
/** The caller's connection a job is defined on or run against, refused (404 / 409) unless it is live and active. */
export function usableJobConnection(db: OrgLinkDatabase, caller: Caller, connectionId: string): ConnectionRow {
  const connection = findConnectionRow(db, caller.teamId, connectionId);
  if (!connection) {
    throw new ApiError(
      404,
      ConnectionErrorCode.NotFound,
      'There is no such connection in your team. Pick one from the Connections list.',
    );
  }
  if (connection.deletedAt) {
    throw new ApiError(
      409,
      JobErrorCode.ConnectionNotUsable,
      `The connection "${connection.name}" was deleted. Choose a live connection.`,
    );
  }
  const problem = unusableBecause(connection.status, connection.name, connection.statusReason);
  if (problem) throw new ApiError(409, JobErrorCode.ConnectionNotUsable, problem);
  return connection;
}

export function createJob(deps: EventDeps, caller: Caller, input: CreateJobRequest): Job {
  const connection = usableJobConnection(deps.db, caller, input.connectionId);
  const name = input.name.trim();
  if (!name) throw new ApiError(400, 'VALIDATION_FAILED', 'Give the job a name of 1 to 80 characters.');
  const { schedule } = validateSchedule(input.schedule);
  scenariosForJob(deps.db, caller.teamId, input.config.object, input.config.scenarioIds);

  const id = randomUUID();
  deps.db
    .insert(jobs)
    .values({
      id,
      teamId: caller.teamId,
      connectionId: connection.id,
      kind: input.kind,
      name,
      config: input.config,
      schedule,
      state: 'active',
      createdBy: caller.userId,
      createdAt: new Date().toISOString(),
    })
    .run();
  publishJobsChanged(deps, caller.teamId, [id]);
  const job = loadJob(deps.db, id);
  if (!job) throw new Error(`job ${id} vanished after insert`);
  return job;
}
