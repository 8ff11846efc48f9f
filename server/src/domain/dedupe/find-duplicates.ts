import type { DcFieldScore } from '@orglink/shared';
import { candidatePairs, hashToken, pairOf, TOKENS } from './blocking.ts';
import { groupPairs } from './clustering.ts';
import type {
  EngineGroup,
  EnginePair,
  EngineProgress,
  EngineRecord,
  EngineResult,
  EngineScenario,
  EngineSpec,
} from './engine-types.ts';
import { METHODS, type MethodImpl } from './matching/methods.ts';
import { RecordTable } from './record-table.ts';

/**
 * A pair is scored on the fields both records have; a blank field neither helps nor hurts. But the fields compared
 * must carry at least this share of the scenario's weight: two records that share only a common name, with every
 * identifying field blank on one side, are not called duplicates.
 */
export const MIN_COMPARED_SHARE = 0.5;

interface Column {
  slot: number;
  method: MethodImpl;
  prepared: string[];
}

interface CompiledRule {
  column: number;
  weight: number;
  method: MethodImpl;
}

interface CompiledScenario {
  source: EngineScenario;
  /** Heaviest first, so a pair that cannot reach the threshold is given up early. */
  rules: CompiledRule[];
  /** The rules in the scenario's own order, for the explanation. */
  ordered: { column: number; index: number }[];
  totalWeight: number;
}

/** Finds duplicates among the records of a RecordTable: prepare, block, score, group. Runs inside a worker thread. */
export class DuplicateFinder {
  readonly table: RecordTable;
  readonly #spec: EngineSpec;

  constructor(spec: EngineSpec) {
    this.#spec = spec;
    this.table = new RecordTable(spec);
  }

  find(dismissed: ReadonlySet<string>, onProgress: EngineProgress = () => {}): EngineResult {
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (name: string) => {
      const now = performance.now();
      timings[name] = Math.round(now - mark);
      mark = now;
    };
    const table = this.table;
    const size = table.size;
    const columns: Column[] = [];
    const columnIndex = new Map<string, number>();
    const scenarios: CompiledScenario[] = this.#spec.scenarios.map((scenario) => {
      const ordered = scenario.rules.map((rule, index) => {
        const slot = table.slotOf(rule.field, rule.contactField);
        const key = `${slot}|${rule.method}`;
        let column = columnIndex.get(key);
        if (column === undefined) {
          column = columns.length;
          columns.push({ slot, method: METHODS[rule.method], prepared: [] });
          columnIndex.set(key, column);
        }
        return { column, index };
      });
      const rules = ordered
        .map(({ column, index }) => ({
          column,
          weight: scenario.rules[index]?.weight ?? 0,
          method: METHODS[scenario.rules[index]?.method ?? 'exact'],
        }))
        .sort((x, y) => y.weight - x.weight);
      return { source: scenario, rules, ordered, totalWeight: rules.reduce((sum, rule) => sum + rule.weight, 0) };
    });

    // Prepare every value once, and its blocking tokens as hashes.
    const tokens = columns.map(() => new Uint32Array(size * TOKENS));
    columns.forEach((column, c) => {
      const raw = table.values[column.slot] ?? [];
      const prepared = new Array<string>(size);
      const hashes = tokens[c] as Uint32Array;
      for (let i = 0; i < size; i += 1) {
        const value = column.method.prepare(raw[i] ?? '');
        prepared[i] = value;
        if (value === '') continue;
        const keys = column.method.blockKeys(value);
        for (let k = 0; k < keys.length && k < TOKENS; k += 1) hashes[i * TOKENS + k] = hashToken(keys[k] as string, c);
      }
      column.prepared = prepared;
      onProgress('preparing', c + 1, columns.length);
    });
    lap('prepare');

    const sides = this.#spec.crossObject ? Uint8Array.from(table.sides) : undefined;
    const { pairs, blocksSkipped } = candidatePairs({ size, tokens, sides }, (done, total) =>
      onProgress('blocking', done, total),
    );
    lap('block');

    const matchA: number[] = [];
    const matchB: number[] = [];
    const matchScore: number[] = [];
    const matchScenario: number[] = [];
    let pairsDismissed = 0;
    const prepared = columns.map((column) => column.prepared);
    const report = Math.max(1, Math.floor(pairs.length / 100));
    for (let p = 0; p < pairs.length; p += 1) {
      const [i, j] = pairOf(pairs[p] as number);
      let best = -1;
      let bestScenario = -1;
      for (let s = 0; s < scenarios.length; s += 1) {
        const score = scorePair(scenarios[s] as CompiledScenario, prepared, i, j);
        if (score > best) {
          best = score;
          bestScenario = s;
        }
      }
      if (bestScenario >= 0) {
        const idA = table.ids[i] ?? '';
        const idB = table.ids[j] ?? '';
        if (dismissed.size > 0 && dismissed.has(dismissalKey(idA, idB))) pairsDismissed += 1;
        else {
          matchA.push(i);
          matchB.push(j);
          matchScore.push(best);
          matchScenario.push(bestScenario);
        }
      }
      if (p % report === 0) onProgress('scoring', p, pairs.length);
    }
    lap('score');

    onProgress('grouping', 0, 1);
    const clusters = groupPairs(size, matchA, matchB, matchScore);
    const recordIndex = new Map<number, number>();
    const records: EngineRecord[] = [];
    const pairsOut: EnginePair[] = [];
    const groups: EngineGroup[] = clusters.map((cluster) => {
      const members = cluster.members.map((member) => {
        let at = recordIndex.get(member);
        if (at === undefined) {
          at = records.length;
          recordIndex.set(member, at);
          records.push(this.#record(member));
        }
        return at;
      });
      const pairIndexes = cluster.pairs.map((m) => {
        const scenario = scenarios[matchScenario[m] as number] as CompiledScenario;
        const a = matchA[m] as number;
        const b = matchB[m] as number;
        pairsOut.push({
          a: recordIndex.get(a) as number,
          b: recordIndex.get(b) as number,
          score: round(matchScore[m] as number),
          scenario: matchScenario[m] as number,
          fields: explainPair(scenario, columns, a, b),
        });
        return pairsOut.length - 1;
      });
      return { score: round(cluster.score), members, pairs: pairIndexes };
    });
    lap('group');
    onProgress('grouping', 1, 1);
    return {
      recordsRead: size,
      pairsScored: pairs.length,
      pairsMatched: matchA.length,
      pairsDismissed,
      blocksSkipped,
      records,
      pairs: pairsOut,
      groups,
      timings,
    };
  }

  #record(index: number): EngineRecord {
    const table = this.table;
    const side = table.sides[index] ?? 0;
    const values: Record<string, string | null> = {};
    table.slots.forEach((slot, s) => {
      const value = table.values[s]?.[index] ?? '';
      values[slot.fields[side === 0 ? 0 : 1]] = value === '' ? null : value;
    });
    return {
      id: table.ids[index] ?? '',
      object: this.#spec.objects[side === 0 ? 0 : 1] ?? this.#spec.objects[0],
      name: table.names[index] ?? '',
      values,
    };
  }
}

