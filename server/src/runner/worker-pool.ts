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
}

/**
 * A minimal worker_threads pool for the runner's CPU work. Not piscina: it is not installed, and the runner needs
 * only "send a task, get its answer" over two or three long-lived threads, which is this much code. Workers start on
 * first use and are unref'd, so an idle pool never keeps the process alive; a crashed worker is replaced and its
 * tasks fail (the run fails with the reason instead of hanging).
 */
export class WorkerPool {
  readonly #size: number;
  readonly #workers: PoolWorker[] = [];
  readonly #pending = new Map<number, Pending & { owner: PoolWorker }>();
  #nextId = 1;
  #closed = false;

  constructor(size = Math.max(1, Math.min(3, availableParallelism() - 1))) {
    this.#size = size;
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
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  #run(work: RecordWorkerTask): Promise<unknown> {
    if (this.#closed) return Promise.reject(new Error('the worker pool is closed (the server is stopping)'));
    const owner = this.#pick();
    const id = this.#nextId++;
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
    worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      this.#pending.delete(message.id);
      this.#settle(entry);
      if (message.error !== undefined) pending.reject(new Error(message.error));
      else pending.resolve(message.result);
    });
    worker.on('error', (error) => this.#fail(entry, error));
    worker.on('exit', (code) => this.#fail(entry, new Error(`a record worker exited with code ${code}`)));
    this.#workers.push(entry);
    return entry;
  }

  #settle(entry: PoolWorker) {
    entry.busy -= 1;
    if (entry.busy === 0) entry.worker.unref();
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
