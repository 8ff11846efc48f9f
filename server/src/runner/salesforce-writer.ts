import { RunErrorCode } from '@orglink/shared';
import type { Connection } from 'jsforce';
import { SALESFORCE_API_VERSION } from '../crm/salesforce/salesforce-api.ts';
import type { SalesforceClient } from '../crm/salesforce/salesforce-client.ts';
import { csvRecords } from './record-prep.ts';
import { backoffMs, OutcomeUnknown, sleep, withRetry } from './retry.ts';
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
/** Records per CSV encoding task and per recorded batch of Bulk results: bounds what is held at once. */
const CSV_SLICE = 5_000;
const RESULT_BATCH = 2_000;
const BASE = `/services/data/v${SALESFORCE_API_VERSION}`;

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

  async recover(inflight: InflightWrite, pending: Map<string, WriteItem>): Promise<void> {
    if (inflight.kind === 'bulk') {
      const settled = await this.#settleBulkJob(inflight.bulkJobId, pending);
      for (const key of settled) pending.delete(key);
      this.#ctx.progress.checkpoint({ inflight: null });
      return;
    }
    const items = inflight.keys.flatMap((key) => pending.get(key) ?? []);
    const confirmed = await this.#readBack(items);
    this.#ctx.progress.record(confirmed);
    for (const outcome of confirmed) pending.delete(outcome.key);
    this.#ctx.progress.checkpoint({ inflight: null });
  }

  async write(items: WriteItem[]): Promise<void> {
    let round = this.#ctx.matchKey === 'email' ? this.#refuseSharedEmails(items) : items;
    for (let attempt = 0; round.length > 0; attempt += 1) {
      this.#ctx.checkAbort();
      if (attempt >= MAX_RECORD_ATTEMPTS) {
        // Records Salesforce never reported on (a Bulk job that ended without their rows) are not resent forever.
        this.#ctx.progress.record(round.map((item) => unsettled(item, attempt)));
        return;
      }
      const last = attempt + 1 >= MAX_RECORD_ATTEMPTS;
      const retry: WriteItem[] = [];
      if (this.#ctx.matchKey === 'external-id' && round.length > BULK_THRESHOLD) {
        retry.push(...(await this.#bulkUpsert(round, last)));
      } else {
        for (let start = 0; start < round.length; start += COLLECTION_SIZE) {
          this.#ctx.checkAbort();
          const batch = round.slice(start, start + COLLECTION_SIZE);
          retry.push(...(await this.#collection(batch, last)));
        }
      }
      round = retry;
      if (round.length > 0) await sleep(backoffMs(attempt, 250));
    }
  }

  /**
   * Catalog users who share one e-mail (Catalog's own near-duplicates) would, matched by Email, both create a record
   * when the CRM has none (a duplicate pair) or overwrite each other's record (a guess). Each becomes a per-record
   * DUPLICATE_EMAIL instead; the others are returned to be written.
   */
  #refuseSharedEmails(items: WriteItem[]): WriteItem[] {
    const byEmail = new Map<string, WriteItem[]>();
    for (const item of items) {
      const email = (item.values.Email ?? '').toLowerCase();
      if (email) byEmail.set(email, [...(byEmail.get(email) ?? []), item]);
    }
    const refused: RecordOutcome[] = [];
    for (const sharing of byEmail.values()) {
      if (sharing.length < 2) continue;
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
    if (refused.length === 0) return items;
    this.#ctx.progress.record(refused);
    const keys = new Set(refused.map((outcome) => outcome.key));
    return items.filter((item) => !keys.has(item.key));
  }

  // --- sObject Collections -------------------------------------------------------------------------------------

  async #collection(batch: WriteItem[], last: boolean): Promise<WriteItem[]> {
    const { progress, target } = this.#ctx;
    progress.checkpoint({ inflight: { kind: 'collection', keys: batch.map((item) => item.key) } });
    const outcomes: RecordOutcome[] = [];
    const retry: WriteItem[] = [];
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
      if (TRANSIENT_RECORD_CODES.has(code) && !last) retry.push(item);
      else outcomes.push({ key: item.key, action: 'failed', targetId: null, errorCode: code, message: error?.message });
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
    progress.record(outcomes);
    progress.checkpoint({ inflight: null });
    return retry;
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

  async #bulkUpsert(items: WriteItem[], last: boolean): Promise<WriteItem[]> {
    const { progress, target, pool } = this.#ctx;
    const field = this.#externalIdField();
    const columns = Object.keys(items[0]?.values ?? {});
    // Encoded in slices: the whole set cloned into a worker at once cost the worker's heap as much as the records.
    const parts: string[] = [];
    for (let start = 0; start < items.length; start += CSV_SLICE) {
      const rows = items.slice(start, start + CSV_SLICE).map((item) => item.values);
      parts.push(await pool.csv({ columns, rows, nullAs: '#N/A', header: start === 0 }));
    }
    const csv = parts.join('');
    parts.length = 0;
    const job = await this.#request<{ id: string }>('bulk-ingest', 'POST', '/jobs/ingest', {
      object: target,
      externalIdFieldName: field,
      contentType: 'CSV',
      operation: 'upsert',
      lineEnding: 'LF',
    });
    // From here a crash must never upload these rows again: the resumed run reads this job's results instead.
    progress.checkpoint({ inflight: { kind: 'bulk', bulkJobId: job.id } });
    await this.#request('bulk-ingest', 'PUT', `/jobs/ingest/${job.id}/batches`, csv, 'text/csv');
    await this.#request('bulk-ingest', 'PATCH', `/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
    const retryKeys = new Set<string>();
    const settled = await this.#settleBulkJob(job.id, items, last ? undefined : retryKeys);
    progress.checkpoint({ inflight: null });
    // Rows the job never processed (aborted, failed job) are written again in the next round.
    return items.filter((item) => retryKeys.has(item.key) || !settled.has(item.key));
  }

  /** Waits for a Bulk job to end and records its results; returns the keys it recorded. */
  async #settleBulkJob(
    jobId: string,
    items: { values(): Iterable<WriteItem> },
    retryKeys?: Set<string>,
  ): Promise<Set<string>> {
    const { progress } = this.#ctx;
    const field = this.#externalIdField();
    let info = await this.#request<BulkJobInfo>('bulk-poll', 'GET', `/jobs/ingest/${jobId}`);
    if (info.state === 'Open') {
      // A crash between upload and close: closing is safe (a job with no upload simply fails).
      info = await this.#request('bulk-ingest', 'PATCH', `/jobs/ingest/${jobId}`, { state: 'UploadComplete' });
    }
    for (let poll = 0; !['JobComplete', 'Failed', 'Aborted'].includes(info.state); poll += 1) {
      if (progress.abortRequested()) {
        info = await this.#request('bulk-ingest', 'PATCH', `/jobs/ingest/${jobId}`, { state: 'Aborted' });
        break;
      }
      await sleep(Math.min(2_000, 200 * 1.5 ** poll));
      info = await this.#request<BulkJobInfo>('bulk-poll', 'GET', `/jobs/ingest/${jobId}`);
      progress.showUnrecorded(info.numberRecordsProcessed ?? 0);
    }
    const settled = new Set<string>();
    let outcomes: RecordOutcome[] = [];
    const recordBatch = (force = false) => {
      if (!force && outcomes.length < RESULT_BATCH) return;
      progress.record(outcomes);
      outcomes = [];
    };
    // Result rows echo the uploaded columns: find each record by the key value this writer uploaded for it, which
    // need not be the Catalog user id the pending records are keyed by.
    const byWrittenKey = new Map<string, WriteItem[]>();
    for (const item of items.values()) {
      const written = item.values[field] ?? item.key;
      byWrittenKey.set(written, [...(byWrittenKey.get(written) ?? []), item]);
    }
    const itemOf = (row: Record<string, string>) => {
      const candidates = byWrittenKey.get(String(row[field] ?? '')) ?? [];
      return candidates.find((candidate) => !settled.has(candidate.key) && !retryKeys?.has(candidate.key));
    };
    for (const row of await this.#csvRows(`/jobs/ingest/${jobId}/successfulResults`)) {
      const item = itemOf(row);
      if (!item) continue;
      settled.add(item.key);
      const created = String(row.sf__Created).toLowerCase() === 'true';
      outcomes.push({
        key: item.key,
        action: created ? 'created' : 'updated',
        targetId: row.sf__Id || null,
        hash: item.hash,
      });
      recordBatch();
    }
    for (const row of await this.#csvRows(`/jobs/ingest/${jobId}/failedResults`)) {
      const item = itemOf(row);
      if (!item) continue;
      const [code = 'UNKNOWN_ERROR', ...rest] = String(row.sf__Error ?? '').split(':');
      if (retryKeys && TRANSIENT_RECORD_CODES.has(code)) {
        retryKeys.add(item.key);
        continue;
      }
      settled.add(item.key);
      outcomes.push({
        key: item.key,
        action: 'failed',
        targetId: null,
        errorCode: code,
        message: rest.join(':').replace(/:[^:]*--\s*$/, '') || String(row.sf__Error),
      });
      recordBatch();
    }
    recordBatch(true);
    if (info.state === 'Failed' && settled.size === 0 && info.errorMessage) {
      // The whole job was refused (e.g. an unknown column): every record fails with the job's reason.
      const refused: RecordOutcome[] = [...items.values()].map((item) => ({
        key: item.key,
        action: 'failed',
        targetId: null,
        errorCode: 'BULK_JOB_FAILED',
        message: info.errorMessage,
      }));
      progress.record(refused);
      for (const item of refused) settled.add(item.key);
    }
    return settled;
  }

  /** Result rows read from the raw text one at a time: jsforce would parse all 100,000 into objects at once. */
  async #csvRows(path: string): Promise<Iterable<Record<string, string>>> {
    const text = await this.#request<unknown>('bulk-ingest', 'GET', path, undefined, undefined, true, 'text/plain');
    return typeof text === 'string' ? csvRecords(text) : [];
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
        path = page.nextRecordsUrl?.replace(BASE, '');
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

  /** One API call, counted by kind and retried when transient; the daily limit stops the run. */
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
      return await withRetry(
        () => {
          this.#ctx.progress.countCall(kind);
          return this.#client.call(async (connection: Connection) => {
            try {
              return await connection.request<T>(
                {
                  method,
                  url: `${BASE}${path}`,
                  ...(body === undefined
                    ? {}
                    : {
                        body: typeof body === 'string' ? body : JSON.stringify(body),
                        headers: { 'content-type': contentType },
                      }),
                },
                responseType ? { responseType } : {},
              );
            } catch (error) {
              throw responseType ? withSalesforceErrorCode(error) : error;
            }
          });
        },
        { idempotent },
      );
    } catch (error) {
      const code = (error as { errorCode?: unknown }).errorCode ?? (error as Error).name;
      if (code === 'REQUEST_LIMIT_EXCEEDED') {
        throw new RunFailure(
          RunErrorCode.RequestLimitExceeded,
          'Salesforce daily API limit reached (REQUEST_LIMIT_EXCEEDED). The records written so far are kept; run the job again after the limit resets (a rolling 24 hours), or ask Salesforce for a higher limit.',
        );
      }
      throw error;
    }
  }
}

/**
 * A request read as raw text gets jsforce's generic ERROR_HTTP_<status> on failure: the Salesforce error code in the
 * JSON body (REQUEST_LIMIT_EXCEEDED, SERVER_UNAVAILABLE...) is put back, as the retry and limit handling read it.
 */
function withSalesforceErrorCode(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const holder = error as Error & { errorCode?: unknown };
  if (typeof holder.errorCode !== 'string' || !holder.errorCode.startsWith('ERROR_HTTP_')) return error;
  try {
    const parsed: unknown = JSON.parse(error.message);
    const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { errorCode?: unknown; message?: unknown } | null;
    if (typeof first?.errorCode === 'string') {
      holder.errorCode = first.errorCode;
      holder.name = first.errorCode;
      if (typeof first.message === 'string') holder.message = first.message;
    }
  } catch {
    // Not JSON (an HTML error page, say): the HTTP status code stays the reason.
  }
  return error;
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

const soqlEscape = (value: string) => value.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
