import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuthorizeResponse, Connection, ConnectionErrorCode, ConnectionTestResult, ErrorBody } from '@orglink/shared';
import { startAuthorization } from '../../domain/connections/authorization-service.ts';
import {
  activateConnection,
  confirmOrgChange,
  pauseConnection,
  requireLiveConnection,
} from '../../domain/connections/connection-service.ts';
import { testConnection } from '../../domain/connections/connection-test.ts';
import { ApiError } from '../../http-errors.ts';
import { callerOf } from '../../plugins/auth.ts';
import { ConnectionParams, present } from './connections.ts';

const changeResponses = { 200: Connection, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** The connection's actions: pause, activate, test, (re-)authorize, and confirming a refreshed sandbox's new Org ID. */
export const connectionActionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/connections/:id/pause',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'Pause an active connection: no runs start; jobs and history stay.',
        params: ConnectionParams,
        response: changeResponses,
      },
    },
    async (request) => present(app, pauseConnection(app, callerOf(request), request.params.id).id),
  );

  app.post(
    '/connections/:id/activate',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'Activate a paused connection. An inactive one needs Re-authorize instead.',
        params: ConnectionParams,
        response: changeResponses,
      },
    },
    async (request) => present(app, activateConnection(app, callerOf(request), request.params.id).id),
  );

  app.post(
    '/connections/:id/test',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'Call the identity URL (Salesforce) or WhoAmI (Dynamics) with the stored tokens; reports the latency.',
        description:
          'ok is false when the CRM could not be reached or refused the tokens; a refusal marks the connection inactive and its scheduled jobs Holding.',
        params: ConnectionParams,
        response: {
          200: ConnectionTestResult,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request) => testConnection(app, app.connectionClients, callerOf(request), request.params.id),
  );

  app.post(
    '/connections/:id/authorize',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'A fresh sign-in link (also to re-authorize an inactive connection): open loginUrl in a popup window.',
        params: ConnectionParams,
        response: {
          200: AuthorizeResponse,
          401: ErrorBody,
          403: ErrorBody,
          404: ErrorBody,
          409: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const row = requireLiveConnection(app, caller, request.params.id);
      if (row.authMethod !== 'oauth') {
        throw new ApiError(
          409,
          ConnectionErrorCode.AuthMethodMismatch,
          `"${row.name}" logs in with ${row.authMethod === 'password' ? 'a password' : 'client credentials'}, not in the browser. Edit its login instead.`,
        );
      }
      return startAuthorization(app, app.authorizationFlows, caller, row);
    },
  );

  app.post(
    '/connections/:id/confirm-org-change',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: "Confirm a refreshed sandbox's new Org ID: the connection is re-pointed to it and becomes active.",
        params: ConnectionParams,
        response: changeResponses,
      },
    },
    async (request) => {
      const row = confirmOrgChange(app, callerOf(request), request.params.id);
      app.connectionClients.forget(row.id);
      return present(app, row.id);
    },
  );
};
