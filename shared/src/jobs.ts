import { type Static, Type } from 'typebox';
import { DcObject } from './dedupe.ts';

export const JobKind = Type.Union([Type.Literal('write'), Type.Literal('duplicate-check'), Type.Literal('activity')]);
export type JobKind = Static<typeof JobKind>;

/** active: runs on its schedule; holding: waits until its connection works again (or an admin starts it). */
export const JobState = Type.Union([Type.Literal('active'), Type.Literal('holding'), Type.Literal('disabled')]);
export type JobState = Static<typeof JobState>;

export const Job = Type.Object(
  {
    id: Type.String(),
    connectionId: Type.String(),
    kind: JobKind,
    name: Type.String(),
    /** A cron expression in UTC, or null for on-demand jobs. */
    schedule: Type.Union([Type.String(), Type.Null()]),
    state: JobState,
    stateReason: Type.Union([Type.String(), Type.Null()]),
    /** What the job does; its shape depends on kind (DuplicateCheckJobConfig for duplicate-check). */
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Job' },
);
export type Job = Static<typeof Job>;
export const JobList = Type.Object({ jobs: Type.Array(Job) });
export type JobList = Static<typeof JobList>;

export const DuplicateCheckJobConfig = Type.Object(
  {
    object: DcObject,
    scenarioIds: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type DuplicateCheckJobConfig = Static<typeof DuplicateCheckJobConfig>;

/** `POST /api/jobs`: define a scheduled job. Only duplicate-check jobs can be defined so far. */
export const CreateJobRequest = Type.Object(
  {
    connectionId: Type.String({ minLength: 1 }),
    kind: Type.Literal('duplicate-check'),
    name: Type.String({ minLength: 1, maxLength: 80 }),
    config: DuplicateCheckJobConfig,
    schedule: Type.String({
      minLength: 1,
      maxLength: 120,
      description: 'A five-field cron expression in UTC, such as "0 0 * * *" (daily at 00:00 UTC).',
    }),
  },
  { additionalProperties: false },
);
export type CreateJobRequest = Static<typeof CreateJobRequest>;

export const JobListQuery = Type.Object(
  { connection: Type.Optional(Type.String({ minLength: 1, description: 'Only the jobs of this connection.' })) },
  { additionalProperties: false },
);

export const JobErrorCode = {
  NotFound: 'JOB_NOT_FOUND',
  ScheduleInvalid: 'JOB_SCHEDULE_INVALID',
  ConnectionNotUsable: 'JOB_CONNECTION_NOT_USABLE',
} as const;
