import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { serverVersion } from '../version.ts';

/** OpenAPI generated from the routes' TypeBox schemas, browsable at /docs (raw spec at /docs/json). */
export const swaggerPlugin = fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'OrgLink API',
          version: serverVersion,
          description:
            'The companion API of the OrgLink extension. Every error has the shape { "error": { "code", "message", "details" } }.',
        },
        tags: [{ name: 'system', description: 'Health and server information' }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
