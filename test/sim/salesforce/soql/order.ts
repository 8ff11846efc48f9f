/**
 * ORDER BY. Text sorts case-insensitively (Salesforce, English locale: upper-cased values). Nulls go first unless
 * NULLS LAST is given, in either direction: the SOQL reference says "By default, null values are sorted first",
 * and its own example needs `DESC NULLS LAST` to push null names to the end. Ties keep the input order.
 */
import type { Comparable, Reader } from './field-values.ts';
import type { SoqlRecord } from './types.ts';

export interface SortKey {
  read: Reader;
  descending: boolean;
  nullsFirst: boolean;
}

function compareValues(left: Comparable | null, right: Comparable | null, key: SortKey): number {
  if (left === right) return 0;
  if (left === null) return key.nullsFirst ? -1 : 1;
  if (right === null) return key.nullsFirst ? 1 : -1;
  const order = left < right ? -1 : left > right ? 1 : 0;
  return key.descending ? -order : order;
}

export function comparatorFor(keys: SortKey[]): (a: SoqlRecord, b: SoqlRecord) => number {
  if (keys.length === 0) return () => 0;
  return (a, b) => {
    for (const key of keys) {
      const order = compareValues(key.read(a), key.read(b), key);
      if (order !== 0) return order;
    }
    return 0;
  };
}

/** Sorts with each row's keys read once up front, so a 100,000-row sort does not re-normalise values per compare. */
export function sortRecords(records: SoqlRecord[], keys: SortKey[]): SoqlRecord[] {
  if (keys.length === 0) return records;
  const decorated = records.map((record) => ({ record, values: keys.map((key) => key.read(record)) }));
  decorated.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareValues(a.values[i] ?? null, b.values[i] ?? null, keys[i] as SortKey);
      if (order !== 0) return order;
    }
    return 0;
  });
  return decorated.map((entry) => entry.record);
}
