import { parentPort } from 'node:worker_threads';
import { type CsvTask, encodeCsv, type PrepareTask, prepareRecords } from './record-prep.ts';

/** A worker thread of the WorkerPool: mapping, hashing and CSV encoding, off the API's event loop. */
export type RecordWorkerTask = { kind: 'prepare'; task: PrepareTask } | { kind: 'csv'; task: CsvTask };

parentPort?.on('message', (message: { id: number; work: RecordWorkerTask }) => {
  try {
    const result = message.work.kind === 'prepare' ? prepareRecords(message.work.task) : encodeCsv(message.work.task);
    parentPort?.postMessage({ id: message.id, result });
  } catch (error) {
    // The name travels too, so the runner can tell Catalog's unreadable answer from a bug.
    parentPort?.postMessage({ id: message.id, error: (error as Error).message, name: (error as Error).name });
  }
});
