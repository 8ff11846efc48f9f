/**
 * A hand-written recursive-descent parser for the SOQL subset the simulator serves.
 *
 * Why not a library: the simulator must answer a bad query exactly as Salesforce does (error code, "unexpected token"
 * wording, the row/column excerpt with its caret), and must refuse AND and OR mixed at one level the way Salesforce's
 * grammar does. The maintained npm parser (soql-parser-js, Chevrotain based) parses far more SOQL than served here,
 * throws Chevrotain's own errors and knows nothing of field types, so its errors would have to be re-derived anyway.
 *
 * Grammar (after Salesforce's, as mirrored by apex-dev-tools/apex-parser):
 *   query        := SELECT (COUNT '(' ')' | field (',' field)*) FROM object [alias]
 *                   [WHERE logical] [ORDER BY order (',' order)*] [LIMIT integer] [OFFSET integer]
 *   logical      := NOT conditional | conditional (AND conditional)* | conditional (OR conditional)*
 *   conditional  := '(' logical ')' | field operator value | field [NOT] IN '(' value (',' value)* ')'
 *   order        := field [ASC | DESC] [NULLS (FIRST | LAST)]
 */
import type { ComparisonOperator, Condition, Literal, Name, OrderItem, QueryAst } from './ast.ts';
import { errorAt, type SoqlError } from './errors.ts';
import { type Token, tokenize } from './lexer.ts';

/** Salesforce's reserved SOQL keywords: never a field or object name. */
const RESERVED = new Set([
  'AND',
  'ASC',
  'DESC',
  'EXCLUDES',
  'FIRST',
  'FROM',
  'GROUP',
  'HAVING',
  'IN',
  'INCLUDES',
  'LAST',
  'LIKE',
  'LIMIT',
  'NOT',
  'NULL',
  'NULLS',
  'OR',
  'SELECT',
  'WHERE',
  'WITH',
]);

/** Words after the object name that start a clause rather than name an alias. */
const CLAUSE_WORDS = new Set([
  'WHERE',
  'ORDER',
  'LIMIT',
  'OFFSET',
  'GROUP',
  'HAVING',
  'WITH',
  'USING',
  'FOR',
  'UPDATE',
  'ALL',
]);

/** Valid SOQL this simulator does not serve: it says so instead of pretending the query is malformed. */
const UNSUPPORTED_CLAUSES: Record<string, string> = {
  GROUP: 'GROUP BY',
  HAVING: 'HAVING',
  WITH: 'WITH',
  USING: 'USING SCOPE',
  FOR: 'FOR VIEW / FOR REFERENCE / FOR UPDATE',
  UPDATE: 'UPDATE TRACKING / UPDATE VIEWSTAT',
  ALL: 'ALL ROWS',
  TYPEOF: 'TYPEOF',
};

const RELATIVE_DATE =
  /^(YESTERDAY|TODAY|TOMORROW|(LAST|THIS|NEXT)_(WEEK|MONTH|QUARTER|YEAR|FISCAL_QUARTER|FISCAL_YEAR|90_DAYS)|(LAST|NEXT)_N_\w+|N_\w+_AGO)$/;

const OPERATORS: Record<string, ComparisonOperator> = {
  '=': '=',
  '!=': '!=',
  '<>': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
};

export function parseSoql(text: string): QueryAst {
  return new Parser(text, tokenize(text)).query();
}

class Parser {
  private readonly text: string;
  private readonly tokens: Token[];
  private index = 0;

  constructor(text: string, tokens: Token[]) {
    this.text = text;
    this.tokens = tokens;
  }

