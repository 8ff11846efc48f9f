import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  CreateDcJobRequest,
  CreateDcJobResponse,
  CreateScenarioRequest,
  DcGroupList,
  DcGroupsQuery,
  DcPair,
  DcRecordMatches,
  DcRecordMatchesQuery,
  ErrorBody,
  Scenario,
  ScenarioList,
  ScenarioListQuery,
  UpdateScenarioRequest,
} from '@orglink/shared';
import { createDcJob, listGroups, recordMatches, setPairDismissed } from '../../domain/dedupe/dc-service.ts';
import {
  createScenario,
  deleteScenario,
  findScenario,
  listScenarios,
  updateScenario,
} from '../../domain/dedupe/scenario-service.ts';
import { callerOf } from '../../plugins/auth.ts';

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) });
const RecordParams = Type.Object({
  recordId: Type.String({ pattern: '^[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?$', description: 'A Salesforce record Id.' }),
});

/** Duplicate Check: scenarios, jobs, a run's groups, dismissing pairs, and a record's matches for the badge. */
export const dcRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/dc/scenarios',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['duplicate-check'],
        summary: "The built-in scenarios and your team's own; ?object= for one object's.",
        querystring: ScenarioListQuery,
        response: { 200: ScenarioList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => ({ scenarios: listScenarios(app.db, callerOf(request).teamId, request.query.object) }),
  );

  app.get(
    '/dc/scenarios/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['duplicate-check'],
        summary: 'One scenario.',
        params: IdParams,
        response: { 200: Scenario, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => findScenario(app.db, callerOf(request).teamId, request.params.id),
  );

  app.post(
    '/dc/scenarios',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['duplicate-check'],
        summary: 'Create a scenario: fields, each with a matching method and a weight, and a threshold (default 75).',
        description:
          'Two records are duplicates when the weighted average of their field scores (over the fields both have, which must carry at least half the weight) reaches the threshold.',
        body: CreateScenarioRequest,
        response: { 201: Scenario, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      return reply.status(201).send(createScenario(app.db, caller, request.body));
    },
  );

  app.patch(
    '/dc/scenarios/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['duplicate-check'],
        summary: "Change one of your team's scenarios (built-in ones are read-only).",
        params: IdParams,
        body: UpdateScenarioRequest,
        response: { 200: Scenario, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => updateScenario(app.db, callerOf(request).teamId, request.params.id, request.body),
  );

  app.delete(
    '/dc/scenarios/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['duplicate-check'],
        summary: 'Delete one of your scenarios (refused while a job applies it).',
        params: IdParams,
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      deleteScenario(app.db, callerOf(request).teamId, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/dc/jobs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['duplicate-check'],
        summary: 'Run a Duplicate Check on a Salesforce connection now, or define it on a schedule (cron, UTC).',
        description:
          'Scheduled runs start by themselves only when the connection\'s "Auto-run Duplicate Check jobs" is on; otherwise each waits in Holding until an admin starts it (POST /api/runs/:id/start).',
        body: CreateDcJobRequest,
        response: {
          201: CreateDcJobResponse,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await createDcJob(app, callerOf(request), request.body)),
  );

  app.get(
    '/dc/runs/:id/groups',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['duplicate-check'],
        summary: "A Duplicate Check run's groups, highest score first, with records and explained pairs.",
        params: IdParams,
        querystring: DcGroupsQuery,
        response: { 200: DcGroupList, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) =>
      listGroups(app, callerOf(request).teamId, request.params.id, request.query.cursor, request.query.limit),
  );

  for (const [action, dismissed] of [
    ['dismiss', true],
    ['restore', false],
  ] as const) {
    app.post(
      `/dc/pairs/:id/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          tags: ['duplicate-check'],
          summary:
            action === 'dismiss'
              ? 'Not a duplicate: hide the pair and keep it out of every later run on this org.'
              : 'Undo a dismissal: later runs may find the pair again.',
          params: IdParams,
          response: { 200: DcPair, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
        },
      },
      async (request) => setPairDismissed(app, callerOf(request), request.params.id, dismissed),
    );
  }

  app.get(
    '/dc/records/:recordId/matches',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['duplicate-check'],
        summary: "A Salesforce record's possible duplicates from the connection's latest Duplicate Check.",
        params: RecordParams,
        querystring: DcRecordMatchesQuery,
        response: { 200: DcRecordMatches, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => recordMatches(app, callerOf(request).teamId, request.query.connection, request.params.recordId),
  );
};
