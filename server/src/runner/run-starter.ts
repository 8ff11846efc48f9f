import { randomUUID } from 'node:crypto';
import { type JobRun, RunErrorCode } from '@orglink/shared';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { connections, integrations, jobRuns, jobs, users } from '../db/schema.ts';
import { type RunRow, runToApi } from '../domain/runs/run-view.ts';
import { ApiError } from '../http-errors.ts';

export interface EnqueueRequest {
  jobId: string;
  trigger: 'manual' | 'schedule' | 'catch-up';
  startedBy: string | null;
  /** Scheduled runs: the due time they stand for (one run per job and due time, across restarts). */
  dueAt?: string;
  /** An id chosen by the caller (activities name their input file after the run before queueing it). */
  runId?: string;
}

const ACTIVE: RunRow['status'][] = ['queued', 'running', 'holding'];

/**
 * Puts a run of a job in the queue. A run waits in 'holding' from the start when its connection is paused or
 * inactive, so the history shows why nothing happens. Returns undefined for a scheduled due time that already has its
 * run (the unique (job, due_at) index makes that exact across restarts and processes) or that a queued run not yet
 * started will cover.
 */
export function insertRun(app: FastifyInstance, request: EnqueueRequest): RunRow | undefined {
  const job = app.db.select().from(jobs).where(eq(jobs.id, request.jobId)).get();
  if (!job) throw new ApiError(404, RunErrorCode.JobNotRunnable, 'There is no such job. Reload the list.');
  const integration =
    job.kind === 'write'
      ? app.db
          .select()
          .from(integrations)
          .where(and(eq(integrations.jobId, job.id), isNull(integrations.unlinkedAt)))
          .get()
      : undefined;
  if (job.kind === 'write' && !integration) {
    throw new ApiError(
      409,
      RunErrorCode.JobNotRunnable,
      'The integration of this write job is unlinked. Link it again to run it.',
    );
  }
  const active = app.db
    .select({ id: jobRuns.id, status: jobRuns.status })
    .from(jobRuns)
    .where(and(eq(jobRuns.jobId, job.id), inArray(jobRuns.status, ACTIVE)))
    .get();
  if (active && request.trigger !== 'manual') {
    // A run that has not started yet reads Catalog when it starts, so it does this due time's work too. A run
    // already under way may have read past the changes made since: the due time gets its own run, queued behind it.
    if (active.status !== 'running') {
      app.log.info(
        { jobId: job.id, dueAt: request.dueAt, coveredBy: active.id },
        'due time covered by a run not yet started',
      );
      return undefined;
    }
  } else if (active) {
    throw new ApiError(
      409,
      RunErrorCode.AlreadyActive,
      'A run of this job is already queued, running or waiting in Holding. Wait for it to finish, start it (a held Duplicate Check) or abort it first.',
      { runId: active.id },
    );
  }
  const connection = app.db.select().from(connections).where(eq(connections.id, job.connectionId)).get();
  if (!connection || connection.deletedAt) {
    throw new ApiError(
      409,
      RunErrorCode.JobNotRunnable,
      'The connection of this job was deleted. Link the integration to a connection.',
    );
  }
  const usable = connection.status === 'active';
  // "Auto-run Duplicate Check jobs" off: a scheduled check waits for an admin instead of running by itself.
  const awaitingStart =
    job.kind === 'duplicate-check' && request.trigger !== 'manual' && !connection.autoRunDuplicateCheck;
  const waitingFor = awaitingStart
    ? `Waiting for an admin to start it: "Auto-run Duplicate Check jobs" is off for "${connection.name}".`
    : `Waiting for "${connection.name}" (${connection.status}) to be active again.`;
  const row = app.db
    .insert(jobRuns)
    .values({
      id: request.runId ?? `run_${randomUUID()}`,
      teamId: job.teamId,
      jobId: job.id,
      kind: job.kind,
      title: integration?.catalogHost ?? job.name,
      connectionId: connection.id,
      connectionName: connection.name,
      integrationId: integration?.id ?? null,
      status: usable && !awaitingStart ? 'queued' : 'holding',
      awaitingStart,
      trigger: request.trigger,
      dueAt: request.dueAt ?? null,
      startedBy: request.startedBy,
      startedByName: request.startedBy
        ? (app.db.select({ name: users.displayName }).from(users).where(eq(users.id, request.startedBy)).get()?.name ??
          null)
        : null,
      queuedAt: new Date().toISOString(),
      errorMessage: usable && !awaitingStart ? null : waitingFor,
    })
    .onConflictDoNothing()
    .returning()
    .get();
  return row;
}

export function publishRun(app: FastifyInstance, row: RunRow): JobRun {
  const run = runToApi(row);
  app.events.publish(row.teamId, { type: 'run.changed', run });
  return run;
}
