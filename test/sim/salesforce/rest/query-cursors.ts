import type { SimClock } from '../../common/clock.ts';
import { IdFactory, KEY_PREFIX } from '../model/ids.ts';

/**
 * Server-side query cursors behind `nextRecordsUrl`. Like Salesforce: a cursor holds the whole result as of the first
 * call (later writes do not shift pages), expires after 15 minutes unused, and a user keeps at most 10 open cursors
 * (opening an eleventh drops the oldest).
 */

export const CURSOR_TTL_MS = 15 * 60_000;
export const MAX_CURSORS_PER_USER = 10;

export interface QueryCursor {
  id: string;
  orgName: string;
  userId: string;
  objectName: string;
  fields: string[];
  rows: Record<string, unknown>[];
  batchSize: number;
  lastUsedAt: number;
}

export class QueryCursors {
  readonly #clock: SimClock;
  readonly #cursors = new Map<string, QueryCursor>();
  readonly #ids = new IdFactory('RO', 1_234_567);

  constructor(clock: SimClock) {
    this.#clock = clock;
  }

  open(init: Omit<QueryCursor, 'id' | 'lastUsedAt'>): QueryCursor {
    this.#expire();
    const owned = [...this.#cursors.values()].filter(
      (cursor) => cursor.orgName === init.orgName && cursor.userId === init.userId,
    );
    if (owned.length >= MAX_CURSORS_PER_USER) {
      const oldest = owned.sort((a, b) => a.lastUsedAt - b.lastUsedAt)[0];
      if (oldest) this.#cursors.delete(oldest.id);
    }
    const cursor: QueryCursor = { ...init, id: this.#ids.next(KEY_PREFIX.QueryLocator), lastUsedAt: this.#clock.now() };
    this.#cursors.set(cursor.id, cursor);
    return cursor;
  }

  /** The cursor of a `<cursor id>-<offset>` locator, when it is still open and belongs to the caller. */
  resolve(locator: string, orgName: string, userId: string): { cursor: QueryCursor; offset: number } | undefined {
    this.#expire();
    const match = /^([a-zA-Z0-9]{18})-(\d+)$/.exec(locator);
    if (!match) return undefined;
    const cursor = this.#cursors.get(match[1] ?? '');
    if (!cursor || cursor.orgName !== orgName || cursor.userId !== userId) return undefined;
    const offset = Number(match[2]);
    if (offset > cursor.rows.length) return undefined;
    cursor.lastUsedAt = this.#clock.now();
    return { cursor, offset };
  }

  /** A fully read cursor is closed, as Salesforce closes it after the last batch. */
  close(id: string): void {
    this.#cursors.delete(id);
  }

  clear(): void {
    this.#cursors.clear();
  }

  #expire(): void {
    const now = this.#clock.now();
    for (const [id, cursor] of this.#cursors) if (now - cursor.lastUsedAt > CURSOR_TTL_MS) this.#cursors.delete(id);
  }
}
