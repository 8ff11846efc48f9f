import type { DynamicsControl, SimSettings } from './control.ts';
import { DataverseError } from './dataverse/errors.ts';
import { odataError } from './dataverse/response.ts';
import type { FaultSettings } from './faults.ts';
import { jsonResponse, type SimRequest, type SimResponse } from './http.ts';

const ENDPOINTS = {
  'GET /__sim/': 'this index and the sandbox description',
  'POST /__sim/reset': 'back to the seeded state (rows, tokens, sessions, faults, counters, clock, settings)',
  'GET /__sim/counters':
    'requests by kind: entra-token (and entra-token:<grant_type>), entra-authorize, discovery, webapi-read, webapi-write, batch, whoami, page',
  'DELETE /__sim/counters': 'reset the counters',
  'GET /__sim/faults': 'current fault settings',
  'PUT /__sim/faults':
    'merge fault settings: latencyMs, unavailableShare, unavailableCount, throttleShare, throttleCount, retryAfterSeconds, kinds, environment',
  'DELETE /__sim/faults': 'no faults',
  'POST /__sim/faults/unauthorized-once': '{"environment":"contoso","times":1}: the next Web API request(s) get 401',
  'POST /__sim/revoke-refresh-tokens':
    '{"user":"admin@contoso.onmicrosoft.com"} or {"tenantId":…} or {}: refresh gives invalid_grant AADSTS50173',
  'POST /__sim/clock': '{"advanceSeconds":660}: move simulator time forward',
  'GET /__sim/settings': 'token lifetime, ApplicationRequired enforcement, service protection limits',
  'PUT /__sim/settings': 'merge settings',
  'GET /__sim/environments/<env>/<table>': 'all rows of a table (entity set or logical name)',
  'GET /__sim/environments/<env>/<table>/<id>': 'one row',
  'POST /__sim/environments/<env>/<table>': 'create a row (Web API body, same validation)',
  'PATCH /__sim/environments/<env>/<table>/<id>': 'update a row',
  'DELETE /__sim/environments/<env>/<table>/<id>': 'delete a row',
};

function body(request: SimRequest): Record<string, unknown> {
  if (request.body.trim() === '') return {};
  const value = JSON.parse(request.body) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('expected a JSON object');
  return value as Record<string, unknown>;
}

/** `/__sim/…` on every origin of the simulator: the HTTP face of DynamicsControl. */
export function handleControl(request: SimRequest, control: DynamicsControl, describe: () => unknown): SimResponse {
  const path = request.path.replace(/\/+$/, '') || '/__sim';
  const route = `${request.method} ${path}`;
  try {
    switch (route) {
      case 'GET /__sim':
        return jsonResponse(200, { endpoints: ENDPOINTS, sandbox: describe() });
      case 'POST /__sim/reset':
        control.reset();
        return jsonResponse(200, { reset: true });
      case 'GET /__sim/counters':
        return jsonResponse(200, control.counters());
      case 'DELETE /__sim/counters':
        control.resetCounters();
        return jsonResponse(200, control.counters());
      case 'GET /__sim/faults':
        return jsonResponse(200, control.faults());
      case 'PUT /__sim/faults':
      case 'POST /__sim/faults':
        return jsonResponse(200, control.setFaults(body(request) as Partial<FaultSettings>));
      case 'DELETE /__sim/faults':
        control.clearFaults();
        return jsonResponse(200, control.faults());
      case 'POST /__sim/faults/unauthorized-once': {
        const { environment, times } = body(request);
        control.unauthorizedOnce(String(environment), typeof times === 'number' ? times : 1);
        return jsonResponse(200, { environment, times: typeof times === 'number' ? times : 1 });
      }
      case 'POST /__sim/revoke-refresh-tokens': {
        const { user, tenantId } = body(request);
        const revoked = control.revokeRefreshTokens({
          ...(typeof user === 'string' ? { user } : {}),
          ...(typeof tenantId === 'string' ? { tenantId } : {}),
        });
        return jsonResponse(200, { revoked });
      }
      case 'POST /__sim/clock': {
        const { advanceSeconds, advanceMs } = body(request);
        control.advanceClock(
          (typeof advanceSeconds === 'number' ? advanceSeconds * 1000 : 0) +
            (typeof advanceMs === 'number' ? advanceMs : 0),
        );
        return jsonResponse(200, { now: new Date(control.now()).toISOString() });
      }
      case 'GET /__sim/settings':
        return jsonResponse(200, control.settings());
      case 'PUT /__sim/settings':
      case 'POST /__sim/settings':
        return jsonResponse(200, control.configure(body(request) as Partial<SimSettings>));
    }
    const records = /^\/__sim\/environments\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/.exec(path);
    if (records?.[1] && records[2]) {
      const [environment, table, id] = [decodeURIComponent(records[1]), decodeURIComponent(records[2]), records[3]];
      if (id === undefined && request.method === 'GET')
        return jsonResponse(200, { value: control.records(environment, table) });
      if (id === undefined && request.method === 'POST')
        return jsonResponse(201, control.createRecord(environment, table, body(request)));
      if (id !== undefined && request.method === 'GET') {
        const row = control.record(environment, table, id);
        return row ? jsonResponse(200, row) : jsonResponse(404, { error: `no ${table} ${id} in ${environment}` });
      }
      if (id !== undefined && request.method === 'PATCH')
        return jsonResponse(200, control.updateRecord(environment, table, id, body(request)));
      if (id !== undefined && request.method === 'DELETE') {
        return control.deleteRecord(environment, table, id)
          ? { status: 204, headers: {}, body: '' }
          : jsonResponse(404, { error: `no ${table} ${id} in ${environment}` });
      }
    }
    return jsonResponse(404, { error: `no control at ${route}`, endpoints: ENDPOINTS });
  } catch (error) {
    if (error instanceof DataverseError) return odataError(error, false);
    if (error instanceof SyntaxError || (error instanceof Error && error.message === 'expected a JSON object')) {
      return jsonResponse(400, { error: error.message });
    }
    throw error;
  }
}
