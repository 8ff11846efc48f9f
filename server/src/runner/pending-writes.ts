import type Database from 'better-sqlite3';
import type { WriteItem } from './write-types.ts';

/** A pending record as a Bulk result row settles it. */
export interface SettleRow {
  key: string;
  hash: string;
  known: number;
}

interface PendingRow {
  key: string;
  valuesJson: string;
  hash: string;
  known: number;
  targetId: string | null;
}

/**
 * The records a write run still has to write, spooled to a SQLite temp table instead of held in memory. Held in memory,
 * 100,000 records (plus the index the Bulk results are matched with) kept 40-60 MB live through the whole write, and
 * V8 sized the heap to a multiple of that: the server's peak RSS grew by about 1.7 KB per Catalog user. Spooled, the
 * live set is one batch, whatever the account's size.
 *
 * A record leaves the table once its outcome is recorded; what is left after a round (transient failures, Bulk rows
 * Salesforce never reported) is the next round's work. The table is per connection and per process: after a crash
 * the resumed run rebuilds it from Catalog, skipping the records the crashed attempt recorded.
 */
export class PendingWrites {
  readonly #runId: string;
  readonly #insert;
  readonly #count;
  readonly #after;
  readonly #byKey;
  readonly #byWrittenKey;
  readonly #delete;
  readonly #clear;
  readonly #db: Database.Database;

  constructor(db: Database.Database, runId: string) {
    this.#db = db;
    this.#runId = runId;
    db.exec(`create temp table if not exists pending_writes (
      run_id text not null, source_key text not null, written_key text not null, values_json text not null,
      hash text not null, known integer not null, target_id text, primary key (run_id, source_key))`);
    db.exec('create index if not exists temp.pending_writes_written on pending_writes (run_id, written_key)');
    db.function('orglink_lower', { deterministic: true }, (text: unknown) =>
      typeof text === 'string' ? text.toLowerCase() : text,
    );
    const columns = 'rowid as id, source_key as key, values_json as valuesJson, hash, known, target_id as targetId';
    // One statement per batch, the rows passed as one JSON array: SQLite's JSON reader costs far less than a
    // statement call per record.
    this.#insert = db.prepare(
      `insert or replace into pending_writes (run_id, source_key, written_key, values_json, hash, known, target_id)
       select ?, value ->> 0, value ->> 1, value -> 2, value ->> 3, value ->> 4, value ->> 5 from json_each(?)`,
    );
    this.#count = db.prepare('select count(*) from pending_writes where run_id = ?').pluck();
    this.#after = db.prepare<[number, string, number], PendingRow & { id: number }>(
      // By rowid (the order added), skipping other runs' rows; `+run_id` keeps the planner off the written-key index,
      // which would sort every chunk in a temp B-tree (3 s per 100,000-record pass instead of a rowid walk).
      `select ${columns} from pending_writes where rowid > ? and +run_id = ? order by rowid limit ?`,
    );
    this.#byKey = db.prepare<[string, string], PendingRow>(
      `select ${columns} from pending_writes where run_id = ? and source_key in (select value from json_each(?))`,
    );
    this.#byWrittenKey = db.prepare<[string, string], SettleRow & { written: string }>(
      `select written_key as written, source_key as key, hash, known from pending_writes
       where run_id = ? and written_key in (select value from json_each(?)) order by rowid`,
    );
    this.#delete = db.prepare(
      'delete from pending_writes where run_id = ? and source_key in (select value from json_each(?))',
    );
    this.#clear = db.prepare('delete from pending_writes where run_id = ?');
  }

  /**
   * Adds records (a record already pending is replaced). `writtenKey` is the value Salesforce echoes back in Bulk
   * results to find the record by: the External ID field's value, or the source key.
   */
  add(items: readonly WriteItem[], writtenKeyField: string | null) {
    if (items.length === 0) return;
    const rows = items.map((item) => [
      item.key,
      (writtenKeyField ? item.values[writtenKeyField] : undefined) ?? item.key,
      item.values,
      item.hash,
      item.known ? 1 : 0,
      item.targetId,
    ]);
    this.#insert.run(this.#runId, JSON.stringify(rows));
  }

  get size(): number {
    return this.#count.get(this.#runId) as number;
  }

  /**
   * Every pending record once, in the order added, `size` at a time. Each chunk is read when asked for, so records
   * settled (deleted) or left pending while iterating do not disturb it.
   */
  *chunks(size: number): Generator<WriteItem[]> {
    for (const rows of this.#rowChunks(size)) yield rows.map(toItem);
  }

  /**
   * Like chunks(), but only each record's values, as the JSON text they were spooled as: what a Bulk upload's CSV is
   * encoded from (in a worker), without parsing them on the event loop.
   */
  *valuesJsonChunks(size: number): Generator<string[]> {
    for (const rows of this.#rowChunks(size)) yield rows.map((row) => row.valuesJson);
  }

  *#rowChunks(size: number): Generator<PendingRow[]> {
    let after = 0;
    for (;;) {
      const rows = this.#after.all(after, this.#runId, size);
      const last = rows.at(-1);
      if (!last) return;
      after = last.id;
      yield rows;
    }
  }

  /** The pending records among these source keys. */
  withKeys(keys: readonly string[]): WriteItem[] {
    return this.#byKey.all(this.#runId, JSON.stringify(keys)).map(toItem);
  }

  /**
   * The pending records that uploaded these key values (almost always one each), by value, in the order added, with
   * what recording their outcome needs and not their values: Bulk results are matched a batch of rows at a time.
   */
  withWrittenKeys(written: readonly string[]): Map<string, SettleRow[]> {
    const found = new Map<string, SettleRow[]>();
    for (const { written: value, ...row } of this.#byWrittenKey.all(this.#runId, JSON.stringify(written))) {
      const rows = found.get(value);
      if (rows) rows.push(row);
      else found.set(value, [row]);
    }
    return found;
  }

  /**
   * Groups of pending records that share a value of `field` (compared case-insensitively; empty values are not
   * shared), for the Email match key, which cannot tell such records apart.
   */
  sharingValue(field: string): WriteItem[][] {
    // lower() in SQLite folds ASCII only: É and é must be the same e-mail here, as they are to Salesforce.
    const value = `orglink_lower(json_extract(values_json, '$.' || json_quote(?)))`;
    const rows = this.#db
      .prepare<[string, string, string, string, string], PendingRow & { shared: string }>(
        `select source_key as key, values_json as valuesJson, hash, known, target_id as targetId, ${value} as shared
         from pending_writes where run_id = ? and ${value} in (
           select ${value} as v from pending_writes where run_id = ? and v <> '' group by v having count(*) > 1)
         order by shared, rowid`,
      )
      .all(field, this.#runId, field, field, this.#runId);
    const groups = new Map<string, WriteItem[]>();
    for (const row of rows) groups.set(row.shared, [...(groups.get(row.shared) ?? []), toItem(row)]);
    return [...groups.values()];
  }

  /** Records whose outcome is recorded: they are not written again. */
  settle(keys: readonly string[]) {
    if (keys.length > 0) this.#delete.run(this.#runId, JSON.stringify(keys));
  }

  clear() {
    this.#clear.run(this.#runId);
  }
}

function toItem(row: PendingRow): WriteItem {
  return {
    key: row.key,
    values: JSON.parse(row.valuesJson) as Record<string, string | null>,
    hash: row.hash,
    known: row.known === 1,
    targetId: row.targetId,
  };
}
