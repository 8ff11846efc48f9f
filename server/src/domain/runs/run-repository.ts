import { RunErrorCode, type RunList, type RunListQuery } from '@orglink/shared';
import { and, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import type { OrgLinkDatabase } from '../../db/database.ts';
import { jobRuns } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { preparedPerDatabase, preparedPerShape } from '../prepared-queries.ts';
import { csvLine } from './run-csv.ts';
import { type RunRow, runToApi } from './run-view.ts';

const teamRun = preparedPerDatabase((db) =>
  db
    .select()
    .from(jobRuns)
    .where(and(eq(jobRuns.id, sql.placeholder('runId')), eq(jobRuns.teamId, sql.placeholder('teamId'))))
    .prepare(),
);

export function findTeamRun(db: OrgLinkDatabase, teamId: string, runId: string): RunRow {
  const row = teamRun(db).get({ runId, teamId });
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

const LIST_FILTERS = ['connection', 'integration', 'kind', 'status', 'cursor'] as const;

/** One compiled query per combination of filters present; `shape` lists them, e.g. "connection,cursor". */
const runPage = preparedPerShape((db, shape) => {
  const present = new Set(shape.split(','));
  const placeholder = (name: string) => sql.placeholder(name);
  const filters: SQL[] = [eq(jobRuns.teamId, placeholder('teamId'))];
  if (present.has('connection')) filters.push(eq(jobRuns.connectionId, placeholder('connection')));
  if (present.has('integration')) filters.push(eq(jobRuns.integrationId, placeholder('integration')));
  if (present.has('kind')) filters.push(eq(jobRuns.kind, placeholder('kind')));
  if (present.has('status')) filters.push(eq(jobRuns.status, placeholder('status')));
  if (present.has('cursor')) {
    const older = or(
      lt(jobRuns.queuedAt, placeholder('afterQueuedAt')),
      and(eq(jobRuns.queuedAt, placeholder('afterQueuedAt')), lt(jobRuns.id, placeholder('afterId'))),
    );
    if (older) filters.push(older);
  }
  return db
    .select()
    .from(jobRuns)
    .where(and(...filters))
    .orderBy(desc(jobRuns.queuedAt), desc(jobRuns.id))
    .limit(placeholder('limit'))
    .prepare();
});

export function listRuns(db: OrgLinkDatabase, teamId: string, query: RunListQuery): RunList {
  const limit = query.limit ?? 25;
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const shape = LIST_FILTERS.filter((filter) => query[filter]).join(',');
  const rows = runPage(db, shape).all({
    teamId,
    connection: query.connection,
    integration: query.integration,
    kind: query.kind,
    status: query.status,
    afterQueuedAt: after?.queuedAt,
    afterId: after?.id,
    limit: limit + 1,
  });
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
