import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/**
 * Where activity files live: uploads waiting to be used, a run's input, a query run's results, Bulk result files. Next
 * to the database, as they belong to its runs; a `:memory:` database (tests) gets a folder of its own under tmp.
 */
export function runFilesDir(app: FastifyInstance): string {
  const { databasePath } = app.config;
  const dir =
    databasePath === ':memory:'
      ? path.join(tmpdir(), `orglink-run-files-${process.pid}`)
      : path.join(path.dirname(databasePath), 'run-files');
  mkdirSync(path.join(dir, 'uploads'), { recursive: true });
  return dir;
}

/** Ids become file names: only what an id made by this server can contain. */
const SAFE_ID = /^[A-Za-z0-9_-]{1,80}$/;

export function runFile(
  app: FastifyInstance,
  runId: string,
  name: 'input' | 'results' | 'success' | 'failure',
): string {
  if (!SAFE_ID.test(runId)) throw new Error(`not a run id: ${runId}`);
  return path.join(runFilesDir(app), `${runId}.${name}.csv`);
}

export function uploadFile(app: FastifyInstance, uploadId: string): string | undefined {
  if (!SAFE_ID.test(uploadId)) return undefined;
  return path.join(runFilesDir(app), 'uploads', `${uploadId}.csv`);
}
