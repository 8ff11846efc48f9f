import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { type BetterSQLite3Database, drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { StartupError } from '../http-errors.ts';
import * as schema from './schema.ts';

export type OrgLinkDatabase = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/** Opens (creating if needed) and migrates the SQLite file. Failures become one-line start-up errors. */
export function openDatabase(databasePath: string): OrgLinkDatabase {
  let client: Database.Database;
  try {
    if (databasePath !== ':memory:') mkdirSync(path.dirname(databasePath), { recursive: true });
    client = new Database(databasePath);
  } catch (error) {
    throw new StartupError(
      `Cannot open the database at ${databasePath}: ${(error as Error).message}. Set DATABASE_PATH to a writable file.`,
    );
  }
  // WAL lets the API read while a job writes; busy_timeout makes a briefly locked file wait instead of failing.
  client.pragma('journal_mode = WAL');
  client.pragma('synchronous = NORMAL');
  client.pragma('foreign_keys = ON');
  client.pragma('busy_timeout = 5000');
  // better-sqlite3 builds SQLite with a 16 MB page cache, which a 100,000-record write run fills: the OS caches the
  // file anyway, and with 4 MB the write job benchmark ran in the same CPU time.
  client.pragma('cache_size = -4000');
  const db = drizzle({ client, schema });
  try {
    migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    client.close();
    throw new StartupError(`Cannot migrate the database at ${databasePath}: ${(error as Error).message}`);
  }
  db.insert(schema.serverMeta)
    .values({ key: 'installed_at', value: new Date().toISOString() })
    .onConflictDoNothing()
    .run();
  return db;
}

/** How many migrations the database has applied: a cheap read that proves the file is open and readable. */
export function countAppliedMigrations(db: OrgLinkDatabase): number {
  const row = db.get<{ n: number }>(sql`select count(*) as n from __drizzle_migrations`);
  return row.n;
}
