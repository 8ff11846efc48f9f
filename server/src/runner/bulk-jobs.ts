import type { SalesforceClient } from '../crm/salesforce/salesforce-client.ts';
import { salesforceRequest } from '../crm/salesforce/salesforce-rest.ts';
import { sleep, withRetry } from './retry.ts';
import type { RunProgress } from './run-progress.ts';
import { RunAborted, RunFailure } from './write-types.ts';

/** What a run needs to talk to Bulk API 2.0: the client, and its progress (API calls counted, abort asked). */
export interface BulkContext {
  client: SalesforceClient;
  progress: RunProgress;
}

/** A Salesforce call counted in the run's API calls and retried on transient failures. */
export function call<T>(
  ctx: { progress: RunProgress },
  kind: string,
  work: () => Promise<T>,
  idempotent = true,
): Promise<T> {
  return withRetry(
    () => {
      ctx.progress.countCall(kind);
      return work();
    },
    { idempotent },
  );
}

export interface BulkJobInfo {
  id: string;
  state: string;
  errorMessage?: string;
  numberRecordsProcessed?: number;
  numberRecordsFailed?: number;
}

export async function waitForBulkJob(ctx: BulkContext, kind: 'query' | 'ingest', jobId: string): Promise<BulkJobInfo> {
  const path = `/jobs/${kind}/${jobId}`;
  let info = await call(ctx, `bulk-${kind}-poll`, () => salesforceRequest<BulkJobInfo>(ctx.client, 'GET', path));
  for (let poll = 0; !['JobComplete', 'Failed', 'Aborted'].includes(info.state); poll += 1) {
    if (ctx.progress.abortRequested()) {
      await call(ctx, `bulk-${kind}`, () => salesforceRequest(ctx.client, 'PATCH', path, { state: 'Aborted' }));
      throw new RunAborted('Aborted by an admin; the Bulk job was aborted at Salesforce too.');
    }
    await sleep(Math.min(2_000, 200 * 1.5 ** poll));
    info = await call(ctx, `bulk-${kind}-poll`, () => salesforceRequest<BulkJobInfo>(ctx.client, 'GET', path));
    if (kind === 'ingest') ctx.progress.showUnrecorded(info.numberRecordsProcessed ?? 0);
  }
  if (info.state !== 'JobComplete') {
    throw new RunFailure(
      'BULK_JOB_FAILED',
      `Salesforce ${info.state === 'Aborted' ? 'aborted' : 'failed'} the Bulk job ${jobId}${info.errorMessage ? `: ${info.errorMessage}` : '.'}`,
    );
  }
  return info;
}
