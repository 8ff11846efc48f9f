import type { FastifyRequest } from 'fastify';
import type { Origins } from '../../common/origins.ts';
import type { Org } from '../model/org.ts';

/** Which host of the simulated Salesforce a request reached, and the URLs of an org's other hosts. */

export const LOGIN_ORIGIN = 'login';
export const TEST_LOGIN_ORIGIN = 'test-login';

/** Whether the request came by real host name over HTTPS (a browser), rather than to a loopback port. */
export function viaHostname(request: FastifyRequest, origins: Origins, key: string): boolean {
  return origins.urlFor(request, key).startsWith('https://');
}

export function requestHostname(request: FastifyRequest): string {
  return (request.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
}

/** The org's Lightning host as this client reaches it (the same loopback port as its My Domain, or its own name). */
export function lightningUrl(request: FastifyRequest, origins: Origins, org: Org): string {
  return viaHostname(request, origins, org.originKey) ? `https://${org.lightningHost}` : origins.httpUrl(org.originKey);
}

export function myDomainUrl(request: FastifyRequest, origins: Origins, org: Org): string {
  return viaHostname(request, origins, org.originKey) ? `https://${org.myDomainHost}` : origins.httpUrl(org.originKey);
}

/**
 * Whether a user of `org` may log in at the login host `originKey`: production users at login.salesforce.com,
 * sandbox users at test.salesforce.com, and anyone of the org at its own My Domain.
 */
export function loginAllowed(originKey: string | undefined, org: Org): boolean {
  if (originKey === LOGIN_ORIGIN) return !org.sandbox;
  if (originKey === TEST_LOGIN_ORIGIN) return org.sandbox;
  return originKey === org.originKey;
}

export function isLoginOrigin(originKey: string | undefined): boolean {
  return originKey === LOGIN_ORIGIN || originKey === TEST_LOGIN_ORIGIN || (originKey?.startsWith('org:') ?? false);
}
