import cors from '@fastify/cors';
import { EXTENSION_ORIGIN } from '@orglink/shared';
import fp from 'fastify-plugin';
import { ApiError } from '../http-errors.ts';

/**
 * Only the OrgLink extension (its ID is pinned by the manifest key) may call the API from a browser. A request
 * from any other web origin is refused outright rather than merely left without CORS headers, so that a page the
 * admin visits cannot make the browser perform requests against the API. Requests without an Origin header
 * (curl, the server's own /docs page loading its spec) are not browser cross-origin calls and pass.
 */
export const corsPlugin = fp(
  async (app) => {
    const allowed = new Set([EXTENSION_ORIGIN, ...app.config.extraAllowedOrigins]);
    const isSameOrigin = (origin: string, host: string | undefined) => {
      try {
        return host !== undefined && new URL(origin).host === host;
      } catch {
        return false;
      }
    };
    app.addHook('onRequest', async (request) => {
      const origin = request.headers.origin;
      if (origin === undefined || allowed.has(origin) || isSameOrigin(origin, request.headers.host)) return;
      throw new ApiError(
        403,
        'ORIGIN_NOT_ALLOWED',
        `Requests from ${origin} are not allowed. Use the OrgLink extension, or add the origin to ALLOWED_ORIGINS on the server.`,
      );
    });
    // Every method the API uses; @fastify/cors allows only GET, HEAD and POST unless told.
    await app.register(cors, {
      origin: [...allowed],
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      credentials: false,
      maxAge: 600,
      // A preflight without Access-Control-Request-Method is not one a browser sends; answering it like any other
      // (204, no body) beats @fastify/cors's plain-text 400, which is outside the API's one error shape.
      strictPreflight: false,
    });
  },
  { name: 'cors', dependencies: ['config'] },
);
