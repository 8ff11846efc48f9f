import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { RunErrorCode, soqlEscape } from '@orglink/shared';
import type { SalesforceClient } from '../crm/salesforce/salesforce-client.ts';
import { REST_BASE, salesforceRequest } from '../crm/salesforce/salesforce-rest.ts';
import { call, salesforceLimitFailure } from './bulk-jobs.ts';
import type { PendingWrites, SettleRow } from './pending-writes.ts';
import { csvRecords } from './record-prep.ts';
import { backoffMs, OutcomeUnknown, sleep } from './retry.ts';
import type { RecordOutcome } from './run-progress.ts';
import {
  type CrmWriter,
  type InflightWrite,
  MAX_RECORD_ATTEMPTS,
  RunFailure,
  TRANSIENT_RECORD_CODES,
  type WriteItem,
  type WriterContext,
} from './write-types.ts';

/** Above this many records one Bulk API 2.0 job is cheaper in API calls than collections of 200. */
export const BULK_THRESHOLD = 2_000;
const COLLECTION_SIZE = 200;
/**
 * Records per CSV encoding task and per recorded batch of Bulk results: bounds what is held at once and how long the
 * event loop is blocked. Each batch of results is recorded in its own transaction (an insert per record, its sync
 * state, the counts) with a turn of the event loop between batches: 2,000 at once, with no turn between, blocked
 * API requests for 400-700 ms at a time under the load benchmark; 500 take a few milliseconds.
 */
const CSV_SLICE = 2_000;
const RESULT_BATCH = 500;

interface SaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string }[];
}

interface BulkJobInfo {
  state: string;
  errorMessage?: string;
  numberRecordsProcessed?: number;
}

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Writes Catalog users to Contacts or Leads. Match key external-id: upsert on the External ID field, by Bulk API 2.0
 * above BULK_THRESHOLD records, by sObject Collections below. Match key email: look the Ids up by Email first
 * (several matches is a per-record DUPLICATE_EMAIL, never a guess), then create or update by Id in collections.
 */
export class SalesforceWriter implements CrmWriter {
  readonly #client: SalesforceClient;
  readonly #ctx: WriterContext;

  constructor(client: SalesforceClient, ctx: WriterContext) {
    this.#client = client;
    this.#ctx = ctx;
  }

  async recover(inflight: InflightWrite, pending: PendingWrites): Promise<void> {
    if (inflight.kind === 'bulk') {
      await this.#recoverBulkJob(inflight.bulkJobId, pending);
      this.#ctx.progress.checkpoint({ inflight: null });
      return;
    }
    const confirmed = await this.#readBack(pending.withKeys(inflight.keys));
    this.#record(pending, confirmed);
    this.#ctx.progress.checkpoint({ inflight: null });
  }

  async write(pending: PendingWrites): Promise<void> {
    if (this.#ctx.matchKey === 'email') this.#refuseSharedEmails(pending);
    for (let attempt = 0; pending.size > 0; attempt += 1) {
      this.#ctx.checkAbort();
      if (attempt >= MAX_RECORD_ATTEMPTS) {
        // Records Salesforce never reported on (a Bulk job that ended without their rows) are not resent forever.
        for (const chunk of pending.chunks(RESULT_BATCH)) {
          this.#record(
            pending,
            chunk.map((item) => unsettled(item, attempt)),
          );
          await yieldToEventLoop();
        }
        return;
      }
      const last = attempt + 1 >= MAX_RECORD_ATTEMPTS;
      // Each round writes what is still pending: everything at first, then what came back transient or unreported.
      if (this.#ctx.matchKey === 'external-id' && pending.size > BULK_THRESHOLD) {
        await this.#bulkUpsert(pending, last);
      } else {
        for (const batch of pending.chunks(COLLECTION_SIZE)) {
          this.#ctx.checkAbort();
          await this.#collection(pending, batch, last);
        }
      }
      if (pending.size > 0) await sleep(backoffMs(attempt, 250));
    }
  }

