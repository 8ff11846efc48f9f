/**
 * Jaro-Winkler similarity (Winkler 1990: prefix scale 0.1, at most 4 prefix characters, boost only above a Jaro of
 * 0.7), written here rather than taken from npm because the packages allocate arrays on every call and this runs tens
 * of millions of times per job. The match flags live in module-level buffers grown on demand; a call allocates
 * nothing. Each worker thread has its own module instance, so the shared buffers are safe.
 */

const PREFIX_SCALE = 0.1;
const MAX_PREFIX = 4;
const BOOST_THRESHOLD = 0.7;

let matchedA = new Uint8Array(64);
let matchedB = new Uint8Array(64);

function ensureCapacity(length: number): void {
  if (matchedA.length >= length) return;
  const size = Math.max(length, matchedA.length * 2);
  matchedA = new Uint8Array(size);
  matchedB = new Uint8Array(size);
}

/** Jaro-Winkler of a[aStart, aEnd) and b[bStart, bEnd), 0-1. Ranges let callers compare parts of an encoded value. */
export function jaroWinklerRange(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): number {
  const lengthA = aEnd - aStart;
  const lengthB = bEnd - bStart;
  if (lengthA === 0 || lengthB === 0) return lengthA === lengthB ? 1 : 0;

  const window = Math.max(0, (Math.max(lengthA, lengthB) >> 1) - 1);
  ensureCapacity(Math.max(lengthA, lengthB));
  matchedA.fill(0, 0, lengthA);
  matchedB.fill(0, 0, lengthB);

  let matches = 0;
  for (let i = 0; i < lengthA; i++) {
    const code = a.charCodeAt(aStart + i);
    const from = i > window ? i - window : 0;
    const to = Math.min(lengthB - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (matchedB[j] === 0 && b.charCodeAt(bStart + j) === code) {
        matchedA[i] = 1;
        matchedB[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;

  let outOfOrder = 0;
  let k = 0;
  for (let i = 0; i < lengthA; i++) {
    if (matchedA[i] === 0) continue;
    while (matchedB[k] === 0) k++;
    if (a.charCodeAt(aStart + i) !== b.charCodeAt(bStart + k)) outOfOrder++;
    k++;
  }
  const transpositions = outOfOrder / 2;
  const jaro = (matches / lengthA + matches / lengthB + (matches - transpositions) / matches) / 3;
  if (jaro <= BOOST_THRESHOLD) return jaro;

  const prefixLimit = Math.min(MAX_PREFIX, lengthA, lengthB);
  let prefix = 0;
  while (prefix < prefixLimit && a.charCodeAt(aStart + prefix) === b.charCodeAt(bStart + prefix)) prefix++;
  return jaro + prefix * PREFIX_SCALE * (1 - jaro);
}

/** Jaro-Winkler of two whole strings, 0-1. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  return jaroWinklerRange(a, 0, a.length, b, 0, b.length);
}
