import { CommonErrorCode, ErrorBody, ServerEvent } from '@orglink/shared';
import { Value } from 'typebox/value';
import { type ApiFailure, failed } from './api-result.ts';
import { type SseMessage, SseParser } from './sse-parser.ts';

export type EventStreamState = 'connecting' | 'open' | 'retrying' | 'closed';

export interface EventStreamStatus {
  state: EventStreamState;
  /** Why the last connection ended, in words for the admin. */
  problem?: string;
  retryInMs?: number;
}

export interface EventStreamOptions {
  /** The server's base URL; the stream is `${serverUrl}/api/events`. */
  serverUrl: string;
  token: string;
  onEvent: (event: ServerEvent) => void;
  onStatus?: (status: EventStreamStatus) => void;
  /** The token was refused: the stream stops for good, since retrying cannot help. */
  onUnauthorized: (failure: ApiFailure) => void;
  fetch?: typeof fetch;
  /** First reconnection delay when the server names none with `retry:`; doubles per failed attempt. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** The server sends a heartbeat every 15 s: a silence this long means a dead connection nobody closed. */
  idleTimeoutMs?: number;
  /** Spreads reconnections of many browsers after a server restart; tests pass a constant. */
  random?: () => number;
}

export interface EventStream {
  close(): void;
}

type AttemptOutcome =
  | { kind: 'unauthorized'; failure: ApiFailure }
  | { kind: 'ended'; opened: boolean; problem: string };

/**
 * Keeps `GET /api/events` open with fetch and a stream reader, and reconnects with exponential backoff whenever it
 * drops. Holds nothing the extension needs to remember: if Chrome stops the service worker the stream simply dies,
 * and the background opens a new one when it wakes.
 */
export function openEventStream(options: EventStreamOptions): EventStream {
  const settings = {
    initialDelayMs: options.initialDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 30_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 45_000,
  };
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const random = options.random ?? Math.random;
  const lifetime = new AbortController();
  const parserState: { retryMs: number | undefined; lastEventId: string | undefined } = {
    retryMs: undefined,
    lastEventId: undefined,
  };

  const report = (status: EventStreamStatus) => {
    if (!lifetime.signal.aborted || status.state === 'closed') options.onStatus?.(status);
  };

  const dispatch = (message: SseMessage) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message.data);
    } catch {
      return; // not JSON: not an event this extension knows
    }
    // Events a newer server adds are skipped rather than misread.
    if (!Value.Check(ServerEvent, parsed)) return;
    try {
      options.onEvent(parsed);
    } catch {
      // A listener's bug must not end the stream for everyone else.
    }
  };

  async function attempt(): Promise<AttemptOutcome> {
    const attemptController = new AbortController();
    const signal = AbortSignal.any([lifetime.signal, attemptController.signal]);
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let idle = false;
    const armIdleTimer = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        idle = true;
        attemptController.abort();
      }, settings.idleTimeoutMs);
    };
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      authorization: `Bearer ${options.token}`,
      'cache-control': 'no-cache',
    };
    if (parserState.lastEventId !== undefined) headers['last-event-id'] = parserState.lastEventId;
    let opened = false;
    try {
      armIdleTimer();
      const response = await fetchImpl(`${options.serverUrl}/api/events`, { headers, signal });
      if (response.status === 401) {
        const body: unknown = await response.json().catch(() => undefined);
        const failure: ApiFailure = Value.Check(ErrorBody, body)
          ? { ok: false, status: 401, error: body.error }
          : failed(
              401,
              CommonErrorCode.Unauthorized,
              'The server no longer accepts your sign-in. Redeem a new invite in Settings.',
            );
        return { kind: 'unauthorized', failure };
      }
      if (!response.ok || !response.body) {
        const body: unknown = await response.json().catch(() => undefined);
        const reason = Value.Check(ErrorBody, body) ? body.error.message : `HTTP ${response.status}`;
        return { kind: 'ended', opened, problem: `The server refused the live updates: ${reason}` };
      }
      if (!(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        await response.body.cancel();
        return { kind: 'ended', opened, problem: 'The server did not answer with an event stream.' };
      }
      opened = true;
      report({ state: 'open' });
      const parser = new SseParser();
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          armIdleTimer();
          for (const message of parser.push(decoder.decode(value, { stream: true }))) dispatch(message);
          parserState.retryMs = parser.retryMs ?? parserState.retryMs;
          parserState.lastEventId = parser.lastEventId ?? parserState.lastEventId;
        }
        for (const message of parser.push(decoder.decode())) dispatch(message);
        parser.end();
      } finally {
        reader.releaseLock();
      }
      return { kind: 'ended', opened, problem: 'The server closed the live updates.' };
    } catch (error) {
      if (idle) return { kind: 'ended', opened, problem: 'The live updates went silent.' };
      const reason = error instanceof Error ? error.message : String(error);
      return { kind: 'ended', opened, problem: `The live updates were interrupted (${reason}).` };
    } finally {
      clearTimeout(idleTimer);
      attemptController.abort();
    }
  }

  async function run() {
    let failures = 0;
    while (!lifetime.signal.aborted) {
      report({ state: 'connecting' });
      const outcome = await attempt();
      if (lifetime.signal.aborted) break;
      if (outcome.kind === 'unauthorized') {
        lifetime.abort();
        options.onStatus?.({ state: 'closed', problem: outcome.failure.error.message });
        options.onUnauthorized(outcome.failure);
        return;
      }
      if (outcome.opened) failures = 0;
      const base = parserState.retryMs ?? settings.initialDelayMs;
      const ceiling = Math.min(settings.maxDelayMs, base * 2 ** failures);
      // Between half and all of the ceiling: reconnections of many browsers spread out.
      const delay = Math.round(ceiling * (0.5 + random() / 2));
      failures++;
      report({ state: 'retrying', problem: outcome.problem, retryInMs: delay });
      await sleep(delay, lifetime.signal);
    }
    options.onStatus?.({ state: 'closed' });
  }

  void run();
  return {
    close() {
      lifetime.abort();
    },
  };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
