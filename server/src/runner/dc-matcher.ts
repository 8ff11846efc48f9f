import { Worker } from 'node:worker_threads';
import type { CompactResult, EnginePhase, EngineSpec } from '../domain/dedupe/engine-types.ts';
import type { DcWorkerRequest } from './dc-worker.ts';

type Answer =
  | { type: 'ready' }
  | { type: 'added'; rows: number }
  | { type: 'progress'; phase: EnginePhase; done: number; total: number }
  | { type: 'result'; result: CompactResult }
  | { type: 'error'; message: string; name: string };

/**
 * The main thread's handle on a run's matching worker. A dedicated thread per run rather than the shared pool: it
 * holds the run's records (hundreds of MB for a million) until the groups are out, and is gone with them.
 */
export class DcMatcher {
  readonly #worker: Worker;
  #waiting: { resolve: (answer: Answer) => void; reject: (error: Error) => void } | undefined;
  #onProgress: (phase: EnginePhase, done: number, total: number) => void = () => {};
  #failed: Error | undefined;

  constructor() {
    this.#worker = new Worker(new URL('./dc-worker.ts', import.meta.url));
    this.#worker.on('message', (answer: Answer) => {
      if (answer.type === 'progress') {
        this.#onProgress(answer.phase, answer.done, answer.total);
        return;
      }
      const waiting = this.#waiting;
      this.#waiting = undefined;
      if (answer.type === 'error') waiting?.reject(Object.assign(new Error(answer.message), { name: answer.name }));
      else waiting?.resolve(answer);
    });
    const fail = (error: Error) => {
      this.#failed = error;
      this.#waiting?.reject(error);
      this.#waiting = undefined;
    };
    this.#worker.on('error', fail);
    this.#worker.on('exit', (code) => fail(new Error(`the duplicate-check worker stopped (exit code ${code})`)));
  }

  #ask(request: DcWorkerRequest): Promise<Answer> {
    if (this.#failed) return Promise.reject(this.#failed);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#worker.postMessage(request);
    });
  }

  async init(spec: EngineSpec) {
    await this.#ask({ type: 'init', spec });
  }

  /** One page of records; resolves once the worker has parsed it, so pages never pile up in memory. */
  async addCsv(side: number, csv: string): Promise<number> {
    const answer = await this.#ask({ type: 'csv', side, csv });
    return answer.type === 'added' ? answer.rows : 0;
  }

  async addRows(side: number, header: string[], rows: string[][]): Promise<void> {
    await this.#ask({ type: 'rows', side, header, rows });
  }

  async find(
    dismissed: string[],
    onProgress: (phase: EnginePhase, done: number, total: number) => void,
  ): Promise<CompactResult> {
    this.#onProgress = onProgress;
    const answer = await this.#ask({ type: 'find', dismissed });
    if (answer.type !== 'result') throw new Error(`unexpected answer from the duplicate-check worker: ${answer.type}`);
    return answer.result;
  }

  /** Stops the thread now (after the result, or to abort a run mid-match). */
  async close() {
    this.#failed ??= new Error('the duplicate-check worker was closed');
    await this.#worker.terminate();
  }
}
