import type { DcRunSummary, JobRun } from '@orglink/shared';
import type { jobRuns } from '../../db/schema.ts';

export type RunRow = typeof jobRuns.$inferSelect;

/** A job_runs row as the API shows it; the rate is derived so that a stalled run visibly slows down. */
export function runToApi(row: RunRow, now = Date.now()): JobRun {
  return {
    id: row.id,
    jobId: row.jobId,
    kind: row.kind,
    title: row.title,
    connectionId: row.connectionId,
    connectionName: row.connectionName,
    integrationId: row.integrationId,
    status: row.status,
    trigger: row.trigger,
    counts: {
      total: row.total,
      processed: row.processed,
      created: row.created,
      updated: row.updated,
      unchanged: row.unchanged,
      deleted: row.deleted,
      failed: row.failed,
    },
    apiCalls: apiCallsOf(row.apiCalls),
    rate: rateOf(row, now),
    // A person's name for the history; scheduled and catch-up runs have none.
    startedBy: row.startedByName,
    queuedAt: row.queuedAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    ...(row.stage && row.status === 'running' ? { stage: row.stage } : {}),
    ...(row.kind === 'duplicate-check'
      ? { duplicates: (row.summary as DcRunSummary | null) ?? null, awaitingStart: row.awaitingStart }
      : {}),
  };
}

function apiCallsOf(value: unknown): Record<string, number> {
  const calls: Record<string, number> = {};
  if (value && typeof value === 'object') {
    for (const [kind, count] of Object.entries(value)) {
      if (typeof count === 'number' && Number.isInteger(count) && count >= 0) calls[kind] = count;
    }
  }
  return calls;
}

function rateOf(row: RunRow, now: number): number | null {
  if (!row.startedAt || row.processed === 0) return null;
  const end = row.finishedAt ? Date.parse(row.finishedAt) : now;
  const seconds = (end - Date.parse(row.startedAt)) / 1000;
  if (!(seconds > 0)) return null;
  return Math.round((row.processed / seconds) * 10) / 10;
}