  /** Outcomes recorded, their records no longer pending. */
  #record(pending: PendingWrites, outcomes: RecordOutcome[]) {
    this.#ctx.progress.record(outcomes);
    pending.settle(outcomes.map((outcome) => outcome.key));
  }

  /**
   * Catalog users who share one e-mail (Catalog's own near-duplicates) would, matched by Email, both create a record
   * when the CRM has none (a duplicate pair) or overwrite each other's record (a guess). Each becomes a per-record
   * DUPLICATE_EMAIL instead; the others are returned to be written.
   */
  #refuseSharedEmails(pending: PendingWrites) {
    const refused: RecordOutcome[] = [];
    for (const sharing of pending.sharingValue('Email')) {
      for (const item of sharing) {
        const others = sharing.filter((other) => other !== item).map((other) => other.key);
        refused.push({
          key: item.key,
          action: 'failed',
          targetId: null,
          errorCode: RunErrorCode.DuplicateEmail,
          message: `Catalog user ${others.join(', ')} has the same e-mail ${item.values.Email}, so the Email match key cannot tell their ${this.#ctx.target} records apart; merge the users in Catalog or use the External ID match key.`,
        });
      }
    }
    this.#record(pending, refused);
  }

  // --- sObject Collections -------------------------------------------------------------------------------------

  /** One collection request; records left transient stay pending for the next round. */
  async #collection(pending: PendingWrites, batch: WriteItem[], last: boolean): Promise<void> {
    const { progress, target } = this.#ctx;
    progress.checkpoint({ inflight: { kind: 'collection', keys: batch.map((item) => item.key) } });
    const outcomes: RecordOutcome[] = [];
    const settle = (item: WriteItem, result: SaveResult | undefined) => {
      if (result?.success) {
        const created = result.created ?? !item.known;
        outcomes.push({
          key: item.key,
          action: created ? 'created' : 'updated',
          targetId: result.id ?? item.targetId,
          hash: item.hash,
        });
        return;
      }
      const error = result?.errors?.[0];
      const code = error?.statusCode ?? 'UNKNOWN_ERROR';
      // A transient failure is not recorded: the record stays pending for the next round.
      if (TRANSIENT_RECORD_CODES.has(code) && !last) return;
      outcomes.push({ key: item.key, action: 'failed', targetId: null, errorCode: code, message: error?.message });
    };
    try {
      if (this.#ctx.matchKey === 'external-id') {
        const field = this.#externalIdField();
        const results = await this.#request<SaveResult[]>(
          'composite',
          'PATCH',
          `/composite/sobjects/${target}/${field}`,
          {
            allOrNone: false,
            records: batch.map((item) => ({ attributes: { type: target }, ...item.values })),
          },
        );
        for (const [index, item] of batch.entries()) settle(item, results[index]);
      } else {
        await this.#emailBatch(batch, settle, outcomes);
      }
    } catch (error) {
      const rejected = wholeRequestRejection(error);
      if (!rejected) throw error;
      for (const item of batch) outcomes.push({ key: item.key, action: 'failed', targetId: null, ...rejected });
    }
    this.#record(pending, outcomes);
    progress.checkpoint({ inflight: null });
  }

  async #emailBatch(
    batch: WriteItem[],
    settle: (item: WriteItem, result: SaveResult | undefined) => void,
    outcomes: RecordOutcome[],
  ) {
    const { target } = this.#ctx;
    const withEmail = batch.filter((item) => item.values.Email);
    for (const item of batch) {
      if (!item.values.Email) {
        outcomes.push({
          key: item.key,
          action: 'failed',
          targetId: null,
          errorCode: 'EMAIL_MISSING',
          message: 'The Catalog user has no e-mail address, so the match key Email cannot find or create its record.',
        });
      }
    }
    const matches = await this.#idsByField(
      'Email',
      withEmail.map((item) => item.values.Email ?? ''),
    );
    const creates: WriteItem[] = [];
    const updates: { item: WriteItem; id: string }[] = [];
    for (const item of withEmail) {
      const ids = matches.get((item.values.Email ?? '').toLowerCase()) ?? [];
      if (ids.length > 1) {
        outcomes.push({
          key: item.key,
          action: 'failed',
          targetId: null,
          errorCode: RunErrorCode.DuplicateEmail,
          message: `${ids.length} ${target} records have the e-mail ${item.values.Email} (${ids.join(', ')}); merge them in the CRM or use the External ID match key.`,
        });
      } else if (ids[0]) updates.push({ item, id: ids[0] });
      else creates.push(item);
    }
    if (creates.length) {
      try {
        const results = await this.#request<SaveResult[]>(
          'composite',
          'POST',
          '/composite/sobjects',
          { allOrNone: false, records: creates.map((item) => ({ attributes: { type: target }, ...item.values })) },
          'application/json',
          false,
        );
        for (const [index, item] of creates.entries()) {
          settle({ ...item, known: false }, { created: true, ...results[index] } as SaveResult);
        }
      } catch (error) {
        if (!(error instanceof OutcomeUnknown)) throw error;
        // Sending the creates again could duplicate them; the next run's e-mail lookup finds any that were created.
        for (const item of creates) {
          outcomes.push({
            key: item.key,
            action: 'failed',
            targetId: null,
            errorCode: 'OUTCOME_UNKNOWN',
            message: `The connection to Salesforce dropped before it answered, so whether this ${target} was created is unknown; the next run checks it by e-mail (and creates it only if it is missing).`,
          });
        }
      }
    }
    if (updates.length) {
      const results = await this.#request<SaveResult[]>('composite', 'PATCH', '/composite/sobjects', {
        allOrNone: false,
        records: updates.map(({ item, id }) => ({ attributes: { type: target }, Id: id, ...item.values })),
      });
      for (const [index, { item, id }] of updates.entries()) {
        settle({ ...item, known: true }, { created: false, ...results[index], id } as SaveResult);
      }
    }
  }

  // --- Bulk API 2.0 ----------------------------------------------------------------------------------------------

  /** One Bulk job for everything pending; records left transient or unreported stay pending for the next round. */
  async #bulkUpsert(pending: PendingWrites, last: boolean): Promise<void> {
    const { progress, target, pool } = this.#ctx;
    const field = this.#externalIdField();
    let columns: string[] | undefined;
    // Encoded in slices: the whole set cloned into a worker at once cost the worker's heap as much as the records.
    const parts: string[] = [];
    for (const slice of pending.valuesJsonChunks(CSV_SLICE)) {
      const header = columns === undefined;
      // Every record has the field map's columns, in its order: the first record's say what they are.
      columns ??= Object.keys(JSON.parse(slice[0] ?? '{}') as object);
      parts.push(await pool.csv({ columns, rows: slice, nullAs: '#N/A', header }));
    }
    let csv: string | undefined = parts.join('');
    parts.length = 0;
    const job = await this.#request<{ id: string }>('bulk-ingest', 'POST', '/jobs/ingest', {
      object: target,
      externalIdFieldName: field,
      contentType: 'CSV',
      operation: 'upsert',
      lineEnding: 'LF',
    });
    // From here a crash leaves the job to the resumed run (recover): a closed job's rows are never uploaded again, the
    // job's results are read instead; a job still Open is aborted and its rows uploaded in a new one.
    progress.checkpoint({ inflight: { kind: 'bulk', bulkJobId: job.id } });
    await this.#request('bulk-ingest', 'PUT', `/jobs/ingest/${job.id}/batches`, csv, 'text/csv');
    // Uploaded: not kept through the wait and the result reading (a few MB per 100,000 records).
    csv = undefined;
    await this.#request('bulk-ingest', 'PATCH', `/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
    // Rows the job never processed (aborted, failed job) stay pending and are written again in the next round.
    await this.#settleBulkJob(job.id, pending, last ? undefined : new Set());
    progress.checkpoint({ inflight: null });
  }

  /**
   * Settles the Bulk job a crashed attempt left in flight. A job still Open was never closed, so Salesforce has
   * written none of its rows (and may hold only part of the upload): it is aborted and its records stay pending, to
   * be upserted by External ID in a new job, which writes each of them once. Closing it instead would fail it ("No
   * content was uploaded") and record every record as failed. A closed job's results are read as the crashed attempt
   * would have, rows that failed transiently left pending for the next round as there.
   */
  async #recoverBulkJob(jobId: string, pending: PendingWrites): Promise<void> {
    const info = await this.#request<BulkJobInfo>('bulk-poll', 'GET', `/jobs/ingest/${jobId}`);
    if (info.state === 'Open') {
      await this.#request('bulk-ingest', 'PATCH', `/jobs/ingest/${jobId}`, { state: 'Aborted' });
      return;
    }
    await this.#settleBulkJob(jobId, pending, new Set(), info);
  }

  /**
   * Waits for a closed Bulk job to end and records its results. With `retryKeys`, records that failed transiently are
   * left pending (and collected there) instead of recorded as failed.
   */
  async #settleBulkJob(
    jobId: string,
    pending: PendingWrites,
    retryKeys?: Set<string>,
    known?: BulkJobInfo,
  ): Promise<void> {
    const { progress } = this.#ctx;
    const field = this.#externalIdField();
    let info = known ?? (await this.#request<BulkJobInfo>('bulk-poll', 'GET', `/jobs/ingest/${jobId}`));
    for (let poll = 0; !['JobComplete', 'Failed', 'Aborted'].includes(info.state); poll += 1) {
      if (progress.abortRequested()) {
        info = await this.#request('bulk-ingest', 'PATCH', `/jobs/ingest/${jobId}`, { state: 'Aborted' });
        break;
      }
      await sleep(Math.min(2_000, 200 * 1.5 ** poll));
      info = await this.#request<BulkJobInfo>('bulk-poll', 'GET', `/jobs/ingest/${jobId}`);
      progress.showUnrecorded(info.numberRecordsProcessed ?? 0);
    }
    // Result rows read, whether or not their record is still pending: a crash during settlement recorded some already.
    let reportedCount = 0;
    // Result rows echo the uploaded columns: each is matched to its record by the key value this writer uploaded for
    // it (which need not be the Catalog user id records are keyed by), looked up a batch of rows at a time. A matched
    // record is recorded (so no longer pending) with its batch; until then `matched` keeps a second row off it.
    const settleRows = async (
      rows: AsyncIterable<Record<string, string>>,
      outcomeOf: (row: Record<string, string>, record: SettleRow) => RecordOutcome | 'retry',
    ) => {
      const flush = (batch: Record<string, string>[]) => {
        reportedCount += batch.length;
        const candidates = pending.withWrittenKeys(batch.map((row) => String(row[field] ?? '')));
        const matched = new Set<string>();
        const outcomes: RecordOutcome[] = [];
        for (const row of batch) {
          const record = candidates
            .get(String(row[field] ?? ''))
            ?.find((candidate) => !matched.has(candidate.key) && !retryKeys?.has(candidate.key));
          if (!record) continue;
          const outcome = outcomeOf(row, record);
          if (outcome === 'retry') {
            retryKeys?.add(record.key);
            continue;
          }
          matched.add(record.key);
          outcomes.push(outcome);
        }
        this.#record(pending, outcomes);
      };
      let batch: Record<string, string>[] = [];
      for await (const row of rows) {
        batch.push(row);
        if (batch.length < RESULT_BATCH) continue;
        flush(batch);
        batch = [];
        // The rows come from text already in memory, so the loop above never waits for I/O on its own.
        await yieldToEventLoop();
      }
      flush(batch);
    };
    await settleRows(await this.#csvRows(`/jobs/ingest/${jobId}/successfulResults`), (row, record) => ({
      key: record.key,
      action: String(row.sf__Created).toLowerCase() === 'true' ? 'created' : 'updated',
      targetId: row.sf__Id || null,
      hash: record.hash,
    }));
    await settleRows(await this.#csvRows(`/jobs/ingest/${jobId}/failedResults`), (row, record) => {
      const [code = 'UNKNOWN_ERROR', ...rest] = String(row.sf__Error ?? '').split(':');
      if (retryKeys && TRANSIENT_RECORD_CODES.has(code)) return 'retry';
      return {
        key: record.key,
        action: 'failed',
        targetId: null,
        errorCode: code,
        message: rest.join(':').replace(/:[^:]*--\s*$/, '') || String(row.sf__Error),
      };
    });
    if (info.state === 'Failed' && reportedCount === 0 && info.errorMessage) {
      // The whole job was refused (e.g. an unknown column): every record fails with the job's reason. A job that
      // failed part-way reported its processed rows; the others stay pending and are written again.
      for (const chunk of pending.chunks(RESULT_BATCH)) {
        await yieldToEventLoop();
        this.#record(
          pending,
          chunk.map((item) => ({
            key: item.key,
            action: 'failed',
            targetId: null,
            errorCode: 'BULK_JOB_FAILED',
            message: info.errorMessage,
          })),
        );
      }
    }
  }

  /** Result rows read from the raw text one at a time: jsforce would parse all 100,000 into objects at once. */
  async #csvRows(path: string): Promise<AsyncIterable<Record<string, string>>> {
    const text = await this.#request<unknown>('bulk-ingest', 'GET', path, undefined, undefined, true, 'text/plain');
    return csvRecords(typeof text === 'string' ? text : '');
  }

  // --- reading back -------------------------------------------------------------------------------------------

  /**
   * For a collection batch whose answer a crash swallowed: the records whose CRM values already equal what was to
   * be written count as written (they are not sent again); the others stay pending.
   */
  async #readBack(items: WriteItem[]): Promise<RecordOutcome[]> {
    if (items.length === 0) return [];
    const keyField = this.#ctx.matchKey === 'email' ? 'Email' : this.#externalIdField();
    const fields = [...new Set(['Id', keyField, ...Object.keys(items[0]?.values ?? {})])];
    const rows = await this.#query(
      fields,
      keyField,
      items.map((item) => item.values[keyField] ?? ''),
    );
    const byKey = new Map<string, Record<string, unknown>[]>();
    for (const row of rows) {
      const value = String(row[keyField] ?? '').toLowerCase();
      byKey.set(value, [...(byKey.get(value) ?? []), row]);
    }
    const outcomes: RecordOutcome[] = [];
    for (const item of items) {
      const found = byKey.get(String(item.values[keyField] ?? '').toLowerCase()) ?? [];
      const [record] = found;
      if (found.length !== 1 || !record || !sameValues(item.values, record)) continue;
      outcomes.push({
        key: item.key,
        action: item.known ? 'updated' : 'created',
        targetId: String(record.Id),
        hash: item.hash,
      });
    }
    return outcomes;
  }

  async #idsByField(field: string, values: string[]): Promise<Map<string, string[]>> {
    const rows = await this.#query(['Id', field], field, values);
    const ids = new Map<string, string[]>();
    for (const row of rows) {
      const value = String(row[field] ?? '').toLowerCase();
      ids.set(value, [...(ids.get(value) ?? []), String(row.Id)]);
    }
    return ids;
  }

  async #query(fields: string[], keyField: string, values: string[]): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    const distinct = [...new Set(values.filter(Boolean))];
    for (let start = 0; start < distinct.length; start += 100) {
      const list = distinct
        .slice(start, start + 100)
        .map((value) => `'${soqlEscape(value)}'`)
        .join(',');
      let path: string | undefined =
        `/query?q=${encodeURIComponent(`SELECT ${fields.join(', ')} FROM ${this.#ctx.target} WHERE ${keyField} IN (${list})`)}`;
      while (path) {
        const page: { records: Record<string, unknown>[]; nextRecordsUrl?: string } = await this.#request(
          'rest-query',
          'GET',
          path,
        );
        rows.push(...page.records);
        path = page.nextRecordsUrl?.replace(REST_BASE, '');
      }
    }
    return rows;
  }

  // --- HTTP -------------------------------------------------------------------------------------------------

  #externalIdField(): string {
    const field = this.#ctx.externalIdField;
    if (!field) {
      throw new RunFailure(
        RunErrorCode.Internal,
        'The integration has no External ID field. Choose one in the field map (e.g. LMS_User_Id__c) or use the Email match key.',
      );
    }
    return field;
  }

  /** One API call, counted by kind and retried when transient or concurrent-limited; the daily limit ends the run. */
  async #request<T>(
    kind: string,
    method: HttpMethod,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    idempotent = true,
    responseType?: string,
  ): Promise<T> {
    try {
      return await call(
        this.#ctx,
        kind,
        () => salesforceRequest<T>(this.#client, method, path, body, { contentType, responseType }),
        idempotent,
      );
    } catch (error) {
      throw salesforceLimitFailure(error, 'The records written so far are kept; run the job again') ?? error;
    }
  }
}

function unsettled(item: WriteItem, attempts: number): RecordOutcome {
  return {
    key: item.key,
    action: 'failed',
    targetId: null,
    errorCode: 'NO_RESULT',
    message: `Salesforce reported no result for this record after ${attempts} attempts; the next run writes it again.`,
  };
}

/** A request Salesforce refused as a whole (bad field, bad value): every record in it fails with that reason. */
function wholeRequestRejection(error: unknown): { errorCode: string; message: string } | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { errorCode?: unknown }).errorCode;
  if (typeof code !== 'string' || code.startsWith('ERROR_HTTP_5')) return undefined;
  if (['INVALID_SESSION_ID', 'REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE'].includes(code)) return undefined;
  return { errorCode: code, message: error.message };
}

function sameValues(expected: Record<string, string | null>, actual: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([field, value]) => {
    const stored = actual[field];
    const a = value ?? '';
    const b = stored === null || stored === undefined ? '' : String(stored);
    return field === 'Email' ? a.toLowerCase() === b.toLowerCase() : a === b;
  });
}
