import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthorizationFlow } from '../../domain/connections/authorization-flows.ts';

/**
 * Binds a sign-in to the browser that opened its link first. The login link is the only thing the API hands out,
 * so without this anyone holding it (a forwarded message, a screenshot, a log) could finish the sign-in into
 * another org and have it stored under the admin's name. The first visit of /oauth/start sets an HttpOnly cookie
 * with a secret known only to this flow; the callback and every form post must bring it back.
 *
 * SameSite=Lax still sends the cookie on the CRM's top-level redirect back to the callback, and the forms post to
 * this origin. A cookie per flow (its name carries the flow id) lets two sign-ins run side by side.
 */
const cookieName = (flow: AuthorizationFlow) => `olflow-${flow.id}`;

function readCookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name)
      return decodeURIComponent(part.slice(separator + 1).trim());
  }
  return undefined;
}

/** First visit: give this browser the flow's secret. Later visits: only the browser that has it. */
export function bindOrCheckBrowser(
  request: FastifyRequest,
  reply: FastifyReply,
  flow: AuthorizationFlow,
  secure: boolean,
): boolean {
  if (flow.browserSecret === undefined) {
    flow.browserSecret = randomBytes(24).toString('base64url');
    const attributes = ['Path=/oauth', 'HttpOnly', 'SameSite=Lax', 'Max-Age=3600', ...(secure ? ['Secure'] : [])];
    reply.header('set-cookie', `${cookieName(flow)}=${flow.browserSecret}; ${attributes.join('; ')}`);
    return true;
  }
  return isBoundBrowser(request, flow);
}

export function isBoundBrowser(request: FastifyRequest, flow: AuthorizationFlow): boolean {
  const presented = readCookie(request, cookieName(flow));
  if (!presented || !flow.browserSecret) return false;
  const left = Buffer.from(presented);
  const right = Buffer.from(flow.browserSecret);
  return left.length === right.length && timingSafeEqual(left, right);
}
