import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { RunErrorCode, SOQL_NUMERIC_TYPES } from '@orglink/shared';
import { parse } from 'csv-parse';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { SalesforceClient } from '../crm/salesforce/salesforce-client.ts';
import { REST_BASE, salesforceFetch, salesforceRequest } from '../crm/salesforce/salesforce-rest.ts';
import { jobs } from '../db/schema.ts';
import { type ActivityConfig, BULK_OPERATION, isDelete } from '../domain/activities/activity-config.ts';
import { ResultFileWriter } from '../domain/activities/result-file.ts';
import { runFile } from '../domain/activities/run-files.ts';
import { type BulkJobInfo, bulkQueryPages, call, salesforceRunFailure, waitForBulkJob } from './bulk-jobs.ts';
import { csvCell } from './record-prep.ts';
import { OutcomeUnknown } from './retry.ts';
import type { RecordOutcome, RunProgress } from './run-progress.ts';
import { safePoint } from './safe-point.ts';
import { RunFailure } from './write-types.ts';

const COLLECTION_SIZE = 200;
const BULK_RESULT_PAGE = 50_000;

interface ActivityCheckpoint {
  /** Standard DML: the first input row not yet sent; `inflight` the rows sent but not recorded. */
  nextRow?: number;
  inflight?: { from: number; to: number } | null;
  /** Bulk DML: the ingest job the input went to. */
  bulkJobId?: string;
}

interface Context {
  app: FastifyInstance;
  client: SalesforceClient;
  progress: RunProgress;
  config: ActivityConfig;
  checkAbort: () => void;
}

/**
 * Runs one connector activity. Queries stream the CRM's pages into a results file (never whole in memory); standard
 * writes go 200 records per sObject Collections call with each row's outcome recorded; bulk writes stream the input
 * into one Bulk API 2.0 job and keep Salesforce's success and failure files. Resumable: a crashed query starts over
 * (reading is harmless), a write continues after its last recorded batch and never sends a create twice.
 */
export async function runActivity(
  app: FastifyInstance,
  progress: RunProgress,
): Promise<'completed' | 'completed-with-errors'> {
  const run = progress.run;
  const job = run.jobId ? app.db.select().from(jobs).where(eq(jobs.id, run.jobId)).get() : undefined;
  const config = job?.config as ActivityConfig | undefined;
  if (!config?.activity) throw new RunFailure(RunErrorCode.JobNotRunnable, 'This activity run has no activity to run.');
  const client = (await app.connectionClients.open(run.connectionId)) as SalesforceClient;
  const checkAbort = () => safePoint(app, progress);
  const ctx: Context = { app, client, progress, config, checkAbort };
  // Known from the request: a write shows "n of N" from its first batch, not only once it is done.
  if (config.rowCount) progress.setTotal(config.rowCount);
  try {
    switch (config.activity) {
      case 'query':
        await restQuery(ctx);
        break;
      case 'bulk-query':
        await bulkQuery(ctx);
        break;
      case 'insert':
      case 'update':
      case 'upsert':
      case 'delete':
        await collections(ctx);
        break;
      default:
        await bulkIngest(ctx);
    }
  } catch (error) {
    throw salesforceRunFailure(error, 'the activity');
  }
  progress.flush();
  return progress.counts.failed > 0 ? 'completed-with-errors' : 'completed';
}

// --- queries ---------------------------------------------------------------------------------------------------

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

/** A record as cells: relationship fields as Account.Name, compound values as JSON, null as an empty cell. */
export function flattenRecord(record: Record<string, unknown>, prefix = ''): Record<string, string> {
  const cells: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes') continue;
    const name = `${prefix}${key}`;
    if (value === null || value === undefined) cells[name] = '';
    else if (typeof value === 'object' && !Array.isArray(value) && 'attributes' in value) {
      Object.assign(cells, flattenRecord(value as Record<string, unknown>, `${name}.`));
    } else if (typeof value === 'object') cells[name] = JSON.stringify(value);
    else cells[name] = String(value);
  }
  return cells;
}

