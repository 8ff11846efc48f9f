import type { SimClock } from '../../common/clock.ts';
import type { Claims } from '../entra/jwt.ts';
import type { EntraService } from '../entra/service.ts';
import type { SimResponse } from '../http.ts';
import { CLOUDS, type Environment } from '../topology.ts';

export interface Caller {
  oid: string;
  tenantId: string;
  upn: string;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; reason: string };

/**
 * Checks a bearer token the way a resource does: our Entra's signature, not expired, issued for `audiences`, and
 * (for environments) by the tenant that owns it.
 */
export function verifyBearer(
  authorization: string | undefined,
  audiences: string[],
  tenantId: string | undefined,
  authorityKey: string,
  entra: EntraService,
  clock: SimClock,
): Authentication {
  const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (!token) return { ok: false, reason: 'missing' };
  const claims: Claims | undefined = entra.signingKey(authorityKey).verify(token);
  if (!claims) return { ok: false, reason: 'invalid' };
  if (typeof claims.exp !== 'number' || claims.exp <= clock.nowSeconds()) return { ok: false, reason: 'expired' };
  const audience = String(claims.aud ?? '')
    .replace(/\/+$/, '')
    .toLowerCase();
  if (!audiences.includes(audience)) return { ok: false, reason: 'audience' };
  if (tenantId && claims.tid !== tenantId) return { ok: false, reason: 'tenant' };
  return { ok: true, caller: { oid: String(claims.oid), tenantId: String(claims.tid), upn: String(claims.upn ?? '') } };
}

export function environmentAudiences(environment: Environment): string[] {
  return [environment.url, `https://${environment.apiHost}`].map((url) => url.toLowerCase());
}

/**
 * Dataverse's 401: no body, and a `WWW-Authenticate` challenge naming the authority and resource, which clients use
 * to discover where to sign in. An expired token also says so in `error_description`.
 */
export function unauthorized(environment: Environment, reason: string): SimResponse {
  const authority = CLOUDS[environment.cloud].authority.host;
  const challenge = [
    `Bearer authorization_uri=https://${authority}/${environment.tenantId}/oauth2/authorize`,
    `resource_id=${environment.url}/`,
  ];
  if (reason === 'expired') challenge.push('error="invalid_token"', 'error_description="The access token is expired"');
  return { status: 401, headers: { 'www-authenticate': challenge.join(', '), 'odata-version': '4.0' }, body: '' };
}
