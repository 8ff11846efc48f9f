import { formatDateTime } from '../model/clock.ts';
import { IdFactory, KEY_PREFIX } from '../model/ids.ts';
import type { Org } from '../model/org.ts';
import type { ObjectDef } from '../schema/types.ts';
import type { ColumnDelimiter, LineEnding } from './csv.ts';

/** Bulk API 2.0 jobs of every org, and the job info bodies the API returns for them. */

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

  get<K extends BulkJob['kind']>(kind: K, org: Org, id: string): Extract<BulkJob, { kind: K }> | undefined {
    const job = this.#jobs.get(id);
    return job && job.kind === kind && job.org === org ? (job as Extract<BulkJob, { kind: K }>) : undefined;
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
    ...common(job),
    ...(job.externalIdFieldName ? { externalIdFieldName: job.externalIdFieldName } : {}),
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
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

/** The summary GET /jobs/ingest and /jobs/query list. */
export function jobListEntry(job: BulkJob) {
  return {
    id: job.id,
    operation: job.operation,
    object: job.object.name,
    createdById: job.createdById,
    createdDate: formatDateTime(job.createdAt),
    systemModstamp: formatDateTime(job.modifiedAt),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
    jobType: job.kind === 'ingest' ? 'V2Ingest' : 'V2Query',
    lineEnding: job.lineEnding,
    columnDelimiter: job.columnDelimiter,
  };
}
