import type { ServerEvent } from '@orglink/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { errorReply, type LocalTestServer, type Reply, startLocalTestServer } from '../api/local-test-server.ts';
import { sampleConnection, sampleJob, sampleMe } from '../api/test-fixtures.ts';
import { sendMessage } from '../messaging.ts';
import { serverUrlItem, signInItem } from '../storage.ts';
import {
  type BadgeBrowser,
  type BadgeSender,
  isConnectionEvent,
  orgBadgeStatusFor,
  registerBadgeHandlers,
  relayConnectionChange,
} from './badge-handlers.ts';

// Gate 3 in the background, with WXT's in-memory browser, a cookie jar of the test's own and a real HTTP server
// standing in for the API.
const TOKEN = 'oltok_0123456789abcdefghijklmnop';
const ORG = '00D5e000000Acme';
const SESSION = 'AQ4AQSessionSecretThatMustNeverLeave';
const DYNAMICS_ORG = '7d0e3a52-5c1b-4c59-9a57-1f0c2b6e9d10';

let api: LocalTestServer;
let lookup: () => Reply;
beforeAll(async () => {
  api = await startLocalTestServer((request) =>
    request.method === 'GET' && request.path.startsWith('/api/connections/lookup?') ? lookup() : { status: 599 },
  );
});
afterAll(() => api.close());

let cookieReads: { url: string; storeId?: string }[];
let browserApi: BadgeBrowser;
beforeEach(async () => {
  fakeBrowser.reset();
  await serverUrlItem.setValue(api.url);
  await signInItem.setValue({ serverUrl: api.url, token: TOKEN, me: sampleMe });
  api.requests.length = 0;
  lookup = () => ({ body: { connection: null } });
  cookieReads = [];
  browserApi = {
    cookies: {
      get: async ({ url, storeId }) => {
        cookieReads.push({ url, ...(storeId ? { storeId } : {}) });
        return new URL(url).hostname === 'acme.my.salesforce.com' ? { value: `${ORG}!${SESSION}` } : null;
      },
    },
    cookieStoreOf: async () => '0',
  };
});

const lightningTab: BadgeSender = {
  tab: { id: 7 },
  frameId: 0,
  url: 'https://acme.lightning.force.com/lightning/page/home',
};
const dynamicsTab: BadgeSender = { tab: { id: 8 }, frameId: 0, url: 'https://contoso.crm.dynamics.com/main.aspx' };

describe('orgBadgeStatusFor, Salesforce', () => {
  it("looks the org up by the sid cookie's org prefix, sending nothing of the session", async () => {
    lookup = () => ({ body: { connection: sampleConnection() } });
    const status = await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi);
    expect(status).toEqual({
      state: 'connected',
      connection: { id: sampleConnection().id, name: 'Acme Production', status: 'active', statusReason: null },
    });
    expect(api.requests.map((request) => request.path)).toEqual([`/api/connections/lookup?orgId=${ORG}`]);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.stringify(api.requests)).not.toContain(SESSION);
    expect(JSON.stringify(status)).not.toContain(SESSION);
    expect(cookieReads).toEqual([
      { url: 'https://acme.lightning.force.com/', storeId: '0' },
      { url: 'https://acme.my.salesforce.com/', storeId: '0' },
    ]);
  });

  it('gives the badge only what it shows of the connection', async () => {
    lookup = () => ({ body: { connection: sampleConnection({ status: 'inactive', statusReason: 'token revoked' }) } });
    const status = await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi);
    expect(status).toEqual({
      state: 'connected',
      connection: {
        id: sampleConnection().id,
        name: 'Acme Production',
        status: 'inactive',
        statusReason: 'token revoked',
      },
    });
  });

  it('says not connected when the team has no connection to the org', async () => {
    expect(await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi)).toEqual({
      state: 'not-connected',
    });
  });

  it('answers signed-out without reading a cookie or calling the API when there is no token', async () => {
    await signInItem.setValue(null);
    expect(await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi)).toEqual({ state: 'signed-out' });
    expect(cookieReads).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it('answers signed-out, and forgets the token, when the server no longer accepts it', async () => {
    lookup = () => errorReply(401, 'UNAUTHORIZED', 'Your OrgLink sign-in is no longer valid.');
    expect(await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi)).toEqual({ state: 'signed-out' });
    expect(await signInItem.getValue()).toBeNull();
  });

  it('keeps the page untouched when the server cannot answer', async () => {
    lookup = () => errorReply(503, 'SERVICE_UNAVAILABLE', 'Try again in a minute.');
    expect(await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi)).toEqual({
      state: 'unavailable',
      message: 'Try again in a minute.',
    });
  });

  it.each<[string, BadgeSender]>([
    ['an extension page', { url: 'chrome-extension://abc/connections.html' }],
    ['an iframe', { ...lightningTab, frameId: 3 }],
    ['a page that is not Salesforce', { ...lightningTab, url: 'https://evil-salesforce.com/lightning/page/home' }],
    ['a Dynamics page asking as Salesforce', dynamicsTab],
  ])('tells nothing about an org to %s', async (_label, sender) => {
    expect(await orgBadgeStatusFor({ kind: 'salesforce' }, sender, browserApi)).toEqual({ state: 'unrecognised' });
    expect(cookieReads).toEqual([]);
    expect(api.requests).toEqual([]);
  });

  it('does not guess when there is no session cookie', async () => {
    const sender = { ...lightningTab, url: 'https://globex.lightning.force.com/lightning/page/home' };
    expect(await orgBadgeStatusFor({ kind: 'salesforce' }, sender, browserApi)).toEqual({ state: 'unrecognised' });
    expect(api.requests).toEqual([]);
  });
});

