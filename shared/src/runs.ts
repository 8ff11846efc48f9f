import { type Static, Type } from 'typebox';
import { DcRunSummary } from './dedupe.ts';
import { Job, JobKind } from './jobs.ts';

export const RunStatus = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('holding'),
  Type.Literal('completed'),
  Type.Literal('completed-with-errors'),
  Type.Literal('failed'),
  Type.Literal('aborted'),
]);
export type RunStatus = Static<typeof RunStatus>;
export const FINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'completed-with-errors', 'failed', 'aborted'];

export const RunTrigger = Type.Union([Type.Literal('manual'), Type.Literal('schedule'), Type.Literal('catch-up')]);

export const RunCounts = Type.Object({
  total: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: 'null until the source is counted.' }),
  processed: Type.Integer({ minimum: 0 }),
  created: Type.Integer({ minimum: 0 }),
  updated: Type.Integer({ minimum: 0 }),
  unchanged: Type.Integer({ minimum: 0 }),
  /** Delete activities only. */
  deleted: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
});
export type RunCounts = Static<typeof RunCounts>;

export const JobRun = Type.Object(
  {
    id: Type.String(),
    jobId: Type.Union([Type.String(), Type.Null()]),
    kind: JobKind,
    /** What ran, for the history: the integration's Catalog host, the job's name. */
    title: Type.String(),
    connectionId: Type.String(),
    /** Kept on the run so history outlives the connection. */
    connectionName: Type.String(),
    integrationId: Type.Union([Type.String(), Type.Null()]),
    status: RunStatus,
    trigger: RunTrigger,
    counts: RunCounts,
    /** CRM API calls this run used, by kind (e.g. bulk-ingest, composite, query). */
    apiCalls: Type.Record(Type.String(), Type.Integer({ minimum: 0 })),
    /** Records per second over the run so far. */
    rate: Type.Union([Type.Number({ minimum: 0 }), Type.Null()]),
    /** Display name of who started it; null for scheduled and catch-up runs. */
    startedBy: Type.Union([Type.String(), Type.Null()]),
    queuedAt: Type.String({ format: 'date-time' }),
    startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    errorCode: Type.Union([Type.String(), Type.Null()]),
    errorMessage: Type.Union([Type.String(), Type.Null()]),
    /** Duplicate Check runs: what was read, scored and found. */
    duplicates: Type.Optional(Type.Union([DcRunSummary, Type.Null()])),
    /** While running, what the run does when its counts stand still, e.g. "Matching: scoring candidate pairs, 45%". */
    stage: Type.Optional(Type.String()),
    /** A scheduled Duplicate Check held because the connection's auto-run setting is off: an admin starts it. */
    awaitingStart: Type.Optional(Type.Boolean()),
  },
  { title: 'JobRun' },
);
export type JobRun = Static<typeof JobRun>;

export const RunListQuery = Type.Object(
  {
    connection: Type.Optional(Type.String()),
    integration: Type.Optional(Type.String()),
    kind: Type.Optional(JobKind),
    status: Type.Optional(RunStatus),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type RunListQuery = Static<typeof RunListQuery>;
export const RunList = Type.Object({ runs: Type.Array(JobRun), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type RunList = Static<typeof RunList>;

export const RunErrorCode = {
  NotFound: 'RUN_NOT_FOUND',
  AlreadyActive: 'RUN_ALREADY_ACTIVE',
  AlreadyFinished: 'RUN_ALREADY_FINISHED',
  CursorInvalid: 'RUN_CURSOR_INVALID',
  JobNotRunnable: 'RUN_JOB_NOT_RUNNABLE',
  /** Per-record and run-level failure codes written to run_records / job_runs.error_code. */
  CatalogTokenRejected: 'CATALOG_TOKEN_REJECTED',
  CatalogUnavailable: 'CATALOG_UNAVAILABLE',
  RequestLimitExceeded: 'REQUEST_LIMIT_EXCEEDED',
  CrmUnavailable: 'CRM_UNAVAILABLE',
  DuplicateEmail: 'DUPLICATE_EMAIL',
  Internal: 'RUN_FAILED',
} as const;

/** `POST /api/dc/jobs`: the job, and its run when it runs now (no schedule). */
export const CreateDcJobResponse = Type.Object({ job: Job, run: Type.Union([JobRun, Type.Null()]) });
export type CreateDcJobResponse = Static<typeof CreateDcJobResponse>;
