import type { FastifyInstance } from 'fastify';
import { type RunRow, runToApi } from '../domain/runs/run-view.ts';
import { type RunUpdate, runById, updateOwnedRun } from './run-queue.ts';

export interface RecordOutcome {
  key: string;
  action: 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed';
  targetId: string | null;
  errorCode?: string | null;
  message?: string | null;
  /** For writes that succeeded: the values hash that becomes the record's sync state. */
  hash?: string;
}

/** The server is stopping: the run keeps its checkpoint and is resumed at the next start. */
export class RunnerStopping extends Error {
  override name = 'RunnerStopping';
}

/** Another worker holds the run now (this one's lease ran out): stop without touching it further. */
export class LeaseLost extends Error {
  override name = 'LeaseLost';
}

const PUBLISH_EVERY_MS = 250;

/**
 * A running run's counts, API calls and checkpoint. Record outcomes, their counts and the sync state are written in
 * one transaction, and run_records' primary key (run, source key) makes a record already written by a crashed
 * attempt a no-op: a resumed run neither records nor counts anything twice.
 */
export class RunProgress {
  readonly #app: FastifyInstance;
  readonly #owner: string;
  readonly run: RunRow;
  readonly counts: Pick<RunRow, 'total' | 'processed' | 'created' | 'updated' | 'unchanged' | 'deleted' | 'failed'>;
  readonly apiCalls: Record<string, number>;
  #lastPublished = 0;
  #insertRecord;
  #upsertSync;

  readonly #serverStopping: () => boolean;

