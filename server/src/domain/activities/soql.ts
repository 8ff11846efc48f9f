import { ActivityErrorCode, type CrmField, type QueryBuilder, type QueryCondition } from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';

const NUMERIC = new Set(['int', 'double', 'currency', 'percent', 'long']);
const TEXT = new Set([
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

/** Field names as describe spells them, found case-insensitively (SOQL field names are case-insensitive). */
export function fieldIndex(fields: readonly CrmField[]): Map<string, CrmField> {
  return new Map(fields.map((field) => [field.name.toLowerCase(), field]));
}

/** The named fields as describe has them; 400 naming every one the object does not have. */
export function knownFields(object: string, names: readonly string[], index: Map<string, CrmField>): CrmField[] {
  const unknown = names.filter((name) => !index.has(name.toLowerCase()));
  if (unknown.length > 0) {
    throw new ApiError(
      400,
      ActivityErrorCode.UnknownFields,
      `${object} has no field ${unknown.map((name) => `"${name}"`).join(', ')}. Pick fields from the list (describe), by API name.`,
      { fields: unknown },
    );
  }
  return names.map((name) => index.get(name.toLowerCase()) as CrmField);
}

/**
 * SOQL from the query builder. Values never reach the query unescaped: text is quoted with Salesforce's escapes, and
 * numbers, booleans and dates must look like one, so nothing typed in a condition can change the query's shape.
 */
export function buildSoql(object: string, builder: QueryBuilder, index: Map<string, CrmField>): string {
  const fields = knownFields(object, builder.fields, index);
  const conditions = builder.conditions ?? [];
  const conditionFields = knownFields(
    object,
    conditions.map((condition) => condition.field),
    index,
  );
  const order = builder.orderBy ? knownFields(object, [builder.orderBy.field], index)[0] : undefined;
  let soql = `SELECT ${[...new Set(fields.map((field) => field.name))].join(', ')} FROM ${object}`;
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
  if (condition.operator === 'LIKE' && !TEXT.has(field.type)) {
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
  if (NUMERIC.has(field.type)) {
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

function invalidCondition(field: CrmField, why: string): ApiError {
  return new ApiError(400, ActivityErrorCode.InvalidRequest, `Condition on ${field.name}: ${why}`);
}

/** The object a SOQL text reads (its top-level FROM, not a subquery's), for describe and the run's title. */
export function objectOfSoql(soql: string): string | undefined {
  return /^FROM\s+([A-Za-z][A-Za-z0-9_]*)/i.exec(topLevelFrom(soql) ?? '')?.[1];
}

/** From the top-level FROM to the end: parenthesised subqueries and quoted strings are stepped over. */
function topLevelFrom(soql: string): string | undefined {
  let depth = 0;
  let quoted = false;
  for (let at = 0; at < soql.length; at += 1) {
    const char = soql[at];
    if (quoted) {
      if (char === '\\') at += 1;
      else if (char === "'") quoted = false;
    } else if (char === "'") quoted = true;
    else if (char === '(') depth += 1;
    else if (char === ')') depth -= 1;
    else if (depth === 0 && /\s/.test(char ?? '') && /^\s+FROM\s/i.test(soql.slice(at, at + 6))) {
      return soql.slice(at).trimStart();
    }
  }
  return undefined;
}

/**
 * The same query as `SELECT COUNT()`, for the count preview: the field list goes, and ORDER BY (which COUNT() refuses)
 * with it; WHERE and LIMIT stay, so the count is what the query would return.
 */
export function countSoql(soql: string): string {
  const from = topLevelFrom(soql);
  if (!from) {
    throw new ApiError(400, ActivityErrorCode.SoqlInvalid, 'The SOQL must read SELECT <fields> FROM <object> ...');
  }
  return `SELECT COUNT() ${from.replace(/\s+ORDER\s+BY\s+[\s\S]*?(?=\s+LIMIT\s|\s+OFFSET\s|$)/i, '')}`;
}
