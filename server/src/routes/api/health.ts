import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type DatabaseHealth, HealthResponse } from '@orglink/shared';
import { countAppliedMigrations } from '../../db/database.ts';
import { serverVersion } from '../../version.ts';

export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const startedAt = performance.now();

  app.get(
    '/health',
    {
      config: { access: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Is the server up, which version is it, and can it reach its database?',
        response: { 200: HealthResponse, 503: HealthResponse },
      },
    },
    async (_request, reply) => {
      let database: DatabaseHealth;
      try {
        database = { status: 'ok', migrationsApplied: countAppliedMigrations(app.db) };
      } catch (error) {
        database = { status: 'unavailable', migrationsApplied: 0, message: (error as Error).message };
      }
      const healthy = database.status === 'ok';
      return reply.status(healthy ? 200 : 503).send({
        service: 'orglink',
        status: healthy ? 'ok' : 'degraded',
        version: serverVersion,
        uptimeSeconds: Math.round((performance.now() - startedAt) / 100) / 10,
        database,
      });
    },
  );
};
