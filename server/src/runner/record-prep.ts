import { createHash } from 'node:crypto';
import type { FieldMapping } from '@orglink/shared';
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
  rows: Record<string, string | null>[];
  /** Bulk API 2.0 reads an empty cell as "leave alone" and #N/A as "clear": a mapped null must clear the field. */
  nullAs: string;
  header: boolean;
}

/** RFC 4180 CSV with LF line endings, as a Bulk API 2.0 upload with lineEnding LF expects. */
export function encodeCsv(task: CsvTask): string {
  const lines: string[] = task.header ? [task.columns.map(csvCell).join(',')] : [];
  for (const row of task.rows) {
    lines.push(task.columns.map((column) => csvCell(row[column] ?? task.nullAs)).join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/**
 * Reads RFC 4180 CSV (LF or CRLF) one record at a time, keyed by the header row. A generator over the text rather than
 * a parsed array: a 100,000-row Bulk result parsed at once held every row as an object alongside the text.
 */
export function* csvRecords(text: string): Generator<Record<string, string>> {
  let header: string[] | undefined;
  let at = 0;
  while (at < text.length) {
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (text[at] === '"') {
        at += 1;
        for (;;) {
          const quote = text.indexOf('"', at);
          if (quote < 0) throw new Error('the CSV ends inside a quoted cell');
          cell += text.slice(at, quote);
          at = quote + 1;
          if (text[at] !== '"') break;
          cell += '"';
          at += 1;
        }
      } else {
        let end = at;
        while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end += 1;
        cell = text.slice(at, end);
        at = end;
      }
      cells.push(cell);
      if (text[at] === ',') {
        at += 1;
        continue;
      }
      if (text[at] === '\r') at += 1;
      if (text[at] === '\n') at += 1;
      break;
    }
    if (cells.length === 1 && cells[0] === '') continue;
    if (!header) {
      header = cells;
      continue;
    }
    const record: Record<string, string> = {};
    for (const [index, column] of header.entries()) record[column] = cells[index] ?? '';
    yield record;
  }
}
