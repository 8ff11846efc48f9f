/**
 * The error codes Salesforce answers a bad query with. NUMBER_OUTSIDE_VALID_RANGE is what the real API sends for
 * OFFSET above 2000, so it is reported as such rather than folded into MALFORMED_QUERY.
 */
export type SoqlErrorCode =
  | 'MALFORMED_QUERY'
  | 'INVALID_FIELD'
  | 'INVALID_TYPE'
  | 'INVALID_QUERY_FILTER_OPERATOR'
  | 'NUMBER_OUTSIDE_VALID_RANGE';

/** A query Salesforce would refuse: the REST layer sends `[{ message, errorCode }]` with HTTP 400. */
export class SoqlError extends Error {
  readonly errorCode: SoqlErrorCode;

  constructor(errorCode: SoqlErrorCode, message: string) {
    super(message);
    this.name = 'SoqlError';
    this.errorCode = errorCode;
  }
}

/**
 * How far Salesforce's excerpt reaches either side of the error, in characters, before it widens to whole words.
 * Inferred from captured real messages: a long SELECT list is cut mid-list, yet `LIMIT` survives without its number.
 */
const EXCERPT_REACH = 30;

const isBlank = (char: string | undefined): boolean => char === ' ' || char === '\t' || char === '\r';

/**
 * Salesforce prefixes parse and schema errors with an excerpt of the offending row, a caret under the error, and its
 * 1-based position: "\nSELECT Foo FROM Contact\n       ^\nERROR at Row:1:Column:8\nNo such column ...".
 * Short rows are shown whole; long rows are cut about 30 characters either side, widened to whole words.
 */
export function positionedMessage(text: string, offset: number, detail: string): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndAt = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEndAt === -1 ? text.length : lineEndAt).replace(/\r$/, '');
  const row = countRows(text, lineStart);
  const column = offset - lineStart;

  let start = column - EXCERPT_REACH;
  if (start <= 0) start = 0;
  else {
    while (start > 0 && !isBlank(line[start - 1])) start--;
  }
  let end = column + EXCERPT_REACH + 1;
  if (end >= line.length) end = line.length;
  else {
    while (end < line.length && !isBlank(line[end])) end++;
  }
  const excerpt = line.slice(start, end);
  return `\n${excerpt}\n${' '.repeat(column - start)}^\nERROR at Row:${row}:Column:${column + 1}\n${detail}`;
}

function countRows(text: string, upTo: number): number {
  let rows = 1;
  for (let i = 0; i < upTo; i++) if (text.charCodeAt(i) === 10) rows++;
  return rows;
}

export function errorAt(errorCode: SoqlErrorCode, text: string, offset: number, detail: string): SoqlError {
  return new SoqlError(errorCode, positionedMessage(text, offset, detail));
}
