import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { SimClock } from '../common/clock.ts';
import type { Origins } from '../common/origins.ts';
import type { DynamicsControl } from './control.ts';
import { handleControl } from './control-routes.ts';
import type { DataverseEnvironment } from './dataverse/environment.ts';
import { dataverseErrors } from './dataverse/errors.ts';
import { odataError } from './dataverse/response.ts';
import { environmentRequestKind, handleWebApi, isApiPath } from './dataverse/routes.ts';
import type { ServiceProtection } from './dataverse/service-protection.ts';
import { handleDiscovery } from './discovery/routes.ts';
import { entraErrorResponse, entraErrors } from './entra/errors.ts';
import { entraRequestKind, handleEntra } from './entra/routes.ts';
import type { EntraService } from './entra/service.ts';
import type { Faults, RequestKind } from './faults.ts';
import { parseForm, type SimRequest, type SimResponse } from './http.ts';
import { handlePage, type PageSessions } from './pages/routes.ts';
import { AUTHORITIES, CLOUDS, type Topology } from './topology.ts';

export interface AppParts {
  origins: Origins;
  topology: Topology;
  clock: SimClock;
  entra: EntraService;
  faults: Faults;
  protection: ServiceProtection;
  sessions: PageSessions;
  environments: Map<string, DataverseEnvironment>;
  control: DynamicsControl;
  describe: () => unknown;
}

function toSimRequest(request: FastifyRequest, origins: Origins, originKey: string): SimRequest {
  const url = request.url;
  const mark = url.indexOf('?');
  const rawQuery = mark >= 0 ? url.slice(mark + 1) : '';
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    // HEAD is answered as GET; Node leaves the body out.
    method: request.method.toUpperCase() === 'HEAD' ? 'GET' : request.method.toUpperCase(),
    path: mark >= 0 ? url.slice(0, mark) : url,
    query: new URLSearchParams(rawQuery),
    rawQuery,
    headers,
    body: typeof request.body === 'string' ? request.body : '',
    base: origins.urlFor(request, originKey),
    originKey,
  };
}

function send(reply: FastifyReply, response: SimResponse): FastifyReply {
  reply.code(response.status);
  for (const [name, value] of Object.entries(response.headers)) reply.header(name, value);
  // A Buffer, because Fastify rewrites the content type of string payloads (quoting `odata.metadata="minimal"`).
  if (!response.body) return reply.send();
  return reply.send(Buffer.from(response.body, 'utf8'));
}

/**
 * One Fastify app for every origin of the simulator. Requests are told apart by origin (port or host name), counted
 * by kind, given the configured faults, and then handed to the Entra, Global Discovery or environment handlers.
 */
export function buildApp(parts: AppParts): FastifyInstance {
  const app = Fastify({ bodyLimit: 64 * 1024 * 1024, routerOptions: { maxParamLength: 65536 } });
  // Bodies stay raw text: the handlers parse forms, JSON and multipart themselves and answer parse errors the way
  // the real services do.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const environmentByKey = new Map(
    [...parts.environments.values()].map((environment) => [environment.info.key, environment]),
  );
  const authorityByKey = new Map(AUTHORITIES.map((authority) => [authority.key, authority]));
  const cloudByDiscoveryKey = new Map(Object.values(CLOUDS).map((cloud) => [cloud.discoveryKey, cloud]));

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const key = parts.origins.resolve(request);
    if (!key)
      return reply
        .code(404)
        .type('text/plain')
        .send(`Unknown host ${request.headers.host ?? ''}`);
    const simRequest = toSimRequest(request, parts.origins, key);
    if (simRequest.path === '/__sim' || simRequest.path.startsWith('/__sim/')) {
      return send(reply, handleControl(simRequest, parts.control, parts.describe));
    }
    const authority = authorityByKey.get(key);
    const discoveryCloud = cloudByDiscoveryKey.get(key);
    const environment = environmentByKey.get(key);
    let kind: RequestKind;
    if (authority) kind = entraRequestKind(simRequest);
    else if (discoveryCloud) kind = 'discovery';
    else kind = environmentRequestKind(simRequest);
    parts.faults.count(kind);
    if (kind === 'entra-token') parts.faults.count(`entra-token:${parseForm(simRequest.body).grant_type ?? 'none'}`);

    const faulted = parts.faults.applies(kind, environment?.info.name);
    const latency = faulted ? parts.faults.settings.latencyMs : 0;
    const outcome = faulted ? parts.faults.decide() : undefined;
    if (outcome) {
      if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
      const retryAfter = parts.faults.settings.retryAfterSeconds;
      if (authority) {
        const error = outcome === 'throttle' ? entraErrors.throttled(retryAfter) : entraErrors.unavailable();
        const response = entraErrorResponse(error, { nowMs: parts.clock.now(), authorityHost: authority.host });
        if (outcome === 'throttle') response.headers['retry-after'] = String(retryAfter);
        return send(reply, response);
      }
      const error =
        outcome === 'throttle' ? dataverseErrors.requestLimit(6000, 300, retryAfter) : dataverseErrors.unavailable();
      return send(reply, odataError(error, false));
    }

    if (environment && isApiPath(simRequest.path)) {
      const response = await handleWebApi(
        simRequest,
        environment,
        {
          entra: parts.entra,
          clock: parts.clock,
          protection: parts.protection,
          takeUnauthorized: (name) => parts.faults.takeUnauthorized(name),
          count: (inner) => parts.faults.count(inner),
        },
        latency,
      );
      return send(reply, response);
    }
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    if (authority) return send(reply, handleEntra(simRequest, authority, parts.entra, parts.clock));
    if (discoveryCloud) {
      return send(
        reply,
        handleDiscovery(simRequest, discoveryCloud, {
          topology: parts.topology,
          entra: parts.entra,
          clock: parts.clock,
          environmentBase: (target) => {
            const base = parts.origins.urlFor(request, target.key);
            return { url: base, apiUrl: base.startsWith('https:') ? `https://${target.apiHost}` : base };
          },
        }),
      );
    }
    if (environment) {
      const authorityKey = CLOUDS[environment.info.cloud].authority.key;
      const page = handlePage(simRequest, environment, {
        entra: parts.entra,
        sessions: parts.sessions,
        entraBase: parts.origins.urlFor(request, authorityKey),
      });
      if (page) return send(reply, page);
    }
    return reply
      .code(404)
      .type('text/html; charset=utf-8')
      .send('<!DOCTYPE html><html><body><h1>404 - File or directory not found.</h1></body></html>');
  };

  app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'], url: '/*', handler });
  return app;
}
