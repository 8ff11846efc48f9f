import {
  buildSoql,
  type ConditionOperator,
  type CrmField,
  type QueryBuilder,
  type QueryCondition,
  SoqlBuildProblem,
} from '@orglink/shared';

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

/**
 * The SOQL the builder stands for, shown as the admin edits: made by the same function the server runs the query
 * with, so what the admin reads is what Salesforce gets. Undefined while the fields do not make a query yet.
 */
export function previewSoql(object: string, builder: QueryBuilder, fields: readonly CrmField[]): string | undefined {
  try {
    return buildSoql(object, builder, fields);
  } catch (error) {
    if (error instanceof SoqlBuildProblem) return undefined;
    throw error;
  }
}
