import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CsvTask, PreparedRecord, PrepareTask } from './record-prep.ts';
import type { RecordWorkerTask } from './record-worker.ts';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  busy: number;
  idleTimer?: NodeJS.Timeout;
}

/**
 * A worker idle this long is stopped: each holds its own V8 heap (about 25 MB of RSS), which would otherwise stay
 * claimed between daily runs. Long enough that the pages of one run never pay for a new thread.
 */
const RETIRE_IDLE_AFTER_MS = 30_000;

/**
 * A minimal worker_threads pool for the runner's CPU work. Not piscina: it is not installed, and the runner needs
 * only "send a task, get its answer" over two or three long-lived threads, which is this much code. Workers start on
 * first use, are unref'd so an idle pool never keeps the process alive, and are stopped after RETIRE_IDLE_AFTER_MS
 * without work; a crashed worker is replaced and its tasks fail (the run fails with the reason instead of hanging).
 */
export class WorkerPool {
  readonly #size: number;
  readonly #workers: PoolWorker[] = [];
  readonly #pending = new Map<number, Pending & { owner: PoolWorker }>();
  #nextId = 1;
  #closed = false;

  readonly #retireAfterMs: number;

  constructor(size = Math.max(1, Math.min(3, availableParallelism() - 1)), retireAfterMs = RETIRE_IDLE_AFTER_MS) {
    this.#size = size;
    this.#retireAfterMs = retireAfterMs;
  }

  prepare(task: PrepareTask): Promise<PreparedRecord[]> {
    return this.#run({ kind: 'prepare', task }) as Promise<PreparedRecord[]>;
  }

  csv(task: CsvTask): Promise<string> {
    return this.#run({ kind: 'csv', task }) as Promise<string>;
  }

  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers.splice(0);
    for (const { idleTimer } of workers) clearTimeout(idleTimer);
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  #run(work: RecordWorkerTask): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the worker pool is closed (the server is stopping)'));
    const owner = this.#pick();
    const id = this.#nextId++;
    clearTimeout(owner.idleTimer);
    owner.busy += 1;
    owner.worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, owner });
      owner.worker.postMessage({ id, work });
    });
  }

  #pick(): PoolWorker {
    const idle = this.#workers.find((entry) => entry.busy === 0);
    if (idle) return idle;
    if (this.#workers.length < this.#size) return this.#spawn();
    return this.#workers.reduce((least, entry) => (entry.busy < least.busy ? entry : least));
  }

  #spawn(): PoolWorker {
    const worker = new Worker(new URL('./record-worker.ts', import.meta.url));
    const entry: PoolWorker = { worker, busy: 0 };
    worker.unref();
    worker.on('message', (message: { id: number; result?: unknown; error?: string; name?: string }) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      this.#settle(entry);
      if (message.error !== undefined) {
        pending.reject(Object.assign(new Error(message.error), { name: message.name ?? 'Error' }));
      } else pending.resolve(message.result);
    });
    worker.on('error', (error) => this.#fail(entry, error));
    worker.on('exit', (code) => this.#fail(entry, new Error(`a record worker exited with code ${code}`)));
    this.#workers.push(entry);
    return entry;
  }

  /** Workers alive now (started on demand, stopped when idle). */
  get size(): number {
    return this.#workers.length;
  }

  #settle(entry: PoolWorker) {
    entry.busy -= 1;
    if (entry.busy > 0) return;
    entry.worker.unref();
    entry.idleTimer = setTimeout(() => this.#retire(entry), this.#retireAfterMs);
    entry.idleTimer.unref();
  }

  #retire(entry: PoolWorker) {
    if (entry.busy > 0) return;
    const index = this.#workers.indexOf(entry);
    if (index >= 0) this.#workers.splice(index, 1);
    void entry.worker.terminate();
  }

  #fail(entry: PoolWorker, error: Error) {
    const index = this.#workers.indexOf(entry);
    if (index >= 0) this.#workers.splice(index, 1);
    for (const [id, pending] of this.#pending) {
      if (pending.owner !== entry) continue;
      this.#pending.delete(id);
      pending.reject(error);
    }
  }
}
