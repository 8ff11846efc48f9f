import type { FastifyRequest } from 'fastify';
import type { Origins } from '../../common/origins.ts';
import type { Session } from '../auth/sessions.ts';
import type { SalesforceState } from '../state.ts';
import type { ApiGate } from './api-gate.ts';
import { readCookie } from './cookies.ts';

/** What every route module gets: the state, the origins it serves, and the API gate. */
export interface SimContext {
  state: SalesforceState;
  origins: Origins;
  gate: ApiGate;
}

/** The browser session a `sid` cookie carries, when it is live and belongs to an org `accept` agrees to. */
export function cookieSession(
  context: SimContext,
  request: FastifyRequest,
  accept: (session: Session) => boolean,
): Session | undefined {
  const sid = readCookie(request, 'sid');
  if (!sid) return undefined;
  const lookup = context.state.sessions.lookup(sid, context.state.clock.now());
  if (!lookup.ok || !accept(lookup.session)) return undefined;
  context.state.sessions.touch(lookup.session, context.state.clock.now());
  return lookup.session;
}