/** The SELECT list, for the header of a query that returned nothing. */
function selectedFields(soql: string): string[] {
  const list = /^\s*SELECT\s+([\s\S]+?)\s+FROM\s/i.exec(soql)?.[1] ?? '';
  return list
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
}

async function restQuery(ctx: Context) {
  const { progress, config } = ctx;
  // A resumed query starts over: its file is written again from the first row.
  progress.setCounts({ processed: 0 });
  const writer = new ResultFileWriter(runFile(ctx.app, progress.run.id, 'results'));
  let path: string | undefined = `/query?q=${encodeURIComponent(config.soql ?? '')}`;
  // The columns are the SELECT list: a record whose related record is empty (Account: null) has no Account.Name
  // cell, and the first record must not decide the header. Functions and subqueries fall back to the first record.
  const selected = selectedFields(config.soql ?? '');
  let columns: string[] | undefined = selected.some((field) => /[()\s]/.test(field)) ? undefined : selected;
  if (columns) await writer.header(columns);
  let first = true;
  while (path) {
    ctx.checkAbort();
    const page: QueryPage = await call(ctx, 'rest-query', () =>
      salesforceRequest<QueryPage>(ctx.client, 'GET', path as string),
    );
    if (first) progress.setTotal(page.totalSize);
    first = false;
    for (const record of page.records) {
      const cells = new Map(Object.entries(flattenRecord(record)).map(([name, value]) => [name.toLowerCase(), value]));
      if (!columns) {
        columns = Object.keys(flattenRecord(record));
        await writer.header(columns);
      }
      await writer.row(columns.map((column) => cells.get(column.toLowerCase()) ?? ''));
    }
    progress.count({ processed: page.records.length });
    path = page.nextRecordsUrl?.replace(REST_BASE, '');
  }
  if (!columns) await writer.header(selectedFields(config.soql ?? ''));
  await writer.close();
}

/**
 * Bulk Query reads its result pages itself, by locator, as CSV streamed into the results file: jsforce's bulk2 query
 * breaks on results of more than one page (jsforce#1546), and would hold them all.
 */
async function bulkQuery(ctx: Context) {
  const { progress, config, client } = ctx;
  progress.setCounts({ processed: 0 });
  const jobId =
    config.bulkQueryJobId ??
    (
      await call(ctx, 'bulk-query', () =>
        salesforceRequest<{ id: string }>(client, 'POST', '/jobs/query', { operation: 'query', query: config.soql }),
      )
    ).id;
  // Salesforce reports no progress while it runs the query: without a stage the run would sit at "0 records".
  progress.setStage('Salesforce is running the Bulk query');
  const info = await waitForBulkJob(ctx, 'query', jobId);
  progress.setStage(null);
  progress.setTotal(info.numberRecordsProcessed ?? 0);
  const writer = new ResultFileWriter(runFile(ctx.app, progress.run.id, 'results'));
  for await (const response of bulkQueryPages(ctx, jobId, BULK_RESULT_PAGE, ctx.checkAbort)) {
    if (!response.body) continue;
    const parser = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(
      parse({ bom: true, relax_column_count: true }),
    );
    let header = true;
    let rows = 0;
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header) {
        header = false;
        if (!writer.columns) await writer.header(record);
        continue;
      }
      await writer.row(record);
      rows += 1;
      if (rows % 5_000 === 0) progress.count({ processed: 5_000 });
    }
    progress.count({ processed: rows % 5_000 });
  }
  if (!writer.columns) await writer.header(selectedFields(config.soql ?? ''));
  await writer.close();
}

// --- standard writes -------------------------------------------------------------------------------------------

