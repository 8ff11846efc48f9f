import { EntraError, entraErrors } from './errors.ts';

/** Scopes that ask for sign-in or a refresh token rather than for an API (msal always adds the first three). */
export const OIDC_SCOPES = new Set(['openid', 'profile', 'offline_access', 'email']);

/** The permissions Dataverse and Global Discovery expose: delegated `user_impersonation`, or the static `.default`. */
const API_PERMISSIONS = new Set(['user_impersonation', '.default']);

export interface RequestedScopes {
  /** `openid`, `profile`, `offline_access`, `email` as requested. */
  oidc: Set<string>;
  /** Resource scopes exactly as requested, echoed back in the token response. */
  resourceScopes: string[];
  /** The one resource they name (scheme + host + port, no trailing slash), when there is one. */
  resource: string | undefined;
}

/**
 * Splits a `scope` parameter the way Entra does: URL-shaped scopes name a resource (everything before the last
 * segment, which also handles the `https://host//user_impersonation` form), and one request may name one resource.
 */
export function parseScopes(scope: string | undefined): RequestedScopes {
  const oidc = new Set<string>();
  const resourceScopes: string[] = [];
  const resources = new Set<string>();
  for (const item of (scope ?? '').split(/\s+/).filter(Boolean)) {
    const lower = item.toLowerCase();
    if (OIDC_SCOPES.has(lower)) {
      oidc.add(lower);
      continue;
    }
    const cut = item.lastIndexOf('/');
    if (!item.includes('://') || cut < item.indexOf('://') + 3) throw entraErrors.invalidScope(item);
    const permission = item.slice(cut + 1);
    if (!API_PERMISSIONS.has(permission.toLowerCase())) throw entraErrors.invalidScope(item);
    resources.add(item.slice(0, cut).replace(/\/+$/, '').toLowerCase());
    resourceScopes.push(item);
  }
  if (resources.size > 1) throw entraErrors.multipleResources();
  return { oidc, resourceScopes, resource: [...resources][0] };
}

export function isEntraError(error: unknown): error is EntraError {
  return error instanceof EntraError;
}
