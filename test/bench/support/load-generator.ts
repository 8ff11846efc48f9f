import { Worker } from 'node:worker_threads';
import type { LoadMessage, ReadLoadResult, SseClientReport, WorkerSetup } from './load-types.ts';

export type { ReadLoadResult, RunSeen, SseClientReport } from './load-types.ts';

export interface LoadGenerator {
  /** How many SSE clients had their stream open once the generator was ready. */
  opened: number;
  /** `ratePerSecond` GETs over `durationMs`, cycling through `paths`; resolves when every one was answered. */
  readLoad(options: { ratePerSecond: number; durationMs: number; paths: string[] }): Promise<ReadLoadResult>;
  /** What each SSE client has seen so far, and whether its stream is still open. */
  sseReport(): Promise<SseClientReport[]>;
  close(): Promise<void>;
}

/**
 * Starts the load generator on its own thread (load-worker.ts) and resolves once its SSE clients are connected, so
 * the caller can start the work they should watch. Used by test/bench/load.bench.ts and test/integration/load.test.ts.
 */
export async function startLoadGenerator(setup: WorkerSetup): Promise<LoadGenerator> {
  const worker = new Worker(new URL('./load-worker.ts', import.meta.url), { workerData: setup });
  const waiting = new Map<LoadMessage['type'], (message: LoadMessage) => void>();
  let failure: Error | undefined;
  const next = <T extends LoadMessage['type']>(type: T) =>
    new Promise<Extract<LoadMessage, { type: T }>>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting.set(type, (message) => resolve(message as Extract<LoadMessage, { type: T }>));
    });
  const rejecters = new Set<(error: Error) => void>();
  const guarded = <T>(promise: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      rejecters.add(reject);
      promise.then(resolve, reject).finally(() => rejecters.delete(reject));
    });
  worker.on('message', (message: LoadMessage) => {
    const resolve = waiting.get(message.type);
    waiting.delete(message.type);
    resolve?.(message);
  });
  worker.on('error', (error) => {
    failure = error;
    waiting.clear();
    for (const reject of rejecters) reject(error);
  });

  const ready = await guarded(next('ready'));
  return {
    opened: ready.opened,
    async readLoad(options) {
      const done = guarded(next('read-load-done'));
      worker.postMessage({ type: 'read-load', ...options });
      return (await done).result;
    },
    async sseReport() {
      const report = guarded(next('sse-report'));
      worker.postMessage({ type: 'sse-report' });
      return (await report).clients;
    },
    async close() {
      const closed = next('closed');
      worker.postMessage({ type: 'close' });
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      await worker.terminate();
    },
  };
}

/** Latency figures in the order they are read: "p50 3.1 ms, p99 12.0 ms, max 40.2 ms". */
export function latencyLine(result: ReadLoadResult): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return `p50 ${ms(result.p50Ms)}, p99 ${ms(result.p99Ms)}, max ${ms(result.maxMs)} (generator lag at most ${ms(result.maxLagMs)})`;
}
