import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  DmlBatch,
  deleteRecord,
  type FieldValues,
  hardDeleteRecord,
  insertRecord,
  type SaveOutcome,
  updateRecord,
  upsertRecord,
} from '../model/dml.ts';
import { type SaveError, saveError } from '../model/errors.ts';
import { canonicalId } from '../model/ids.ts';
import { indexKey } from '../model/record-store.ts';
import { coerceCsv } from '../model/values.ts';
import { schema } from '../schema/registry.ts';
import type { FieldDef } from '../schema/types.ts';
import type { SalesforceState } from '../state.ts';
import { finishJob, type IngestJob, type RowResult, startJob } from './jobs.ts';

/**
 * Processes a closed ingest job in the background, in internal batches of 10,000 rows (each counts against
 * DailyBulkApiBatches) with the event loop free between them, so polling and other requests go on meanwhile.
 */

export const INTERNAL_BATCH_SIZE = 10_000;

/** The `sf__Error` text: `CODE:message:Field --`, or `CODE:message:--` when no field is named. */
export function bulkErrorText(error: SaveError): string {
  return error.fields.length
    ? `${error.statusCode}:${error.message}:${error.fields.join(' ')} --`
    : `${error.statusCode}:${error.message}:--`;
}

function fail(state: SalesforceState, job: IngestJob, message: string): void {
  job.errorMessage = message;
  finishJob(job, 'Failed', state.clock.now());
}

/** Header columns as fields; a name the object lacks fails the whole job, as on Salesforce. */
function resolveHeader(job: IngestJob): { columns: FieldDef[] } | { problem: string } {
  const columns: FieldDef[] = [];
  for (const name of job.header) {
    const field = schema.field(job.object, name.trim());
    if (!field) return { problem: `InvalidBatch : Field name not found : ${name}` };
    if (columns.includes(field)) return { problem: `InvalidBatch : Duplicate field name: ${name}` };
    columns.push(field);
  }
  const has = (fieldName: string) => columns.some((field) => field.name === fieldName);
  if (['update', 'delete', 'hardDelete'].includes(job.operation) && !has('Id')) {
    return { problem: `InvalidBatch : Field name not found : Id` };
  }
  if (job.operation === 'upsert' && job.externalIdFieldName && !has(job.externalIdFieldName)) {
    return { problem: `InvalidBatch : External ID field ${job.externalIdFieldName} not found in the header` };
  }
  return { columns };
}

function rowValues(columns: FieldDef[], row: string[]): { values: FieldValues; id: string } | { error: SaveError } {
  const values: FieldValues = new Map();
  let id = '';
  for (let index = 0; index < columns.length; index += 1) {
    const field = columns[index] as FieldDef;
    const cell = row[index] ?? '';
    if (field.name === 'Id') {
      id = cell.trim();
      continue;
    }
    // An empty cell leaves the field alone; only #N/A sets it to null.
    if (cell === '') continue;
    const coerced = coerceCsv(field, cell);
    if (!coerced.ok) return { error: coerced.error ?? saveError('INVALID_FIELD', `${field.label}: invalid value`) };
    values.set(field.name, coerced.value);
  }
  return { values, id };
}

function checkedId(job: IngestJob, raw: string): { id: string } | { error: SaveError } {
  if (!raw) {
    const verb = job.operation === 'update' ? 'an update' : 'a delete';
    return { error: saveError('MISSING_ARGUMENT', `Id not specified in ${verb} call`) };
  }
  const id = canonicalId(raw);
  if (!id) return { error: saveError('MALFORMED_ID', `malformed id ${raw}`) };
  if (id.slice(0, 3) !== job.object.keyPrefix) {
    return { error: saveError('MALFORMED_ID', `${job.object.label} ID: id value of incorrect type: ${raw}`, ['Id']) };
  }
  return { id };
}

function toResult(outcome: SaveOutcome, fallbackId: string): RowResult {
  if (outcome.success) return { id: outcome.id ?? '', created: outcome.created === true, error: undefined };
  const error = outcome.errors[0] ?? saveError('UNKNOWN_EXCEPTION', 'An unexpected error occurred.');
  return { id: outcome.id ?? fallbackId, created: false, error: bulkErrorText(error) };
}

