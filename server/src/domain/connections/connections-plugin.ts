import fp from 'fastify-plugin';
import { CrmDirectory } from '../../crm/crm-directory.ts';
import { AuthorizationFlows } from './authorization-flows.ts';
import { ConnectionClients } from './connection-clients.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where Salesforce and Dynamics are: real connected apps or the sandbox simulators. */
    crm: CrmDirectory;
    /** OAuth sign-ins in progress (in memory, ten minutes per step). */
    authorizationFlows: AuthorizationFlows;
    /** CrmClients on stored tokens: what every feature uses to talk to a connected org. */
    connectionClients: ConnectionClients;
  }
}

export const connectionsPlugin = fp(
  async (app) => {
    app.decorate('crm', new CrmDirectory(app.config.crm));
    app.decorate('authorizationFlows', new AuthorizationFlows());
    app.decorate('connectionClients', new ConnectionClients(app));
  },
  { name: 'connections', dependencies: ['config', 'database', 'secrets', 'events'] },
);
