import type { ServerEvent } from '@orglink/shared';
import { browser } from 'wxt/browser';
import { type EventStream, openEventStream } from '../api/event-stream.ts';
import { LIVE_EVENTS_PORT, type LiveEventsMessage, type LiveStreamStatus } from '../messaging.ts';
import { serverUrlItem, signInItem } from '../storage.ts';
import { currentSignIn, forgetSignIn } from './signed-in-client.ts';

/** What the hub needs of a runtime port; a port's own type, narrowed so tests can hand in plain objects. */
export interface LivePort {
  postMessage(message: LiveEventsMessage): void;
  onDisconnect: { addListener(listener: () => void): void };
}

export interface LiveEventHubOptions {
  fetch?: typeof fetch;
  initialDelayMs?: number;
}

/**
 * Keeps one event stream to the server while there is a sign-in, and relays what it receives to every open port.
 * `sync()` decides from storage alone whether a stream should run, so it is safe to call on every wake-up.
 */
export class LiveEventHub {
  readonly #ports = new Set<LivePort>();
  readonly #listeners = new Set<(event: ServerEvent) => void>();
  readonly #options: LiveEventHubOptions;
  #stream: { signInKey: string; handle?: EventStream } | undefined;
  #status: LiveStreamStatus = { state: 'signed-out' };
  #syncing: Promise<void> = Promise.resolve();

  constructor(options: LiveEventHubOptions = {}) {
    this.#options = options;
  }

  get status(): LiveStreamStatus {
    return this.#status;
  }

  addPort(port: LivePort) {
    this.#ports.add(port);
    port.onDisconnect.addListener(() => this.#ports.delete(port));
    this.#post(port, { kind: 'status', status: this.#status });
    void this.sync();
  }

  /** For other background code (such as the in-page badge's relay to tabs) that reacts to server events. */
  subscribe(listener: (event: ServerEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Opens, replaces or closes the stream to match the stored sign-in. Calls are queued, never run side by side. */
  sync(): Promise<void> {
    this.#syncing = this.#syncing.then(() => this.#syncNow());
    return this.#syncing;
  }

  close() {
    this.#stream?.handle?.close();
    this.#stream = undefined;
  }

  async #syncNow() {
    const signIn = await currentSignIn();
    const signInKey = signIn ? `${signIn.serverUrl}\n${signIn.token}` : undefined;
    if (this.#stream && this.#stream.signInKey === signInKey) return;
    this.close();
    if (!signIn || !signInKey) {
      this.#setStatus({ state: 'signed-out' });
      return;
    }
    // Recorded before opening: the stream reports its first status synchronously, and stale streams must not.
    const stream: { signInKey: string; handle?: EventStream } = { signInKey };
    this.#stream = stream;
    stream.handle = openEventStream({
      serverUrl: signIn.serverUrl,
      token: signIn.token,
      ...(this.#options.fetch ? { fetch: this.#options.fetch } : {}),
      ...(this.#options.initialDelayMs === undefined ? {} : { initialDelayMs: this.#options.initialDelayMs }),
      onEvent: (event) => {
        this.#broadcast({ kind: 'event', event });
        for (const listener of this.#listeners) {
          try {
            listener(event);
          } catch {
            // One listener's bug must not keep the event from the others.
          }
        }
      },
      onStatus: (status) => {
        if (this.#stream === stream) this.#setStatus(status);
      },
      onUnauthorized: () => {
        // The token was revoked: forgetting it makes storage's watcher call sync(), which reports signed-out.
        void forgetSignIn(signIn.token);
      },
    });
  }

  #setStatus(status: LiveStreamStatus) {
    if (JSON.stringify(status) === JSON.stringify(this.#status)) return;
    this.#status = status;
    this.#broadcast({ kind: 'status', status });
  }

  #broadcast(message: LiveEventsMessage) {
    for (const port of this.#ports) this.#post(port, message);
  }

  #post(port: LivePort, message: LiveEventsMessage) {
    try {
      port.postMessage(message);
    } catch {
      // The page went away between its disconnect and our post.
      this.#ports.delete(port);
    }
  }
}

/** Wires the hub to the browser: ports from pages and content scripts, and changes of the sign-in or server. */
export function registerLiveEvents(): LiveEventHub {
  const hub = new LiveEventHub();
  browser.runtime.onConnect.addListener((port) => {
    if (port.name === LIVE_EVENTS_PORT) hub.addPort(port as unknown as LivePort);
  });
  signInItem.watch(() => void hub.sync());
  serverUrlItem.watch(() => void hub.sync());
  void hub.sync();
  return hub;
}
