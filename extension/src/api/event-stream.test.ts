import type { ServerResponse } from 'node:http';
import type { ServerEvent } from '@orglink/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { type EventStream, type EventStreamStatus, openEventStream } from './event-stream.ts';
import { errorReply, type LocalTestServer, startLocalTestServer } from './local-test-server.ts';
import { sampleConnection } from './test-fixtures.ts';

let api: LocalTestServer | undefined;
let stream: EventStream | undefined;
afterEach(async () => {
  stream?.close();
  stream = undefined;
  await api?.close();
  api = undefined;
});

function openSse(response: ServerResponse) {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  response.flushHeaders();
}

function frame(event: ServerEvent) {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** Resolves once `predicate` holds, polling briefly; fails the test with what was seen otherwise. */
async function eventually<T>(read: () => T, predicate: (value: T) => boolean, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = read();
    if (predicate(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`condition not met; last value: ${JSON.stringify(read())}`);
}

describe('openEventStream', () => {
  it('delivers contract events sent with the bearer token, and skips ones it does not know', async () => {
    const changed: ServerEvent = { type: 'connection.changed', connection: sampleConnection({ status: 'inactive' }) };
    api = await startLocalTestServer((_request, response) => {
      openSse(response);
      response.write('retry: 3000\n: connected\n\n');
      response.write('event: future.thing\ndata: {"type":"future.thing"}\n\n');
      // Split in the middle of the JSON to prove the reader joins chunks.
      const text = frame(changed);
      response.write(text.slice(0, 25));
      setTimeout(() => response.write(text.slice(25)), 20);
      return undefined;
    });
    const events: ServerEvent[] = [];
    stream = openEventStream({
      serverUrl: api.url,
      token: 'tok',
      onEvent: (event) => events.push(event),
      onUnauthorized: () => {},
    });
    await eventually(
      () => events,
      (seen) => seen.length === 1,
    );
    expect(events).toEqual([changed]);
    expect(api.requests[0]?.headers.authorization).toBe('Bearer tok');
    expect(api.requests[0]?.headers.accept).toBe('text/event-stream');
  });

  it('reconnects with backoff after the server drops the stream, and sends Last-Event-ID', async () => {
    let connections = 0;
    api = await startLocalTestServer((_request, response) => {
      connections++;
      openSse(response);
      response.write(`id: ${connections}\n`);
      response.write(frame({ type: 'connection.deleted', connectionId: `c${connections}` }));
      if (connections < 3) response.end();
      return undefined;
    });
    const events: ServerEvent[] = [];
    const statuses: EventStreamStatus[] = [];
    stream = openEventStream({
      serverUrl: api.url,
      token: 'tok',
      onEvent: (event) => events.push(event),
      onStatus: (status) => statuses.push(status),
      onUnauthorized: () => {},
      initialDelayMs: 20,
      random: () => 1,
    });
    await eventually(
      () => events,
      (seen) => seen.length === 3,
    );
    expect(events.map((event) => (event.type === 'connection.deleted' ? event.connectionId : ''))).toEqual([
      'c1',
      'c2',
      'c3',
    ]);
    expect(api.requests[1]?.headers['last-event-id']).toBe('1');
    expect(api.requests[2]?.headers['last-event-id']).toBe('2');
    const retries = statuses.filter((status) => status.state === 'retrying');
    expect(retries[0]).toMatchObject({ retryInMs: 20, problem: expect.stringContaining('closed') });
    expect(statuses.at(-1)).toEqual({ state: 'open' });
  });

  it('doubles the delay while the server keeps failing, and honours the server retry field', async () => {
    let calls = 0;
    api = await startLocalTestServer((_request, response) => {
      calls++;
      if (calls === 1) {
        openSse(response);
        response.end('retry: 30\n\n');
        return undefined;
      }
      return errorReply(503, 'SERVICE_UNAVAILABLE', 'The server is starting.');
    });
    const statuses: EventStreamStatus[] = [];
    stream = openEventStream({
      serverUrl: api.url,
      token: 'tok',
      onEvent: () => {},
      onStatus: (status) => statuses.push(status),
      onUnauthorized: () => {},
      random: () => 1,
    });
    const retries = await eventually(
      () => statuses.filter((status) => status.state === 'retrying'),
      (seen) => seen.length >= 3,
    );
    expect(retries.slice(0, 3).map((status) => status.retryInMs)).toEqual([30, 60, 120]);
    expect(retries[1]?.problem).toContain('The server is starting.');
  });

  it('stops for good when the token is refused, with the server message', async () => {
    api = await startLocalTestServer(() => errorReply(401, 'UNAUTHORIZED', 'Your OrgLink sign-in is no longer valid.'));
    let refused: string | undefined;
    const statuses: EventStreamStatus[] = [];
    stream = openEventStream({
      serverUrl: api.url,
      token: 'revoked',
      onEvent: () => {},
      onStatus: (status) => statuses.push(status),
      onUnauthorized: (failure) => {
        refused = failure.error.message;
      },
      initialDelayMs: 5,
    });
    await eventually(
      () => refused,
      (message) => message !== undefined,
    );
    expect(refused).toBe('Your OrgLink sign-in is no longer valid.');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(api.requests).toHaveLength(1);
    expect(statuses.at(-1)?.state).toBe('closed');
  });

  it('gives up on a silent connection after the idle timeout and opens a new one', async () => {
    api = await startLocalTestServer((_request, response) => {
      openSse(response);
      return undefined; // never writes: a half-open connection
    });
    stream = openEventStream({
      serverUrl: api.url,
      token: 'tok',
      onEvent: () => {},
      onUnauthorized: () => {},
      idleTimeoutMs: 60,
      initialDelayMs: 10,
    });
    await eventually(
      () => api?.requests.length ?? 0,
      (count) => count >= 2,
    );
  });

  it('stops reconnecting once closed', async () => {
    api = await startLocalTestServer((_request, response) => {
      openSse(response);
      response.end();
      return undefined;
    });
    const statuses: EventStreamStatus[] = [];
    stream = openEventStream({
      serverUrl: api.url,
      token: 'tok',
      onEvent: () => {},
      onStatus: (status) => statuses.push(status),
      onUnauthorized: () => {},
      initialDelayMs: 30,
    });
    await eventually(
      () => statuses,
      (seen) => seen.some((status) => status.state === 'retrying'),
    );
    stream.close();
    const requestsAtClose = api.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(api.requests.length).toBe(requestsAtClose);
    expect(statuses.at(-1)).toEqual({ state: 'closed' });
  });
});
