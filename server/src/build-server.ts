import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { DestinationStream } from 'pino';
import orglinkApp from './app.ts';
import { loggerOptions } from './logging.ts';
import type { Config } from './plugins/config.ts';
import { answerFrameworkError } from './plugins/error-handling.ts';

export interface BuildServerOptions {
  /** Where log lines go; tests pass a stream to read them. */
  logDestination?: DestinationStream;
  /** Sees every route as it is added, before the app is ready: how tests read the whole route table with its schemas. */
  onRoute?: (route: RouteOptions) => void;
}

/** A ready-to-listen Fastify instance with the OrgLink app mounted: what the runner and the tests both use. */
export async function buildServer(config: Config, options: BuildServerOptions = {}) {
  const app = Fastify({
    logger: loggerOptions(config, options.logDestination),
    // Explicit timeouts so a slow or stuck client cannot hold a connection forever.
    connectionTimeout: 60_000,
    requestTimeout: 120_000,
    keepAliveTimeout: 10_000,
    frameworkErrors: answerFrameworkError,
    ajv: {
      customOptions: {
        // Unknown fields are rejected with a 400 naming them, never silently dropped.
        removeAdditional: false,
        coerceTypes: 'array',
        allErrors: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  await app.register(fp(orglinkApp), { config });
  await app.ready();
  return app;
}
