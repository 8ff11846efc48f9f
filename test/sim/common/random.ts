/**
 * Seeded randomness shared by the simulators. Every simulator promises that the same seed gives the same data and
 * the same fault rolls, so these functions are part of that contract: changing their output changes every seeded
 * run. Keep one copy here rather than a private copy per simulator, so the simulators cannot drift apart.
 *
 * The Catalog's `Rng` (catalog/rng.ts, sfc32) is a different generator on purpose: it backs 100,000-user seeding
 * with ids, picks and strings, and its outputs are fixed by the Catalog's own seeds.
 */

/**
 * mulberry32: a tiny 32-bit seeded PRNG giving floats in [0, 1). Used for fault shares (Salesforce, Dynamics), so a
 * fault run with the same seed and call sequence fails the same requests.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A stable 32-bit FNV-1a hash of a string's UTF-16 code units, to derive a per-account or per-environment seed from
 * one simulator seed (`seed ^ hashString(name)`).
 */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