describe('orgBadgeStatusFor, Dynamics', () => {
  it('looks the environment up by the organization id the page read, in one form', async () => {
    lookup = () => ({ body: { connection: sampleConnection({ kind: 'dynamics', environment: 'public' }) } });
    const status = await orgBadgeStatusFor(
      { kind: 'dynamics', orgId: `{${DYNAMICS_ORG.toUpperCase()}}` },
      dynamicsTab,
      browserApi,
    );
    expect(status.state).toBe('connected');
    expect(api.requests[0]?.path).toBe(`/api/connections/lookup?orgId=${DYNAMICS_ORG}`);
    expect(cookieReads).toEqual([]);
  });

  it.each<[string, unknown, BadgeSender]>([
    ['an id that is not a GUID', { kind: 'dynamics', orgId: '../../api/connections' }, dynamicsTab],
    ['a missing id', { kind: 'dynamics' }, dynamicsTab],
    ['an unknown kind', { kind: 'catalog', orgId: DYNAMICS_ORG }, dynamicsTab],
    ['no request at all', undefined, dynamicsTab],
    ['a Salesforce page', { kind: 'dynamics', orgId: DYNAMICS_ORG }, lightningTab],
    [
      'an API host',
      { kind: 'dynamics', orgId: DYNAMICS_ORG },
      { ...dynamicsTab, url: 'https://contoso.api.crm.dynamics.com/' },
    ],
  ])('refuses %s', async (_label, request, sender) => {
    expect(await orgBadgeStatusFor(request, sender, browserApi)).toEqual({ state: 'unrecognised' });
    expect(api.requests).toEqual([]);
  });
});

describe('relayConnectionChange', () => {
  it('tells the tabs that asked, and forgets those that no longer answer', async () => {
    await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi);
    await orgBadgeStatusFor({ kind: 'dynamics', orgId: DYNAMICS_ORG }, dynamicsTab, browserApi);
    await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi);

    const told: number[] = [];
    await relayConnectionChange(async (tabId) => {
      told.push(tabId);
      if (tabId === 8) throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    expect(told.sort()).toEqual([7, 8]);

    told.length = 0;
    await relayConnectionChange(async (tabId) => {
      told.push(tabId);
    });
    expect(told).toEqual([7]);
  });

  it('tells no tab that was signed out or unrecognised', async () => {
    await signInItem.setValue(null);
    await orgBadgeStatusFor({ kind: 'salesforce' }, lightningTab, browserApi);
    const told: number[] = [];
    await relayConnectionChange(async (tabId) => {
      told.push(tabId);
    });
    expect(told).toEqual([]);
  });
});

describe('registerBadgeHandlers', () => {
  it('answers the message and listens to the live event stream', async () => {
    const listeners: ((event: ServerEvent) => void)[] = [];
    registerBadgeHandlers({
      subscribe: (listener) => {
        listeners.push(listener);
        return () => undefined;
      },
    });
    // Sent from this test, which is no tab: the background must not say which org anything is.
    expect(await sendMessage('getOrgBadgeStatus', { kind: 'salesforce' })).toEqual({ state: 'unrecognised' });
    expect(listeners).toHaveLength(1);
  });

  it('relays connection changes and deletions, not job changes', () => {
    const connection = sampleConnection();
    expect(isConnectionEvent({ type: 'connection.changed', connection })).toBe(true);
    expect(isConnectionEvent({ type: 'connection.deleted', connectionId: connection.id })).toBe(true);
    expect(isConnectionEvent({ type: 'job.changed', job: sampleJob() })).toBe(false);
  });
});
