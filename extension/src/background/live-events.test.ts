import type { ServerResponse } from 'node:http';
import type { ServerEvent } from '@orglink/shared';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorReply, type LocalTestServer, startLocalTestServer } from '../api/local-test-server.ts';
import { sampleConnection, sampleMe } from '../api/test-fixtures.ts';
import type { LiveEventsMessage } from '../messaging.ts';
import { serverUrlItem, signInItem } from '../storage.ts';
import { LiveEventHub, type LivePort } from './live-events.ts';

// The hub with WXT's in-memory storage, plain objects as ports, and a real HTTP server sending the event stream.
let api: LocalTestServer;
let refuseToken: string | undefined;
const openStreams = new Set<ServerResponse>();
beforeAll(async () => {
  api = await startLocalTestServer((request, response) => {
    if (request.headers.authorization === `Bearer ${refuseToken}`) {
      return errorReply(401, 'UNAUTHORIZED', 'Your OrgLink sign-in is no longer valid.');
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.write(': connected\n\n');
    openStreams.add(response);
    response.on('close', () => openStreams.delete(response));
    return undefined;
  });
});
afterAll(() => api.close());

let hub: LiveEventHub;
beforeEach(async () => {
  await fakeBrowser.storage.local.clear();
  await serverUrlItem.setValue(api.url);
  api.requests.length = 0;
  refuseToken = undefined;
  hub = new LiveEventHub({ initialDelayMs: 10 });
});
afterEach(() => {
  hub.close();
  for (const response of openStreams) response.destroy();
  openStreams.clear();
});

function fakePort() {
  const received: LiveEventsMessage[] = [];
  const disconnectListeners: Array<() => void> = [];
  const port: LivePort = {
    postMessage: (message) => received.push(message),
    onDisconnect: { addListener: (listener) => disconnectListeners.push(listener) },
  };
  const disconnect = () => {
    for (const listener of disconnectListeners) listener();
  };
  return { port, received, disconnect };
}

function send(event: ServerEvent) {
  for (const response of openStreams) response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

async function until(predicate: () => boolean) {
  const deadline = Date.now() + 3000;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('LiveEventHub', () => {
  it('tells a new port it is signed out and opens no stream without a sign-in', async () => {
    const page = fakePort();
    hub.addPort(page.port);
    await hub.sync();
    expect(page.received).toEqual([{ kind: 'status', status: { state: 'signed-out' } }]);
    expect(api.requests).toHaveLength(0);
  });

  it('opens the stream once signed in and relays events to every open port and subscriber', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: 'tok-a', me: sampleMe });
    const first = fakePort();
    const second = fakePort();
    const subscribed: ServerEvent[] = [];
    hub.subscribe((event) => subscribed.push(event));
    hub.addPort(first.port);
    hub.addPort(second.port);
    await hub.sync();
    await until(() => hub.status.state === 'open');
    expect(api.requests).toHaveLength(1);

    second.disconnect();
    const event: ServerEvent = { type: 'connection.changed', connection: sampleConnection({ status: 'inactive' }) };
    send(event);
    await until(() => first.received.some((message) => message.kind === 'event'));
    expect(first.received.filter((message) => message.kind === 'event')).toEqual([{ kind: 'event', event }]);
    expect(second.received.some((message) => message.kind === 'event')).toBe(false);
    expect(subscribed).toEqual([event]);
  });

  it('keeps one stream across repeated wake-ups and replaces it when the sign-in changes', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: 'tok-a', me: sampleMe });
    await Promise.all([hub.sync(), hub.sync(), hub.sync()]);
    await until(() => hub.status.state === 'open');
    expect(openStreams.size).toBe(1);
    await signInItem.setValue({ serverUrl: api.url, token: 'tok-b', me: sampleMe });
    await hub.sync();
    await until(() => api.requests.length === 2 && openStreams.size === 1);
    expect(api.requests.map((request) => request.headers.authorization)).toEqual(['Bearer tok-a', 'Bearer tok-b']);
  });

  it('closes the stream on sign-out and tells the ports', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: 'tok-a', me: sampleMe });
    const page = fakePort();
    hub.addPort(page.port);
    await hub.sync();
    await until(() => openStreams.size === 1);
    await signInItem.removeValue();
    await hub.sync();
    await until(() => openStreams.size === 0);
    expect(page.received.at(-1)).toEqual({ kind: 'status', status: { state: 'signed-out' } });
  });

  it('forgets a token the event stream refuses', async () => {
    refuseToken = 'tok-revoked';
    await signInItem.setValue({ serverUrl: api.url, token: 'tok-revoked', me: sampleMe });
    await hub.sync();
    await until(() => hub.status.state === 'closed');
    await until(() => api.requests.length === 1);
    // The token is forgotten after the stream reports closing: wait for the removal rather than race it.
    const deadline = Date.now() + 3000;
    while ((await signInItem.getValue()) !== null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await signInItem.getValue()).toBeNull();
  });
});
