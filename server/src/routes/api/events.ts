import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isTokenActive } from '../../domain/teams/team-service.ts';
import { callerOf } from '../../plugins/auth.ts';

/** Also how long a revoked token's stream may live at most. */
export const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/events`: Server-Sent Events for the caller's team. Written by hand because SSE is a few lines of text
 * framing; the extension reads it with fetch (a service worker has no EventSource), so the bearer header works.
 */
export const eventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Open streams are ended before the server closes; otherwise they would hold the close open until its timeout.
  const openStreams = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const end of openStreams) end();
  });

  app.get(
    '/events',
    {
      config: { access: 'viewer' },
      schema: {
        tags: ['events'],
        summary: 'Live events of your team (text/event-stream): connection and job changes.',
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        ...corsHeaders(request.headers.origin, reply.getHeader('access-control-allow-origin')),
      });
      raw.write('retry: 3000\n: connected\n\n');
      const unsubscribe = app.events.subscribe(caller.teamId, (_event, framed) => {
        raw.write(framed());
      });
      // Each heartbeat also re-checks the token: a stream must not outlive a sign-out or a revoked token.
      const heartbeat = setInterval(() => {
        if (!isTokenActive(app.db, caller.tokenId)) return end();
        raw.write(': heartbeat\n\n');
      }, HEARTBEAT_MS);
      const stop = () => {
        clearInterval(heartbeat);
        unsubscribe();
        openStreams.delete(end);
      };
      const end = () => {
        stop();
        raw.end();
      };
      openStreams.add(end);
      request.raw.on('close', stop);
    },
  );
};

/** A hijacked reply skips Fastify's hooks' headers, so the CORS answer decided earlier is copied over. */
function corsHeaders(origin: string | undefined, allowed: unknown): Record<string, string> {
  return origin && typeof allowed === 'string' ? { 'access-control-allow-origin': allowed, vary: 'Origin' } : {};
}
