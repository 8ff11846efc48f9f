import { parse } from 'csv-parse/sync';
import type { EngineSpec } from './engine-types.ts';

/** Records are numbered in 21 bits where blocking packs them next to a 32-bit hash in one float64 (see blocking.ts). */
export const MAX_RECORDS = 2 ** 21 - 1;
export const TOO_MANY_RECORDS = `A Duplicate Check reads at most ${MAX_RECORDS.toLocaleString('en-US')} records in one run and this object has more, so nothing was matched or stored.`;

/** A value slot every scenario rule reads: the field on side 0 and the field on side 1 (the same for one object). */
export interface Slot {
  fields: [string, string];
}

/** The fields to read for side 0 or 1: Id, the name and every compared field, each once. */
export function fieldsToRead(spec: EngineSpec, side: number): string[] {
  const fields = new Set(['Id', spec.nameField]);
  for (const scenario of spec.scenarios) {
    for (const rule of scenario.rules) {
      fields.add(side === 0 || !spec.crossObject ? rule.field : (rule.contactField ?? rule.field));
    }
  }
  return [...fields];
}

/**
 * The records of a run, column by column: one string array per slot instead of an object per record, which keeps a
 * million records in a few hundred MB and lets scoring walk arrays.
 */
export class RecordTable {
  readonly ids: string[] = [];
  readonly names: string[] = [];
  readonly sides: number[] = [];
  readonly slots: Slot[];
  readonly values: string[][];
  readonly #slotIndex = new Map<string, number>();
  readonly #spec: EngineSpec;

  constructor(spec: EngineSpec) {
    this.#spec = spec;
    this.slots = [];
    for (const scenario of spec.scenarios) {
      for (const rule of scenario.rules) this.slotOf(rule.field, rule.contactField);
    }
    this.values = this.slots.map(() => []);
  }

  /** The slot a rule reads (created while the table is built from the spec). */
  slotOf(field: string, contactField?: string): number {
    const fields: [string, string] = [field, this.#spec.crossObject ? (contactField ?? field) : field];
    const key = fields.join('\u0000');
    let at = this.#slotIndex.get(key);
    if (at === undefined) {
      at = this.slots.length;
      this.slots.push({ fields });
      this.#slotIndex.set(key, at);
    }
    return at;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Appends rows given as cells under `header` (Salesforce's column names; relationship paths like Account.Name). */
  addRows(side: number, header: readonly string[], rows: readonly (readonly string[])[]) {
    if (this.ids.length + rows.length > MAX_RECORDS) {
      throw new RangeError(TOO_MANY_RECORDS);
    }
    const column = (name: string) => header.findIndex((cell) => cell.toLowerCase() === name.toLowerCase());
    const idAt = column('Id');
    if (idAt < 0) throw new Error('the records have no Id column');
    const nameAt = column(this.#spec.nameField);
    const slotAt = this.slots.map((slot) => column(slot.fields[side === 0 ? 0 : 1]));
    for (const row of rows) {
      this.ids.push(row[idAt] ?? '');
      this.names.push(nameAt >= 0 ? (row[nameAt] ?? '') : '');
      this.sides.push(side);
      for (let s = 0; s < slotAt.length; s += 1) {
        const at = slotAt[s] ?? -1;
        this.values[s]?.push(at >= 0 ? (row[at] ?? '') : '');
      }
    }
  }

  /** Appends one page of a Bulk API query result (CSV with a header line). */
  addCsv(side: number, csv: string): number {
    const rows = parse(csv, { bom: true, relax_column_count: true }) as string[][];
    const [header, ...records] = rows;
    if (!header) return 0;
    this.addRows(side, header, records);
    return records.length;
  }
}
