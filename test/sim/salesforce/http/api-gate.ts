import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Origins } from '../../common/origins.ts';
import type { Session } from '../auth/sessions.ts';
import type { DmlActor } from '../model/dml.ts';
import { ApiError, notFound } from '../model/errors.ts';
import type { Org } from '../model/org.ts';
import type { CallKind } from '../model/usage.ts';
import { parseVersion } from '../rest/versions.ts';
import type { SalesforceState } from '../state.ts';

/** What a REST or Bulk handler knows once the request passed the gate. */
export interface ApiContext {
  org: Org;
  session: Session;
  version: string;
  /** The org's base URL as this client reaches it. */
  instanceUrl: string;
  actor(): DmlActor;
}

export const INVALID_SESSION = (): ApiError => new ApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

/** The token of `Authorization: Bearer <t>` (or the older `OAuth <t>`). */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(header.trim());
  return match?.[1];
}

/**
 * The checks every `/services/data/vXX.X/…` call goes through, in the order Salesforce applies them: resource and
 * version, availability (fault), session (including the one-shot 401 fault), the concurrent-request limit (fault),
 * then the daily API allocation. It counts the call by kind and stamps `Sforce-Limit-Info` on the reply.
 */
export class ApiGate {
  readonly #state: SalesforceState;
  readonly #origins: Origins;

  constructor(state: SalesforceState, origins: Origins) {
    this.#state = state;
    this.#origins = origins;
  }

  orgOf(request: FastifyRequest): Org | undefined {
    return this.#state.orgByOriginKey(this.#origins.resolve(request));
  }

  open(request: FastifyRequest, reply: FastifyReply, kind: CallKind): ApiContext {
    const state = this.#state;
    const org = this.orgOf(request);
    state.counters.count(kind, org?.name);
    if (!org) throw notFound();
    const version = parseVersion((request.params as { version?: string }).version ?? '');
    if (!version) throw notFound();
    if (state.faults.rollUnavailable()) {
      throw new ApiError(503, 'SERVER_UNAVAILABLE', 'Server temporarily unavailable. Please try again later.');
    }
    const token = bearerToken(request);
    if (!token) throw INVALID_SESSION();
    const now = state.clock.now();
    const lookup = state.sessions.lookup(token, now);
    if (!lookup.ok || lookup.session.org !== org) throw INVALID_SESSION();
    const session = lookup.session;
    if (state.faults.takeInvalidSession(org.name)) {
      state.sessions.revokeAccess(session.token);
      throw INVALID_SESSION();
    }
    // Refused before it counts: a request turned away for concurrency never ran, so it uses none of the allocation.
    if (state.faults.takeConcurrentLimit(org.name)) {
      throw new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded');
    }
    const used = org.apiUsage.used(now);
    if (used >= org.dailyApiMax) {
      reply.header('Sforce-Limit-Info', `api-usage=${used}/${org.dailyApiMax}`);
      throw new ApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    org.apiUsage.add(now);
    state.sessions.touch(session, now);
    reply.header('Sforce-Limit-Info', `api-usage=${used + 1}/${org.dailyApiMax}`);
    const instanceUrl = this.#origins.urlFor(request, org.originKey);
    return {
      org,
      session,
      version,
      instanceUrl,
      actor: () => ({
        org,
        userId: session.user.id,
        now: state.clock.now(),
        lockFails: () => state.faults.rollLockRow(),
      }),
    };
  }
}
