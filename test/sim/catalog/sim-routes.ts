import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  type CatalogAccount,
  CatalogRequestError,
  type NewUserInput,
  type SalesforceIntegrationState,
  type UserChanges,
} from './account.ts';
import { type CatalogRouteContext, errorBody } from './api-routes.ts';
import type { FaultSettings } from './faults.ts';
import { integerParam, isPlainObject } from './request-values.ts';
import { userResource } from './resources.ts';

/** A summary of one account for the sandbox index and `/__sim/account`. */
export function accountSummary(account: CatalogAccount, baseUrl: string) {
  return {
    key: account.key,
    subdomain: account.subdomain,
    name: account.name,
    hostname: account.hostname,
    baseUrl,
    httpsUrl: `https://${account.hostname}`,
    apiBaseUrl: `${baseUrl}/api/v1`,
    apiDocsUrl: `${baseUrl}/api/docs`,
    apiTokens: [...account.apiTokens],
    authorizationHeader: account.apiTokens[0] ? `Token token="${account.apiTokens[0]}"` : null,
    admin: {
      loginUrl: `${baseUrl}/login`,
      adminUrl: `${baseUrl}/admin`,
      integrationsUrl: `${baseUrl}/admin/integrations`,
      username: account.admin.email,
      password: account.admin.password,
      sessionCookie: '_gallery_session',
    },
    rootAccountId: account.rootAccountId,
    catalogs: account.catalogs.map((catalog) => ({ id: catalog.id, name: catalog.name, parent_id: catalog.parent_id })),
    userCount: account.userCount,
    seededDuplicateCount: account.seededDuplicates().length,
    simControlsUrl: `${baseUrl}/__sim`,
  };
}

function json(request: FastifyRequest): Record<string, unknown> {
  return isPlainObject(request.body) ? request.body : {};
}

function userId(request: FastifyRequest): number {
  const id = integerParam((request.params as { id?: string }).id);
  if (id === undefined) throw new CatalogRequestError(404, 'no such user');
  return id;
}

/**
 * Test controls under `/__sim/` on every account origin (each controls its own account). Not part of Catalog;
 * JSON in, JSON out, no authentication, loopback only.
 */
export function registerSimRoutes(app: FastifyInstance, context: CatalogRouteContext) {
  app.register(
    async (sim) => {
      const current = (request: FastifyRequest): CatalogAccount => {
        const found = context.accountFor(request);
        if (!found) throw new CatalogRequestError(404, 'no Catalog account at this origin');
        return found;
      };

      sim.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
        const status =
          error instanceof CatalogRequestError
            ? error.statusCode
            : error instanceof RangeError
              ? 400
              : (error.statusCode ?? 500);
        return reply.code(status).send(errorBody(error.message));
      });

      sim.get('/account', async (request) => {
        const account = current(request);
        return {
          ...accountSummary(account, context.origins.urlFor(request, account.key)),
          faults: account.faults.settings,
          integration: account.integration,
        };
      });

      sim.post('/reset', async (request) => {
        const account = current(request);
        account.reset();
        return { reset: true, userCount: account.userCount };
      });

      sim.post('/users', async (request, reply) => {
        const user = current(request).addUser(json(request) as unknown as NewUserInput);
        return reply.code(201).send({ user: userResource(user) });
      });

      sim.patch('/users/:id', async (request) => {
        const user = current(request).updateUser(userId(request), json(request) as UserChanges);
        return { user: userResource(user) };
      });

      sim.delete('/users/:id', async (request, reply) => {
        current(request).deleteUser(userId(request));
        return reply.code(204).send();
      });

      sim.get('/duplicates', async (request) => {
        const account = current(request);
        return { duplicates: account.seededDuplicates(), pairs: account.truePairs() };
      });

      sim.get('/calls', async (request) => current(request).calls());
      sim.delete('/calls', async (request, reply) => {
        current(request).resetCalls();
        return reply.code(204).send();
      });

      sim.get('/faults', async (request) => current(request).faults.settings);
      sim.put('/faults', async (request) => current(request).faults.set(json(request) as Partial<FaultSettings>));
      sim.delete('/faults', async (request, reply) => {
        current(request).faults.clear();
        return reply.code(204).send();
      });

      sim.post('/tokens', async (request, reply) => reply.code(201).send({ token: current(request).createToken() }));
      sim.delete('/tokens/:token', async (request, reply) => {
        const revoked = current(request).revokeToken((request.params as { token: string }).token);
        return reply.code(revoked ? 204 : 404).send();
      });

      sim.get('/integrations/salesforce', async (request) => current(request).integration);
      sim.put('/integrations/salesforce', async (request) =>
        current(request).setIntegration(json(request) as Partial<SalesforceIntegrationState>),
      );
    },
    { prefix: '/__sim' },
  );
}
