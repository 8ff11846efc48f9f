import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import {
  Connection,
  ConnectionList,
  ConnectionListQuery,
  ConnectionLookupQuery,
  ConnectionLookupResponse,
  CreateConnectionRequest,
  CreateConnectionResponse,
  ErrorBody,
  UpdateConnectionRequest,
} from '@orglink/shared';
import { startAuthorization } from '../../domain/connections/authorization-service.ts';
import {
  listConnections,
  loadConnection,
  lookupConnectionForOrg,
} from '../../domain/connections/connection-repository.ts';
import {
  createConnection,
  deleteConnection,
  requireConnection,
  updateConnection,
} from '../../domain/connections/connection-service.ts';
import { callerOf } from '../../plugins/auth.ts';
import { classicConnectionRoutes } from './connections-classic.ts';

export const ConnectionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export function present(app: { db: Parameters<typeof loadConnection>[0] }, id: string): Connection {
  const connection = loadConnection(app.db, id);
  if (!connection) throw new Error(`connection ${id} vanished`);
  return connection;
}

/** The connections of the caller's team (DESIGN.md section 5). Reads need any role; changes need admin or owner. */
export const connectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(classicConnectionRoutes);

  app.get(
    '/connections',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['connections'],
        summary: "Your team's connections; ?includeDeleted=true adds deleted ones (their history stays).",
        querystring: ConnectionListQuery,
        response: { 200: ConnectionList, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => ({
      connections: listConnections(app.db, callerOf(request).teamId, request.query.includeDeleted ?? false),
    }),
  );

  app.post(
    '/connections',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'Create a connection (pending) and start its sign-in: open loginUrl in a popup window.',
        description:
          'Salesforce: environment production or sandbox, optional loginHost (My Domain). Dynamics 365: environment public, gcc, gcc-high, dod or china. The login URL leads to the CRM sign-in, then to the Data Processing Agreement; nothing but the pending connection is stored until it is accepted.',
        body: CreateConnectionRequest,
        response: {
          201: CreateConnectionResponse,
          400: ErrorBody,
          401: ErrorBody,
          403: ErrorBody,
          409: ErrorBody,
          503: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const row = await createConnection(app, caller, request.body);
      const { loginUrl } = await startAuthorization(app, app.authorizationFlows, caller, row);
      return reply.status(201).send({ connection: present(app, row.id), loginUrl });
    },
  );

  app.get(
    '/connections/lookup',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['connections'],
        summary: "Your team's connection to the org a CRM page belongs to (for the in-page badge), or null.",
        querystring: ConnectionLookupQuery,
        response: { 200: ConnectionLookupResponse, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => ({
      connection: lookupConnectionForOrg(app.db, callerOf(request).teamId, request.query.orgId) ?? null,
    }),
  );

  app.get(
    '/connections/:id',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['connections'],
        summary: 'One connection: type, Org ID or environment ID, instance URL, created by and at, status.',
        params: ConnectionParams,
        response: { 200: Connection, 401: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => present(app, requireConnection(app, callerOf(request), request.params.id).id),
  );

  app.patch(
    '/connections/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'Edit name, description, auto-run Duplicate Check, or link a sandbox to the production connection.',
        description:
          'linkedProductionId links a Salesforce sandbox connection to a Salesforce production connection of the team (null unlinks); linking copies the production settings (auto-run Duplicate Check) to the sandbox.',
        params: ConnectionParams,
        body: UpdateConnectionRequest,
        response: { 200: Connection, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => present(app, updateConnection(app, callerOf(request), request.params.id, request.body).id),
  );

  app.delete(
    '/connections/:id',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'Delete a connection: its tokens are discarded and its jobs disabled; job history stays.',
        params: ConnectionParams,
        response: { 204: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      await deleteConnection(app, caller, request.params.id);
      app.connectionClients.forget(request.params.id);
      return reply.status(204).send(null);
    },
  );
};
