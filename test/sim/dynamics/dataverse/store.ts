import { type AlternateKeySpec, attributeOf, ENTITIES, type EntitySpec, entityByLogicalName } from './entities.ts';
import { dataverseErrors } from './errors.ts';

export interface LookupValue {
  id: string;
  logicalName: string;
  /** Name for lookups whose target table the simulator doesn't hold (business units, teams). */
  name?: string;
}

export type FieldValue = string | number | boolean | null | LookupValue;
/** One table row, keyed by attribute logical name. Ids are lower-case GUID strings. */
export type Row = Record<string, FieldValue>;

interface Table {
  entity: EntitySpec;
  rows: Map<string, Row>;
  /** Per alternate key: normalised key value -> row id (Dataverse keys are unique indexes filtered on non-null). */
  keyIndexes: Map<string, Map<string, string>>;
}

type UndoStep = () => void;

export function isLookupValue(value: FieldValue | undefined): value is LookupValue {
  return typeof value === 'object' && value !== null;
}

/** String comparisons in Dataverse follow SQL Server's case-insensitive collation. */
function keyPart(value: FieldValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (isLookupValue(value)) return value.id.toLowerCase();
  return typeof value === 'string' ? value.toLowerCase() : String(value);
}

/**
 * The rows of one environment, with alternate-key uniqueness and row versions. Every mutation records an undo step
 * while a transaction is open, which is how a `$batch` change set rolls back.
 */
export class EnvironmentStore {
  readonly #tables = new Map<string, Table>();
  #version = 1_000_000;
  #undo: UndoStep[] | undefined;

  constructor() {
    for (const entity of ENTITIES) {
      this.#tables.set(entity.logicalName, {
        entity,
        rows: new Map(),
        keyIndexes: new Map(entity.keys.map((key) => [key.logicalName, new Map()])),
      });
    }
  }

  #table(logicalName: string): Table {
    const table = this.#tables.get(logicalName);
    if (!table) throw new Error(`no table ${logicalName}`);
    return table;
  }

  nextVersion(): number {
    this.#version += 1;
    return this.#version;
  }

  rows(logicalName: string): Row[] {
    return [...this.#table(logicalName).rows.values()];
  }

  count(logicalName: string): number {
    return this.#table(logicalName).rows.size;
  }

  get(logicalName: string, id: string): Row | undefined {
    return this.#table(logicalName).rows.get(id.toLowerCase());
  }

  /** The row whose alternate key (all of its attributes given) has these values. */
  findByKey(logicalName: string, values: Record<string, FieldValue>): { row: Row; key: AlternateKeySpec } | undefined {
    const table = this.#table(logicalName);
    const names = Object.keys(values).sort();
    const key = table.entity.keys.find((candidate) => [...candidate.attributes].sort().join(',') === names.join(','));
    if (!key) return undefined;
    const normalised = this.#keyValue(key, values);
    const id = normalised === undefined ? undefined : table.keyIndexes.get(key.logicalName)?.get(normalised);
    const row = id ? table.rows.get(id) : undefined;
    return row ? { row, key } : undefined;
  }

  keyFor(logicalName: string, attributes: string[]): AlternateKeySpec | undefined {
    const sorted = [...attributes].sort().join(',');
    return this.#table(logicalName).entity.keys.find((key) => [...key.attributes].sort().join(',') === sorted);
  }

  #keyValue(key: AlternateKeySpec, row: Record<string, FieldValue>): string | undefined {
    const parts = key.attributes.map((attribute) => keyPart(row[attribute]));
    return parts.some((part) => part === undefined) ? undefined : parts.join('\u0000');
  }

  /** Throws DuplicateRecordEntityKey when `row` would repeat another row's alternate key. */
  #checkKeys(table: Table, id: string, row: Row): void {
    for (const key of table.entity.keys) {
      const value = this.#keyValue(key, row);
      const owner = value === undefined ? undefined : table.keyIndexes.get(key.logicalName)?.get(value);
      if (owner && owner !== id) {
        const labels = key.attributes.map((name) => attributeOf(table.entity, name)?.displayName ?? name).join(', ');
        throw dataverseErrors.duplicateAlternateKey(labels, key.displayName);
      }
    }
  }

  #index(table: Table, id: string, row: Row, add: boolean): void {
    for (const key of table.entity.keys) {
      const value = this.#keyValue(key, row);
      if (value === undefined) continue;
      const index = table.keyIndexes.get(key.logicalName);
      if (add) index?.set(value, id);
      else if (index?.get(value) === id) index.delete(value);
    }
  }

  insert(logicalName: string, row: Row): Row {
    const table = this.#table(logicalName);
    const id = String(row[table.entity.primaryIdAttribute]).toLowerCase();
    if (table.rows.has(id)) throw dataverseErrors.duplicateId();
    const stored: Row = { ...row, [table.entity.primaryIdAttribute]: id };
    this.#checkKeys(table, id, stored);
    table.rows.set(id, stored);
    this.#index(table, id, stored, true);
    this.#undo?.push(() => {
      this.#index(table, id, stored, false);
      table.rows.delete(id);
    });
    return stored;
  }

  update(logicalName: string, id: string, changes: Row): Row {
    const table = this.#table(logicalName);
    const key = id.toLowerCase();
    const before = table.rows.get(key);
    if (!before) throw dataverseErrors.notFound(logicalName, id);
    const after: Row = { ...before, ...changes };
    this.#checkKeys(table, key, after);
    this.#index(table, key, before, false);
    table.rows.set(key, after);
    this.#index(table, key, after, true);
    this.#undo?.push(() => {
      this.#index(table, key, after, false);
      table.rows.set(key, before);
      this.#index(table, key, before, true);
    });
    return after;
  }

  delete(logicalName: string, id: string): boolean {
    const table = this.#table(logicalName);
    const key = id.toLowerCase();
    const before = table.rows.get(key);
    if (!before) return false;
    this.#index(table, key, before, false);
    table.rows.delete(key);
    this.#undo?.push(() => {
      table.rows.set(key, before);
      this.#index(table, key, before, true);
    });
    return true;
  }

  /** Runs `work` atomically: if it throws, every mutation it made is undone (in reverse) and the error rethrown. */
  transaction<T>(work: () => T): T {
    if (this.#undo) return work();
    const undo: UndoStep[] = [];
    this.#undo = undo;
    try {
      return work();
    } catch (error) {
      for (const step of undo.reverse()) step();
      throw error;
    } finally {
      this.#undo = undefined;
    }
  }

  /** Opens a transaction that the caller ends with the returned commit or rollback (for multi-request change sets). */
  begin(): { commit(): void; rollback(): void } {
    if (this.#undo) throw new Error('a transaction is already open');
    const undo: UndoStep[] = [];
    this.#undo = undo;
    return {
      commit: () => {
        this.#undo = undefined;
      },
      rollback: () => {
        for (const step of undo.reverse()) step();
        this.#undo = undefined;
      },
    };
  }

  /** The display name of a lookup's target, for formatted values and pages. */
  lookupName(value: LookupValue): string | undefined {
    if (value.name !== undefined) return value.name;
    const entity = entityByLogicalName(value.logicalName);
    if (!entity) return undefined;
    const row = this.get(entity.logicalName, value.id);
    const name = row?.[entity.primaryNameAttribute];
    return typeof name === 'string' ? name : undefined;
  }
}
