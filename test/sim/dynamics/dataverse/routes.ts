import { randomUUID } from 'node:crypto';
import type { SimClock } from '../../common/clock.ts';
import type { EntraService } from '../entra/service.ts';
import type { RequestKind } from '../faults.ts';
import type { SimRequest, SimResponse } from '../http.ts';
import { CLOUDS } from '../topology.ts';
import { environmentAudiences, unauthorized, verifyBearer } from './auth.ts';
import { executeBatch } from './batch.ts';
import type { DataverseEnvironment } from './environment.ts';
import { DataverseError, dataverseErrors } from './errors.ts';
import { parsePrefer } from './prefer.ts';
import { odataError } from './response.ts';
import type { ServiceProtection } from './service-protection.ts';
import { executeApiRequest } from './webapi.ts';

const API_ROOT = /^\/api\/data\/(v\d+\.\d+)(\/.*)?$/i;

export function isApiPath(path: string): boolean {
  return API_ROOT.test(path);
}

/** The counter kind of a request to an environment host. */
export function environmentRequestKind(request: SimRequest): RequestKind {
  const match = API_ROOT.exec(request.path);
  if (!match) return 'page';
  const rest = match[2] ?? '';
  if (/^\/\$batch$/i.test(rest)) return 'batch';
  if (/^\/WhoAmI(\(\))?$/.test(rest)) return 'whoami';
  return request.method === 'GET' || request.method === 'HEAD' ? 'webapi-read' : 'webapi-write';
}

export interface WebApiContext {
  entra: EntraService;
  clock: SimClock;
  protection: ServiceProtection;
  takeUnauthorized: (environment: string) => boolean;
  count: (kind: RequestKind) => void;
}

const EXPOSED_HEADERS =
  'OData-EntityId, OData-Version, Preference-Applied, ETag, Location, Retry-After, REQ_ID, WWW-Authenticate, x-ms-ratelimit-burst-remaining-xrm-requests';

/** Dataverse answers cross-origin calls from single-page apps (CORS) on the Web API. */
function withCors(request: SimRequest, response: SimResponse): SimResponse {
  const origin = request.headers.origin;
  if (!origin) return response;
  return {
    ...response,
    headers: {
      ...response.headers,
      'access-control-allow-origin': origin,
      'access-control-expose-headers': EXPOSED_HEADERS,
    },
  };
}

/**
 * A Web API request to one environment: bearer token (aud = the environment, tid = its tenant), membership (403
 * otherwise), service protection, then the request itself or `$batch`. Latency faults are served while the request
 * holds its concurrency slot, so concurrent slow requests can trip the concurrency limit as they would for real.
 */
export async function handleWebApi(
  request: SimRequest,
  environment: DataverseEnvironment,
  context: WebApiContext,
  latencyMs: number,
): Promise<SimResponse> {
  const match = API_ROOT.exec(request.path);
  if (!match) throw new Error('not a Web API path');
  if (request.method === 'OPTIONS') {
    return withCors(request, {
      status: 200,
      headers: {
        'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS',
        'access-control-allow-headers': request.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '3600',
      },
      body: '',
    });
  }
  const info = environment.info;
  const preferences = parsePrefer(request.headers.prefer);
  const annotate = (preferences.includeAnnotations ?? []).length > 0;
  if (context.takeUnauthorized(info.name)) return withCors(request, unauthorized(info, 'expired'));
  const auth = verifyBearer(
    request.headers.authorization,
    environmentAudiences(info),
    info.tenantId,
    CLOUDS[info.cloud].authority.key,
    context.entra,
    context.clock,
  );
  if (!auth.ok) return withCors(request, unauthorized(info, auth.reason));
  const systemUserId = environment.systemUserId(auth.caller.oid);
  if (!environment.isMember(auth.caller.oid) || !systemUserId) {
    return withCors(request, odataError(dataverseErrors.notMember(), annotate));
  }
  const admission = context.protection.admit(`${info.name}:${auth.caller.oid}`);
  if ('error' in admission) return withCors(request, odataError(admission.error, annotate));
  try {
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const version = match[1] ?? 'v9.2';
    const rootPath = `/api/data/${version}/`;
    const apiContext = {
      environment,
      caller: { systemUserId },
      serviceRoot: `${request.base}${rootPath}`,
      base: request.base,
      rootPath,
    };
    const rest = (match[2] ?? '').replace(/^\//, '');
    let response: SimResponse;
    try {
      if (rest === '$batch') {
        if (request.method !== 'POST') throw dataverseErrors.methodNotAllowed(request.method);
        response = executeBatch(apiContext, request.body, request.headers, context.count);
      } else {
        response = executeApiRequest(apiContext, {
          method: request.method,
          path: rest,
          rawQuery: request.rawQuery,
          query: request.query,
          headers: request.headers,
          body: request.body,
        });
      }
    } catch (error) {
      if (!(error instanceof DataverseError)) throw error;
      response = odataError(error, annotate);
    }
    response.headers = {
      req_id: randomUUID(),
      'x-ms-service-request-id': randomUUID(),
      'x-ms-ratelimit-burst-remaining-xrm-requests': String(admission.remaining),
      ...response.headers,
    };
    return withCors(request, response);
  } finally {
    admission.release();
  }
}
