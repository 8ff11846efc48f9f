/**
 * Salesforce record ids: 15 case-sensitive base-62 characters (3-character key prefix, 2-character pod, 10-character
 * counter), plus a 3-character suffix that encodes which of the first 15 characters are upper case, so the 18-character
 * form survives case-insensitive systems. Clients may send either form; responses always use 18 characters.
 */

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export const KEY_PREFIX = {
  Account: '001',
  Contact: '003',
  Lead: '00Q',
  User: '005',
  Organization: '00D',
  Profile: '00e',
  BulkJob: '750',
  QueryLocator: '01g',
  ConnectedApp: '0H4',
} as const;

function isUpper(char: string): boolean {
  return char >= 'A' && char <= 'Z';
}

/** The 3-character case-checksum suffix of a 15-character id. */
export function checksumSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let position = 0; position < 5; position += 1) {
      if (isUpper(id15.charAt(chunk * 5 + position))) bits |= 1 << position;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

export function to18(id15: string): string {
  return id15 + checksumSuffix(id15);
}

/**
 * The canonical 18-character id for what a client sent, or undefined when it is not a well-formed id. An 18-character
 * id is case-insensitive: its suffix restores the case of the first 15 characters, and a suffix that claims an upper
 * case letter where there is a digit makes it malformed.
 */
export function canonicalId(value: string): string | undefined {
  if (!/^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value)) return undefined;
  if (value.length === 15) return to18(value);
  const suffix = value.slice(15).toUpperCase();
  let restored = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    const bits = SUFFIX_ALPHABET.indexOf(suffix.charAt(chunk));
    if (bits < 0) return undefined;
    for (let position = 0; position < 5; position += 1) {
      const char = value.charAt(chunk * 5 + position);
      const upper = (bits & (1 << position)) !== 0;
      if (/[0-9]/.test(char)) {
        if (upper) return undefined;
        restored += char;
      } else {
        restored += upper ? char.toUpperCase() : char.toLowerCase();
      }
    }
  }
  return restored + suffix;
}

/** Whether `value` looks like an id at all (15 or 18 alphanumerics), well-formed or not. */
export function looksLikeId(value: string): boolean {
  return /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/.test(value);
}

export function base62(value: number, width: number): string {
  let text = '';
  let rest = Math.floor(value);
  while (rest > 0) {
    text = BASE62.charAt(rest % 62) + text;
    rest = Math.floor(rest / 62);
  }
  return text.padStart(width, '0').slice(-width);
}

/** Hands out the ids of one org: every object shares one counter, as they share one database sequence. */
export class IdFactory {
  readonly #pod: string;
  #counter: number;

  constructor(pod: string, start: number) {
    if (!/^[a-zA-Z0-9]{2}$/.test(pod)) throw new Error(`pod must be two alphanumerics, got ${pod}`);
    this.#pod = pod;
    this.#counter = start;
  }

  next(prefix: string): string {
    this.#counter += 1;
    return to18(prefix + this.#pod + base62(this.#counter, 10));
  }
}
