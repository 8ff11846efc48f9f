import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SimContext } from '../http/context.ts';
import type { FaultSettings } from './faults.ts';
import { OrgControl } from './org-control.ts';

/**
 * Test and fault controls under /__sim/ on every origin. They are no part of the simulated Salesforce, so they answer
 * plain JSON with their own `{ "error": … }` bodies.
 */

const ENDPOINTS = [
  'GET  /__sim                                   this overview',
  'GET  /__sim/counters                          API calls by kind, total and per org',
  'POST /__sim/counters/reset',
  'POST /__sim/reset                             back to the seeded state (records, tokens, jobs, faults, counters)',
  'GET  /__sim/faults',
  'PUT  /__sim/faults                            {latencyMs, unavailableShare, concurrentLimitShare, lockRowShare, bulkProcessingDelayMs}',
  'POST /__sim/orgs/:org/invalidate-next-session next REST/Bulk call of the org gets 401 INVALID_SESSION_ID',
  'POST /__sim/orgs/:org/concurrent-limit        {times?}: next REST/Bulk calls get 403 ConcurrentPerOrgLongTxn',
  'POST /__sim/orgs/:org/revoke-tokens           revoke every access and refresh token of the org',
  'PUT  /__sim/orgs/:org/api-limit               {max, used?}: DailyApiRequests',
  'POST /__sim/orgs/:org/fail-next-bulk-job      {errorMessage?}',
  'GET  /__sim/orgs/:org/records/:object         ?includeDeleted=true for the recycle bin too',
  'GET  /__sim/orgs/:org/records/:object/:id',
  'GET  /__sim/clock   POST /__sim/clock {advanceMs}',
];

function problem(reply: FastifyReply, status: number, error: string): FastifyReply {
  return reply.code(status).type('application/json').send({ error });
}

export function registerControlRoutes(app: FastifyInstance, context: SimContext): void {
  const { state } = context;

  const orgControl = (name: string): OrgControl | undefined =>
    state.org(name) ? new OrgControl(state, name) : undefined;

  app.get('/__sim', async () => ({
    simulator: 'salesforce',
    orgs: [...state.orgs.keys()],
    faults: state.faults.snapshot(),
    now: new Date(state.clock.now()).toISOString(),
    endpoints: ENDPOINTS,
  }));

  app.get('/__sim/counters', async () => state.counters.snapshot());
  app.post('/__sim/counters/reset', async () => {
    state.counters.reset();
    return state.counters.snapshot();
  });

  app.post('/__sim/reset', async () => {
    state.reset();
    return { reset: true };
  });

  app.get('/__sim/faults', async () => state.faults.snapshot());
  const setFaults = async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      state.faults.set((request.body ?? {}) as Partial<FaultSettings>);
    } catch (error) {
      return problem(reply, 400, error instanceof Error ? error.message : String(error));
    }
    return state.faults.snapshot();
  };
  app.put('/__sim/faults', setFaults);
  app.post('/__sim/faults', setFaults);
  app.delete('/__sim/faults', async () => {
    state.faults.reset();
    return state.faults.snapshot();
  });

  app.post('/__sim/orgs/:org/invalidate-next-session', async (request, reply) => {
    const control = orgControl((request.params as { org: string }).org);
    if (!control) return problem(reply, 404, 'no such org');
    control.invalidateNextSession();
    return { pending: true };
  });

  app.post('/__sim/orgs/:org/concurrent-limit', async (request, reply) => {
    const control = orgControl((request.params as { org: string }).org);
    if (!control) return problem(reply, 404, 'no such org');
    const times = (request.body as { times?: unknown } | undefined)?.times ?? 1;
    try {
      control.refuseNextForConcurrency(Number(times));
    } catch (error) {
      return problem(reply, 400, error instanceof Error ? error.message : String(error));
    }
    return { pending: true };
  });

  app.post('/__sim/orgs/:org/revoke-tokens', async (request, reply) => {
    const control = orgControl((request.params as { org: string }).org);
    if (!control) return problem(reply, 404, 'no such org');
    return { revoked: control.revokeAllTokens() };
  });

  app.put('/__sim/orgs/:org/api-limit', async (request, reply) => {
    const control = orgControl((request.params as { org: string }).org);
    if (!control) return problem(reply, 404, 'no such org');
    const body = (request.body ?? {}) as { max?: unknown; used?: unknown };
    try {
      control.setDailyApiLimit(Number(body.max), body.used === undefined ? undefined : Number(body.used));
    } catch (error) {
      return problem(reply, 400, error instanceof Error ? error.message : String(error));
    }
    return control.apiUsage();
  });

  app.post('/__sim/orgs/:org/fail-next-bulk-job', async (request, reply) => {
    const control = orgControl((request.params as { org: string }).org);
    if (!control) return problem(reply, 404, 'no such org');
    const body = (request.body ?? {}) as { errorMessage?: unknown };
    control.failNextBulkJob(typeof body.errorMessage === 'string' ? body.errorMessage : undefined);
    return { pending: true };
  });

  app.get('/__sim/orgs/:org/records/:object', async (request, reply) => {
    const params = request.params as { org: string; object: string };
    const control = orgControl(params.org);
    if (!control) return problem(reply, 404, 'no such org');
    try {
      const includeDeleted = (request.query as { includeDeleted?: string }).includeDeleted === 'true';
      const records = control.records(params.object, { includeDeleted });
      return { totalSize: records.length, records };
    } catch {
      return problem(reply, 404, 'no such object');
    }
  });

  app.get('/__sim/orgs/:org/records/:object/:id', async (request, reply) => {
    const params = request.params as { org: string; object: string; id: string };
    const control = orgControl(params.org);
    if (!control) return problem(reply, 404, 'no such org');
    try {
      const record = control.record(params.object, params.id);
      return record ?? problem(reply, 404, 'no such record');
    } catch {
      return problem(reply, 404, 'no such object');
    }
  });

  app.get('/__sim/clock', async () => ({ now: new Date(state.clock.now()).toISOString(), epochMs: state.clock.now() }));
  app.post('/__sim/clock', async (request, reply) => {
    const advanceMs = Number(((request.body ?? {}) as { advanceMs?: unknown }).advanceMs);
    if (!Number.isFinite(advanceMs) || advanceMs < 0) return problem(reply, 400, 'advanceMs must be a number >= 0');
    state.clock.advance(advanceMs);
    return { now: new Date(state.clock.now()).toISOString(), epochMs: state.clock.now() };
  });
}
