import { CommonErrorCode, type Role } from '@orglink/shared';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Caller, findCaller } from '../domain/teams/team-service.ts';
import { ApiError } from '../http-errors.ts';

/**
 * Who may call a route. Every route under /api and /oauth must say, in `config.access`; one that does not is
 * refused at start-up, so a new route cannot forget authorization.
 * - public: no token (health, redeeming an invite, the browser landing on an OAuth callback);
 * - viewer: any member of the team (reads);
 * - admin: admins and owners (changes);
 * - owner: owners only.
 */
export type Access = 'public' | Role;

const RANK: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };
const GUARDED_PREFIXES = ['/api/', '/oauth/'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    caller: Caller | undefined;
  }
}

/** The caller of a route whose access is not public: set by the auth hook before any handler runs. */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new Error(`route ${request.routeOptions.url} reached its handler without a caller`);
  return request.caller;
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export const authPlugin = fp(
  async (app) => {
    app.decorateRequest('caller', undefined);

    app.addHook('onRoute', (route) => {
      const guarded = GUARDED_PREFIXES.some((prefix) => route.url.startsWith(prefix));
      if (guarded && route.config?.access === undefined) {
        throw new Error(
          `route ${route.method} ${route.url} must declare config.access (public, viewer, admin or owner)`,
        );
      }
    });

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config.access;
      if (access === undefined || access === 'public') return;
      const token = bearerToken(request);
      if (!token) {
        throw new ApiError(
          401,
          CommonErrorCode.Unauthorized,
          'Sign in first: send your OrgLink API token as "Authorization: Bearer <token>". Redeem an invite in the extension settings to get one.',
        );
      }
      const caller = findCaller(app.db, token);
      if (!caller) {
        throw new ApiError(
          401,
          CommonErrorCode.Unauthorized,
          'Your OrgLink sign-in is no longer valid (signed out or revoked). Redeem a new invite in the extension settings.',
        );
      }
      request.caller = caller;
      if (RANK[caller.role] < RANK[access]) {
        throw new ApiError(
          403,
          CommonErrorCode.Forbidden,
          `Your role (${caller.role}) can view but not do this; it needs ${access === 'owner' ? 'an owner' : 'an admin or owner'}.`,
        );
      }
    });
  },
  { name: 'auth', dependencies: ['database'] },
);
