/**
 * Compiles a WHERE condition once into nested closures over pre-normalised literals, so evaluating a row never
 * re-reads the query. Type checks follow Salesforce: the literal must match the field's type, with its messages.
 *
 * Null semantics are Salesforce's two-valued ones, not SQL's: `Field != 'x'` and `Field NOT IN (...)` match rows
 * where the field is null, `= null` / `!= null` test for null, and <, >, LIKE never match a null.
 */
import type { Condition, Literal } from './ast.ts';
import { errorAt, type SoqlError } from './errors.ts';
import type { Comparable, FieldKind, Reader } from './field-values.ts';
import { canonicalId, datetimeMillis, decodeString, IllegalEscape, likePattern } from './literals.ts';
import type { SoqlFieldType, SoqlRecord } from './types.ts';

export type Predicate = (record: SoqlRecord) => boolean;

export interface ResolvedField {
  name: string;
  type: SoqlFieldType;
  kind: FieldKind;
  read: Reader;
}

export interface WhereContext {
  text: string;
  resolve(name: { text: string; offset: number }): ResolvedField;
}

/** The type names Salesforce uses in "must be of type ..." messages. */
const TYPE_LABEL: Record<FieldKind, string> = {
  text: 'string',
  id: 'id',
  boolean: 'boolean',
  integer: 'integer',
  number: 'double',
  date: 'date',
  datetime: 'dateTime',
};

export function compileWhere(condition: Condition, context: WhereContext): Predicate {
  switch (condition.kind) {
    case 'and':
      return allOf(condition.operands.map((operand) => compileWhere(operand, context)));
    case 'or':
      return anyOf(condition.operands.map((operand) => compileWhere(operand, context)));
    case 'not': {
      const operand = compileWhere(condition.operand, context);
      return (record) => !operand(record);
    }
    case 'in':
      return compileIn(condition, context);
    case 'compare':
      return compileComparison(condition, context);
  }
}

function allOf(predicates: Predicate[]): Predicate {
  const [first, second] = predicates;
  if (predicates.length === 2 && first && second) return (record) => first(record) && second(record);
  return (record) => {
    for (const predicate of predicates) if (!predicate(record)) return false;
    return true;
  };
}

function anyOf(predicates: Predicate[]): Predicate {
  const [first, second] = predicates;
  if (predicates.length === 2 && first && second) return (record) => first(record) || second(record);
  return (record) => {
    for (const predicate of predicates) if (predicate(record)) return true;
    return false;
  };
}

function compileIn(condition: Extract<Condition, { kind: 'in' }>, context: WhereContext): Predicate {
  const field = context.resolve(condition.field);
  const values = new Set<Comparable>();
  let includesNull = false;
  for (const literal of condition.values) {
    const value = literalValue(literal, field, context);
    if (value === null) includesNull = true;
    else values.add(value);
  }
  const read = field.read;
  const matches: Predicate = (record) => {
    const value = read(record);
    return value === null ? includesNull : values.has(value);
  };
  return condition.negated ? (record) => !matches(record) : matches;
}

function compileComparison(condition: Extract<Condition, { kind: 'compare' }>, context: WhereContext): Predicate {
  const field = context.resolve(condition.field);
  const { operator, value: literal } = condition;
  if (operator === 'LIKE') return compileLike(condition, field, context);
  const isRange = operator !== '=' && operator !== '!=';
  if (isRange && field.kind === 'boolean') throw invalidOperator(field, condition.operatorOffset, context);
  const value = literalValue(literal, field, context);
  const read = field.read;
  if (operator === '=') return (record) => read(record) === value;
  if (operator === '!=') return (record) => read(record) !== value;
  if (value === null) throw nullNotAllowed(literal.offset, context);
  switch (operator) {
    case '<':
      return (record) => {
        const current = read(record);
        return current !== null && current < value;
      };
    case '<=':
      return (record) => {
        const current = read(record);
        return current !== null && current <= value;
      };
    case '>':
      return (record) => {
        const current = read(record);
        return current !== null && current > value;
      };
    case '>=':
      return (record) => {
        const current = read(record);
        return current !== null && current >= value;
      };
  }
}