  query(): QueryAst {
    this.expectWord('SELECT');
    const select = this.selectList();
    this.expectWord('FROM');
    const object = this.objectName();
    const alias = this.alias();
    if (this.peek().kind === ',') throw this.unsupported(this.peek(), 'A FROM clause naming several objects');
    const where = this.acceptWord('WHERE') ? this.logical() : undefined;
    const orderBy: OrderItem[] = [];
    if (this.acceptWord('ORDER')) {
      this.expectWord('BY');
      do orderBy.push(this.orderItem());
      while (this.accept(','));
    }
    const limit = this.acceptWord('LIMIT') ? this.integer() : undefined;
    const offset = this.acceptWord('OFFSET') ? this.integer() : undefined;
    const end = this.peek();
    if (end.kind !== 'eof') throw this.unexpectedOrUnsupported(end);
    return { select, object, alias, where, orderBy, limit, offset };
  }

  private selectList(): Name[] | 'count' {
    const first = this.peek();
    if (first.kind === 'word' && first.upper === 'FROM') throw this.fail(first, "unexpected token: 'SELECT FROM'");
    if (this.isWord(first, 'COUNT') && this.peek(1).kind === '(') {
      if (this.peek(2).kind !== ')') throw this.unsupported(first, 'Aggregate functions such as COUNT(field)');
      this.index += 3;
      return 'count';
    }
    const fields: Name[] = [];
    do fields.push(this.selectItem());
    while (this.accept(','));
    return fields;
  }

  private selectItem(): Name {
    const token = this.peek();
    if (token.kind === '(') throw this.unsupported(token, 'Relationship subqueries');
    if (token.kind === 'word' && token.upper === 'TYPEOF') throw this.unsupported(token, 'TYPEOF');
    return this.fieldName();
  }

  private objectName(): Name {
    const token = this.next();
    if (token.kind !== 'word' || RESERVED.has(token.upper)) throw this.unexpected(token);
    return { text: token.text, offset: token.offset };
  }

  private alias(): string | undefined {
    const token = this.peek();
    if (token.kind !== 'word' || CLAUSE_WORDS.has(token.upper) || RESERVED.has(token.upper)) return undefined;
    this.index++;
    return token.text;
  }

  private logical(): Condition {
    if (this.acceptWord('NOT')) return { kind: 'not', operand: this.conditional() };
    const first = this.conditional();
    const joiner = this.peek();
    if (!this.isWord(joiner, 'AND') && !this.isWord(joiner, 'OR')) return first;
    // One joiner per level: a different one here is left for the caller, which reports it as unexpected.
    const operands = [first];
    while (this.acceptWord(joiner.upper)) operands.push(this.conditional());
    return { kind: joiner.upper === 'AND' ? 'and' : 'or', operands };
  }

  private conditional(): Condition {
    if (this.accept('(')) {
      const inner = this.logical();
      this.expect(')');
      return inner;
    }
    const field = this.fieldName();
    const operatorToken = this.next();
    const operatorOffset = operatorToken.offset;
    if (operatorToken.kind === 'operator') {
      const operator = OPERATORS[operatorToken.text];
      if (operator === undefined) throw this.unexpected(operatorToken);
      return { kind: 'compare', field, operator, operatorOffset, value: this.value() };
    }
    if (this.isWord(operatorToken, 'LIKE'))
      return { kind: 'compare', field, operator: 'LIKE', operatorOffset, value: this.value() };
    if (this.isWord(operatorToken, 'INCLUDES') || this.isWord(operatorToken, 'EXCLUDES')) {
      throw this.unsupported(operatorToken, 'INCLUDES / EXCLUDES (multi-select picklists)');
    }
    let negated = false;
    if (this.isWord(operatorToken, 'NOT')) {
      const inToken = this.next();
      if (!this.isWord(inToken, 'IN')) throw this.unexpected(inToken);
      negated = true;
    } else if (!this.isWord(operatorToken, 'IN')) {
      throw this.unexpected(operatorToken);
    }
    return { kind: 'in', field, negated, operatorOffset, values: this.valueList(field, negated) };
  }

