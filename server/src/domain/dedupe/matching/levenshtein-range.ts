/**
 * Levenshtein distance of two short ranges without slicing them (the phone method compares the last 10 digits of
 * longer numbers). One reused row buffer; a call allocates nothing. Longer text goes to fastest-levenshtein instead.
 */

let row = new Int32Array(32);

export function levenshteinRange(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): number {
  const lengthA = aEnd - aStart;
  const lengthB = bEnd - bStart;
  if (lengthA === 0) return lengthB;
  if (lengthB === 0) return lengthA;
  if (row.length <= lengthB) row = new Int32Array(Math.max(lengthB + 1, row.length * 2));
  for (let j = 0; j <= lengthB; j++) row[j] = j;
  for (let i = 1; i <= lengthA; i++) {
    const code = a.charCodeAt(aStart + i - 1);
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= lengthB; j++) {
      const above = row[j] ?? 0;
      const substitution = diagonal + (b.charCodeAt(bStart + j - 1) === code ? 0 : 1);
      const deletion = above + 1;
      const insertion = (row[j - 1] ?? 0) + 1;
      row[j] = Math.min(substitution, deletion, insertion);
      diagonal = above;
    }
  }
  return row[lengthB] ?? 0;
}
