import type { FieldDef, ObjectDef } from '../schema/types.ts';

/** One stored row: every field of the object is present (null when empty), keyed by its API name. */
export type SfRecord = Record<string, unknown>;

/** Key used to match unique and external-id values: case-insensitive unless the field says otherwise. */
export function indexKey(field: FieldDef, value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const text = String(value);
  return field.caseSensitive ? text : text.toLowerCase();
}

/**
 * The rows of one object in one org, indexed by Id and by every unique or external-id field. Deleted rows stay (with
 * IsDeleted true: the recycle bin) but leave the value indexes, so they neither match upserts nor block unique values.
 */
export class RecordStore {
  readonly object: ObjectDef;
  readonly #byId = new Map<string, SfRecord>();
  readonly #indexes = new Map<string, Map<string, Set<string>>>();
  readonly #indexedFields: FieldDef[];
  #liveCount = 0;

  constructor(object: ObjectDef) {
    this.object = object;
    this.#indexedFields = object.fields.filter((field) => field.unique || field.externalId);
    for (const field of this.#indexedFields) this.#indexes.set(field.name, new Map());
  }

  get size(): number {
    return this.#byId.size;
  }

  get liveCount(): number {
    return this.#liveCount;
  }

  get(id: string): SfRecord | undefined {
    return this.#byId.get(id);
  }

  /** Every row, deleted ones included, in insertion order. */
  all(): IterableIterator<SfRecord> {
    return this.#byId.values();
  }

  *live(): Generator<SfRecord> {
    for (const record of this.#byId.values()) if (record.IsDeleted !== true) yield record;
  }

  /** Ids of live rows whose `field` equals `value` (by the field's case rule). */
  findBy(field: FieldDef, value: unknown): string[] {
    const key = indexKey(field, value);
    if (key === undefined) return [];
    const ids = this.#indexes.get(field.name)?.get(key);
    return ids ? [...ids] : [];
  }

  isIndexed(field: FieldDef): boolean {
    return this.#indexes.has(field.name);
  }

  /** Stores a new row or replaces an existing one, keeping the indexes in step. */
  put(record: SfRecord): void {
    const id = String(record.Id);
    const previous = this.#byId.get(id);
    if (previous) this.#unindex(previous);
    this.#byId.set(id, record);
    this.#index(record);
    if (previous && previous.IsDeleted !== true) this.#liveCount -= 1;
    if (record.IsDeleted !== true) this.#liveCount += 1;
  }

  /** Removes a row for good (hard delete, or rolling back an insert). */
  remove(id: string): void {
    const previous = this.#byId.get(id);
    if (!previous) return;
    this.#unindex(previous);
    this.#byId.delete(id);
    if (previous.IsDeleted !== true) this.#liveCount -= 1;
  }

  clear(): void {
    this.#byId.clear();
    for (const index of this.#indexes.values()) index.clear();
    this.#liveCount = 0;
  }

  #index(record: SfRecord): void {
    if (record.IsDeleted === true) return;
    const id = String(record.Id);
    for (const field of this.#indexedFields) {
      const key = indexKey(field, record[field.name]);
      if (key === undefined) continue;
      const index = this.#indexes.get(field.name);
      if (!index) continue;
      let ids = index.get(key);
      if (!ids) {
        ids = new Set();
        index.set(key, ids);
      }
      ids.add(id);
    }
  }

  #unindex(record: SfRecord): void {
    const id = String(record.Id);
    for (const field of this.#indexedFields) {
      const key = indexKey(field, record[field.name]);
      if (key === undefined) continue;
      const index = this.#indexes.get(field.name);
      const ids = index?.get(key);
      if (!ids) continue;
      ids.delete(id);
      if (ids.size === 0) index?.delete(key);
    }
  }
}
