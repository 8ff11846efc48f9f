import { errorAt } from './errors.ts';

export type TokenKind =
  | 'word' // identifiers and keywords; a dotted path such as Account.Name is one word
  | 'string' // raw text between the quotes, escapes still in place (their meaning depends on the operator)
  | 'number'
  | 'date'
  | 'datetime'
  | 'operator' // = != <> < > <= >=
  | '('
  | ')'
  | ','
  | 'other' // any character SOQL has no use for: the parser reports it as an unexpected token
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings, without the quotes). */
  text: string;
  /** Offset of the token's first character in the query. */
  offset: number;
  /** Keyword spelling for words (upper case), so the parser never re-normalises. */
  upper: string;
}

const DATE = /\d{4}-\d{2}-\d{2}/y;
const TIME = /[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:([Zz])|([+-])(\d{2}):(\d{2}))/y;
/** What a malformed datetime literal spans, so the error can quote all of it. */
const DATETIME_TAIL = /[Tt][0-9:.+\-Zz]*/y;
const NUMBER = /[+-]?\d+(?:\.\d+)?/y;
const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;

const isSpace = (code: number): boolean => code === 32 || code === 9 || code === 10 || code === 13 || code === 12;
const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** Splits a query into tokens. Literals are checked here because Salesforce rejects them before it parses. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, tokenText: string, offset: number): void => {
    tokens.push({ kind, text: tokenText, offset, upper: kind === 'word' ? tokenText.toUpperCase() : tokenText });
  };
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (isSpace(code)) {
      i++;
      continue;
    }
    const char = text.charAt(i);
    if (char === "'") {
      const end = closingQuote(text, i);
      push('string', text.slice(i + 1, end), i);
      i = end + 1;
      continue;
    }
    if (isDigit(code) || ((char === '-' || char === '+') && isDigit(text.charCodeAt(i + 1)))) {
      i = lexNumeric(text, i, push);
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      push('word', word[0], i);
      i += word[0].length;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      push('operator', two, i);
      i += 2;
      continue;
    }
    if (char === '=' || char === '<' || char === '>') push('operator', char, i);
    else if (char === '(' || char === ')' || char === ',') push(char, char, i);
    else push('other', char, i);
    i++;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', offset: text.length, upper: '<EOF>' });
  return tokens;
}

/** Index of the quote that closes the string opened at `open`; a backslash always protects the next character. */
function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const char = text.charAt(i);
    if (char === '\\') i++;
    else if (char === "'") return i;
  }
  throw errorAt('MALFORMED_QUERY', text, open, "unexpected token: '''");
}

function lexNumeric(
  text: string,
  start: number,
  push: (kind: TokenKind, text: string, offset: number) => void,
): number {
  DATE.lastIndex = start;
  const date = DATE.exec(text);
  if (date) {
    const afterDate = start + date[0].length;
    const next = text.charAt(afterDate);
    if (next !== 'T' && next !== 't') {
      if (!isCalendarDate(date[0])) throw errorAt('MALFORMED_QUERY', text, start, `Invalid date: ${date[0]}`);
      push('date', date[0], start);
      return afterDate;
    }
    TIME.lastIndex = afterDate;
    const time = TIME.exec(text);
    const end = time ? afterDate + time[0].length : tailEnd(text, afterDate);
    const literal = text.slice(start, end);
    if (!time || !isCalendarDate(date[0]) || !isClockTime(time)) {
      throw errorAt('MALFORMED_QUERY', text, start, `Invalid datetime: ${literal}`);
    }
    push('datetime', literal, start);
    return end;
  }
  NUMBER.lastIndex = start;
  const number = NUMBER.exec(text);
  const literal = number ? number[0] : text.charAt(start);
  push('number', literal, start);
  return start + literal.length;
}

function tailEnd(text: string, from: number): number {
  DATETIME_TAIL.lastIndex = from;
  const tail = DATETIME_TAIL.exec(text);
  return from + (tail ? tail[0].length : 0);
}

function isCalendarDate(literal: string): boolean {
  const year = Number(literal.slice(0, 4));
  const month = Number(literal.slice(5, 7));
  const day = Number(literal.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return day <= days;
}

function isClockTime(time: RegExpExecArray): boolean {
  const [, hours, minutes, seconds, , , offsetHours, offsetMinutes] = time;
  if (Number(hours) > 23 || Number(minutes) > 59 || Number(seconds) > 59) return false;
  if (offsetHours !== undefined && (Number(offsetHours) > 23 || Number(offsetMinutes) > 59)) return false;
  return true;
}
