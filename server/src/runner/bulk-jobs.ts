import { RunErrorCode } from '@orglink/shared';
import type { SalesforceClient } from '../crm/salesforce/salesforce-client.ts';
import { salesforceFetch, salesforceRequest } from '../crm/salesforce/salesforce-rest.ts';
import { isConcurrentRequestLimit, sleep, withRetry } from './retry.ts';
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

/**
 * A finished Bulk API 2.0 query job's result pages, in order, as Salesforce's CSV responses (read them before asking
 * for the next). Read by locator ourselves: jsforce's bulk2 query breaks on results of more than one page
 * (jsforce#1546) and would hold them all. `beforePage` is the run's safe point.
 */
export async function* bulkQueryPages(
  ctx: BulkContext,
  jobId: string,
  pageSize: number,
  beforePage: () => void,
): AsyncGenerator<Response> {
  let locator = '';
  while (locator !== 'null') {
    beforePage();
    const path = `/jobs/query/${jobId}/results?maxRecords=${pageSize}${locator ? `&locator=${encodeURIComponent(locator)}` : ''}`;
    const response = await call(ctx, 'bulk-query-results', () =>
      salesforceFetch(ctx.client, path, () => ({ headers: { accept: 'text/csv' } })),
    );
    locator = response.headers.get('sforce-locator') ?? 'null';
    yield response;
  }
}

/**
 * Salesforce's refusal of a whole run (a limit, a permission, a field that does not exist) as the run's failure in
 * Salesforce's words; `what` names the run for the admin ("the activity"). Transient errors pass through for retry.
 */
export function salesforceRunFailure(error: unknown, what: string): unknown {
  const code = (error as { errorCode?: unknown }).errorCode;
  if (typeof code !== 'string' || error instanceof RunFailure) return error;
  const limit = salesforceLimitFailure(error, `Run ${what} again`);
  if (limit) return limit;
  if (code.startsWith('ERROR_HTTP_5') || code === 'SERVER_UNAVAILABLE') return error;
  return new RunFailure(code, `Salesforce refused ${what}: ${(error as Error).message}`);
}

/**
 * Salesforce's request limits, which retrying within the run does not get past, as the run's failure; `rerun` starts
 * the advice ("Run the activity again").
 */
export function salesforceLimitFailure(error: unknown, rerun: string): RunFailure | undefined {
  if (isConcurrentRequestLimit(error)) {
    return new RunFailure(
      RunErrorCode.RequestLimitExceeded,
      `Salesforce kept refusing requests because too many long-running requests run at once in the org (${(error as Error).message}). ${rerun} when the org's other long-running jobs have finished.`,
    );
  }
  if (((error as { errorCode?: unknown }).errorCode ?? (error as Error).name) === 'REQUEST_LIMIT_EXCEEDED') {
    return new RunFailure(
      RunErrorCode.RequestLimitExceeded,
      `Salesforce daily API limit reached (REQUEST_LIMIT_EXCEEDED). ${rerun} after the limit resets (a rolling 24 hours), or ask Salesforce for a higher limit.`,
    );
  }
  return undefined;
}
