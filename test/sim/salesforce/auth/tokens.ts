import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { ConnectedApp } from '../model/org.ts';
import type { Session } from './sessions.ts';

/** Token response pieces: the signature, PKCE, scope grants, callback rules. */

/** Base64 HMAC-SHA256 of `id + issued_at` keyed with the consumer secret: what lets a client check the response. */
export function tokenSignature(id: string, issuedAt: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(id + issuedAt)
    .digest('base64');
}

/** S256: base64url(SHA-256(verifier)), the only method Salesforce supports; jsforce omits the method name. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Scopes granted for a request: those asked for that the app allows (`full` means all of them), or all of the app's
 * scopes when none were asked for.
 */
export function grantScopes(app: ConnectedApp, requested: string | undefined): string[] {
  const asked = (requested ?? '').split(/[\s+]+/).filter(Boolean);
  if (asked.length === 0 || asked.includes('full')) return [...app.scopes];
  return app.scopes.filter((scope) => asked.includes(scope));
}

export function wantsRefreshToken(scopes: string[]): boolean {
  return scopes.includes('refresh_token') || scopes.includes('offline_access');
}

/** Any http://127.0.0.1:* or http://localhost:* callback (local development), plus the app's configured ones. */
export function callbackAllowed(app: ConnectedApp, redirectUri: string): boolean {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    return false;
  }
  if (url.protocol === 'http:' && (url.hostname === '127.0.0.1' || url.hostname === 'localhost')) return true;
  return app.callbackUrls.includes(redirectUri);
}

export interface TokenResponseInput {
  session: Session;
  refreshToken: string | undefined;
  identityUrl: string;
  instanceUrl: string;
  issuedAt: number;
  secret: string;
}

/** The token endpoint's success body, in Salesforce's key order; `id` and `instance_url` on every grant (gotcha 1). */
export function tokenResponse({
  session,
  refreshToken,
  identityUrl,
  instanceUrl,
  issuedAt,
  secret,
}: TokenResponseInput) {
  const issued = String(issuedAt);
  return {
    access_token: session.token,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
    signature: tokenSignature(identityUrl, issued, secret),
    scope: session.scopes.join(' '),
    instance_url: instanceUrl,
    id: identityUrl,
    token_type: 'Bearer',
    issued_at: issued,
  };
}
