import type { FastifyInstance } from 'fastify';
import { connectionsPlugin } from './domain/connections/connections-plugin.ts';
import { integrationsPlugin } from './domain/integrations/integrations-plugin.ts';
import { authPlugin } from './plugins/auth.ts';
import { type Config, configPlugin } from './plugins/config.ts';
import { corsPlugin } from './plugins/cors.ts';
import { databasePlugin } from './plugins/database.ts';
import { errorHandlingPlugin } from './plugins/error-handling.ts';
import { eventLoopMonitorPlugin } from './plugins/event-loop-monitor.ts';
import { eventsPlugin } from './plugins/events.ts';
import { secretsPlugin } from './plugins/secrets.ts';
import { signInRateLimitPlugin } from './plugins/sign-in-rate-limit.ts';
import { swaggerPlugin } from './plugins/swagger.ts';
import { activityRoutes } from './routes/api/activities.ts';
import { authRoutes } from './routes/api/auth.ts';
import { connectionRoutes } from './routes/api/connections.ts';
import { connectionActionRoutes } from './routes/api/connections-actions.ts';
import { crmFieldRoutes } from './routes/api/crm-fields.ts';
import { dcRoutes } from './routes/api/dc.ts';
import { diagnosticsRoutes } from './routes/api/diagnostics.ts';
import { eventRoutes } from './routes/api/events.ts';
import { healthRoutes } from './routes/api/health.ts';
import { integrationRoutes } from './routes/api/integrations.ts';
import { jobRoutes } from './routes/api/jobs.ts';
import { runRoutes } from './routes/api/runs.ts';
import { oauthRoutes } from './routes/oauth/oauth-routes.ts';
import { connectionMonitorPlugin } from './runner/connection-monitor.ts';
import { runnerPlugin } from './runner/runner.ts';

export interface AppOptions {
  config: Config;
}

/**
 * The OrgLink API as a Fastify plugin (fastify/demo's app-as-plugin), so tests mount it with `app.inject` and the
 * runner in server.ts adds only listening and graceful close. Plugins are registered explicitly, in dependency
 * order, rather than autoloaded: the list below is the whole map of the server.
 */
export default async function orglinkApp(app: FastifyInstance, options: AppOptions) {
  await app.register(configPlugin, { config: options.config });
  await app.register(errorHandlingPlugin);
  await app.register(corsPlugin);
  await app.register(signInRateLimitPlugin);
  await app.register(databasePlugin);
  await app.register(secretsPlugin);
  await app.register(authPlugin);
  await app.register(eventsPlugin);
  await app.register(eventLoopMonitorPlugin);
  await app.register(swaggerPlugin);

  await app.register(healthRoutes, { prefix: '/api' });
  await app.register(diagnosticsRoutes, { prefix: '/api' });
  await app.register(authRoutes, { prefix: '/api' });
  await app.register(eventRoutes, { prefix: '/api' });

  await app.register(connectionsPlugin);
  await app.register(connectionMonitorPlugin);
  await app.register(connectionRoutes, { prefix: '/api' });
  await app.register(connectionActionRoutes, { prefix: '/api' });
  await app.register(jobRoutes, { prefix: '/api' });
  await app.register(oauthRoutes, { prefix: '/oauth' });
  await app.register(integrationsPlugin);
  await app.register(runnerPlugin);
  await app.register(crmFieldRoutes, { prefix: '/api' });
  await app.register(activityRoutes, { prefix: '/api' });
  await app.register(integrationRoutes, { prefix: '/api' });
  await app.register(runRoutes, { prefix: '/api' });
  await app.register(dcRoutes, { prefix: '/api' });
}
