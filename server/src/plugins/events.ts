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
    if (this.#emitter.listenerCount(teamId) === 0) return;
    // Framed once for every stream of the team: a run's progress reaches hundreds of open popups several times a
    // second, and serialising it once per stream was work repeated hundreds of times on the event loop.
    let frame: string | undefined;
    const framed = () => {
      frame ??= `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
      return frame;
    };
    this.#emitter.emit(teamId, event, framed);
  }

  /** `framed()` is the event as one Server-Sent Events message, serialised once however many listeners ask. */
  subscribe(teamId: string, listener: (event: ServerEvent, framed: () => string) => void): () => void {
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
