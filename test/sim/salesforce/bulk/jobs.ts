import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { sleep } from '../http/reply.ts';
import { formatDateTime } from '../model/clock.ts';
import { ApiError } from '../model/errors.ts';
import { IdFactory, KEY_PREFIX } from '../model/ids.ts';
import type { Org } from '../model/org.ts';
import type { ObjectDef } from '../schema/types.ts';
import type { SalesforceState } from '../state.ts';
import { type ColumnDelimiter, DELIMITERS, type LineEnding } from './csv.ts';

/** Bulk API 2.0 jobs of every org, their state changes, and the job info bodies the API returns for them. */

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';

export const TERMINAL_STATES: readonly JobState[] = ['JobComplete', 'Failed', 'Aborted'];

interface JobBase {
  id: string;
  org: Org;
  createdById: string;
  createdAt: number;
  modifiedAt: number;
  object: ObjectDef;
  state: JobState;
  apiVersion: string;
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
  errorMessage: string | undefined;
  startedAt: number | undefined;
  finishedAt: number | undefined;
}

/** One row's outcome: the record id (when known) and either created/updated or the `sf__Error` text. */
export interface RowResult {
  id: string;
  created: boolean;
  error: string | undefined;
}

export interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName: string | undefined;
  assignmentRuleId: string | undefined;
  uploaded: boolean;
  header: string[];
  rows: string[][];
  uploadProblem: string | undefined;
  results: (RowResult | undefined)[];
  processed: number;
  failed: number;
}

export interface QueryJob extends JobBase {
  kind: 'query';
  operation: 'query' | 'queryAll';
  query: string;
  fields: string[];
  rows: Record<string, unknown>[];
}

export type BulkJob = IngestJob | QueryJob;

export class BulkJobs {
  readonly #jobs = new Map<string, BulkJob>();
  readonly #ids = new IdFactory('Bj', 0);

  nextId(): string {
    return this.#ids.next(KEY_PREFIX.BulkJob);
  }

  add(job: BulkJob): void {
    this.#jobs.set(job.id, job);
  }

  /** The job `id` of this kind in `org`; any other id (another org's, the other kind's, unknown) is a 404. */
  find<K extends BulkJob['kind']>(kind: K, org: Org, id: string): Extract<BulkJob, { kind: K }> {
    const job = this.#jobs.get(id);
    if (!job || job.kind !== kind || job.org !== org) {
      throw new ApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    }
    return job as Extract<BulkJob, { kind: K }>;
  }

  list<K extends BulkJob['kind']>(kind: K, org: Org): Extract<BulkJob, { kind: K }>[] {
    return [...this.#jobs.values()].filter(
      (job): job is Extract<BulkJob, { kind: K }> => job.kind === kind && job.org === org,
    );
  }

  delete(id: string): void {
    this.#jobs.delete(id);
  }

  clear(): void {
    this.#jobs.clear();
  }
}

const LINE_ENDINGS: LineEnding[] = ['LF', 'CRLF'];

/** The CSV options of a job-creation body (ingest and query alike), checked as Salesforce does. */
export function jobOptions(body: Record<string, unknown>): {
  columnDelimiter: ColumnDelimiter;
  lineEnding: LineEnding;
} {
  const columnDelimiter = (body.columnDelimiter ?? 'COMMA') as ColumnDelimiter;
  const lineEnding = (body.lineEnding ?? 'LF') as LineEnding;
  if (!(columnDelimiter in DELIMITERS)) {
    throw new ApiError(400, 'INVALIDJOB', `Invalid columnDelimiter: ${String(body.columnDelimiter)}`);
  }
  if (!LINE_ENDINGS.includes(lineEnding))
    throw new ApiError(400, 'INVALIDJOB', `Invalid lineEnding: ${String(body.lineEnding)}`);
  if (body.contentType !== undefined && body.contentType !== 'CSV') {
    throw new ApiError(400, 'INVALIDJOB', `Invalid contentType: ${String(body.contentType)}. Only CSV is supported.`);
  }
  return { columnDelimiter, lineEnding };
}

