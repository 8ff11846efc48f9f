import type { QueryBuilder, QueryCondition } from './activities.ts';
import type { CrmField } from './integrations.ts';

// SOQL from the query builder, shared so the extension's preview is the query the server runs, not a second copy of
// the quoting rules. Pure: no schema library at run time.

/** Describe types whose values SOQL takes bare, as numbers. */
export const SOQL_NUMERIC_TYPES: ReadonlySet<string> = new Set(['int', 'double', 'currency', 'percent', 'long']);
const TEXT_TYPES = new Set([
  'string',
  'textarea',
  'email',
  'phone',
  'url',
  'picklist',
  'multipicklist',
  'combobox',
  'id',
  'reference',
  'encryptedstring',
]);

/** An object's API name: standard (Contact), custom (Invoice__c), namespaced (ns__Invoice__c) and the like. */
const SOQL_OBJECT_NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/;

/** Why the builder's query cannot be made: fields the object does not have, or a condition that does not fit. */
export class SoqlBuildProblem extends Error {
  override name = 'SoqlBuildProblem';
  /** The unknown field names, when that is the problem. */
  readonly unknownFields: string[];
  constructor(message: string, unknownFields: string[] = []) {
    super(message);
    this.unknownFields = unknownFields;
  }
}

/** Salesforce's escapes for a quoted SOQL string: backslash, quotes, and the control characters. */
export function soqlEscape(value: string): string {
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "\\'")
    .replaceAll('"', '\\"')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t');
}

/** The named fields as describe spells them (SOQL names are case-insensitive); every unknown one is named. */
export function describedFields(object: string, names: readonly string[], fields: readonly CrmField[]): CrmField[] {
  const index = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  const unknown = names.filter((name) => !index.has(name.toLowerCase()));
  if (unknown.length > 0) {
    throw new SoqlBuildProblem(
      `${object} has no field ${unknown.map((name) => `"${name}"`).join(', ')}. Pick fields from the list (describe), by API name.`,
      unknown,
    );
  }
  return names.map((name) => index.get(name.toLowerCase()) as CrmField);
}

/**
 * SOQL from the query builder. Values never reach the query unescaped: text is quoted with Salesforce's escapes, and
 * numbers, booleans and dates must look like one, so nothing typed in a condition can change the query's shape.
 */
export function buildSoql(object: string, builder: QueryBuilder, fields: readonly CrmField[]): string {
  // Describe has vetted the fields; the object name goes into FROM as is, so it must be one API name and no more.
  if (!SOQL_OBJECT_NAME.test(object)) {
    throw new SoqlBuildProblem(
      `"${object}" is not an object API name (letters, digits and underscores, such as Contact or Invoice__c).`,
    );
  }
  const selected = describedFields(object, builder.fields, fields);
  const conditions = builder.conditions ?? [];
  const conditionFields = describedFields(
    object,
    conditions.map((condition) => condition.field),
    fields,
  );
  const order = builder.orderBy ? describedFields(object, [builder.orderBy.field], fields)[0] : undefined;
  let soql = `SELECT ${[...new Set(selected.map((field) => field.name))].join(', ')} FROM ${object}`;
  if (conditions.length > 0) {
    soql += ` WHERE ${conditions.map((condition, at) => conditionSoql(condition, conditionFields[at] as CrmField)).join(' AND ')}`;
  }
  if (order && builder.orderBy) soql += ` ORDER BY ${order.name} ${builder.orderBy.direction}`;
  if (builder.limit) soql += ` LIMIT ${builder.limit}`;
  return soql;
}

function conditionSoql(condition: QueryCondition, field: CrmField): string {
  const values = Array.isArray(condition.value) ? condition.value : [condition.value];
  const list = condition.operator === 'IN' || condition.operator === 'NOT IN';
  if (!list && Array.isArray(condition.value)) {
    throw invalidCondition(field, `${condition.operator} compares with one value; use IN for a list.`);
  }
  if (list && values.length === 0) throw invalidCondition(field, `${condition.operator} needs at least one value.`);
  if (condition.operator === 'LIKE' && !TEXT_TYPES.has(field.type)) {
    throw invalidCondition(field, `LIKE works on text fields; ${field.name} is ${field.type}.`);
  }
  const literals = values.map((value) => literal(field, value));
  const right = list ? `(${literals.join(', ')})` : literals[0];
  return `${field.name} ${condition.operator} ${right}`;
}

function literal(field: CrmField, value: string): string {
  if (value === '' || value.toLowerCase() === 'null') return 'null';
  if (field.type === 'boolean') {
    if (!/^(true|false)$/i.test(value)) throw invalidCondition(field, `"${value}" is not true or false.`);
    return value.toLowerCase();
  }
  if (SOQL_NUMERIC_TYPES.has(field.type)) {
    if (!/^-?\d+(\.\d+)?$/.test(value)) throw invalidCondition(field, `"${value}" is not a number.`);
    return value;
  }
  if (field.type === 'date') {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw invalidCondition(field, `"${value}" is not a date (YYYY-MM-DD).`);
    return value;
  }
  if (field.type === 'datetime') {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
      throw invalidCondition(field, `"${value}" is not a date and time (e.g. 2026-01-31T09:00:00Z).`);
    }
    return value;
  }
  return `'${soqlEscape(value)}'`;
}

function invalidCondition(field: CrmField, why: string): SoqlBuildProblem {
  return new SoqlBuildProblem(`Condition on ${field.name}: ${why}`);
}
