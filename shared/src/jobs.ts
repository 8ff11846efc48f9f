import { type Static, Type } from 'typebox';

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
    createdAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Job' },
);
export type Job = Static<typeof Job>;
export const JobList = Type.Object({ jobs: Type.Array(Job) });