/**
 * Background processing's first step: on the next tick, moves an UploadComplete job to InProgress, then holds it
 * there for the slow-job fault (or one more tick). False when the job was aborted meanwhile and must not run.
 */
export async function startJob(state: SalesforceState, job: BulkJob): Promise<boolean> {
  await yieldToEventLoop();
  if (job.state !== 'UploadComplete') return false;
  job.state = 'InProgress';
  job.startedAt = state.clock.now();
  job.modifiedAt = job.startedAt;
  // The slow-job fault holds the job in InProgress, where clients poll (and may time out).
  const delay = state.faults.settings.bulkProcessingDelayMs;
  await (delay > 0 ? sleep(delay) : yieldToEventLoop());
  return job.state === 'InProgress';
}

/** Moves a job to a terminal state, stamped `now`. */
export function finishJob(job: BulkJob, end: 'JobComplete' | 'Failed' | 'Aborted', now: number): void {
  job.state = end;
  job.finishedAt = now;
  job.modifiedAt = now;
}

/** PATCH `{"state":"Aborted"}`: a job already finished cannot be aborted (409). */
export function abortJob(job: BulkJob, now: number): void {
  if (TERMINAL_STATES.includes(job.state)) {
    throw new ApiError(409, 'INVALIDJOBSTATE', `Cannot change state of job ${job.id} from ${job.state} to Aborted`);
  }
  finishJob(job, 'Aborted', now);
}

function processingTimes(job: BulkJob) {
  const total = job.startedAt !== undefined ? (job.finishedAt ?? job.modifiedAt) - job.startedAt : 0;
  return { totalProcessingTime: Math.max(0, total), apiActiveProcessingTime: Math.max(0, total) };
}

/** The fields every job info carries, in Salesforce's order. */
function common(job: BulkJob) {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object.name,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdAt),
    systemModstamp: formatDateTime(job.modifiedAt),
    state: job.state,
  };
}

/** POST /jobs/ingest's answer: includes contentUrl (no leading slash, as Salesforce writes it). */
export function ingestCreatedInfo(job: IngestJob) {
  return {
    ...ingestStateInfo(job),
    contentUrl: `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`,
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}

/** PATCH (close/abort) answers this shorter form. */
export function ingestStateInfo(job: IngestJob) {
  return {
    ...common(job),
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
  };
}

export function ingestJobInfo(job: IngestJob) {
  return {
    ...ingestStateInfo(job),
    jobType: 'V2Ingest',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    numberRecordsProcessed: job.processed,
    numberRecordsFailed: job.failed,
    retries: 0,
    ...processingTimes(job),
    apexProcessingTime: 0,
    ...(job.state === 'Failed' && job.errorMessage ? { errorMessage: job.errorMessage } : {}),
    ...(job.assignmentRuleId ? { assignmentRuleId: job.assignmentRuleId } : {}),
  };
}

export function queryJobInfo(job: QueryJob, detailed: boolean) {
  return {
    ...common(job),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
    ...(detailed
      ? {
          jobType: 'V2Query',
          numberRecordsProcessed: job.state === 'JobComplete' ? job.rows.length : 0,
          retries: 0,
          totalProcessingTime: processingTimes(job).totalProcessingTime,
          isPkChunkingSupported: true,
          ...(job.state === 'Failed' && job.errorMessage ? { errorMessage: job.errorMessage } : {}),
        }
      : {}),
  };
}

/** The body of GET /jobs/ingest and /jobs/query: every job of that kind in the org, on one page. */
export function jobList(jobs: BulkJobs, kind: BulkJob['kind'], org: Org) {
  const records = jobs.list(kind, org).map((job) => ({
    ...common(job),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    jobType: job.kind === 'ingest' ? 'V2Ingest' : 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  }));
  return { done: true, records, nextRecordsUrl: null };
}
