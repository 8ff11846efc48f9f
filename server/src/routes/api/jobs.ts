import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { CreateJobRequest, ErrorBody, Job, JobErrorCode, JobList, JobListQuery, JobRun } from '@orglink/shared';
import { runDcJobNow } from '../../domain/dedupe/dc-service.ts';
import { findTeamJob, listJobs } from '../../domain/jobs/job-repository.ts';
import { createJob } from '../../domain/jobs/job-service.ts';
import { ApiError } from '../../http-errors.ts';
import { callerOf } from '../../plugins/auth.ts';

const JobParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * Job definitions and their state: whether each runs on its schedule (active), waits for its connection (holding) or
 * was disabled. POST /api/dc/jobs is the full way to define a Duplicate Check (it checks the scenarios' fields).
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
          'The built-in scenario of the object applies unless config.scenarioIds names others. A job on a connection that becomes inactive moves to holding and back when it is re-authorized. POST /api/dc/jobs does the same and also checks every compared field against the org.',
        body: CreateJobRequest,
        response: { 201: Job, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(createJob(app, callerOf(request), request.body)),
  );

  app.post(
    '/jobs/:id/run',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['jobs'],
        summary: 'Run a Duplicate Check job now.',
        params: JobParams,
        response: { 201: JobRun, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(runDcJobNow(app, callerOf(request), request.params.id)),
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