  private valueList(field: Name, negated: boolean): Literal[] {
    this.expect('(');
    const first = this.peek();
    if (this.isWord(first, 'SELECT')) throw this.unsupported(first, 'Semi-join subqueries');
    // Salesforce's wording for an empty list quotes the whole condition.
    if (first.kind === ')') {
      const condition = `${field.text} ${negated ? 'NOT IN' : 'IN'} ()`;
      throw errorAt('MALFORMED_QUERY', this.text, field.offset, `unexpected token: '${condition}'`);
    }
    const values: Literal[] = [];
    do values.push(this.value());
    while (this.accept(','));
    this.expect(')');
    return values;
  }

  private value(): Literal {
    const token = this.next();
    const offset = token.offset;
    switch (token.kind) {
      case 'string':
        return { kind: 'string', raw: token.text, offset };
      case 'number':
        return { kind: 'number', text: token.text, offset };
      case 'date':
        return { kind: 'date', text: token.text, offset };
      case 'datetime':
        return { kind: 'datetime', text: token.text, offset };
      case 'word':
        if (token.upper === 'TRUE' || token.upper === 'FALSE')
          return { kind: 'boolean', value: token.upper === 'TRUE', offset };
        if (token.upper === 'NULL') return { kind: 'null', offset };
        if (RELATIVE_DATE.test(token.upper)) throw this.unsupported(token, `The date literal ${token.text}`);
        throw this.unexpected(token);
      default:
        throw this.unexpected(token);
    }
  }

  private orderItem(): OrderItem {
    const field = this.fieldName();
    let descending = false;
    if (this.acceptWord('DESC')) descending = true;
    else this.acceptWord('ASC');
    let nullsFirst: boolean | undefined;
    if (this.acceptWord('NULLS')) {
      const which = this.next();
      if (this.isWord(which, 'FIRST')) nullsFirst = true;
      else if (this.isWord(which, 'LAST')) nullsFirst = false;
      else throw this.unexpected(which);
    }
    return { field, descending, nullsFirst };
  }

  private fieldName(): Name {
    const token = this.next();
    if (token.kind !== 'word' || RESERVED.has(token.upper)) throw this.unexpected(token);
    if (this.peek().kind === '(') throw this.unsupported(token, `The function ${token.text}()`);
    return { text: token.text, offset: token.offset };
  }

  /** LIMIT and OFFSET take a plain non-negative integer literal. */
  private integer(): number {
    const token = this.next();
    if (token.kind !== 'number' || !/^\d+$/.test(token.text)) throw this.unexpected(token);
    return Number(token.text);
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (this.index < this.tokens.length - 1) this.index++;
    return token;
  }

  private isWord(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.upper === keyword;
  }

  private accept(kind: '(' | ')' | ','): boolean {
    if (this.peek().kind !== kind) return false;
    this.index++;
    return true;
  }

  private acceptWord(keyword: string): boolean {
    if (!this.isWord(this.peek(), keyword)) return false;
    this.index++;
    return true;
  }

  private expect(kind: '(' | ')'): void {
    const token = this.next();
    if (token.kind !== kind) throw this.unexpected(token);
  }

  private expectWord(keyword: string): void {
    const token = this.next();
    if (!this.isWord(token, keyword)) throw this.unexpectedOrUnsupported(token);
  }

  private unexpectedOrUnsupported(token: Token): SoqlError {
    const clause = token.kind === 'word' ? UNSUPPORTED_CLAUSES[token.upper] : undefined;
    return clause === undefined ? this.unexpected(token) : this.unsupported(token, clause);
  }

  private unexpected(token: Token): SoqlError {
    const shown = token.kind === 'string' ? `'${token.text}'` : token.text;
    return this.fail(token, `unexpected token: '${shown}'`);
  }

  private unsupported(token: Token, feature: string): SoqlError {
    return this.fail(token, `${feature} is valid SOQL but not supported by the OrgLink Salesforce simulator`);
  }

  private fail(token: Token, detail: string): SoqlError {
    return errorAt('MALFORMED_QUERY', this.text, token.offset, detail);
  }
}
