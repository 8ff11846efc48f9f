import { parentPort } from 'node:worker_threads';
import { compactResult, type EngineSpec } from '../domain/dedupe/engine-types.ts';
import { DuplicateFinder } from '../domain/dedupe/find-duplicates.ts';

/**
 * One Duplicate Check run's matching, in its own thread: the records arrive page by page as CSV (parsed here, so the
 * API's event loop never holds them), then blocking, scoring and grouping run here and only the groups go back.
 */
export type DcWorkerRequest =
  | { type: 'init'; spec: EngineSpec }
  | { type: 'csv'; side: number; csv: string }
  | { type: 'rows'; side: number; header: string[]; rows: string[][] }
  | { type: 'find'; dismissed: string[] };

let finder: DuplicateFinder | undefined;

parentPort?.on('message', (message: DcWorkerRequest) => {
  try {
    switch (message.type) {
      case 'init':
        finder = new DuplicateFinder(message.spec);
        parentPort?.postMessage({ type: 'ready' });
        break;
      case 'csv':
        parentPort?.postMessage({ type: 'added', rows: required().table.addCsv(message.side, message.csv) });
        break;
      case 'rows':
        required().table.addRows(message.side, message.header, message.rows);
        parentPort?.postMessage({ type: 'added', rows: message.rows.length });
        break;
      case 'find': {
        let last = 0;
        let lastPhase = '';
        const result = required().find(new Set(message.dismissed), (phase, done, total) => {
          const now = Date.now();
          // Each phase's start and end always go; in between, at most one report per 100 ms.
          if (now - last < 100 && done < total && phase === lastPhase) return;
          last = now;
          lastPhase = phase;
          parentPort?.postMessage({ type: 'progress', phase, done, total });
        });
        const compact = compactResult(result);
        parentPort?.postMessage({ type: 'result', result: compact }, [
          compact.pairA.buffer,
          compact.pairB.buffer,
          compact.pairScore.buffer,
          compact.pairScenario.buffer,
          compact.groupScore.buffer,
          compact.groupRecordStart.buffer,
          compact.groupRecords.buffer,
          compact.groupPairStart.buffer,
          compact.groupPairs.buffer,
        ]);
        break;
      }
    }
  } catch (error) {
    parentPort?.postMessage({ type: 'error', message: (error as Error).message, name: (error as Error).name });
  }
});

function required(): DuplicateFinder {
  if (!finder) throw new Error('the duplicate-check worker was not initialised');
  return finder;
}