/** The input's rows as the fields they fill: { row number (1-based), field -> cell }. */
async function* inputRows(config: ActivityConfig): AsyncGenerator<{ row: number; cells: Record<string, string> }> {
  const input = config.input;
  if (!input) return;
  const parser = createReadStream(input.file).pipe(
    parse({ bom: true, relax_column_count: true, skip_empty_lines: true }),
  );
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (row++ === 0) continue;
    const cells: Record<string, string> = {};
    input.targets.forEach((field, at) => {
      if (field) cells[field] = record[at] ?? '';
    });
    yield { row: row - 1, cells };
  }
}

/**
 * A CSV cell as the REST API wants it: empty leaves the field out, #N/A clears it, numbers and booleans typed. A cell
 * that is neither true nor false goes as written, for Salesforce to refuse, instead of quietly becoming false.
 */
function restValue(cell: string, type: string): unknown {
  if (cell === '#N/A') return null;
  if (type === 'boolean') {
    if (/^(true|1|yes)$/i.test(cell)) return true;
    if (/^(false|0|no)$/i.test(cell)) return false;
    return cell;
  }
  if (SOQL_NUMERIC_TYPES.has(type) && /^-?\d+(\.\d+)?$/.test(cell)) return Number(cell);
  return cell;
}

interface SaveResult {
  id?: string | null;
  success: boolean;
  created?: boolean;
  errors?: { statusCode?: string; message?: string }[];
}

async function collections(ctx: Context) {
  const { progress, config } = ctx;
  const checkpoint = (progress.checkpointValue() as ActivityCheckpoint | null) ?? {};
  let nextRow = checkpoint.nextRow ?? 1;
  if (checkpoint.inflight && config.activity === 'insert') {
    // The server stopped while Salesforce was creating these: sending them again could create them twice.
    const { from, to } = checkpoint.inflight;
    const unknown: RecordOutcome[] = [];
    for (let row = from; row <= to; row += 1) {
      unknown.push({
        key: String(row),
        action: 'failed',
        targetId: null,
        errorCode: 'OUTCOME_UNKNOWN',
        message:
          'The server stopped while Salesforce was creating this record, so whether it exists is unknown. Check the object before inserting it again.',
      });
    }
    progress.record(unknown);
    nextRow = to + 1;
  }
  progress.checkpoint({ nextRow, inflight: null } satisfies ActivityCheckpoint);
  let batch: { row: number; cells: Record<string, string> }[] = [];
  const send = async () => {
    if (batch.length === 0) return;
    ctx.checkAbort();
    const rows = batch;
    batch = [];
    const from = rows[0]?.row ?? nextRow;
    const to = rows.at(-1)?.row ?? nextRow;
    progress.checkpoint({ nextRow: from, inflight: { from, to } } satisfies ActivityCheckpoint);
    const results = await sendCollection(
      ctx,
      rows.map((entry) => entry.cells),
    );
    progress.record(
      rows.map(({ row }, at) => {
        const result = results[at];
        if (result?.success) {
          const action: RecordOutcome['action'] =
            config.activity === 'delete'
              ? 'deleted'
              : config.activity === 'insert' || result.created
                ? 'created'
                : 'updated';
          return { key: String(row), action, targetId: result.id ?? null };
        }
        const error = result?.errors?.[0];
        return {
          key: String(row),
          action: 'failed',
          targetId: null,
          errorCode: error?.statusCode ?? 'NO_RESULT',
          message: error?.message ?? 'Salesforce returned no result for this record.',
        };
      }),
    );
    nextRow = to + 1;
    progress.checkpoint({ nextRow, inflight: null } satisfies ActivityCheckpoint);
  };
  let total = 0;
  for await (const entry of inputRows(config)) {
    total += 1;
    if (entry.row < nextRow) continue;
    batch.push(entry);
    if (batch.length >= COLLECTION_SIZE) await send();
  }
  await send();
  progress.setTotal(total);
}

const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

