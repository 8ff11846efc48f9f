import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CrmAuthorizationLost } from '../crm/crm-client.ts';
import { connections } from '../db/schema.ts';

/**
 * Checks the tokens of every active connection on a timer, so that "Connection inactive" shows in the badge, the
 * Connections page and the popup when an org revokes OrgLink's access, not only when the next job happens to run.
 * One identity (Salesforce) or WhoAmI (Dynamics) call per connection per interval, one connection at a time; a
 * refusal marks the connection inactive and holds its jobs inside ConnectionClients, exactly as a job's call would.
 */
export class ConnectionMonitor {
  readonly #app: FastifyInstance;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<CheckSummary> | undefined;

  constructor(app: FastifyInstance) {
    this.#app = app;
  }

  start(intervalMs: number) {
    if (intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => void this.checkAll(), intervalMs);
    // The check must never keep the process alive on its own.
    this.#timer.unref();
  }

  async stop() {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** One pass over the active connections; a pass already under way is joined rather than doubled. */
  checkAll(): Promise<CheckSummary> {
    this.#running ??= this.#checkAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #checkAll(): Promise<CheckSummary> {
    const summary: CheckSummary = { checked: 0, lost: 0, unreachable: 0 };
    const active = this.#app.db
      .select({ id: connections.id })
      .from(connections)
      .where(and(eq(connections.status, 'active'), isNull(connections.deletedAt), isNotNull(connections.credentials)))
      .all();
    for (const { id } of active) {
      summary.checked += 1;
      try {
        await (await this.#app.connectionClients.open(id)).identify();
      } catch (error) {
        if (error instanceof CrmAuthorizationLost) summary.lost += 1;
        else {
          // A CRM that is down says nothing about the tokens: leave the connection as it is and try next time.
          summary.unreachable += 1;
          this.#app.log.warn({ connectionId: id, err: error }, 'connection check could not reach the CRM');
        }
      }
    }
    return summary;
  }
}

export interface CheckSummary {
  checked: number;
  lost: number;
  unreachable: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    connectionMonitor: ConnectionMonitor;
  }
}

export const connectionMonitorPlugin = fp(
  async (app) => {
    const monitor = new ConnectionMonitor(app);
    app.decorate('connectionMonitor', monitor);
    app.addHook('onReady', async () => monitor.start(app.config.connectionCheckMinutes * 60_000));
    app.addHook('preClose', () => monitor.stop());
  },
  { name: 'connection-monitor', dependencies: ['config', 'database', 'connections'] },
);
