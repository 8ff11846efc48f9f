import { CommonErrorCode } from '@orglink/shared';

/** The SQLite error behind `error` (drizzle wraps async query failures in DrizzleQueryError, with it as the cause). */
function sqliteErrorIn(error: unknown): (Error & { code: string }) | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (current.name === 'SqliteError' && typeof code === 'string') return current as Error & { code: string };
  }
  return undefined;
}

export interface DatabaseUnavailable {
  code: string;
  sqliteCode: string;
  /** What happened, in the admin's words. */
  problem: string;
  /** What to do about it. */
  advice: string;
}

/**
 * SQLite conditions that are about the machine, not the request or the run: another process holds the file's write
 * lock (BUSY, LOCKED, past busy_timeout), the disk or the file's size limit is reached (FULL), or the disk failed to
 * read or write (IOERR). The statement was rolled back, so nothing partial is stored, and the same work can succeed
 * later: an API request answers 503 and a run stops with these words, never as an internal error.
 */
export function databaseUnavailable(error: unknown): DatabaseUnavailable | undefined {
  const sqlite = sqliteErrorIn(error);
  if (!sqlite) return undefined;
  const sqliteCode = sqlite.code;
  if (sqliteCode.startsWith('SQLITE_BUSY') || sqliteCode.startsWith('SQLITE_LOCKED')) {
    return {
      code: CommonErrorCode.DatabaseBusy,
      sqliteCode,
      problem: 'The OrgLink database is busy: another process holds its write lock.',
      advice: 'try again in a moment, and if it persists, stop the other process using the database file.',
    };
  }
  if (sqliteCode === 'SQLITE_FULL') {
    return {
      code: CommonErrorCode.DatabaseFull,
      sqliteCode,
      problem: 'The OrgLink database is full: the disk (or the database size limit) has no room left.',
      advice: 'free disk space where DATABASE_PATH points and try again.',
    };
  }
  if (sqliteCode.startsWith('SQLITE_IOERR')) {
    return {
      code: CommonErrorCode.DatabaseUnavailable,
      sqliteCode,
      problem: 'The OrgLink database could not read or write its file (a disk error).',
      advice: 'check the disk where DATABASE_PATH points and try again.',
    };
  }
  return undefined;
}
