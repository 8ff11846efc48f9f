import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ConnectionErrorCode, type JobRun, RunErrorCode } from '@orglink/shared';
import { and, eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CrmAuthorizationLost } from '../crm/crm-client.ts';
import { databaseUnavailable } from '../db/database-errors.ts';
import { connections, integrations, jobRuns } from '../db/schema.ts';
import type { RunRow } from '../domain/runs/run-view.ts';
import { ApiError } from '../http-errors.ts';
import { runActivity } from './activity-job.ts';
import { runDuplicateCheck } from './duplicate-check-job.ts';
import { LeaseLost, RunnerStopping, RunProgress } from './run-progress.ts';
import { claimNextRun, releaseHoldingRuns, renewLease, runById, updateOwnedRun } from './run-queue.ts';
import { type EnqueueRequest, insertRun, publishRun } from './run-starter.ts';
import { Scheduler } from './scheduler.ts';
import { WorkerPool } from './worker-pool.ts';
import { runWriteJob } from './write-job.ts';
import { RunAborted, RunFailure, RunHeld } from './write-types.ts';

export interface RunnerOptions {
  /** How long a claimed run stays ours without renewal; a crashed server's runs are taken again after it. */
  leaseMs?: number;
  pollMs?: number;
}

/**
 * Executes queued runs, one at a time, in the server process (the network waits are async; the CPU work goes to the
 * worker pool). Claims with a lease that is renewed while the run goes, so a crashed server's runs are resumed by the
 * next start, and checks Holding runs back into the queue when their connection is active again.
 */
export class Runner {
  readonly owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly #app: FastifyInstance;
  readonly #leaseMs: number;
  readonly #pollMs: number;
  readonly #pool = new WorkerPool();
  readonly scheduler: Scheduler;
  #loop: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #current: string | undefined;

