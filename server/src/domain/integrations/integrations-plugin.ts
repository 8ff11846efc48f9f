import fp from 'fastify-plugin';
import { CatalogAccounts } from './catalog-accounts.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where Catalog accounts are reached: their own hosts, or the sandbox's simulated accounts. */
    catalogAccounts: CatalogAccounts;
  }
}

export const integrationsPlugin = fp(
  async (app) => {
    app.decorate('catalogAccounts', new CatalogAccounts(app.config.crm.sandboxUrl));
  },
  { name: 'integrations', dependencies: ['config', 'connections'] },
);
