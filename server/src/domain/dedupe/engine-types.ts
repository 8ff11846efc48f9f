import type { DcFieldScore, MatchMethod } from '@orglink/shared';

/**
 * What the matching engine is given and gives back. Plain data only: it crosses the worker-thread boundary by
 * structured clone.
 */

/** One compared value slot: the field read on each side (the same field unless Lead-Contact names a Contact one). */
export interface EngineRule {
  field: string;
  /** Lead-Contact: the Contact field compared with `field` (the Lead's). */
  contactField?: string;
  method: MatchMethod;
  weight: number;
}

export interface EngineScenario {
  id: string;
  name: string;
  threshold: number;
  rules: EngineRule[];
}

export interface EngineSpec {
  scenarios: EngineScenario[];
  /** Lead-Contact: records of side 0 (Leads) are compared only with side 1 (Contacts). */
  crossObject: boolean;
  /** The record name for the results, per side (e.g. Name). */
  nameField: string;
  objects: [string, string?];
}

export interface EngineRecord {
  id: string;
  object: string;
  name: string;
  values: Record<string, string | null>;
}

export interface EnginePair {
  a: number;
  b: number;
  score: number;
  scenario: number;
  fields: DcFieldScore[];
}

export interface EngineGroup {
  score: number;
  /** Indexes into `records`. */
  members: number[];
  /** Indexes into `pairs`. */
  pairs: number[];
}

export interface EngineResult {
  recordsRead: number;
  pairsScored: number;
  pairsMatched: number;
  pairsDismissed: number;
  /** Blocks too big to pair every record in (everyone in one city): only neighbours compared; see blocking.ts. */
  largeBlocks: number;
  records: EngineRecord[];
  pairs: EnginePair[];
  groups: EngineGroup[];
  timings: Record<string, number>;
}

export type EnginePhase = 'preparing' | 'blocking' | 'scoring' | 'grouping';
export type EngineProgress = (phase: EnginePhase, done: number, total: number) => void;

/**
 * An EngineResult as the worker sends it to the main thread: typed arrays (transferred, not copied) and one JSON
 * string per pair and record instead of an object graph, which for a million records would be hundreds of MB of
 * small objects cloned into the API's heap.
 */
export interface CompactResult {
  recordsRead: number;
  pairsScored: number;
  pairsMatched: number;
  pairsDismissed: number;
  largeBlocks: number;
  timings: Record<string, number>;
  recordIds: string[];
  recordNames: string[];
  recordObjects: string[];
  /** JSON of each record's values. */
  recordValues: string[];
  pairA: Int32Array<ArrayBuffer>;
  pairB: Int32Array<ArrayBuffer>;
  pairScore: Float64Array<ArrayBuffer>;
  pairScenario: Int32Array<ArrayBuffer>;
  /** JSON of each pair's DcFieldScore[]. */
  pairFields: string[];
  groupScore: Float64Array<ArrayBuffer>;
  /** Group g's records are groupRecords[groupRecordStart[g] .. groupRecordStart[g + 1]); the same for pairs. */
  groupRecordStart: Int32Array<ArrayBuffer>;
  groupRecords: Int32Array<ArrayBuffer>;
  groupPairStart: Int32Array<ArrayBuffer>;
  groupPairs: Int32Array<ArrayBuffer>;
}

export function compactResult(result: EngineResult): CompactResult {
  const flatten = (lists: number[][]) => {
    const start = new Int32Array(lists.length + 1);
    lists.forEach((list, at) => {
      start[at + 1] = (start[at] ?? 0) + list.length;
    });
    return { start, items: Int32Array.from(lists.flat()) };
  };
  const members = flatten(result.groups.map((group) => group.members));
  const pairs = flatten(result.groups.map((group) => group.pairs));
  return {
    recordsRead: result.recordsRead,
    pairsScored: result.pairsScored,
    pairsMatched: result.pairsMatched,
    pairsDismissed: result.pairsDismissed,
    largeBlocks: result.largeBlocks,
    timings: result.timings,
    recordIds: result.records.map((record) => record.id),
    recordNames: result.records.map((record) => record.name),
    recordObjects: result.records.map((record) => record.object),
    recordValues: result.records.map((record) => JSON.stringify(record.values)),
    pairA: Int32Array.from(result.pairs, (pair) => pair.a),
    pairB: Int32Array.from(result.pairs, (pair) => pair.b),
    pairScore: Float64Array.from(result.pairs, (pair) => pair.score),
    pairScenario: Int32Array.from(result.pairs, (pair) => pair.scenario),
    pairFields: result.pairs.map((pair) => JSON.stringify(pair.fields)),
    groupScore: Float64Array.from(result.groups, (group) => group.score),
    groupRecordStart: members.start,
    groupRecords: members.items,
    groupPairStart: pairs.start,
    groupPairs: pairs.items,
  };
}
