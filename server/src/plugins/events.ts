import { EventEmitter } from 'node:events';
import type { ServerEvent } from '@orglink/shared';
import fp from 'fastify-plugin';

/**
 * Live events, per team: domain code publishes, the SSE route relays to every connected client of that team.
 * In-process on purpose: one server process owns the database, so there is no other process to tell.
 */
export class TeamEvents {
  readonly #emitter = new EventEmitter();

  constructor() {
    // One listener per open SSE stream; a team with many open popups is normal, not a leak.
    this.#emitter.setMaxListeners(0);
  }

  publish(teamId: string, event: ServerEvent) {
    this.#emitter.emit(teamId, event);
  }

  subscribe(teamId: string, listener: (event: ServerEvent) => void): () => void {
    this.#emitter.on(teamId, listener);
    return () => this.#emitter.off(teamId, listener);
  }

  listenerCount(teamId: string): number {
    return this.#emitter.listenerCount(teamId);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    events: TeamEvents;
  }
}

export const eventsPlugin = fp(
  async (app) => {
    app.decorate('events', new TeamEvents());
  },
  { name: 'events' },
);
