import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { CreateJobRequest, ErrorBody, Job, JobErrorCode, JobList, JobListQuery } from '@orglink/shared';
import { findTeamJob, listJobs } from '../../domain/jobs/job-repository.ts';
import { createJob } from '../../domain/jobs/job-service.ts';
import { ApiError } from '../../http-errors.ts';
import { callerOf } from '../../plugins/auth.ts';

const JobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * Job definitions and their state. This version defines scheduled Duplicate Check jobs and shows whether each would
 * run (active), waits for its connection (holding) or was disabled; executing them arrives with the job runner.
 */
export const jobRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/jobs',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['jobs'],
        summary: "Your team's jobs; ?connection=<id> for one connection's.",
        querystring: JobListQuery,
        response: { 200: JobList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => ({ jobs: listJobs(app.db, callerOf(request).teamId, request.query.connection) }),
  );

  app.post(
    '/jobs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['jobs'],
        summary: 'Define a scheduled Duplicate Check job (cron in UTC) on an active connection.',
        description:
          'Only the definition is stored: executing jobs is not part of this version (the runner comes with the Duplicate Check feature). A job on a connection that becomes inactive moves to holding and back when it is re-authorized.',
        body: CreateJobRequest,
        response: { 201: Job, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(createJob(app, callerOf(request), request.body)),
  );

  app.get(
    '/jobs/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['jobs'],
        summary: 'One job and its state (active, holding with the reason, or disabled).',
        params: JobParams,
        response: { 200: Job, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const job = findTeamJob(app.db, callerOf(request).teamId, request.params.id);
      if (!job)
        throw new ApiError(404, JobErrorCode.NotFound, 'There is no such job in your team. Reload the job list.');
      return job;
    },
  );
};
