/**
 * How each field type reads from a stored record and compares, shared by WHERE and ORDER BY so both agree.
 * Every reader returns a primitive that compares correctly with === and < (or null), so the per-row work is one
 * property read, one normalisation and one primitive comparison.
 */
import type { SoqlFieldType, SoqlRecord } from './types.ts';

export type FieldKind = 'text' | 'id' | 'boolean' | 'integer' | 'number' | 'date' | 'datetime';

export type Comparable = string | number | boolean;

export type Reader = (record: SoqlRecord) => Comparable | null;

export function kindOf(type: SoqlFieldType): FieldKind {
  switch (type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'boolean';
    case 'int':
      return 'integer';
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'date':
      return 'date';
    case 'datetime':
      return 'datetime';
    default:
      return 'text';
  }
}

/**
 * A reader for one field of one kind:
 * - text compares case-insensitively (as Salesforce's = and its English-locale sort do), and an empty string is
 *   null, because Salesforce stores blank text as null;
 * - ids compare on their case-sensitive 15-character form, so 15- and 18-character ids match each other;
 * - datetimes compare as instants, whatever offset the stored ISO string carries;
 * - numbers and booleans tolerate being stored as strings (as a CSV import would leave them).
 */
export function readerFor(field: string, kind: FieldKind): Reader {
  switch (kind) {
    case 'text':
      return (record) => {
        const value = record[field];
        if (value === null || value === undefined || value === '') return null;
        return String(value).toUpperCase();
      };
    case 'id':
      return (record) => {
        const value = record[field];
        if (value === null || value === undefined || value === '') return null;
        return String(value).slice(0, 15);
      };
    case 'boolean':
      return (record) => {
        const value = record[field];
        if (value === true || value === 'true') return true;
        if (value === false || value === 'false') return false;
        return null;
      };
    case 'integer':
    case 'number':
      return (record) => {
        const value = record[field];
        if (typeof value === 'number') return Number.isNaN(value) ? null : value;
        if (typeof value !== 'string' || value.trim() === '') return null;
        const parsed = Number(value);
        return Number.isNaN(parsed) ? null : parsed;
      };
    case 'date':
      return (record) => {
        const value = record[field];
        return typeof value === 'string' && value.length >= 10 ? value.slice(0, 10) : null;
      };
    case 'datetime':
      return (record) => {
        const value = record[field];
        if (typeof value === 'number') return value;
        if (typeof value !== 'string' || value === '') return null;
        const millis = Date.parse(value);
        return Number.isNaN(millis) ? null : millis;
      };
  }
}
