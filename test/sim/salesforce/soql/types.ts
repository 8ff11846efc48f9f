/** Salesforce describe `type` values the engine understands; the simulator's schema uses the same list (`FieldType`). */
export type SoqlFieldType =
  | 'id'
  | 'reference'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'boolean'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'date'
  | 'datetime';

/** What the engine needs to know about the org's schema: canonical object and field names (lookups are case-insensitive, as in Salesforce). */
export interface SoqlSchema {
  /** Canonical object name for a case-insensitive name, or undefined when the object does not exist. */
  objectName(name: string): string | undefined;
  /** Canonical field name and type for a case-insensitive field of that object, or undefined. */
  field(objectName: string, fieldName: string): { name: string; type: SoqlFieldType } | undefined;
}

/** A stored record: canonical field names; values string | number | boolean | null, dates and datetimes as ISO strings. */
export type SoqlRecord = Record<string, unknown>;

export interface CompiledSoql {
  /** Canonical object name. */
  objectName: string;
  /** Canonical field names in SELECT order; empty for COUNT(). */
  fields: string[];
  /** SELECT COUNT() FROM ... */
  isCount: boolean;
  where(record: SoqlRecord): boolean;
  /** ORDER BY; 0 when there is none. */
  compare(a: SoqlRecord, b: SoqlRecord): number;
  limit: number | undefined;
  offset: number | undefined;
}
