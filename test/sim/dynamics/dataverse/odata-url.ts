import { dataverseErrors } from './errors.ts';
import { isGuid } from './values.ts';

export type KeyLiteral = string | number | boolean | null;

export interface KeyPart {
  /** Undefined for the bare primary key form `contacts(<guid>)`. */
  name: string | undefined;
  value: KeyLiteral;
  /** True when the literal was an unquoted GUID. */
  guid: boolean;
}

export interface Segment {
  name: string;
  key: KeyPart[] | undefined;
}

/** Splits the raw path into decoded segments; keys may carry an encoded `/`, so decoding happens per segment. */
export function pathSegments(rawPath: string): string[] {
  return rawPath
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw dataverseErrors.badRequestSyntax();
      }
    });
}

/** `contacts`, `contacts(<guid>)`, `contacts(lms_userid='x')`, `EntityDefinitions(LogicalName='contact')`. */
export function parseSegment(segment: string): Segment {
  const open = segment.indexOf('(');
  if (open < 0) return { name: segment, key: undefined };
  if (!segment.endsWith(')')) throw dataverseErrors.badRequestSyntax();
  const name = segment.slice(0, open);
  const inner = segment.slice(open + 1, -1);
  return { name, key: inner === '' ? [] : parseKey(inner) };
}

/**
 * The OData string literal `text` starts with (`'O''Brien'`, a doubled quote standing for one): its value and its
 * length in `text` including the quotes, or undefined when the closing quote is missing.
 */
export function readStringLiteral(text: string): { value: string; length: number } | undefined {
  let end = 1;
  let value = '';
  for (;;) {
    if (end >= text.length) return undefined;
    const char = text[end];
    if (char === "'") {
      if (text[end + 1] === "'") {
        value += "'";
        end += 2;
        continue;
      }
      return { value, length: end + 1 };
    }
    value += char;
    end += 1;
  }
}

function parseKey(text: string): KeyPart[] {
  const parts: KeyPart[] = [];
  let index = 0;
  const fail = () => dataverseErrors.badRequestSyntax();
  while (index < text.length) {
    let name: string | undefined;
    const nameMatch = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(text.slice(index));
    if (nameMatch?.[1]) {
      name = nameMatch[1];
      index += nameMatch[0].length;
    }
    const rest = text.slice(index).trimStart();
    index = text.length - rest.length;
    let value: KeyLiteral;
    let guid = false;
    if (rest.startsWith("'")) {
      const literal = readStringLiteral(rest);
      if (!literal) throw fail();
      value = literal.value;
      index += literal.length;
    } else {
      const token = /^[^,\s)]+/.exec(rest)?.[0];
      if (!token) throw fail();
      index += token.length;
      if (isGuid(token)) {
        value = token.toLowerCase();
        guid = true;
      } else if (token === 'null') value = null;
      else if (token === 'true' || token === 'false') value = token === 'true';
      else if (/^-?\d+(\.\d+)?$/.test(token)) value = Number(token);
      else throw fail();
    }
    parts.push({ name, value, guid });
    const after = text.slice(index).trimStart();
    index = text.length - after.length;
    if (after.startsWith(',')) index += 1;
    else if (after !== '') throw fail();
  }
  if (parts.length > 1 && parts.some((part) => part.name === undefined)) throw fail();
  return parts;
}

/** `$expand=Attributes($select=LogicalName;$filter=…),Keys` -> per navigation property its inner query options. */
export function parseExpand(text: string | null): Map<string, URLSearchParams> {
  const expand = new Map<string, URLSearchParams>();
  if (!text) return expand;
  let depth = 0;
  let current = '';
  const items: string[] = [];
  for (const char of text) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
    } else current += char;
  }
  items.push(current);
  for (const item of items) {
    const match = /^\s*(\w+)\s*(?:\((.*)\))?\s*$/.exec(item);
    if (!match?.[1]) throw dataverseErrors.badRequestSyntax();
    const options = new URLSearchParams();
    for (const part of (match[2] ?? '').split(';').filter(Boolean)) {
      const index = part.indexOf('=');
      options.set(part.slice(0, index).trim(), part.slice(index + 1));
    }
    expand.set(match[1], options);
  }
  return expand;
}
