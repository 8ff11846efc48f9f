import {
  ActivityErrorCode,
  buildSoql as buildSharedSoql,
  type CrmField,
  describedFields,
  type QueryBuilder,
  SoqlBuildProblem,
} from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';

/** Field names as describe spells them, found case-insensitively (SOQL field names are case-insensitive). */
export function fieldIndex(fields: readonly CrmField[]): Map<string, CrmField> {
  return new Map(fields.map((field) => [field.name.toLowerCase(), field]));
}

/** The shared builder's refusal as the API's: 400 naming the unknown fields, or the condition to fix. */
function asApiError(problem: SoqlBuildProblem): ApiError {
  return problem.unknownFields.length > 0
    ? new ApiError(400, ActivityErrorCode.UnknownFields, problem.message, { fields: problem.unknownFields })
    : new ApiError(400, ActivityErrorCode.InvalidRequest, problem.message);
}

function orApiError<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof SoqlBuildProblem ? asApiError(error) : error;
  }
}

/** The named fields as describe has them; 400 naming every one the object does not have. */
export function knownFields(object: string, names: readonly string[], index: Map<string, CrmField>): CrmField[] {
  return orApiError(() => describedFields(object, names, [...index.values()]));
}

/** SOQL from the query builder (shared with the extension's preview); a refusal is a 400 saying what to fix. */
export function buildSoql(object: string, builder: QueryBuilder, index: Map<string, CrmField>): string {
  return orApiError(() => buildSharedSoql(object, builder, [...index.values()]));
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
