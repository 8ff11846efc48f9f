/**
 * Meaning of SOQL literals, per the SOQL reference ("Quoted String Escape Sequences", "Date Formats and Date
 * Literals") and Salesforce's record-id format.
 */

const SIMPLE_ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

/** A backslash sequence the SOQL reference does not list; Salesforce refuses the whole literal. */
export class IllegalEscape extends Error {
  readonly sequence: string;

  constructor(sequence: string) {
    super(sequence);
    this.sequence = sequence;
  }
}

/**
 * Walks a raw string literal, handing each character to `plain` or `escapedWildcard`. `\%` and `\_` exist for LIKE
 * only ("LIKE expression only" in the reference), so anywhere else they are illegal like any unknown sequence.
 */
function walk(
  raw: string,
  like: boolean,
  plain: (char: string) => void,
  escapedWildcard: (char: string) => void,
): void {
  for (let i = 0; i < raw.length; i++) {
    const char = raw.charAt(i);
    if (char !== '\\') {
      plain(char);
      continue;
    }
    const next = raw.charAt(i + 1);
    i++;
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      plain(simple);
    } else if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(raw.slice(i + 1, i + 5))) {
      plain(String.fromCharCode(Number.parseInt(raw.slice(i + 1, i + 5), 16)));
      i += 4;
    } else if (like && (next === '%' || next === '_')) {
      escapedWildcard(next);
    } else {
      throw new IllegalEscape(`\\${next}`);
    }
  }
}

/** The value of a string literal compared with = != < > IN. */
export function decodeString(raw: string): string {
  let value = '';
  walk(
    raw,
    false,
    (char) => {
      value += char;
    },
    () => {},
  );
  return value;
}

/** A LIKE pattern as an anchored, case-insensitive RegExp: % is any run, _ is one character, \% and \_ are literal. */
export function likePattern(raw: string): RegExp {
  let source = '';
  const literal = (char: string): void => {
    source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  };
  walk(
    raw,
    true,
    (char) => {
      if (char === '%') source += '[\\s\\S]*';
      else if (char === '_') source += '[\\s\\S]';
      else literal(char);
    },
    literal,
  );
  return new RegExp(`^${source}$`, 'i');
}

const CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

/**
 * The case-sensitive 15-character form of a record id, or undefined when `value` is not an id. An 18-character id
 * carries the case of its first 15 characters in its suffix, which is why Salesforce accepts it in any case.
 */
export function canonicalId(value: string): string | undefined {
  if (!/^[A-Za-z0-9]+$/.test(value)) return undefined;
  if (value.length === 15) return value;
  if (value.length !== 18) return undefined;
  let id = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    const bits = CHECKSUM_ALPHABET.indexOf(value.charAt(15 + chunk).toUpperCase());
    if (bits === -1) return undefined;
    for (let i = 0; i < 5; i++) {
      const char = value.charAt(chunk * 5 + i);
      const upper = (bits & (1 << i)) !== 0;
      if (upper && !/[A-Za-z]/.test(char)) return undefined;
      id += upper ? char.toUpperCase() : char.toLowerCase();
    }
  }
  return id;
}

/** Epoch milliseconds of a SOQL datetime literal (already validated by the lexer). */
export function datetimeMillis(literal: string): number {
  return Date.parse(literal.toUpperCase());
}
