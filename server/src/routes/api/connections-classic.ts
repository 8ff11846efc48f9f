import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ClassicLoginDetails,
  Connection,
  CreateClassicConnectionRequest,
  ErrorBody,
  TestClassicLoginRequest,
  TestClassicLoginResponse,
  UpdateClassicLoginRequest,
} from '@orglink/shared';
import {
  classicLoginDetails,
  createClassicConnection,
  testClassicLogin,
  updateClassicLogin,
} from '../../domain/connections/classic-connections.ts';
import { callerOf } from '../../plugins/auth.ts';
import { ConnectionParams, present } from './connections.ts';

const loginErrors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
  422: ErrorBody,
  502: ErrorBody,
  503: ErrorBody,
};

/**
 * Classic Salesforce connections: username + password + security token, and OAuth client credentials. A sibling of
 * POST /connections rather than a variant of it: these log in at once and answer with an active connection, while
 * POST /connections answers with a browser login URL and a pending one.
 */
export const classicConnectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/connections/classic',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'Create a Salesforce connection that logs in with a password or with client credentials.',
        description:
          "authMethod password: loginHost (default https://login.salesforce.com; sandbox: true means https://test.salesforce.com; or a My Domain), username, password, securityToken. authMethod client-credentials: myDomain, consumerKey, consumerSecret. OrgLink logs in first: Salesforce's refusal is a 422 with its own message and nothing is stored. dpaAccepted must be true. The secrets are encrypted and never returned.",
        body: CreateClassicConnectionRequest,
        response: { 201: Connection, ...loginErrors },
      },
    },
    async (request, reply) => {
      const row = await createClassicConnection(app, callerOf(request), request.body);
      return reply.status(201).send(present(app, row.id));
    },
  );

  app.post(
    '/connections/classic/test',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: "Try a password or client-credentials login without storing anything (the form's Test button).",
        body: TestClassicLoginRequest,
        response: { 200: TestClassicLoginResponse, ...loginErrors },
      },
    },
    async (request) => testClassicLogin(app, request.body),
  );

  app.get(
    '/connections/:id/classic',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'The login of a password or client-credentials connection, for its edit form; never the secrets.',
        params: ConnectionParams,
        response: { 200: ClassicLoginDetails, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request) => classicLoginDetails(app, callerOf(request), request.params.id),
  );

  app.patch(
    '/connections/:id/classic',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['connections'],
        summary: 'Change the login of a password or client-credentials connection; OrgLink logs in before saving.',
        description:
          'A new loginHost (or sandbox) or username requires password and securityToken again; a new myDomain or consumerKey requires consumerSecret. Without them: 400 naming the missing fields, nothing changed. A working login makes an inactive connection active again.',
        params: ConnectionParams,
        body: UpdateClassicLoginRequest,
        response: { 200: Connection, ...loginErrors },
      },
    },
    async (request) => {
      const row = await updateClassicLogin(
        app,
        app.connectionClients,
        callerOf(request),
        request.params.id,
        request.body,
      );
      return present(app, row.id);
    },
  );
};
