import { RunErrorCode, type RunList, type RunListQuery } from '@orglink/shared';
import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { jobRuns } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { csvLine } from './run-csv.ts';
import { type RunRow, runToApi } from './run-view.ts';

export function findTeamRun(db: OrgLinkDatabase, teamId: string, runId: string): RunRow {
  const row = db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.id, runId), eq(jobRuns.teamId, teamId)))
    .get();
  if (!row)
    throw new ApiError(404, RunErrorCode.NotFound, 'There is no such run in your team. Reload the job history.');
  return row;
}

/** The cursor is the last row's (queued_at, id): stable while new runs are queued in front of the page. */
function decodeCursor(cursor: string): { queuedAt: string; id: string } {
  try {
    const [queuedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof queuedAt === 'string' && typeof id === 'string') return { queuedAt, id };
  } catch {
    // falls through to the error below
  }
  throw new ApiError(
    400,
    RunErrorCode.CursorInvalid,
    'The cursor is not one this API gave out. Start from the first page.',
  );
}

export function listRuns(db: OrgLinkDatabase, teamId: string, query: RunListQuery): RunList {
  const limit = query.limit ?? 25;
  const filters: SQL[] = [eq(jobRuns.teamId, teamId)];
  if (query.connection) filters.push(eq(jobRuns.connectionId, query.connection));
  if (query.integration) filters.push(eq(jobRuns.integrationId, query.integration));
  if (query.kind) filters.push(eq(jobRuns.kind, query.kind));
  if (query.status) filters.push(eq(jobRuns.status, query.status));
  if (query.cursor) {
    const after = decodeCursor(query.cursor);
    const older = or(
      lt(jobRuns.queuedAt, after.queuedAt),
      and(eq(jobRuns.queuedAt, after.queuedAt), lt(jobRuns.id, after.id)),
    );
    if (older) filters.push(older);
  }
  const rows = db
    .select()
    .from(jobRuns)
    .where(and(...filters))
    .orderBy(desc(jobRuns.queuedAt), desc(jobRuns.id))
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    runs: page.map((row) => runToApi(row)),
    nextCursor:
      rows.length > limit && last
        ? Buffer.from(JSON.stringify([last.queuedAt, last.id]), 'utf8').toString('base64url')
        : null,
  };
}

const RESULT_COLUMNS = ['source_key', 'action', 'target_id', 'error_code', 'message'];

/** results.csv (every record) or errors.csv (failed ones), row by row, never the whole file in memory. */
export function* runRecordsCsv(db: OrgLinkDatabase, runId: string, onlyFailed: boolean): Generator<string> {
  yield csvLine(RESULT_COLUMNS);
  const statement = db.$client.prepare(
    `select source_key, action, target_id, error_code, message from run_records
     where run_id = ? ${onlyFailed ? "and action = 'failed'" : ''} order by rowid`,
  );
  let lines: string[] = [];
  for (const row of statement.iterate(runId) as Iterable<Record<string, string | null>>) {
    lines.push(csvLine(RESULT_COLUMNS.map((column) => row[column] ?? null)));
    if (lines.length === 1000) {
      yield lines.join('');
      lines = [];
    }
  }
  if (lines.length) yield lines.join('');
}
