import { sortKeysOf } from './compile.ts';
import { sortRecords } from './order.ts';
import type { CompiledSoql, SoqlRecord } from './types.ts';

/**
 * Filter, sort, offset, limit, and project each row to {field: value} in SELECT order (missing fields as null).
 * For COUNT() the records are empty and totalSize is the count, capped by LIMIT as Salesforce documents; OFFSET
 * skips counted rows the same way it skips returned ones. Otherwise totalSize is the number of records returned.
 */
export function runSoql(
  query: CompiledSoql,
  rows: Iterable<SoqlRecord>,
): { totalSize: number; records: Record<string, unknown>[] } {
  const matched: SoqlRecord[] = [];
  for (const row of rows) if (query.where(row)) matched.push(row);

  const offset = query.offset ?? 0;
  const limit = query.limit ?? Number.POSITIVE_INFINITY;
  if (query.isCount) return { totalSize: Math.max(0, Math.min(matched.length - offset, limit)), records: [] };

  const keys = sortKeysOf(query);
  const sorted = keys === undefined ? matched.sort(query.compare) : sortRecords(matched, keys);
  const page = sorted.slice(offset, offset + limit);
  const fields = query.fields;
  const records = page.map((row) => {
    const projected: Record<string, unknown> = {};
    for (const field of fields) projected[field] = row[field] ?? null;
    return projected;
  });
  return { totalSize: records.length, records };
}
