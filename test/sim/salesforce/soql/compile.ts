/**
 * Turns query text into a CompiledSoql: parse, check every name against the schema in the order Salesforce reports
 * them (object, SELECT list, WHERE, ORDER BY), then build the row predicate and sort keys once.
 */
import type { Name } from './ast.ts';
import { errorAt, SoqlError } from './errors.ts';
import { kindOf, readerFor } from './field-values.ts';
import { comparatorFor, type SortKey } from './order.ts';
import { parseSoql } from './parser.ts';
import type { CompiledSoql, SoqlSchema } from './types.ts';
import { compileWhere, type ResolvedField } from './where.ts';

/** Salesforce caps OFFSET at 2,000 rows (SOQL reference, "OFFSET"). */
export const MAX_OFFSET = 2000;

/** Sort keys of queries compiled here, so runSoql can sort on precomputed keys instead of calling compare(). */
const sortPlans = new WeakMap<CompiledSoql, SortKey[]>();

export function sortKeysOf(query: CompiledSoql): SortKey[] | undefined {
  return sortPlans.get(query);
}

export function compileSoql(text: string, schema: SoqlSchema): CompiledSoql {
  const ast = parseSoql(text);
  const objectName = schema.objectName(ast.object.text);
  if (objectName === undefined) {
    throw errorAt(
      'INVALID_TYPE',
      text,
      ast.object.offset,
      `sObject type '${ast.object.text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
    );
  }
  const resolve = fieldResolver(text, schema, objectName, [ast.object.text, ast.alias]);

  const fields: string[] = [];
  if (ast.select !== 'count') {
    for (const name of ast.select) {
      const field = resolve(name);
      if (fields.includes(field.name)) throw new SoqlError('INVALID_FIELD', `duplicate field selected: ${field.name}`);
      fields.push(field.name);
    }
  }

  const where = ast.where === undefined ? () => true : compileWhere(ast.where, { text, resolve });

  const sortKeys = ast.orderBy.map((item): SortKey => {
    const field = resolve(item.field);
    return { read: field.read, descending: item.descending, nullsFirst: item.nullsFirst ?? true };
  });
  const firstOrder = ast.orderBy[0];
  if (ast.select === 'count' && firstOrder !== undefined) {
    // COUNT() makes this an aggregate query, where only grouped or aggregated fields may be ordered.
    throw errorAt(
      'MALFORMED_QUERY',
      text,
      firstOrder.field.offset,
      `Ordered field must be grouped or aggregated: ${firstOrder.field.text}`,
    );
  }

  if (ast.offset !== undefined && ast.offset > MAX_OFFSET) {
    throw new SoqlError('NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }

  const compiled: CompiledSoql = {
    objectName,
    fields,
    isCount: ast.select === 'count',
    where,
    compare: comparatorFor(sortKeys),
    limit: ast.limit,
    offset: ast.offset,
  };
  sortPlans.set(compiled, sortKeys);
  return compiled;
}

/**
 * Resolves field names case-insensitively. A name may be prefixed with the object name or its alias
 * (`Contact.Email`, `c.Email`); any other prefix is a relationship path, which this simulator does not follow.
 */
function fieldResolver(
  text: string,
  schema: SoqlSchema,
  objectName: string,
  prefixes: (string | undefined)[],
): (name: Name) => ResolvedField {
  const ownPrefixes = new Set(
    [objectName, ...prefixes].filter((prefix): prefix is string => prefix !== undefined).map((p) => p.toUpperCase()),
  );
  return (name) => {
    let path = name.text;
    const dot = path.indexOf('.');
    if (dot !== -1 && ownPrefixes.has(path.slice(0, dot).toUpperCase())) path = path.slice(dot + 1);
    if (path.includes('.')) throw relationshipError(text, schema, objectName, name, path);
    const field = schema.field(objectName, path);
    if (field === undefined) {
      throw errorAt(
        'INVALID_FIELD',
        text,
        name.offset,
        `No such column '${path}' on entity '${objectName}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
      );
    }
    const kind = kindOf(field.type);
    return { name: field.name, type: field.type, kind, read: readerFor(field.name, kind) };
  };
}

/**
 * `Account.Name` from Contact is valid SOQL that needs relationship data this engine does not have: say so. A prefix
 * that names no lookup at all gets Salesforce's own answer.
 */
function relationshipError(text: string, schema: SoqlSchema, objectName: string, name: Name, path: string): SoqlError {
  const relationship = path.slice(0, path.indexOf('.'));
  const lookup = /__r$/i.test(relationship) ? relationship.replace(/__r$/i, '__c') : `${relationship}Id`;
  if (schema.field(objectName, lookup)?.type === 'reference') {
    return errorAt(
      'MALFORMED_QUERY',
      text,
      name.offset,
      `Relationship field paths such as ${name.text} are valid SOQL but not supported by the OrgLink Salesforce simulator`,
    );
  }
  return errorAt(
    'INVALID_FIELD',
    text,
    name.offset,
    `Didn't understand relationship '${relationship}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
  );
}