/** The key under which a dismissed pair is remembered: the two record ids in sorted order. */
export function dismissalKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

const round = (score: number) => Math.round(score * 10) / 10;

/**
 * The weighted average of the field scores over the fields both records have, or -1 when the pair does not reach
 * the scenario's threshold (or compares too little: MIN_COMPARED_SHARE). Stops as soon as the threshold is out of
 * reach: most candidate pairs are strangers who share one blocking key.
 */
export function scorePair(scenario: CompiledScenario, prepared: string[][], i: number, j: number): number {
  const { rules, totalWeight } = scenario;
  const threshold = scenario.source.threshold;
  let sum = 0;
  let compared = 0;
  let remaining = totalWeight;
  for (let r = 0; r < rules.length; r += 1) {
    const rule = rules[r] as CompiledRule;
    remaining -= rule.weight;
    const column = prepared[rule.column] as string[];
    const a = column[i] as string;
    const b = column[j] as string;
    if (a !== '' && b !== '') {
      sum += rule.weight * (a === b ? 100 : rule.method.score(a, b));
      compared += rule.weight;
    }
    if (compared + remaining < totalWeight * MIN_COMPARED_SHARE) return -1;
    if ((sum + 100 * remaining) / (compared + remaining) < threshold) return -1;
  }
  return sum / compared;
}

function explainPair(scenario: CompiledScenario, columns: Column[], i: number, j: number): DcFieldScore[] {
  return scenario.ordered.map(({ column, index }) => {
    const rule = scenario.source.rules[index];
    const { method, prepared } = columns[column] as Column;
    const a = prepared[i] ?? '';
    const b = prepared[j] ?? '';
    const base = {
      field: rule?.field ?? '',
      ...(rule?.contactField ? { contactField: rule.contactField } : {}),
      method: rule?.method ?? '',
      weight: rule?.weight ?? 0,
    };
    if (a === '' || b === '') return { ...base, score: null, reason: 'blank on one side: not compared' };
    const explained = a === b ? { score: 100, reason: 'the same' } : method.explain(a, b);
    return { ...base, score: round(explained.score), reason: explained.reason };
  });
}
