import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  CreateIntegrationRequest,
  ErrorBody,
  Integration,
  IntegrationErrorCode,
  IntegrationList,
  IntegrationListQuery,
  MappingOptions,
  RunIntegrationResponse,
  TargetObject,
  UpdateIntegrationRequest,
} from '@orglink/shared';
import { listIntegrations, loadIntegration } from '../../domain/integrations/integration-repository.ts';
import {
  createIntegration,
  mappingOptions,
  requireIntegration,
  runIntegration,
  unlinkIntegration,
  updateIntegration,
} from '../../domain/integrations/integration-service.ts';
import { ApiError } from '../../http-errors.ts';
import { callerOf } from '../../plugins/auth.ts';

const IntegrationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const MappingOptionsQuery = Type.Object({ target: Type.Optional(TargetObject) }, { additionalProperties: false });

/** Catalog accounts linked to connections (DESIGN.md section 5). Reads need any role; changes admin or owner. */
export const integrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/integrations',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['integrations'],
        summary: "Your team's integrations; ?connection=<id> for one connection's, ?includeUnlinked=true for history.",
        querystring: IntegrationListQuery,
        response: { 200: IntegrationList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => ({
      integrations: listIntegrations(app.db, callerOf(request).teamId, {
        connectionId: request.query.connection,
        includeUnlinked: request.query.includeUnlinked ?? false,
      }),
    }),
  );

  app.post(
    '/integrations',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Link a Catalog account to a connection: token checked, field map checked against describe.',
        description:
          'Defaults: target Contact, match key External ID (LMS_User_Id__c; Dynamics lms_userid), First Name, Last Name and Email mapped (Lead: Company = the account name), schedule daily at 00:00 UTC. Nothing is stored unless every check passes.',
        body: CreateIntegrationRequest,
        response: {
          201: Integration,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => reply.status(201).send(await createIntegration(app, callerOf(request), request.body)),
  );

  app.get(
    '/integrations/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['integrations'],
        summary: 'One integration, with its link state and last run.',
        params: IntegrationParams,
        response: { 200: Integration, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const row = requireIntegration(app, callerOf(request), request.params.id);
      const integration = loadIntegration(app.db, row.id);
      if (!integration) throw new ApiError(404, IntegrationErrorCode.NotFound, 'There is no such integration.');
      return integration;
    },
  );

  app.patch(
    '/integrations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Edit the field map, target, match key, schedule (cron in UTC, null = off) or Catalog token.',
        params: IntegrationParams,
        body: UpdateIntegrationRequest,
        response: {
          200: Integration,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request) => updateIntegration(app, callerOf(request), request.params.id, request.body),
  );

  app.delete(
    '/integrations/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Unlink: the write job stops; the integration and its run history stay.',
        params: IntegrationParams,
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      unlinkIntegration(app, callerOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/integrations/:id/mapping-options',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['integrations'],
        summary: 'Writable CRM fields, Catalog fields (custom ones too), mandatory fields and the default map.',
        params: IntegrationParams,
        querystring: MappingOptionsQuery,
        response: {
          200: MappingOptions,
          400: ErrorBody,
          401: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          422: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request) => mappingOptions(app, callerOf(request), request.params.id, request.query.target),
  );

  app.post(
    '/integrations/:id/run',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Run Write Job now.',
        description:
          'Refused (409, with the reason) while a run of this integration is queued, running or holding, while its connection is paused or inactive, and once it is unlinked.',
        params: IntegrationParams,
        response: {
          202: RunIntegrationResponse,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) =>
      reply.status(202).send({ run: await runIntegration(app, app.runner, callerOf(request), request.params.id) }),
  );
};
