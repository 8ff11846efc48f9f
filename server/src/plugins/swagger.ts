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
        tags: [
          { name: 'system', description: 'Health and server information' },
          { name: 'auth', description: 'Invites, sign-in and who you are' },
          { name: 'connections', description: 'Salesforce and Dynamics 365 connections' },
          { name: 'jobs', description: 'Job definitions and their state' },
          { name: 'events', description: 'Live updates (Server-Sent Events)' },
        ],
        components: {
          securitySchemes: {
            bearer: { type: 'http', scheme: 'bearer', description: 'Your OrgLink API token (olk_…)' },
          },
        },
        security: [{ bearer: [] }],
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
  },
  { name: 'swagger' },
);
