import { RunErrorCode } from '@orglink/shared';
import { eq, sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { connections } from '../db/schema.ts';
import { preparedPerDatabase } from '../domain/prepared-queries.ts';
import type { RunProgress } from './run-progress.ts';
import { RunAborted, RunFailure, RunHeld } from './write-types.ts';

const connectionState = preparedPerDatabase((db) =>
  db
    .select({ name: connections.name, status: connections.status, deletedAt: connections.deletedAt })
    .from(connections)
    .where(eq(connections.id, sql.placeholder('id')))
    .prepare(),
);

/**
 * The check every run makes between pages and batches, read fresh since an admin may act at any moment: an abort ends
 * the run, a deleted connection fails it, a paused or inactive one holds it (it resumes from its checkpoint).
 */
export function safePoint(app: FastifyInstance, progress: RunProgress): void {
  if (progress.abortRequested()) {
    throw new RunAborted('Aborted by an admin. Records written before the abort are kept.');
  }
  const connection = connectionState(app.db).get({ id: progress.run.connectionId });
  if (!connection || connection.deletedAt) {
    throw new RunFailure(RunErrorCode.JobNotRunnable, 'The connection of this run was deleted.');
  }
  if (connection.status !== 'active') {
    throw new RunHeld(`Waiting for "${connection.name}" (${connection.status}) to be active again.`);
  }
}
