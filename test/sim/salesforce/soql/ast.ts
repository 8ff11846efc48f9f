/** The parsed shape of a query, before names are checked against the schema. Offsets point into the query text. */

export interface Name {
  /** As written, possibly dotted (alias or object prefix). */
  text: string;
  offset: number;
}

export type Literal =
  | { kind: 'string'; raw: string; offset: number }
  | { kind: 'number'; text: string; offset: number }
  | { kind: 'boolean'; value: boolean; offset: number }
  | { kind: 'null'; offset: number }
  | { kind: 'date'; text: string; offset: number }
  | { kind: 'datetime'; text: string; offset: number };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE';

export type Condition =
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; field: Name; operator: ComparisonOperator; operatorOffset: number; value: Literal }
  | { kind: 'in'; field: Name; negated: boolean; operatorOffset: number; values: Literal[] };

export interface OrderItem {
  field: Name;
  descending: boolean;
  /** Explicit NULLS FIRST / NULLS LAST, or undefined for Salesforce's default. */
  nullsFirst: boolean | undefined;
}

export interface QueryAst {
  /** 'count' for SELECT COUNT(). */
  select: Name[] | 'count';
  object: Name;
  alias: string | undefined;
  where: Condition | undefined;
  orderBy: OrderItem[];
  limit: number | undefined;
  offset: number | undefined;
}