  /** `serverStopping` is asked at every safe point too, so a stopping server leaves the run where it can resume. */
  constructor(app: FastifyInstance, run: RunRow, owner: string, serverStopping: () => boolean = () => false) {
    this.#app = app;
    this.#serverStopping = serverStopping;
    this.#owner = owner;
    this.run = run;
    this.counts = {
      total: run.total,
      processed: run.processed,
      created: run.created,
      updated: run.updated,
      unchanged: run.unchanged,
      deleted: run.deleted,
      failed: run.failed,
    };
    this.apiCalls = { ...((run.apiCalls as Record<string, number> | null) ?? {}) };
    const client = app.db.$client;
    this.#insertRecord = client.prepare(
      'insert or ignore into run_records (run_id, source_key, target_id, action, error_code, message) values (?, ?, ?, ?, ?, ?)',
    );
    this.#upsertSync = client.prepare(
      `insert into sync_state (integration_id, source_key, target_id, values_hash, synced_at) values (?, ?, ?, ?, ?)
       on conflict (integration_id, source_key) do update set target_id = excluded.target_id,
       values_hash = excluded.values_hash, synced_at = excluded.synced_at`,
    );
  }

  countCall(kind: string, count = 1) {
    this.apiCalls[kind] = (this.apiCalls[kind] ?? 0) + count;
  }

  /** Source keys this run has already recorded (by an earlier, crashed attempt too). */
  recordedKeys(): Set<string> {
    const rows = this.#app.db.$client
      .prepare('select source_key from run_records where run_id = ?')
      .pluck()
      .all(this.run.id) as string[];
    return new Set(rows);
  }

  record(outcomes: readonly RecordOutcome[]) {
    if (outcomes.length === 0) return;
    const integrationId = this.run.integrationId;
    const now = new Date().toISOString();
    const counts = this.counts;
    const apply = this.#app.db.$client.transaction(() => {
      for (const outcome of outcomes) {
        const inserted = this.#insertRecord.run(
          this.run.id,
          outcome.key,
          outcome.targetId,
          outcome.action,
          outcome.errorCode ?? null,
          outcome.message ?? null,
        );
        if (inserted.changes === 0) continue;
        counts.processed += 1;
        counts[outcome.action] += 1;
        if (integrationId && outcome.hash && (outcome.action === 'created' || outcome.action === 'updated')) {
          this.#upsertSync.run(integrationId, outcome.key, outcome.targetId, outcome.hash, now);
        }
      }
      this.#write({ ...counts, apiCalls: { ...this.apiCalls } });
    });
    apply();
    this.publish();
  }

  /**
   * Counts without a run_records row each: a query's rows (they are the results file) and a Bulk activity's outcomes
   * (Salesforce's own result files are the record of them). Written and published like recorded outcomes.
   */
  count(delta: Partial<Record<'processed' | RecordOutcome['action'], number>>) {
    const counts = this.counts;
    for (const [key, value] of Object.entries(delta) as [keyof typeof delta, number][]) counts[key] += value;
    this.flush();
  }

  /** Counts set outright: a restarted query back to 0, a Bulk job's totals once its result files are read. */
  setCounts(values: Partial<Record<'processed' | RecordOutcome['action'], number>>) {
    Object.assign(this.counts, values);
    this.flush();
  }

  /**
   * Shows records a Bulk job has processed but whose results are not read yet: they count once recorded, but a
   * 100,000-record job should not sit at "0 processed" until then. Throttled like the events. Published only, never
   * stored: a run resumed after a crash or a stop starts from the stored counts and counts these records again as it
   * records them, so a stored figure would end above the total.
   */
  showUnrecorded(count: number) {
    if (Date.now() - this.#lastPublished < PUBLISH_EVERY_MS) return;
    const shown = this.counts.processed + count;
    this.#write({ apiCalls: { ...this.apiCalls } });
    this.publish(true, { processed: this.counts.total ? Math.min(this.counts.total, shown) : shown });
  }

  /**
   * Sets the counts from run_records, for a run whose every counted record has a row there (a write run): what a
   * resumed run starts from is then exactly what its earlier attempts recorded, whatever was stored with it.
   */
  recountFromRecords() {
    const rows = this.#app.db.$client
      .prepare('select action, count(*) as count from run_records where run_id = ? group by action')
      .all(this.run.id) as { action: RecordOutcome['action']; count: number }[];
    const counts: Record<'processed' | RecordOutcome['action'], number> = {
      processed: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      failed: 0,
    };
    for (const { action, count } of rows) {
      counts[action] += count;
      counts.processed += count;
    }
    this.setCounts(counts);
  }

  setTotal(total: number) {
    this.counts.total = total;
    this.flush();
  }

  /** Says what the run does now (null: the counts say it); shown next to the progress bar. */
  setStage(stage: string | null) {
    this.#write({ stage });
    // Stages change seldom (the caller sends each once): every one is shown, not only one per 250 ms.
    this.publish(true);
  }

  checkpoint(value: unknown) {
    this.#write({ checkpoint: value, apiCalls: { ...this.apiCalls } });
  }

  checkpointValue(): unknown {
    return runById(this.#app.db, this.run.id)?.checkpoint ?? null;
  }

  flush() {
    this.#write({ ...this.counts, apiCalls: { ...this.apiCalls } });
    this.publish();
  }

  abortRequested(): boolean {
    if (this.#serverStopping()) throw new RunnerStopping('the server is stopping');
    return runById(this.#app.db, this.run.id)?.abortRequested === true;
  }

  /** `shown` overrides stored counts in the event only (see showUnrecorded). */
  publish(force = false, shown?: Partial<Pick<RunRow, 'processed'>>) {
    const now = Date.now();
    if (!force && now - this.#lastPublished < PUBLISH_EVERY_MS) return;
    this.#lastPublished = now;
    const row = runById(this.#app.db, this.run.id);
    if (row) this.#app.events.publish(row.teamId, { type: 'run.changed', run: runToApi({ ...row, ...shown }) });
  }

  #write(update: RunUpdate) {
    if (!updateOwnedRun(this.#app.db, this.run.id, this.#owner, update)) {
      throw new LeaseLost('another worker took this run over');
    }
  }
}
