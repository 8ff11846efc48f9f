import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import { ErrorBody } from '@orglink/shared';
import { MAX_WINDOW_SECONDS, SAMPLE_EVERY_MS } from '../../plugins/event-loop-monitor.ts';

const DelaySummary = Type.Object({
  samples: Type.Integer({
    minimum: 0,
    description: `Timer samples taken (one every ${SAMPLE_EVERY_MS} ms when idle).`,
  }),
  meanMs: Type.Number({ minimum: 0 }),
  p50Ms: Type.Number({ minimum: 0 }),
  p90Ms: Type.Number({ minimum: 0 }),
  p99Ms: Type.Number({ minimum: 0 }),
  maxMs: Type.Number({ minimum: 0 }),
});

const DiagnosticsQuery = Type.Object({
  windowSeconds: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_WINDOW_SECONDS,
      default: 60,
      description: `How many recent seconds eventLoop.window covers: a whole number from 1 to ${MAX_WINDOW_SECONDS}.`,
    }),
  ),
});

const Diagnostics = Type.Object(
  {
    uptimeSeconds: Type.Number({ minimum: 0 }),
    memory: Type.Object({
      rssMb: Type.Number({ minimum: 0, description: 'Resident memory of the server process.' }),
      heapUsedMb: Type.Number({ minimum: 0 }),
      externalMb: Type.Number({ minimum: 0, description: 'Buffers and other memory outside the JavaScript heap.' }),
    }),
    eventLoop: Type.Object({
      sampleEveryMs: Type.Number(),
      window: Type.Object({ seconds: Type.Integer({ minimum: 1 }), delay: DelaySummary }),
      sinceStart: DelaySummary,
    }),
  },
  { title: 'Diagnostics' },
);

/**
 * `GET /api/diagnostics`: how the server process is doing. Event-loop delay is how long any request waited for the
 * server to get to it; above ~50 ms the extension feels slow. Admin-only: it says nothing about a team, but it is an
 * operator's view, not something viewers need.
 */
export const diagnosticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/diagnostics',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['system'],
        summary: 'Event-loop delay (the last windowSeconds and since start), memory and uptime of the server.',
        querystring: DiagnosticsQuery,
        response: { 200: Diagnostics, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
      },
    },
    async (request) => {
      const seconds = request.query.windowSeconds ?? 60;
      const memory = process.memoryUsage();
      const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
      return {
        uptimeSeconds: Math.round(process.uptime() * 10) / 10,
        memory: { rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed), externalMb: mb(memory.external) },
        eventLoop: {
          sampleEveryMs: SAMPLE_EVERY_MS,
          window: { seconds, delay: app.eventLoop.window(seconds) },
          sinceStart: app.eventLoop.sinceStart(),
        },
      };
    },
  );
};