/** LIKE works on text fields only and matches the stored text case-insensitively. */
function compileLike(
  condition: Extract<Condition, { kind: 'compare' }>,
  field: ResolvedField,
  context: WhereContext,
): Predicate {
  if (field.kind !== 'text') throw invalidOperator(field, condition.operatorOffset, context);
  const literal = condition.value;
  if (literal.kind === 'null') throw nullNotAllowed(literal.offset, context);
  if (literal.kind !== 'string') throw wrongType(field, literal, context);
  const pattern = withEscapes(literal, context, () => likePattern(literal.raw));
  const name = field.name;
  return (record) => {
    const value = record[name];
    if (value === null || value === undefined || value === '') return false;
    return pattern.test(typeof value === 'string' ? value : String(value));
  };
}

/** A literal checked against the field's type and normalised the way that field's reader normalises stored values. */
function literalValue(literal: Literal, field: ResolvedField, context: WhereContext): Comparable | null {
  if (literal.kind === 'null') return null;
  switch (field.kind) {
    case 'text': {
      if (literal.kind !== 'string') throw wrongType(field, literal, context);
      const text = withEscapes(literal, context, () => decodeString(literal.raw));
      return text === '' ? null : text.toUpperCase();
    }
    case 'id': {
      if (literal.kind !== 'string') throw wrongType(field, literal, context);
      const text = withEscapes(literal, context, () => decodeString(literal.raw));
      if (text === '') return null;
      const id = canonicalId(text);
      if (id === undefined) {
        throw errorAt('INVALID_QUERY_FILTER_OPERATOR', context.text, literal.offset, `invalid ID field: ${text}`);
      }
      return id;
    }
    case 'boolean':
      if (literal.kind !== 'boolean') throw wrongType(field, literal, context);
      return literal.value;
    case 'integer':
      if (literal.kind !== 'number' || !/^[+-]?\d+$/.test(literal.text)) throw wrongType(field, literal, context);
      return Number(literal.text);
    case 'number':
      if (literal.kind !== 'number') throw wrongType(field, literal, context);
      return Number(literal.text);
    case 'date':
      if (literal.kind !== 'date') throw wrongType(field, literal, context);
      return literal.text;
    case 'datetime':
      if (literal.kind !== 'datetime') throw wrongType(field, literal, context);
      return datetimeMillis(literal.text);
  }
}

function withEscapes<T>(literal: Literal & { kind: 'string' }, context: WhereContext, decode: () => T): T {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof IllegalEscape)) throw error;
    throw errorAt(
      'MALFORMED_QUERY',
      context.text,
      literal.offset,
      `Invalid string literal '${literal.raw}'. Illegal character sequence '${error.sequence}' in string literal.`,
    );
  }
}

function wrongType(field: ResolvedField, literal: Literal, context: WhereContext): SoqlError {
  const quoted =
    field.kind === 'text' || field.kind === 'id' ? 'should be enclosed in quotes' : 'should not be enclosed in quotes';
  return errorAt(
    'INVALID_FIELD',
    context.text,
    literal.offset,
    `value of filter criterion for field '${field.name}' must be of type ${TYPE_LABEL[field.kind]} and ${quoted}`,
  );
}

function invalidOperator(field: ResolvedField, offset: number, context: WhereContext): SoqlError {
  const typeName = field.kind === 'id' ? 'id' : field.type;
  return errorAt('INVALID_QUERY_FILTER_OPERATOR', context.text, offset, `invalid operator on ${typeName} field`);
}

/** null is a value only for =, != and IN lists; elsewhere Salesforce's parser stops at it. */
function nullNotAllowed(offset: number, context: WhereContext): SoqlError {
  const written = context.text.slice(offset, offset + 4);
  return errorAt('MALFORMED_QUERY', context.text, offset, `unexpected token: '${written}'`);
}
