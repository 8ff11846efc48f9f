import { Readable } from 'node:stream';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { ErrorBody, JobRun, RunList, RunListQuery } from '@orglink/shared';
import { findTeamRun, listRuns, runRecordsCsv } from '../../domain/runs/run-repository.ts';
import { runToApi } from '../../domain/runs/run-view.ts';
import { callerOf } from '../../plugins/auth.ts';

const RunParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) });

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
        // The schema documents the CSV for OpenAPI; the body itself is streamed, so large runs never sit in memory.
        return reply.send(Readable.from(runRecordsCsv(app.db, run.id, onlyFailed)) as unknown as string);
      },
    );
  }
};
