import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FieldMapping } from '@orglink/shared';
import { parse } from 'csv-parse';
import { type CatalogUser, usersOfPageBody } from '../sources/catalog/catalog-client.ts';
import { mapCatalogUser } from '../sources/catalog/field-map.ts';

/** A Catalog user ready to write: its key, the CRM values, and a hash of them for the sync-state diff. */
export interface PreparedRecord {
  key: string;
  values: Record<string, string | null>;
  hash: string;
}

export interface PrepareTask {
  /** The JSON text of one Catalog users page, parsed in the worker (see CatalogClient.usersPageBody). */
  pageBody?: string;
  users?: CatalogUser[];
  fieldMap: FieldMapping[];
  /** Filled with the Catalog user id (match key external-id), unless the field map already fills it. */
  externalIdField: string | null;
}

/**
 * Maps and hashes. The hash covers field names as well as values, so a changed field map rewrites every record
 * instead of silently leaving the newly mapped field empty in the CRM.
 */
export function prepareRecords(task: PrepareTask): PreparedRecord[] {
  const users = task.pageBody === undefined ? (task.users ?? []) : usersOfPageBody(task.pageBody);
  return users.map((user) => {
    const values = mapCatalogUser(user, task.fieldMap);
    if (task.externalIdField && !(task.externalIdField in values)) values[task.externalIdField] = String(user.id);
    const hash = createHash('sha1').update(JSON.stringify(values)).digest('base64url');
    return { key: String(user.id), values, hash };
  });
}

export interface CsvTask {
  columns: string[];
  /**
   * The records' values, or their JSON text as spooled (PendingWrites.valuesJsonChunks): parsed here, in the worker,
   * so that the event loop neither parses nor copies 100,000 objects into the worker for a Bulk upload.
   */
  rows: Record<string, string | null>[] | string[];
  /** Bulk API 2.0 reads an empty cell as "leave alone" and #N/A as "clear": a mapped null must clear the field. */
  nullAs: string;
  header: boolean;
}

/** RFC 4180 CSV with LF line endings, as a Bulk API 2.0 upload with lineEnding LF expects. */
export function encodeCsv(task: CsvTask): string {
  const lines: string[] = task.header ? [task.columns.map(csvCell).join(',')] : [];
  for (const entry of task.rows) {
    const row = typeof entry === 'string' ? (JSON.parse(entry) as Record<string, string | null>) : entry;
    lines.push(task.columns.map((column) => csvCell(row[column] ?? task.nullAs)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Reads CSV (LF or CRLF, a BOM, blank lines) one record at a time, keyed by the header row, with csv-parse streaming
 * over the text: a 100,000-row Bulk result parsed at once would hold every row as an object alongside the text.
 */
export async function* csvRecords(text: string): AsyncGenerator<Record<string, string>> {
  // Fed in 64 KB slices: handed the whole text as one chunk, the parser would turn all of it into records at once.
  const parser = Readable.from(slices(text, 65_536)).pipe(
    parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }),
  );
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) yield record;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'CSV_QUOTE_NOT_CLOSED')
      throw new Error('the CSV ends inside a quoted cell');
    throw error;
  }
}

/** The text in pieces of about `size` characters, never splitting a surrogate pair (each piece is encoded alone). */
function* slices(text: string, size: number): Generator<string> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(at + size, text.length);
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff && end < text.length) end += 1;
    yield text.slice(at, end);
    at = end;
  }
}