async function sendCollection(ctx: Context, rows: Record<string, string>[]): Promise<SaveResult[]> {
  const { config, client } = ctx;
  const allOrNone = config.allOrNone;
  if (config.activity === 'delete') {
    // Ids go in the URL, a list Salesforce answers in order: a cell that is not an Id is refused here, so it can
    // neither be sent nor shift the answers onto other rows.
    const valid = rows.map((cells) => SALESFORCE_ID.test((cells.Id ?? '').trim()));
    const ids = rows.filter((_, at) => valid[at]).map((cells) => (cells.Id ?? '').trim());
    const answers =
      ids.length === 0
        ? []
        : await call(ctx, 'composite', () =>
            salesforceRequest<SaveResult[]>(
              client,
              'DELETE',
              `/composite/sobjects?ids=${ids.join(',')}&allOrNone=${allOrNone}`,
            ),
          );
    let next = 0;
    return rows.map((cells, at) =>
      valid[at]
        ? (answers[next++] ?? { success: false })
        : {
            success: false,
            errors: [
              {
                statusCode: 'MALFORMED_ID',
                message: `"${cells.Id ?? ''}" is not a Salesforce record Id (15 or 18 letters and digits).`,
              },
            ],
          },
    );
  }
  const records = rows.map((cells) => {
    const record: Record<string, unknown> = { attributes: { type: config.object } };
    for (const [field, cell] of Object.entries(cells)) {
      if (cell !== '') record[field] = restValue(cell, config.fieldTypes[field] ?? 'string');
    }
    return record;
  });
  const body = { allOrNone, records };
  try {
    if (config.activity === 'insert') {
      return await call(
        ctx,
        'composite',
        () => salesforceRequest<SaveResult[]>(client, 'POST', '/composite/sobjects', body),
        false,
      );
    }
    const path =
      config.activity === 'upsert'
        ? `/composite/sobjects/${config.object}/${config.externalIdField}`
        : '/composite/sobjects';
    return await call(ctx, 'composite', () => salesforceRequest<SaveResult[]>(client, 'PATCH', path, body));
  } catch (error) {
    if (!(error instanceof OutcomeUnknown)) throw error;
    return rows.map(() => ({
      success: false,
      errors: [
        {
          statusCode: 'OUTCOME_UNKNOWN',
          message:
            'The connection to Salesforce dropped before it answered, so whether this record was created is unknown; check before inserting it again.',
        },
      ],
    }));
  }
}

// --- bulk writes -----------------------------------------------------------------------------------------------

/** The input as the CSV Bulk API 2.0 reads: the mapped fields only, LF line endings. */
async function* bulkCsv(config: ActivityConfig): AsyncGenerator<string> {
  const fields = (config.input?.targets ?? []).filter((field): field is string => field !== null);
  yield `${fields.map(csvCell).join(',')}\n`;
  let lines: string[] = [];
  for await (const { cells } of inputRows(config)) {
    lines.push(fields.map((field) => csvCell(cells[field] ?? '')).join(','));
    if (lines.length >= 1_000) {
      yield `${lines.join('\n')}\n`;
      lines = [];
    }
  }
  if (lines.length > 0) yield `${lines.join('\n')}\n`;
}

