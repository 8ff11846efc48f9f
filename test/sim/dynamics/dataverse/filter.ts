import { type DataverseError, dataverseErrors } from './errors.ts';
import { readStringLiteral } from './odata-url.ts';

/**
 * The `$filter` subset Dataverse users rely on: comparisons (eq ne gt ge lt le), and/or/not, parentheses,
 * contains/startswith/endswith, Microsoft.Dynamics.CRM.In/NotIn/Null/NotNull, and string, number, boolean, null,
 * date, date-time, GUID and enum literals. Evaluation follows SQL Server, which Dataverse queries run on: strings
 * compare case- and accent-insensitively, and a comparison with a null column is unknown (three-valued logic), so
 * `ne` does not return rows where the column is null.
 */

export type Value = string | number | boolean | null;

export interface Literal {
  kind: 'literal';
  type: string;
  value: Value;
}
interface Property {
  kind: 'property';
  path: string;
  position: number;
}
interface Call {
  kind: 'call';
  name: string;
  args: Operand[];
  named: Record<string, Operand | Literal[]>;
  position: number;
}
type Operand = Literal | Property | Call;
type Comparison = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
export type FilterExpression =
  | { kind: 'logical'; op: 'and' | 'or'; left: FilterExpression; right: FilterExpression }
  | { kind: 'not'; operand: FilterExpression }
  | { kind: 'compare'; op: Comparison; left: Operand; right: Operand; position: number }
  | { kind: 'predicate'; call: Call };

/** What the filter needs to know about the rows it runs on. */
export interface FilterSchema<Row> {
  /** EDM type of a property, `Edm.Untyped` for loosely typed rows, or undefined when there is no such property. */
  typeOf(path: string): string | undefined;
  valueOf(row: Row, path: string): Value;
  unknownProperty(path: string): DataverseError;
}

const OPERATOR_KIND: Record<Comparison, string> = {
  eq: 'Equal',
  ne: 'NotEqual',
  gt: 'GreaterThan',
  ge: 'GreaterThanOrEqual',
  lt: 'LessThan',
  le: 'LessThanOrEqual',
};

interface Token {
  type: 'punct' | 'word' | 'string' | 'number' | 'guid' | 'datetime' | 'date' | 'enum';
  text: string;
  value?: Value;
  position: number;
}

const GUID_SOURCE = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

function syntaxError(position: number, text: string): DataverseError {
  return dataverseErrors.querySyntax(`Syntax error at position ${position} in '${text}'.`);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const patterns: [Token['type'], RegExp][] = [
    ['datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/],
    ['guid', new RegExp(`^${GUID_SOURCE}(?![\\w-])`)],
    ['date', /^\d{4}-\d{2}-\d{2}(?![\w:])/],
    ['number', /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?(?![\w.])/],
    ['enum', /^[A-Za-z_][\w.]*'[^']*'/],
    ['word', /^[A-Za-z_$][\w.$/]*/],
  ];
  while (index < text.length) {
    const rest = text.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
      continue;
    }
    const char = rest[0] ?? '';
    if ('(),[]'.includes(char)) {
      tokens.push({ type: 'punct', text: char, position: index });
      index += 1;
      continue;
    }
    if (char === '=') {
      tokens.push({ type: 'punct', text: char, position: index });
      index += 1;
      continue;
    }
    if (char === "'") {
      const literal = readStringLiteral(rest);
      // Unterminated: the error points just past the end of the text.
      if (!literal) throw syntaxError(index + rest.length, text);
      tokens.push({ type: 'string', text: rest.slice(0, literal.length), value: literal.value, position: index });
      index += literal.length;
      continue;
    }
    const match = patterns.find(([, pattern]) => pattern.test(rest));
    if (!match) throw syntaxError(index, text);
    const [type, pattern] = match;
    const found = pattern.exec(rest)?.[0] ?? '';
    tokens.push({ type, text: found, position: index });
    index += found.length;
  }
  return tokens;
}

class Parser {
  readonly #tokens: Token[];
  readonly #text: string;
  #index = 0;

  constructor(text: string) {
    this.#text = text;
    this.#tokens = tokenize(text);
  }

