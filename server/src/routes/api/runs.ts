import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  ActivityErrorCode,
  type DcRunSummary,
  ErrorBody,
  JobRun,
  ResultRows,
  ResultRowsQuery,
  RunList,
  RunListQuery,
} from '@orglink/shared';
import type { FastifyInstance } from 'fastify';
import { readResultPage } from '../../domain/activities/result-file.ts';
import { runFile } from '../../domain/activities/run-files.ts';
import { duplicateGroupsCsv } from '../../domain/dedupe/dc-repository.ts';
import { startAwaitingRun } from '../../domain/dedupe/dc-service.ts';
import { neutralisedCsvFile } from '../../domain/runs/run-csv.ts';
import { findTeamRun, listRuns, runRecordsCsv } from '../../domain/runs/run-repository.ts';
import { runToApi } from '../../domain/runs/run-view.ts';
import { ApiError } from '../../http-errors.ts';
import { callerOf } from '../../plugins/auth.ts';

const RunParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) });

/** The file an activity run's CSV download is: its query results, or Salesforce's Bulk success / failure file. */
function activityFileOf(app: FastifyInstance, runId: string, failures: boolean): string | undefined {
  const candidates = failures
    ? [runFile(app, runId, 'failure')]
    : [runFile(app, runId, 'results'), runFile(app, runId, 'success')];
  return candidates.find((file) => existsSync(file));
}

/** Job history, one run, abort, and every record's outcome as CSV. Viewers read; admins abort. */
export const runRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/runs',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: "Your team's runs, newest first, filtered by connection, integration, kind or status; cursor paging.",
        querystring: RunListQuery,
        response: { 200: RunList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => listRuns(app.db, callerOf(request).teamId, request.query),
  );

  app.get(
    '/runs/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: 'One run: status, counts, API calls, rate, error.',
        params: RunParams,
        response: { 200: JobRun, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => runToApi(findTeamRun(app.db, callerOf(request).teamId, request.params.id)),
  );

  app.post(
    '/runs/:id/abort',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['runs'],
        summary: 'Stop a run: a queued or holding run ends now, a running one at its next safe point.',
        params: RunParams,
        response: { 200: JobRun, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => {
      const { teamId } = callerOf(request);
      findTeamRun(app.db, teamId, request.params.id);
      return app.runner.abort(request.params.id, teamId);
    },
  );

  app.post(
    '/runs/:id/start',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['runs'],
        summary: 'Start a scheduled Duplicate Check that waits in Holding because auto-run is off for its connection.',
        params: RunParams,
        response: { 200: JobRun, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => startAwaitingRun(app, callerOf(request).teamId, request.params.id),
  );

  for (const [file, onlyFailed] of [
    ['results', false],
    ['errors', true],
  ] as const) {
    app.get(
      `/runs/:id/${file}.csv`,
      {
        config: { access: 'viewer' },
        schema: {
          tags: ['runs'],
          summary: onlyFailed
            ? "The run's failed records with the CRM's error code and message (CSV)."
            : "Every record's outcome in the run: created, updated, unchanged or failed, with the CRM id (CSV).",
          params: RunParams,
          produces: ['text/csv'],
          response: { 200: Type.String(), 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const run = findTeamRun(app.db, callerOf(request).teamId, request.params.id);
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${run.id}-${file}.csv"`);
        // Query results and Bulk activities' own result files are files; every other run's outcomes are rows.
        const kept = run.kind === 'activity' ? activityFileOf(app, run.id, onlyFailed) : undefined;
        // The schema documents the CSV for OpenAPI; the body itself is streamed, so large runs never sit in memory.
        // A Duplicate Check's results are its groups; it has no failed records, so its errors.csv is the header.
        const body = kept
          ? neutralisedCsvFile(kept)
          : run.kind === 'duplicate-check' && !onlyFailed
            ? duplicateGroupsCsv(app.db, run.id, run.summary as DcRunSummary | null)
            : runRecordsCsv(app.db, run.id, onlyFailed);
        return reply.send(Readable.from(body) as unknown as string);
      },
    );
  }

  app.get(
    '/runs/:id/rows',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['runs'],
        summary: "A page of a query run's results, by row number (for the results table).",
        params: RunParams,
        querystring: ResultRowsQuery,
        response: { 200: ResultRows, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const run = findTeamRun(app.db, callerOf(request).teamId, request.params.id);
      const page =
        run.kind === 'activity'
          ? await readResultPage(runFile(app, run.id, 'results'), request.query.from ?? 0, request.query.count ?? 100)
          : undefined;
      if (!page) {
        throw new ApiError(
          404,
          ActivityErrorCode.NoResults,
          'This run has no result rows: only Query and Bulk Query runs have them, once they have finished reading.',
        );
      }
      return page;
    },
  );
};
