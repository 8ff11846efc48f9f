import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Origins } from '../common/origins.ts';
import { type CatalogAccount, CatalogRequestError, type NewUserInput, type UserFilter } from './account.ts';
import { linkHeader, pageOf, parsePaging } from './pagination.ts';
import { booleanParam, integerParam, isPlainObject, timestampParam } from './request-values.ts';
import { catalogResource, courseResource, enrollmentResource, userResource } from './resources.ts';
import { replyAccessDenied, tokenFromAuthorization } from './token-auth.ts';

export interface CatalogRouteContext {
  origins: Origins;
  /** The account whose origin `request` was sent to. */
  accountFor(request: FastifyRequest): CatalogAccount | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    catalogAccount?: CatalogAccount;
  }
}

type Query = Record<string, unknown>;

/** The JSON error body used for every API error that is not an auth, throttle or outage response (see README). */
export function errorBody(message: string) {
  return { errors: [{ message }] };
}

const NOT_FOUND = 'The specified resource does not exist.';

/** A 503 as a load balancer in front of the app serves it: an HTML page, not JSON. */
const UNAVAILABLE_PAGE =
  '<!DOCTYPE html>\n<html><head><title>503 Service Unavailable</title></head>' +
  '<body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request. ' +
  'Please try again later.</p></body></html>\n';

function endpointOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? '(no route)'}`;
}

function account(request: FastifyRequest): CatalogAccount {
  const found = request.catalogAccount;
  if (!found) throw new CatalogRequestError(404, NOT_FOUND);
  return found;
}

function idParam(request: FastifyRequest): number {
  const id = integerParam((request.params as { id?: string }).id);
  if (id === undefined) throw new CatalogRequestError(404, NOT_FOUND);
  return id;
}

/** Form and JSON bodies both arrive as objects; Rails also reads PUT/DELETE parameters from the query string. */
function bodyAndQuery(request: FastifyRequest): Record<string, unknown> {
  const body = isPlainObject(request.body) ? request.body : {};
  return { ...(request.query as Query), ...body };
}

function userFilter(query: Query): UserFilter {
  return {
    registeredInCatalog: booleanParam(query.registered_in_catalog),
    canvasUserId: integerParam(query.canvas_user_id),
    createdFrom: timestampParam('created_at_from', query.created_at_from),
    createdTo: timestampParam('created_at_to', query.created_at_to),
    updatedFrom: timestampParam('updated_at_from', query.updated_at_from),
    updatedTo: timestampParam('updated_at_to', query.updated_at_to),
  };
}

/** One page of `all` under the resource's root key, with the Link header pointing at the origin as it was reached. */
function paginated<T, R>(
  context: CatalogRouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  key: string,
  all: readonly T[],
  map: (item: T) => R,
) {
  const paging = parsePaging(request.query as Query);
  const page = pageOf(all, paging);
  const base = context.origins.urlFor(request, account(request).key);
  reply.header('link', linkHeader(base, request.url, paging, page.totalPages));
  return { [key]: page.items.map(map) };
}

/** `custom_fields` for PUT: an object (or its JSON text, as a form field) whose values are strings or null. */
function customFieldChanges(value: unknown): Record<string, string | null> | undefined {
  if (value === undefined) return undefined;
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new CatalogRequestError(400, 'custom_fields must be an object');
    }
  }
  if (!isPlainObject(parsed)) throw new CatalogRequestError(400, 'custom_fields must be an object');
  for (const [key, field] of Object.entries(parsed)) {
    if (field !== null && typeof field !== 'string') {
      throw new CatalogRequestError(400, `Custom field values must be strings or null (${key})`);
    }
  }
  return parsed as Record<string, string | null>;
}

function stringField(source: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = source[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

/** Registration parameters, flat or wrapped in `user`; see README for the accepted names. */
function registration(body: Record<string, unknown>): NewUserInput {
  const source = isPlainObject(body.user) ? body.user : body;
  const custom = customFieldChanges(source.custom_fields);
  if (custom && Object.values(custom).some((value) => value === null)) {
    throw new CatalogRequestError(400, 'Custom field values must be strings');
  }
  const accountId = integerParam(source.registered_account_id ?? source.subcatalog_id ?? source.account_id);
  const userName = stringField(source, 'user_name', 'full_name', 'name');
  return {
    first_name: stringField(source, 'first_name') ?? '',
    last_name: stringField(source, 'last_name') ?? '',
    email_address: stringField(source, 'email_address', 'email') ?? '',
    ...(userName !== undefined ? { user_name: userName } : {}),
    ...(accountId !== undefined ? { registered_account_id: accountId } : {}),
    ...(custom ? { custom_fields: custom as Record<string, string> } : {}),
  };
}

/** Catalog's public API v1 (developerdocs.instructure.com/services/catalog), one account per origin. */
export function registerApiRoutes(app: FastifyInstance, context: CatalogRouteContext) {
  app.register(
    async (api) => {
      api.addHook('onRequest', async (request, reply) => {
        const found = context.accountFor(request);
        if (found) request.catalogAccount = found;
        if (!found) return reply.code(404).send(errorBody(NOT_FOUND));
        const { latencyMs } = found.faults.settings;
        if (latencyMs > 0) await sleep(latencyMs);
        const fault = found.faults.next();
        if (fault?.kind === 'throttle') {
          return reply
            .code(429)
            .header('retry-after', String(fault.retryAfterSeconds))
            .type('text/plain; charset=utf-8')
            .send('Retry later\n');
        }
        if (fault?.kind === 'fail') return reply.code(503).type('text/html; charset=utf-8').send(UNAVAILABLE_PAGE);
        const token = tokenFromAuthorization(request.headers.authorization);
        if (!token || !found.hasToken(token)) return replyAccessDenied(reply);
      });

      // Counted just before sending, so a test that has its response also sees it counted.
      api.addHook('onSend', async (request, reply, payload) => {
        request.catalogAccount?.recordCall(endpointOf(request), reply.statusCode);
        return payload;
      });

      api.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
        const status = error instanceof CatalogRequestError ? error.statusCode : (error.statusCode ?? 500);
        const message = status >= 500 ? 'An error occurred.' : error.message;
        return reply.code(status).send(errorBody(message));
      });

      api.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody(NOT_FOUND)));

      api.get('/users', async (request, reply) => {
        const found = account(request);
        const all = found.findUsers(userFilter(request.query as Query));
        return paginated(context, request, reply, 'users', all, userResource);
      });

      api.post('/users', async (request, reply) => {
        const body = isPlainObject(request.body) ? request.body : {};
        const user = account(request).addUser(registration(body));
        return reply.code(201).send({ user: userResource(user) });
      });

      api.get('/users/:id', async (request) => {
        const user = account(request).user(idParam(request));
        if (!user) throw new CatalogRequestError(404, NOT_FOUND);
        return { user: userResource(user) };
      });

      api.put('/users/:id', async (request) => {
        const found = account(request);
        const id = idParam(request);
        const params = bodyAndQuery(request);
        const custom = customFieldChanges(params.custom_fields);
        const clearMerged = booleanParam(params.clear_merged_into_user_id) === true;
        const existing = found.user(id);
        if (!existing) throw new CatalogRequestError(404, NOT_FOUND);
        // A save without changes leaves updated_at alone, as ActiveRecord does.
        const changesMerge = clearMerged && existing.merged_into_user_id !== null;
        const changesFields =
          custom !== undefined &&
          Object.entries(custom).some(([key, value]) =>
            value === null ? key in existing.custom_fields : existing.custom_fields[key] !== value,
          );
        if (!changesMerge && !changesFields) return { user: userResource(existing) };
        const user = found.updateUser(id, {
          ...(changesMerge ? { merged_into_user_id: null } : {}),
          ...(changesFields ? { custom_fields: custom } : {}),
        });
        return { user: userResource(user) };
      });

      api.delete('/users/:id', async (request) => {
        const found = account(request);
        const id = idParam(request);
        if (booleanParam(bodyAndQuery(request).only_orders_and_enrollments) === true) {
          found.deleteOrdersAndEnrollments(id);
        } else {
          found.deleteUser(id);
        }
        return {};
      });

      api.get('/catalogs', async (request, reply) =>
        paginated(context, request, reply, 'catalogs', account(request).catalogs, catalogResource),
      );

      api.get('/courses', async (request, reply) => {
        const found = account(request);
        const base = context.origins.urlFor(request, found.key);
        const byId = new Map(found.catalogs.map((catalog) => [catalog.id, catalog]));
        return paginated(context, request, reply, 'courses', found.courses, (course) =>
          courseResource(course, byId.get(course.catalogId), base),
        );
      });

      api.get('/courses/:id', async (request) => {
        const found = account(request);
        const course = found.courses.find((candidate) => candidate.id === idParam(request));
        if (!course) throw new CatalogRequestError(404, NOT_FOUND);
        const catalog = found.catalogs.find((candidate) => candidate.id === course.catalogId);
        return { course: courseResource(course, catalog, context.origins.urlFor(request, found.key)) };
      });

      api.get('/enrollments', async (request, reply) => {
        const found = account(request);
        const listingId = integerParam((request.query as Query).listing_id);
        const all =
          listingId === undefined
            ? found.enrollments
            : found.enrollments.filter((enrollment) => enrollment.listing_id === listingId);
        return paginated(context, request, reply, 'enrollments', all, enrollmentResource);
      });

      api.get('/enrollments/:id', async (request) => {
        const id = idParam(request);
        const enrollment = account(request).enrollments.find((candidate) => candidate.id === id);
        if (!enrollment) throw new CatalogRequestError(404, NOT_FOUND);
        return { enrollment: enrollmentResource(enrollment) };
      });
    },
    { prefix: '/api/v1' },
  );
}