async function bulkIngest(ctx: Context) {
  const { progress, config, client } = ctx;
  const operation = BULK_OPERATION[config.activity] ?? 'insert';
  const checkpoint = (progress.checkpointValue() as ActivityCheckpoint | null) ?? {};
  let jobId = checkpoint.bulkJobId;
  let info = jobId
    ? await call(ctx, 'bulk-ingest-poll', () => salesforceRequest<BulkJobInfo>(client, 'GET', `/jobs/ingest/${jobId}`))
    : undefined;
  if (info?.state === 'Open' && jobId) {
    // A crash during the upload: the job never started, so it is dropped and the input sent to a new one.
    const open = jobId;
    await call(ctx, 'bulk-ingest', () =>
      salesforceRequest(client, 'PATCH', `/jobs/ingest/${open}`, { state: 'Aborted' }),
    );
    info = undefined;
  }
  if (!info) {
    ctx.checkAbort();
    const created = await call(ctx, 'bulk-ingest', () =>
      salesforceRequest<BulkJobInfo>(client, 'POST', '/jobs/ingest', {
        object: config.object,
        operation,
        ...(operation === 'upsert' ? { externalIdFieldName: config.externalIdField } : {}),
        contentType: 'CSV',
        lineEnding: 'LF',
      }),
    );
    jobId = created.id;
    // From here a crash never uploads the input twice: the resumed run reads this job instead.
    progress.checkpoint({ bulkJobId: jobId } satisfies ActivityCheckpoint);
    const upload = created.id;
    // Up to 150 MB sent before Salesforce counts a record: the stage says what the run is waiting for.
    progress.setStage('Uploading the input to Salesforce');
    ctx.progress.countCall('bulk-ingest');
    const response = await salesforceFetch(client, `/jobs/ingest/${upload}/batches`, () => ({
      method: 'PUT',
      headers: { 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from(bulkCsv(config))) as unknown as RequestInit['body'],
      duplex: 'half',
    }));
    await response.body?.cancel();
    await call(ctx, 'bulk-ingest', () =>
      salesforceRequest(client, 'PATCH', `/jobs/ingest/${upload}`, { state: 'UploadComplete' }),
    );
  }
  // The counts say how far Salesforce got while the job runs (a resumed run may still show an earlier stage).
  progress.setStage(null);
  const done = await waitForBulkJob(ctx, 'ingest', jobId as string);
  progress.setTotal(done.numberRecordsProcessed ?? 0);
  progress.setStage("Reading Salesforce's result files");
  // Salesforce's own result files are kept: each row echoes the input with sf__Id and sf__Created or sf__Error.
  const succeeded = await keepResultFile(
    ctx,
    `/jobs/ingest/${jobId}/successfulResults`,
    runFile(ctx.app, progress.run.id, 'success'),
  );
  const failed = await keepResultFile(
    ctx,
    `/jobs/ingest/${jobId}/failedResults`,
    runFile(ctx.app, progress.run.id, 'failure'),
  );
  const deleting = isDelete(config.activity);
  progress.setCounts({
    processed: succeeded.rows + failed.rows,
    created: deleting ? 0 : succeeded.created,
    updated: deleting ? 0 : succeeded.rows - succeeded.created,
    deleted: deleting ? succeeded.rows : 0,
    failed: failed.rows,
  });
  progress.checkpoint({ bulkJobId: jobId } satisfies ActivityCheckpoint);
}

/** Streams one of a Bulk job's result files to disk, counting its rows (and the created ones). */
async function keepResultFile(ctx: Context, path: string, file: string): Promise<{ rows: number; created: number }> {
  const response = await call(ctx, 'bulk-ingest', () =>
    salesforceFetch(ctx.client, path, () => ({ headers: { accept: 'text/csv' } })),
  );
  const out = createWriteStream(file);
  let rows = 0;
  let created = 0;
  let createdAt = -1;
  if (response.body) {
    const source = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream);
    const parser = parse({ bom: true, relax_column_count: true });
    source.on('data', (chunk: Buffer) => {
      if (!out.write(chunk)) source.pause();
      parser.write(chunk);
    });
    out.on('drain', () => source.resume());
    source.on('end', () => parser.end());
    source.on('error', (error) => parser.destroy(error));
    let header = true;
    for await (const record of parser as AsyncIterable<string[]>) {
      if (header) {
        header = false;
        createdAt = record.indexOf('sf__Created');
        continue;
      }
      rows += 1;
      if (createdAt >= 0 && String(record[createdAt]).toLowerCase() === 'true') created += 1;
    }
  }
  out.end();
  await once(out, 'finish');
  return { rows, created };
}