function processRow(
  job: IngestJob,
  batch: DmlBatch,
  columns: FieldDef[],
  row: string[],
  externalField: FieldDef | undefined,
  duplicateKeys: Set<string>,
): RowResult {
  const store = job.org.store(job.object.name);
  const parsed = rowValues(columns, row);
  if ('error' in parsed) return toResult({ success: false, errors: [parsed.error] }, '');
  const { values, id: rawId } = parsed;
  const failure = (error: SaveError, id = '') => toResult({ success: false, errors: [error] }, id);
  switch (job.operation) {
    case 'insert':
      return toResult(insertRecord(batch, store, values), '');
    case 'update':
    case 'delete':
    case 'hardDelete': {
      const checked = checkedId(job, rawId);
      if ('error' in checked) return failure(checked.error, rawId);
      if (job.operation === 'update') return toResult(updateRecord(batch, store, checked.id, values), checked.id);
      const remove = job.operation === 'delete' ? deleteRecord : hardDeleteRecord;
      return toResult(remove(batch, store, checked.id), checked.id);
    }
    case 'upsert': {
      const field = externalField as FieldDef;
      if (field.type === 'id') {
        if (!rawId) return toResult(insertRecord(batch, store, values), '');
        const checked = checkedId(job, rawId);
        if ('error' in checked) return failure(checked.error, rawId);
        return toResult(upsertRecord(batch, store, field, checked.id, values), checked.id);
      }
      const key = values.get(field.name);
      const normalised = indexKey(field, key);
      if (normalised === undefined) return failure(saveError('MISSING_ARGUMENT', `${field.name} not specified`));
      if (duplicateKeys.has(normalised)) {
        return failure(
          saveError('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${String(key)}`, [field.name]),
        );
      }
      return toResult(upsertRecord(batch, store, field, key, values), '');
    }
  }
}

/** External-id values that occur more than once in one internal batch: Salesforce fails every such row. */
function duplicatesIn(columns: FieldDef[], rows: string[][], field: FieldDef | undefined): Set<string> {
  const duplicates = new Set<string>();
  if (!field || field.type === 'id') return duplicates;
  const column = columns.indexOf(field);
  const seen = new Set<string>();
  for (const row of rows) {
    const key = indexKey(field, row[column] === '#N/A' ? '' : row[column]);
    if (key === undefined) continue;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  return duplicates;
}

export async function processIngestJob(state: SalesforceState, job: IngestJob): Promise<void> {
  if (!(await startJob(state, job))) return;
  const injected = state.faults.takeBulkJobFailure(job.org.name);
  if (injected) return fail(state, job, injected);
  if (!job.uploaded) return fail(state, job, 'InvalidBatch : No content was uploaded for this job');
  if (job.uploadProblem) return fail(state, job, job.uploadProblem);
  const resolved = resolveHeader(job);
  if ('problem' in resolved) return fail(state, job, resolved.problem);
  const { columns } = resolved;
  const externalField = job.externalIdFieldName ? schema.field(job.object, job.externalIdFieldName) : undefined;
  job.results = new Array(job.rows.length);
  for (let start = 0; start < job.rows.length; start += INTERNAL_BATCH_SIZE) {
    if (job.state !== 'InProgress') return;
    const chunk = job.rows.slice(start, start + INTERNAL_BATCH_SIZE);
    job.org.bulkBatches.add(state.clock.now());
    const batch = new DmlBatch({
      org: job.org,
      userId: job.createdById,
      now: state.clock.now(),
      lockFails: () => state.faults.rollLockRow(),
    });
    const duplicates = duplicatesIn(columns, chunk, externalField);
    chunk.forEach((row, offset) => {
      const result = processRow(job, batch, columns, row, externalField, duplicates);
      job.results[start + offset] = result;
      job.processed += 1;
      if (result.error) job.failed += 1;
    });
    job.modifiedAt = state.clock.now();
    await yieldToEventLoop();
  }
  if (job.state !== 'InProgress') return;
  finishJob(job, 'JobComplete', state.clock.now());
}