  constructor(app: FastifyInstance, options: RunnerOptions = {}) {
    this.#app = app;
    this.#leaseMs = options.leaseMs ?? 10_000;
    this.#pollMs = options.pollMs ?? 1_000;
    this.scheduler = new Scheduler(app, (request) => this.#enqueueScheduled(request));
  }

  /** Queues a run of a job (Run Write Job, the scheduler) and starts it as soon as the worker is free. */
  enqueue(request: EnqueueRequest): JobRun {
    const row = insertRun(this.#app, request);
    if (!row) {
      throw new ApiError(409, RunErrorCode.AlreadyActive, 'This due time already has its run.');
    }
    this.kick();
    return publishRun(this.#app, row);
  }

  #enqueueScheduled(request: EnqueueRequest): JobRun | undefined {
    try {
      const row = insertRun(this.#app, request);
      if (!row) return undefined;
      this.kick();
      return publishRun(this.#app, row);
    } catch (error) {
      this.#app.log.warn({ jobId: request.jobId, err: error }, 'scheduled run not queued');
      return undefined;
    }
  }

  /**
   * Asks a run to stop. A queued or holding run ends at once; a running one stops at its next safe point (between
   * pages and write batches), keeping every record it already wrote.
   */
  abort(runId: string, teamId?: string): JobRun {
    const row = runById(this.#app.db, runId);
    if (!row || (teamId && row.teamId !== teamId)) {
      throw new ApiError(404, RunErrorCode.NotFound, 'There is no such run in your team. Reload the job history.');
    }
    if (['completed', 'completed-with-errors', 'failed', 'aborted'].includes(row.status)) {
      throw new ApiError(
        409,
        RunErrorCode.AlreadyFinished,
        `This run already ended (${row.status}); nothing to abort.`,
      );
    }
    const now = new Date().toISOString();
    const updated =
      row.status === 'running'
        ? this.#app.db.update(jobRuns).set({ abortRequested: true }).where(eq(jobRuns.id, runId)).returning().get()
        : this.#app.db
            .update(jobRuns)
            .set({ abortRequested: true, status: 'aborted', finishedAt: now, leaseOwner: null, leaseExpiresAt: null })
            .where(and(eq(jobRuns.id, runId), eq(jobRuns.status, row.status)))
            .returning()
            .get();
    return publishRun(this.#app, updated ?? row);
  }

  /** An admin starts a scheduled Duplicate Check that auto-run held: it queues (or waits for its connection). */
  startAwaiting(runId: string): JobRun {
    const row = this.#app.db
      .update(jobRuns)
      .set({ awaitingStart: false, errorMessage: null })
      .where(and(eq(jobRuns.id, runId), eq(jobRuns.status, 'holding'), eq(jobRuns.awaitingStart, true)))
      .returning()
      .get();
    if (!row) throw new ApiError(409, RunErrorCode.AlreadyActive, 'This run was started or ended meanwhile. Reload.');
    // releaseHoldingRuns queues it when the connection is active; otherwise it waits for the connection, as any run,
    // and says so.
    for (const released of releaseHoldingRuns(this.#app.db)) publishRun(this.#app, released);
    const connection = this.#app.db.select().from(connections).where(eq(connections.id, row.connectionId)).get();
    if (connection && connection.status !== 'active') {
      this.#app.db
        .update(jobRuns)
        .set({ errorMessage: `Waiting for "${connection.name}" (${connection.status}) to be active again.` })
        .where(and(eq(jobRuns.id, runId), eq(jobRuns.status, 'holding')))
        .run();
    }
    this.kick();
    return publishRun(this.#app, runById(this.#app.db, runId) ?? row);
  }

  start() {
    if (this.#loop) return;
    this.#stopping = false;
    this.#loop = this.#work();
    this.scheduler.start();
  }

  async stop() {
    this.#stopping = true;
    this.scheduler.stop();
    this.#wake?.();
    await this.#loop;
    this.#loop = undefined;
    await this.#pool.close();
  }

  kick() {
    this.#wake?.();
  }

  get currentRunId(): string | undefined {
    return this.#current;
  }

  async #work() {
    while (!this.#stopping) {
      try {
        for (const row of releaseHoldingRuns(this.#app.db)) publishRun(this.#app, row);
        const run = claimNextRun(this.#app.db, this.owner, this.#leaseMs);
        if (run) {
          await this.#execute(run);
          continue;
        }
      } catch (error) {
        this.#app.log.error({ err: error }, 'the runner loop met an error; it keeps going');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  async #execute(run: RunRow) {
    const { db, log } = this.#app;
    const connection = db.select().from(connections).where(eq(connections.id, run.connectionId)).get();
    if (!connection || connection.deletedAt || connection.status !== 'active') {
      const waiting = connection && !connection.deletedAt;
      const row = updateOwnedRun(db, run.id, this.owner, {
        status: waiting ? 'holding' : 'failed',
        leaseOwner: null,
        leaseExpiresAt: null,
        ...(waiting
          ? { errorMessage: `Waiting for "${connection.name}" (${connection.status}) to be active again.` }
          : {
              finishedAt: new Date().toISOString(),
              errorCode: RunErrorCode.JobNotRunnable,
              errorMessage: 'The connection of this run was deleted.',
            }),
      });
      if (row) publishRun(this.#app, row);
      return;
    }
    this.#current = run.id;
    const progress = new RunProgress(this.#app, { ...run, errorMessage: null }, this.owner, () => this.#stopping);
    // A write run counts only what it recorded: resumed, it starts from its records, not from counts a crashed
    // attempt stored (an older server stored Bulk progress not yet recorded, which resumed runs counted twice).
    if (run.kind === 'write') progress.recountFromRecords();
    progress.publish(true);
    let leaseLost = false;
    const renewal = setInterval(
      () => {
        if (!renewLease(db, run.id, this.owner, this.#leaseMs)) leaseLost = true;
      },
      Math.max(250, Math.floor(this.#leaseMs / 3)),
    );
    const finish = (update: Parameters<typeof updateOwnedRun>[3]) => {
      if (leaseLost) return;
      const row = updateOwnedRun(db, run.id, this.owner, {
        ...update,
        apiCalls: { ...progress.apiCalls },
        stage: null,
        leaseOwner: null,
        leaseExpiresAt: null,
      });
      if (row) publishRun(this.#app, row);
    };
    const ended = (status: RunRow['status'], errorCode: string | null = null, errorMessage: string | null = null) =>
      finish({ status, errorCode, errorMessage, finishedAt: new Date().toISOString(), checkpoint: null });
    try {
      const status =
        run.kind === 'activity'
          ? await runActivity(this.#app, progress)
          : run.kind === 'duplicate-check'
            ? await runDuplicateCheck(this.#app, progress)
            : await runWriteJob(this.#app, progress, this.#pool);
      ended(status);
      this.#setProblem(run, null);
    } catch (error) {
      if (error instanceof LeaseLost || leaseLost) {
        log.warn({ runId: run.id }, 'another worker took this run over');
      } else if (error instanceof RunnerStopping) {
        // Expire the lease now, so the next start resumes the run without waiting for it to run out.
        finish({ status: 'running' });
      } else if (error instanceof RunAborted) {
        ended('aborted', null, error.message);
      } else if (error instanceof RunHeld) {
        // The checkpoint stays: the queue turns the run back to queued once the connection is active again.
        finish({ status: 'holding', errorMessage: error.message });
      } else if (error instanceof RunFailure) {
        ended('failed', error.code, error.message);
        if (error.code === RunErrorCode.CatalogTokenRejected) this.#setProblem(run, 'Catalog API token rejected');
      } else if (
        error instanceof CrmAuthorizationLost ||
        (error instanceof ApiError && error.code === ConnectionErrorCode.NotAuthorized)
      ) {
        finish({ status: 'holding', errorMessage: `Waiting for the connection: ${(error as Error).message}` });
      } else if (error instanceof ApiError) {
        // A refusal with its own code and words (e.g. the sandbox is unreachable): the admin's to act on, not a bug.
        ended('failed', error.code, error.message);
      } else {
        const database = databaseUnavailable(error);
        if (database) {
          // The machine's problem, not a bug: what the run recorded before stays, and the words say what to fix.
          log.warn({ runId: run.id, sqliteCode: database.sqliteCode }, 'run stopped: database unavailable');
          ended(
            'failed',
            database.code,
            `The run stopped: ${database.problem} What it recorded before is kept; ${database.advice}`,
          );
        } else {
          log.error({ runId: run.id, err: error }, 'run failed');
          ended('failed', RunErrorCode.Internal, `The run stopped: ${(error as Error).message}`);
        }
      }
    } finally {
      clearInterval(renewal);
      this.#current = undefined;
    }
  }

  #setProblem(run: RunRow, problem: string | null) {
    if (!run.integrationId) return;
    this.#app.db
      .update(integrations)
      .set({ problem, updatedAt: new Date().toISOString() })
      .where(eq(integrations.id, run.integrationId))
      .run();
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    runner: Runner;
  }
}

export const runnerPlugin = fp(
  async (app) => {
    const runner = new Runner(app);
    app.decorate('runner', runner);
    app.addHook('onReady', async () => runner.start());
    app.addHook('preClose', () => runner.stop());
  },
  { name: 'runner', dependencies: ['config', 'database', 'secrets', 'events', 'connections', 'integrations'] },
);
