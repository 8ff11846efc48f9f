import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ActivityErrorCode,
  ActivityRequest,
  ActivityRun,
  ActivityUpload,
  ErrorBody,
  QueryCount,
  QueryCountRequest,
} from '@orglink/shared';
import { countQuery, startActivity } from '../../domain/activities/activity-service.ts';
import { saveUpload } from '../../domain/activities/activity-uploads.ts';
import { requireTeamConnection } from '../../domain/integrations/connection-access.ts';
import { ApiError } from '../../http-errors.ts';
import { callerOf } from '../../plugins/auth.ts';
import { ConnectionParams } from './connections.ts';

const refusals = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody };

/** Connector activities (DESIGN.md section 5): run one of the 11, upload a CSV for it, preview a query's count. */
export const activityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // A CSV upload is handed over as the request stream: it is written to disk as it arrives, never buffered whole.
  app.addContentTypeParser(['text/csv', 'application/octet-stream'], (_request, payload, done) => done(null, payload));

  app.post(
    '/connections/:id/activities',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['activities'],
        summary:
          'Run an activity (Query, Insert, Update, Upsert, Delete, Bulk Query / Insert / Update / Upsert / Delete / Hard Delete). Checked against describe (and Salesforce, for SOQL) before anything is written; it becomes a run in the job history.',
        params: ConnectionParams,
        body: ActivityRequest,
        response: { 202: ActivityRun, ...refusals, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const started = await startActivity(app, callerOf(request), request.params.id, request.body);
      return reply.code(202).send(started);
    },
  );

  app.post(
    '/connections/:id/activities/uploads',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['activities'],
        summary: 'Upload the CSV an activity reads (body: the file, text/csv; at most 150 MB). Returns its columns.',
        params: ConnectionParams,
        response: { 201: ActivityUpload, ...refusals, 413: ErrorBody, 415: ErrorBody },
      },
    },
    async (request, reply) => {
      const { teamId } = callerOf(request);
      const connection = requireTeamConnection(app.db, teamId, request.params.id);
      if (typeof (request.body as Readable | undefined)?.pipe !== 'function') {
        // Another content type was parsed (JSON, say) or there was no body: say what this route reads.
        throw new ApiError(
          415,
          ActivityErrorCode.UploadInvalid,
          'Send the CSV file itself as the request body, with Content-Type: text/csv.',
        );
      }
      const length = request.headers['content-length'];
      const upload = await saveUpload(
        app,
        { teamId, connectionId: connection.id },
        request.body as Readable,
        length === undefined ? undefined : Number(length),
      );
      return reply.code(201).send(upload);
    },
  );

  app.post(
    '/connections/:id/activities/count',
    {
      // Admins only, like running a query: counts of chosen conditions would read any field's values a letter at a time.
      config: { access: 'admin' },
      schema: {
        tags: ['activities'],
        summary: 'How many records a query (SOQL or builder) would return, counted by Salesforce (SELECT COUNT()).',
        params: ConnectionParams,
        body: QueryCountRequest,
        response: { 200: QueryCount, ...refusals },
      },
    },
    async (request) => countQuery(app, callerOf(request), request.params.id, request.body),
  );
};
