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
  /** Blocks left out because they were too big to say anything (e.g. everyone in one city): see blocking.ts. */
  blocksSkipped: number;
  records: EngineRecord[];
  pairs: EnginePair[];
  groups: EngineGroup[];
  timings: Record<string, number>;
}

export type EnginePhase = 'preparing' | 'blocking' | 'scoring' | 'grouping';
export type EngineProgress = (phase: EnginePhase, done: number, total: number) => void;
