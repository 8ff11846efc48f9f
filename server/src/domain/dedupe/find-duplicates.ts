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
  /** Only read to compare transposed names: not a blocking key. */
  swapOnly: boolean;
}

interface CompiledRule {
  column: number;
  /** The column the other record is read from when first and last name are compared transposed. */
  swapColumn: number;
  weight: number;
  method: MethodImpl;
}

interface CompiledScenario {
  source: EngineScenario;
  /** Heaviest first, so a pair that cannot reach the threshold is given up early. */
  rules: CompiledRule[];
  /** The rules in the scenario's own order, for the explanation. */
  ordered: CompiledRule[];
  totalWeight: number;
  /** It compares FirstName and LastName: a pair is also scored with one record's two names swapped. */
  transposes: boolean;
}

/** The name fields Salesforce's matching rules also compare transposed ("Smith John" = "John Smith"). */
const FIRST_NAME = 'firstname';
const LAST_NAME = 'lastname';

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
    const columnFor = (slot: number, method: EngineScenario['rules'][number]['method'], swapOnly: boolean) => {
      const key = `${slot}|${method}`;
      let column = columnIndex.get(key);
      if (column === undefined) {
        column = columns.length;
        columns.push({ slot, method: METHODS[method], prepared: [], swapOnly });
        columnIndex.set(key, column);
      } else if (!swapOnly) (columns[column] as Column).swapOnly = false;
      return column;
    };
    const scenarios: CompiledScenario[] = this.#spec.scenarios.map((scenario) => {
      const nameRule = (name: string) =>
        scenario.rules.find((rule) => rule.field.toLowerCase() === name && !rule.contactField);
      const first = nameRule(FIRST_NAME);
      const last = nameRule(LAST_NAME);
      const ordered = scenario.rules.map((rule): CompiledRule => {
        const column = columnFor(table.slotOf(rule.field, rule.contactField), rule.method, false);
        const other = first && last ? (rule === first ? last : rule === last ? first : undefined) : undefined;
        return {
          column,
          // The other record's other name, prepared the way this rule compares.
          swapColumn: other ? columnFor(table.slotOf(other.field), rule.method, true) : column,
          weight: rule.weight,
          method: METHODS[rule.method],
        };
      });
      const rules = [...ordered].sort((x, y) => y.weight - x.weight);
      return {
        source: scenario,
        rules,
        ordered,
        totalWeight: rules.reduce((sum, rule) => sum + rule.weight, 0),
        transposes: Boolean(first && last),
      };
    });

    // Prepare every value once, and its blocking tokens as hashes.
    // Released once the candidates are made (a million records: about 100 MB of tokens).
    let tokens: Uint32Array[] = columns.map(() => new Uint32Array(size * TOKENS));
    columns.forEach((column, c) => {
      const raw = table.values[column.slot] ?? [];
      const prepared = new Array<string>(size);
      const hashes = tokens[c] as Uint32Array;
      for (let i = 0; i < size; i += 1) {
        const value = column.method.prepare(raw[i] ?? '');
        prepared[i] = value;
        if (value === '') continue;
        if (column.swapOnly) continue;
        const keys = column.method.blockKeys(value);
        for (let k = 0; k < keys.length && k < TOKENS; k += 1) hashes[i * TOKENS + k] = hashToken(keys[k] as string, c);
      }
      column.prepared = prepared;
      onProgress('preparing', c + 1, columns.length);
    });
    lap('prepare');

    const sides = this.#spec.crossObject ? Uint8Array.from(table.sides) : undefined;
    const blocked: { pairs: Float64Array; largeBlocks: number } = candidatePairs(
      { size, tokens, sides },
      (done, total) => onProgress('blocking', done, total),
    );
    tokens = [];
    const { largeBlocks } = blocked;
    let pairs = blocked.pairs;
    blocked.pairs = new Float64Array(0);
    const pairsScored = pairs.length;
    lap('block');

    const matchA: number[] = [];
    const matchB: number[] = [];
    const matchScore: number[] = [];
    const matchScenario: number[] = [];
    const matchSwapped: boolean[] = [];
    let pairsDismissed = 0;
    const prepared = columns.map((column) => column.prepared);
    const report = Math.max(1, Math.floor(pairs.length / 100));
    for (let p = 0; p < pairs.length; p += 1) {
      const [i, j] = pairOf(pairs[p] as number);
      let best = -1;
      let bestScenario = -1;
      let swapped = false;
      for (let s = 0; s < scenarios.length; s += 1) {
        const scenario = scenarios[s] as CompiledScenario;
        const score = scorePair(scenario, prepared, i, j, false);
        if (score > best) {
          best = score;
          bestScenario = s;
          swapped = false;
        }
        if (scenario.transposes && score < 100) {
          const transposed = scorePair(scenario, prepared, i, j, true);
          if (transposed > best) {
            best = transposed;
            bestScenario = s;
            swapped = true;
          }
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
          matchSwapped.push(swapped);
        }
      }
      if (p % report === 0) onProgress('scoring', p, pairs.length);
    }
    onProgress('scoring', pairs.length, pairs.length);
    // The candidates (8 bytes each, tens of millions for a million records) are not needed for grouping.
    pairs = new Float64Array(0);
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
          fields: explainPair(scenario, columns, a, b, matchSwapped[m] === true),
        });
        return pairsOut.length - 1;
      });
      return { score: round(cluster.score), members, pairs: pairIndexes };
    });
    lap('group');
    onProgress('grouping', 1, 1);
    return {
      recordsRead: size,
      pairsScored,
      pairsMatched: matchA.length,
      pairsDismissed,
      largeBlocks,
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
function scorePair(scenario: CompiledScenario, prepared: string[][], i: number, j: number, swapped: boolean): number {
  const { rules, totalWeight } = scenario;
  const threshold = scenario.source.threshold;
  let sum = 0;
  let compared = 0;
  let remaining = totalWeight;
  for (let r = 0; r < rules.length; r += 1) {
    const rule = rules[r] as CompiledRule;
    remaining -= rule.weight;
    const a = (prepared[rule.column] as string[])[i] as string;
    const b = (prepared[swapped ? rule.swapColumn : rule.column] as string[])[j] as string;
    if (a !== '' && b !== '') {
      sum += rule.weight * (a === b ? 100 : rule.method.score(a, b));
      compared += rule.weight;
    }
    if (compared + remaining < totalWeight * MIN_COMPARED_SHARE) return -1;
    if ((sum + 100 * remaining) / (compared + remaining) < threshold) return -1;
  }
  return sum / compared;
}

function explainPair(
  scenario: CompiledScenario,
  columns: Column[],
  i: number,
  j: number,
  swapped: boolean,
): DcFieldScore[] {
  return scenario.ordered.map((compiled, index) => {
    const rule = scenario.source.rules[index];
    const { method, prepared } = columns[compiled.column] as Column;
    const a = prepared[i] ?? '';
    const b = (columns[swapped ? compiled.swapColumn : compiled.column] as Column).prepared[j] ?? '';
    const base = {
      field: rule?.field ?? '',
      ...(rule?.contactField ? { contactField: rule.contactField } : {}),
      method: rule?.method ?? '',
      weight: rule?.weight ?? 0,
    };
    const transposed = swapped && compiled.swapColumn !== compiled.column ? 'names transposed; ' : '';
    if (a === '' || b === '') return { ...base, score: null, reason: `${transposed}blank on one side: not compared` };
    const explained = a === b ? { score: 100, reason: 'the same' } : method.explain(a, b);
    return { ...base, score: round(explained.score), reason: `${transposed}${explained.reason}` };
  });
}