  parse(): FilterExpression {
    const expression = this.#or();
    const extra = this.#peek();
    if (extra) throw syntaxError(extra.position, this.#text);
    return expression;
  }

  #peek(): Token | undefined {
    return this.#tokens[this.#index];
  }

  #next(): Token {
    const token = this.#tokens[this.#index];
    if (!token) throw syntaxError(this.#text.length, this.#text);
    this.#index += 1;
    return token;
  }

  #isWord(word: string): boolean {
    const token = this.#peek();
    return token?.type === 'word' && token.text === word;
  }

  #expect(text: string): Token {
    const token = this.#next();
    if (token.text !== text) throw syntaxError(token.position, this.#text);
    return token;
  }

  #or(): FilterExpression {
    let left = this.#and();
    while (this.#isWord('or')) {
      this.#next();
      left = { kind: 'logical', op: 'or', left, right: this.#and() };
    }
    return left;
  }

  #and(): FilterExpression {
    let left = this.#not();
    while (this.#isWord('and')) {
      this.#next();
      left = { kind: 'logical', op: 'and', left, right: this.#not() };
    }
    return left;
  }

  #not(): FilterExpression {
    if (this.#isWord('not')) {
      this.#next();
      return { kind: 'not', operand: this.#not() };
    }
    return this.#comparison();
  }

  #comparison(): FilterExpression {
    const token = this.#peek();
    if (token?.text === '(') {
      // A parenthesised boolean expression, as opposed to a parenthesised operand (which this subset has no use for).
      this.#next();
      const inner = this.#or();
      this.#expect(')');
      return inner;
    }
    const left = this.#operand();
    const operator = this.#peek();
    if (operator?.type === 'word' && operator.text in OPERATOR_KIND) {
      this.#next();
      const right = this.#operand();
      return { kind: 'compare', op: operator.text as Comparison, left, right, position: operator.position };
    }
    if (left.kind === 'call') return { kind: 'predicate', call: left };
    throw syntaxError(operator?.position ?? this.#text.length, this.#text);
  }

  #operand(): Operand {
    const token = this.#next();
    switch (token.type) {
      case 'string':
        return { kind: 'literal', type: 'Edm.String', value: token.value ?? '' };
      case 'number': {
        const text = token.text.replace(/[mMdDfFlL]$/, '');
        const type = /[.eE]/.test(text) ? 'Edm.Decimal' : 'Edm.Int32';
        return { kind: 'literal', type, value: Number(text) };
      }
      case 'guid':
        return { kind: 'literal', type: 'Edm.Guid', value: token.text.toLowerCase() };
      case 'datetime':
        return { kind: 'literal', type: 'Edm.DateTimeOffset', value: new Date(token.text).toISOString() };
      case 'date':
        return { kind: 'literal', type: 'Edm.Date', value: token.text };
      case 'enum':
        return { kind: 'literal', type: 'Edm.String', value: /'([^']*)'$/.exec(token.text)?.[1] ?? '' };
      case 'word': {
        if (token.text === 'null') return { kind: 'literal', type: 'null', value: null };
        if (token.text === 'true' || token.text === 'false') {
          return { kind: 'literal', type: 'Edm.Boolean', value: token.text === 'true' };
        }
        if (this.#peek()?.text === '(') return this.#call(token);
        return { kind: 'property', path: token.text, position: token.position };
      }
      default:
        throw syntaxError(token.position, this.#text);
    }
  }

  #call(name: Token): Call {
    this.#expect('(');
    const call: Call = { kind: 'call', name: name.text, args: [], named: {}, position: name.position };
    if (this.#peek()?.text === ')') {
      this.#next();
      return call;
    }
    for (;;) {
      const start = this.#peek();
      const isNamed = start?.type === 'word' && this.#tokens[this.#index + 1]?.text === '=';
      if (isNamed && start) {
        this.#next();
        this.#next();
        call.named[start.text] = this.#peek()?.text === '[' ? this.#array() : this.#operand();
      } else {
        call.args.push(this.#operand());
      }
      const separator = this.#next();
      if (separator.text === ')') return call;
      if (separator.text !== ',') throw syntaxError(separator.position, this.#text);
    }
  }

  #array(): Literal[] {
    this.#expect('[');
    const items: Literal[] = [];
    while (this.#peek()?.text !== ']') {
      const operand = this.#operand();
      if (operand.kind !== 'literal') throw syntaxError(this.#peek()?.position ?? 0, this.#text);
      items.push(operand);
      if (this.#peek()?.text === ',') this.#next();
    }
    this.#expect(']');
    return items;
  }
}

export function parseFilter(text: string): FilterExpression {
  return new Parser(text).parse();
}

/** Case- and accent-insensitive form of a string, matching the Latin1_General_CI_AI collation. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const NUMERIC = new Set(['Edm.Int32', 'Edm.Int64', 'Edm.Decimal', 'Edm.Double']);
const TEMPORAL = new Set(['Edm.Date', 'Edm.DateTimeOffset']);

function compatible(a: string, b: string): boolean {
  if (a === b || a === 'null' || b === 'null' || a === 'Edm.Untyped' || b === 'Edm.Untyped') return true;
  if (NUMERIC.has(a) && NUMERIC.has(b)) return true;
  return TEMPORAL.has(a) && TEMPORAL.has(b);
}

/** Orders two non-null values of one column: -1, 0 or 1. */
export function compareValues(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return a === b ? 0 : a ? 1 : -1;
  const x = fold(String(a));
  const y = fold(String(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

function timeOf(value: Value): number {
  return typeof value === 'string' ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : Number.NaN;
}

/** Compiles `$filter` text into a predicate over rows; type errors surface now, as OData parses before querying. */
export function compileFilter<Row>(text: string, schema: FilterSchema<Row>): (row: Row) => boolean {
  const expression = parseFilter(text);
  const typeOf = (operand: Operand): string => {
    if (operand.kind === 'literal') return operand.type;
    if (operand.kind === 'call') return 'Edm.Boolean';
    const type = schema.typeOf(operand.path);
    if (!type) throw schema.unknownProperty(operand.path);
    return type;
  };
  const check = (node: FilterExpression): void => {
    switch (node.kind) {
      case 'logical':
        check(node.left);
        check(node.right);
        return;
      case 'not':
        check(node.operand);
        return;
      case 'compare': {
        const left = typeOf(node.left);
        const right = typeOf(node.right);
        if (!compatible(left, right)) {
          throw dataverseErrors.querySyntax(
            `A binary operator with incompatible types was detected. Found operand types '${left}' and '${right}' for operator kind '${OPERATOR_KIND[node.op]}'.`,
          );
        }
        return;
      }
      case 'predicate':
        checkCall(node.call);
    }
  };
  const checkCall = (call: Call): void => {
    const name = call.name;
    if (name === 'contains' || name === 'startswith' || name === 'endswith') {
      const types = call.args.map(typeOf);
      if (
        call.args.length !== 2 ||
        types.some((type) => type !== 'Edm.String' && type !== 'Edm.Untyped' && type !== 'null')
      ) {
        throw dataverseErrors.querySyntax(
          `No function signature for the function with name '${name}' matches the specified arguments. The function signatures considered are: ${name}(Edm.String Nullable=true, Edm.String Nullable=true).`,
        );
      }
      return;
    }
    const crm = /^Microsoft\.Dynamics\.CRM\.(In|NotIn|Null|NotNull)$/.exec(name)?.[1];
    if (!crm) {
      throw dataverseErrors.querySyntax(
        `An unknown function with name '${name}' was found. This may also be a function import or a key lookup on a navigation property, which is not allowed.`,
      );
    }
    const property = call.named.PropertyName;
    if (!property || Array.isArray(property) || property.kind !== 'literal' || typeof property.value !== 'string') {
      throw dataverseErrors.querySyntax(`The function '${name}' requires the parameter 'PropertyName'.`);
    }
    if (!schema.typeOf(property.value)) throw schema.unknownProperty(property.value);
    if ((crm === 'In' || crm === 'NotIn') && !Array.isArray(call.named.PropertyValues)) {
      throw dataverseErrors.querySyntax(`The function '${name}' requires the parameter 'PropertyValues'.`);
    }
  };
  check(expression);

  const operandValue = (row: Row, operand: Operand): Value =>
    operand.kind === 'literal' ? operand.value : operand.kind === 'property' ? schema.valueOf(row, operand.path) : null;

  /** true / false / undefined (SQL unknown). */
  const evaluate = (row: Row, node: FilterExpression): boolean | undefined => {
    switch (node.kind) {
      case 'logical': {
        const left = evaluate(row, node.left);
        const right = evaluate(row, node.right);
        if (node.op === 'and') return left === false || right === false ? false : left && right ? true : undefined;
        return left === true || right === true ? true : left === false && right === false ? false : undefined;
      }
      case 'not': {
        const inner = evaluate(row, node.operand);
        return inner === undefined ? undefined : !inner;
      }
      case 'compare':
        return compare(
          node,
          operandValue(row, node.left),
          operandValue(row, node.right),
          typeOf(node.left),
          typeOf(node.right),
        );
      case 'predicate':
        return callPredicate(row, node.call);
    }
  };

  const compare = (
    node: Extract<FilterExpression, { kind: 'compare' }>,
    left: Value,
    right: Value,
    leftType: string,
    rightType: string,
  ): boolean | undefined => {
    const isNullLiteral = (operand: Operand) => operand.kind === 'literal' && operand.value === null;
    if (isNullLiteral(node.right) || isNullLiteral(node.left)) {
      const other = isNullLiteral(node.right) ? left : right;
      if (node.op === 'eq') return other === null;
      if (node.op === 'ne') return other !== null;
      return undefined;
    }
    if (left === null || right === null) return undefined;
    let order: number;
    if (TEMPORAL.has(leftType) || TEMPORAL.has(rightType)) {
      const bothDates = leftType === 'Edm.Date' && rightType === 'Edm.Date';
      order = bothDates ? compareValues(left, right) : Math.sign(timeOf(left) - timeOf(right));
    } else {
      order = compareValues(left, right);
    }
    switch (node.op) {
      case 'eq':
        return order === 0;
      case 'ne':
        return order !== 0;
      case 'gt':
        return order > 0;
      case 'ge':
        return order >= 0;
      case 'lt':
        return order < 0;
      case 'le':
        return order <= 0;
    }
  };

  const callPredicate = (row: Row, call: Call): boolean | undefined => {
    if (call.name === 'contains' || call.name === 'startswith' || call.name === 'endswith') {
      const [a, b] = call.args.map((arg) => operandValue(row, arg));
      if (a === null || a === undefined || b === null || b === undefined) return undefined;
      const haystack = fold(String(a));
      const needle = fold(String(b));
      if (call.name === 'contains') return haystack.includes(needle);
      return call.name === 'startswith' ? haystack.startsWith(needle) : haystack.endsWith(needle);
    }
    const property = call.named.PropertyName as Literal;
    const value = schema.valueOf(row, String(property.value));
    switch (call.name) {
      case 'Microsoft.Dynamics.CRM.Null':
        return value === null;
      case 'Microsoft.Dynamics.CRM.NotNull':
        return value !== null;
      default: {
        if (value === null) return undefined;
        const values = (call.named.PropertyValues as Literal[]).map((literal) => literal.value);
        const found = values.some((candidate) => candidate !== null && compareValues(value, candidate) === 0);
        return call.name === 'Microsoft.Dynamics.CRM.In' ? found : !found;
      }
    }
  };

  return (row) => evaluate(row, expression) === true;
}

export interface OrderClause {
  path: string;
  descending: boolean;
}

export function parseOrderBy<Row>(text: string, schema: FilterSchema<Row>): OrderClause[] {
  return text.split(',').map((part) => {
    const match = /^\s*([A-Za-z_][\w/]*)(?:\s+(asc|desc))?\s*$/.exec(part);
    if (!match?.[1]) throw dataverseErrors.querySyntax(`Syntax error at position ${text.indexOf(part)} in '${text}'.`);
    if (!schema.typeOf(match[1])) throw schema.unknownProperty(match[1]);
    return { path: match[1], descending: match[2] === 'desc' };
  });
}
