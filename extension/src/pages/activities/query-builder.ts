import type { ConditionOperator, CrmField, QueryBuilder, QueryCondition } from '@orglink/shared';

/** One condition row as typed in the builder: values are text, IN lists comma-separated. */
export interface ConditionDraft {
  field: string;
  operator: ConditionOperator;
  value: string;
}

/** The builder's form as the admin fills it; `limit` stays text until it is read. */
export interface BuilderDraft {
  fields: string[];
  conditions: ConditionDraft[];
  orderField: string;
  orderDirection: 'ASC' | 'DESC';
  limit: string;
}

export const OPERATORS: readonly ConditionOperator[] = ['=', '!=', '<', '<=', '>', '>=', 'LIKE', 'IN', 'NOT IN'];

export function emptyBuilder(): BuilderDraft {
  return { fields: ['Id'], conditions: [], orderField: '', orderDirection: 'ASC', limit: '' };
}

export type BuilderResult = { ok: true; builder: QueryBuilder } | { ok: false; problem: string };

const MAX_LIMIT = 50_000_000;

function isList(operator: ConditionOperator) {
  return operator === 'IN' || operator === 'NOT IN';
}

/** The builder's form as the API's QueryBuilder, or what to fix first. */
export function builderRequest(draft: BuilderDraft): BuilderResult {
  if (draft.fields.length === 0) return { ok: false, problem: 'Pick at least one field to read.' };
  const conditions: QueryCondition[] = [];
  for (const [at, condition] of draft.conditions.entries()) {
    if (!condition.field) return { ok: false, problem: `Condition ${at + 1}: pick a field.` };
    if (isList(condition.operator)) {
      const values = condition.value
        .split(',')
        .map((value) => value.trim())
        .filter(Boolean);
      if (values.length === 0) {
        return { ok: false, problem: `Condition ${at + 1}: ${condition.operator} needs values, separated by commas.` };
      }
      conditions.push({ field: condition.field, operator: condition.operator, value: values });
    } else {
      conditions.push({ field: condition.field, operator: condition.operator, value: condition.value });
    }
  }
  const builder: QueryBuilder = { fields: [...new Set(draft.fields)] };
  if (conditions.length > 0) builder.conditions = conditions;
  if (draft.orderField) builder.orderBy = { field: draft.orderField, direction: draft.orderDirection };
  const limitText = draft.limit.trim();
  if (limitText) {
    const limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LIMIT) {
      return { ok: false, problem: `The limit must be a whole number from 1 to ${MAX_LIMIT.toLocaleString('en-US')}.` };
    }
    builder.limit = limit;
  }
  return { ok: true, builder };
}

const UNQUOTED_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long', 'boolean', 'date', 'datetime']);

/** Salesforce's escapes for a quoted SOQL string, as the server applies them. */
function soqlEscape(value: string): string {
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll("'", "\\'")
    .replaceAll('"', '\\"')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t');
}

function literal(value: string, field: CrmField | undefined): string {
  if (value === '' || value.toLowerCase() === 'null') return 'null';
  if (field && UNQUOTED_TYPES.has(field.type)) return field.type === 'boolean' ? value.toLowerCase() : value;
  return `'${soqlEscape(value)}'`;
}

/**
 * The SOQL the builder stands for, shown as the admin edits. The server builds (and checks) the query it runs; this
 * preview quotes values the same way, so what the admin reads is what Salesforce gets.
 */
export function previewSoql(object: string, builder: QueryBuilder, fields: readonly CrmField[]): string {
  const byName = new Map(fields.map((field) => [field.name.toLowerCase(), field]));
  let soql = `SELECT ${builder.fields.join(', ')} FROM ${object}`;
  const conditions = builder.conditions ?? [];
  if (conditions.length > 0) {
    const parts = conditions.map((condition) => {
      const field = byName.get(condition.field.toLowerCase());
      const right = Array.isArray(condition.value)
        ? `(${condition.value.map((value) => literal(value, field)).join(', ')})`
        : literal(condition.value, field);
      return `${condition.field} ${condition.operator} ${right}`;
    });
    soql += ` WHERE ${parts.join(' AND ')}`;
  }
  if (builder.orderBy) soql += ` ORDER BY ${builder.orderBy.field} ${builder.orderBy.direction}`;
  if (builder.limit) soql += ` LIMIT ${builder.limit}`;
  return soql;
}
