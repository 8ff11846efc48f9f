/**
 * Candidate pairs from blocking keys, never all n(n-1)/2. Each compared column gives every record up to three tokens
 * (its method's blockKeys: a phonetic code, a normalised e-mail, the last phone digits...). Records sharing a token of
 * one column, or a token of each of two columns, land in the same block; only records in the same block are scored.
 * Two-column keys are what find a duplicate whose common values are not selective alone (a first name and a city),
 * and a duplicate with a typo in one field still shares the keys made of its other fields.
 *
 * Keys are 32-bit hashes packed with the record number into one float64 (hash * 2^21 + record), so a key type is one
 * typed-array sort and a scan of equal runs: a million records cost 8 MB per key type and no strings. A hash
 * collision only adds a candidate that scoring then rejects.
 */

const RECORD_BITS = 2 ** 21;
/**
 * A block this big says little (everyone called Smith, everyone in London): instead of all its pairs, each record is
 * paired only with its NEIGHBOURS next records in it (counted as a large block). That keeps the cost linear and
 * still finds a record imported thirty times over: the neighbour pairs chain the copies into one group.
 */
export const MAX_BLOCK = 20;
export const NEIGHBOURS = 1;
/** Tokens kept per record and column. */
export const TOKENS = 3;

/** FNV-1a over UTF-16 code units; 0 is kept for "no token". */
export function hashToken(token: string, salt: number): number {
  let hash = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < token.length; i += 1) {
    hash ^= token.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0 || 1;
}

function mix(a: number, b: number): number {
  let hash = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0 || 1;
}

/**
 * The candidate pairs: a float64 list that, when full, first sorts itself and drops repeats (a true pair shares many
 * keys, so most of a full list is repeats) and grows by half only when that frees too little. A million records make
 * tens of millions of candidates; doubling and copying would hold two and a half times that at the peak.
 */
export class PairList {
  data = new Float64Array(1 << 16);
  length = 0;
  push(value: number) {
    if (this.length === this.data.length) {
      this.compact();
      if (this.length > this.data.length * 0.6) {
        const grown = new Float64Array(Math.ceil(this.data.length * 1.5));
        grown.set(this.data.subarray(0, this.length));
        this.data = grown;
      }
    }
    this.data[this.length++] = value;
  }
  /** Sorts and removes repeats in place. */
  compact() {
    const all = this.data.subarray(0, this.length).sort();
    let unique = 0;
    for (let k = 0; k < all.length; k += 1) {
      if (k === 0 || all[k] !== all[k - 1]) all[unique++] = all[k] as number;
    }
    this.length = unique;
  }
}

export interface BlockingInput {
  size: number;
  /** Per column: TOKENS hashes per record (0 = none). */
  tokens: Uint32Array[];
  /** Lead-Contact: pairs only between sides. */
  sides?: Uint8Array;
}

export interface BlockingResult {
  /** Candidate pairs, i * 2^21 + j with i < j, sorted and unique. */
  pairs: Float64Array;
  largeBlocks: number;
}

/** Key types: each column alone, and each two columns together. */
export function keyTypes(columns: number): [number, number][] {
  const types: [number, number][] = [];
  for (let a = 0; a < columns; a += 1) types.push([a, -1]);
  for (let a = 0; a < columns; a += 1) for (let b = a + 1; b < columns; b += 1) types.push([a, b]);
  return types;
}

export function candidatePairs(
  input: BlockingInput,
  onKeyType?: (done: number, total: number) => void,
): BlockingResult {
  const { size, tokens, sides } = input;
  const types = keyTypes(tokens.length);
  const out = new PairList();
  let largeBlocks = 0;
  let entries = new Float64Array(Math.max(16, size * 2));
  types.forEach(([a, b], done) => {
    let count = 0;
    const put = (hash: number, record: number) => {
      if (count === entries.length) {
        const grown = new Float64Array(entries.length * 2);
        grown.set(entries);
        entries = grown;
      }
      entries[count++] = hash * RECORD_BITS + record;
    };
    const left = tokens[a] as Uint32Array;
    const right = b >= 0 ? (tokens[b] as Uint32Array) : undefined;
    for (let record = 0; record < size; record += 1) {
      for (let x = 0; x < TOKENS; x += 1) {
        const t1 = left[record * TOKENS + x] ?? 0;
        if (t1 === 0) continue;
        if (!right) {
          put(t1, record);
          continue;
        }
        for (let y = 0; y < TOKENS; y += 1) {
          const t2 = right[record * TOKENS + y] ?? 0;
          if (t2 !== 0) put(mix(t1, t2), record);
        }
      }
    }
    const sorted = entries.subarray(0, count).sort();
    let start = 0;
    while (start < count) {
      const hash = Math.floor((sorted[start] as number) / RECORD_BITS);
      let end = start + 1;
      while (end < count && Math.floor((sorted[end] as number) / RECORD_BITS) === hash) end += 1;
      const blockSize = end - start;
      if (blockSize > MAX_BLOCK) largeBlocks += 1;
      if (blockSize > 1) {
        const reach = blockSize > MAX_BLOCK ? NEIGHBOURS : blockSize;
        for (let p = start; p < end; p += 1) {
          const i = (sorted[p] as number) % RECORD_BITS;
          for (let q = p + 1; q < end && q <= p + reach; q += 1) {
            const j = (sorted[q] as number) % RECORD_BITS;
            // Sorted by hash then record, so i < j, except for one record holding the same key twice (i === j).
            if (i === j || (sides && sides[i] === sides[j])) continue;
            out.push(i * RECORD_BITS + j);
          }
        }
      }
      start = end;
    }
    onKeyType?.(done + 1, types.length);
  });
  out.compact();
  // A copy only when it frees much: otherwise the list itself is the answer.
  const pairs = out.length < out.data.length * 0.75 ? out.data.slice(0, out.length) : out.data.subarray(0, out.length);
  return { pairs, largeBlocks };
}

export function pairOf(code: number): [number, number] {
  return [Math.floor(code / RECORD_BITS), code % RECORD_BITS];
}
