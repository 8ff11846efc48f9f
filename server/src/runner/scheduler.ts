import type { JobRun } from '@orglink/shared';
import { Cron } from 'croner';
import { and, eq, inArray, isNotNull, max } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { jobRuns, jobs } from '../db/schema.ts';
import type { EnqueueRequest } from './run-starter.ts';

const REFRESH_MS = 15_000;
/** A schedule that fires every minute over a week-long outage still needs only its last due time. */
const MAX_CATCH_UP_STEPS = 20_000;

/**
 * Turns write-job and Duplicate Check schedules (cron, UTC) into runs. Each due time is enqueued with its `due_at`; the unique
 * (job_id, due_at) index makes it exactly one run per due time even across restarts or a second process. At start, a
 * due time missed while the server was down is run once (trigger 'catch-up'), only the latest one. Jobs in Holding
 * or disabled queue nothing: a run that could only wait would pile up behind the connection, and the job catches up
 * on its next due time after re-authorizing.
 */
export class Scheduler {
  readonly #app: FastifyInstance;
  readonly #enqueue: (request: EnqueueRequest) => JobRun | undefined;
  readonly #crons = new Map<string, { schedule: string; cron: Cron }>();
  #refresh: NodeJS.Timeout | undefined;

  constructor(app: FastifyInstance, enqueue: (request: EnqueueRequest) => JobRun | undefined) {
    this.#app = app;
    this.#enqueue = enqueue;
  }

  start() {
    this.catchUp();
    this.refresh();
    this.#refresh = setInterval(() => this.refresh(), REFRESH_MS);
    this.#refresh.unref();
  }

  stop() {
    clearInterval(this.#refresh);
    for (const { cron } of this.#crons.values()) cron.stop();
    this.#crons.clear();
  }

  /** Brings the timers in line with the jobs table (new, changed, held or removed schedules). */
  refresh() {
    const wanted = new Map(this.#scheduledJobs().map((job) => [job.id, job.schedule]));
    for (const [jobId, entry] of this.#crons) {
      if (wanted.get(jobId) !== entry.schedule) {
        entry.cron.stop();
        this.#crons.delete(jobId);
      }
    }
    for (const [jobId, schedule] of wanted) {
      if (this.#crons.has(jobId)) continue;
      try {
        const cron = new Cron(schedule, { timezone: 'UTC', unref: true }, () => this.#fire(jobId, schedule));
        this.#crons.set(jobId, { schedule, cron });
      } catch (error) {
        this.#app.log.warn({ jobId, schedule, err: error }, 'a job has an unreadable schedule; it is not scheduled');
      }
    }
  }

  /** Queues the latest due time each job missed since its last scheduled run (or since it was created). */
  catchUp(now = new Date()): JobRun[] {
    const queued: JobRun[] = [];
    for (const job of this.#scheduledJobs()) {
      const last = this.#app.db
        .select({ dueAt: max(jobRuns.dueAt) })
        .from(jobRuns)
        .where(and(eq(jobRuns.jobId, job.id), isNotNull(jobRuns.dueAt)))
        .get()?.dueAt;
      const missed = latestDueTime(job.schedule, new Date(last ?? job.createdAt), now);
      if (!missed) continue;
      const run = this.#enqueue({ jobId: job.id, trigger: 'catch-up', startedBy: null, dueAt: missed.toISOString() });
      if (run) queued.push(run);
    }
    return queued;
  }

  #fire(jobId: string, schedule: string) {
    const job = this.#app.db.select().from(jobs).where(eq(jobs.id, jobId)).get();
    if (job?.state !== 'active' || job.schedule !== schedule) return;
    // Due times are whole minutes (five-field cron): the minute is the due time, whenever in it the timer fired.
    const dueAt = new Date(Math.floor(Date.now() / 60_000) * 60_000).toISOString();
    this.#enqueue({ jobId, trigger: 'schedule', startedBy: null, dueAt });
  }

  #scheduledJobs(): { id: string; schedule: string; createdAt: string }[] {
    return this.#app.db
      .select({ id: jobs.id, schedule: jobs.schedule, createdAt: jobs.createdAt })
      .from(jobs)
      .where(and(inArray(jobs.kind, ['write', 'duplicate-check']), eq(jobs.state, 'active'), isNotNull(jobs.schedule)))
      .all()
      .flatMap((job) => (job.schedule ? [{ ...job, schedule: job.schedule }] : []));
  }
}

/** The last due time of `schedule` after `since` and not after `now`, or undefined when none fell in between. */
export function latestDueTime(schedule: string, since: Date, now: Date): Date | undefined {
  let cron: Cron;
  try {
    cron = new Cron(schedule, { timezone: 'UTC', paused: true });
  } catch {
    return undefined;
  }
  let latest: Date | undefined;
  let cursor: Date | null = cron.nextRun(since);
  for (let step = 0; cursor && cursor <= now && step < MAX_CATCH_UP_STEPS; step += 1) {
    latest = cursor;
    cursor = cron.nextRun(cursor);
  }
  return latest;
}
