import fp from 'fastify-plugin';
import { type OrgLinkDatabase, openDatabase } from '../db/database.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: OrgLinkDatabase;
  }
}

export const databasePlugin = fp(
  async (app) => {
    const db = openDatabase(app.config.databasePath);
    app.decorate('db', db);
    app.addHook('onClose', async () => {
      db.$client.close();
      app.log.info('database closed');
    });
  },
  { name: 'database', dependencies: ['config'] },
);
