import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { type LocalTestServer, type Reply, startLocalTestServer } from '../api/local-test-server.ts';
import { sampleConnection, sampleMe } from '../api/test-fixtures.ts';
import { sendMessage } from '../messaging.ts';
import { serverUrlItem, signInItem } from '../storage.ts';
import { activeTabContext, checkRunListQuery, registerRunHandlers, type TabContextBrowser } from './run-handlers.ts';
import { sampleRun } from './run-test-fixtures.ts';

// The popup's run messages and its tab recognition, with WXT's in-memory browser and a real HTTP server as the API.
const TOKEN = 'oltok_0123456789abcdefghijklmnop';
const ORG = '00D5e000000Acme';
let api: LocalTestServer;
let routes: Record<string, () => Reply>;
beforeAll(async () => {
  api = await startLocalTestServer((request) => {
    const path = new URL(request.path, 'http://x').pathname;
    return routes[`${request.method} ${path}`]?.() ?? { status: 599 };
  });
});
afterAll(() => api.close());

function integration(overrides: Record<string, unknown> = {}) {
  return {
    id: 'int-1',
    connectionId: sampleConnection().id,
    connectionName: 'Acme Production',
    catalogHost: 'acme.catalog.instructure.com',
    catalogAccountName: 'Acme Learning',
    target: 'Lead',
    matchKey: 'external-id',
    externalIdField: 'Catalog_Id__c',
    fieldMap: [],
    schedule: '0 0 * * *',
    linkState: 'linked',
    problem: null,
    jobId: 'job-1',
    lastRun: null,
    createdBy: 'Ada Admin',
    createdAt: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
}

/** The requests of the call under test, without the badge's recounts that each sign-in change starts. */
const callsUnderTest = () => api.requests.filter((request) => !request.path.endsWith('limit=100'));

let tabUrl: string | undefined;
const browserApi: TabContextBrowser = {
  getTabUrl: async () => tabUrl,
  cookies: {
    get: async ({ url }) => (new URL(url).hostname === 'acme.my.salesforce.com' ? { value: `${ORG}!secret` } : null),
  },
  cookieStoreOf: async () => '0',
};

beforeAll(() => {
  registerRunHandlers({ subscribe: () => () => undefined });
});
beforeEach(async () => {
  await fakeBrowser.storage.local.clear();
  await serverUrlItem.setValue(api.url);
  await signInItem.setValue({ serverUrl: api.url, token: TOKEN, me: sampleMe });
  api.requests.length = 0;
  tabUrl = undefined;
  routes = {
    'GET /api/runs': () => ({ body: { runs: [sampleRun()], nextCursor: 'next-page' } }),
    'GET /api/integrations': () => ({ body: { integrations: [integration()] } }),
    'GET /api/connections': () => ({
      body: {
        connections: [
          sampleConnection(),
          sampleConnection({ id: 'dyn-1', kind: 'dynamics', instanceUrl: 'https://contoso.crm.dynamics.com' }),
        ],
      },
    }),
    'GET /api/connections/lookup': () => ({ body: { connection: sampleConnection() } }),
  };
});

describe('run list filters', () => {
  it('drops empty filters and keeps the ones the API takes', () => {
    expect(checkRunListQuery({ connection: 'c1', status: '', integration: undefined, cursor: 'abc' })).toEqual({
      ok: true,
      value: { connection: 'c1', cursor: 'abc' },
    });
    expect(checkRunListQuery(undefined)).toEqual({ ok: true, value: {} });
  });

  it('refuses a status the API does not know, saying what to do', () => {
    const checked = checkRunListQuery({ status: 'exploded' });
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.message).toMatch(/^The run filter status is not valid .*Clear the filters/);
    expect(checkRunListQuery({ colour: 'red' }).ok).toBe(false);
  });

  it('relays a filtered list through the background with the stored token', async () => {
    const result = await sendMessage('listRuns', { connection: 'c 1', status: 'failed' });
    expect(result).toEqual({ ok: true, data: { runs: [sampleRun()], nextCursor: 'next-page' } });
    expect(callsUnderTest()[0]?.path).toBe('/api/runs?connection=c+1&status=failed');
    expect(callsUnderTest()[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('answers a bad filter without calling the API', async () => {
    const result = await sendMessage('listRuns', { status: 'nope' as never });
    expect(result.ok).toBe(false);
    expect(callsUnderTest()).toEqual([]);
  });

  it('reads a single run whether or not the server wraps it', async () => {
    routes['GET /api/runs/run-1'] = () => ({ body: { run: sampleRun() } });
    expect(await sendMessage('getRun', 'run-1')).toEqual({ ok: true, data: sampleRun() });
    routes['GET /api/runs/run-1'] = () => ({ body: sampleRun({ status: 'completed' }) });
    expect(await sendMessage('getRun', 'run-1')).toMatchObject({ ok: true, data: { status: 'completed' } });
    expect(await sendMessage('getRun', '')).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});

describe('activeTabContext', () => {
  it("opens on a linked Catalog account's integration", async () => {
    tabUrl = 'https://acme.catalog.instructure.com/admin/integrations';
    expect(await activeTabContext(4, browserApi)).toEqual({ kind: 'integration', integration: integration() });
  });

  it('recognises a custom Catalog domain by the integration that uses it', async () => {
    routes['GET /api/integrations'] = () => ({
      body: { integrations: [integration({ catalogHost: 'learn.acme.edu' })] },
    });
    tabUrl = 'https://learn.acme.edu/admin';
    expect(await activeTabContext(4, browserApi)).toMatchObject({ kind: 'integration' });
  });

  it('prefers the live integration over an unlinked one of the same account', async () => {
    routes['GET /api/integrations'] = () => ({
      body: { integrations: [integration({ id: 'old', linkState: 'not-linked' }), integration({ id: 'new' })] },
    });
    tabUrl = 'https://acme.catalog.instructure.com/admin';
    expect(await activeTabContext(4, browserApi)).toMatchObject({ integration: { id: 'new' } });
  });

  it('says a Catalog account is not linked, and ignores other sites', async () => {
    tabUrl = 'https://globex.catalog.canvaslms.com/admin';
    expect(await activeTabContext(4, browserApi)).toEqual({
      kind: 'catalog-not-linked',
      host: 'globex.catalog.canvaslms.com',
    });
    tabUrl = 'https://example.com/';
    expect(await activeTabContext(4, browserApi)).toEqual({ kind: 'none' });
    tabUrl = 'http://acme.catalog.instructure.com/';
    expect(await activeTabContext(4, browserApi)).toEqual({ kind: 'none' });
  });

  it("finds a Salesforce org by its session cookie's org prefix", async () => {
    tabUrl = 'https://acme.lightning.force.com/lightning/page/home';
    expect(await activeTabContext(4, browserApi)).toEqual({ kind: 'org', connection: sampleConnection() });
    expect(callsUnderTest().map((request) => request.path)).toEqual([`/api/connections/lookup?orgId=${ORG}`]);
    routes['GET /api/connections/lookup'] = () => ({ body: { connection: null } });
    expect(await activeTabContext(4, browserApi)).toEqual({
      kind: 'org-not-connected',
      crm: 'salesforce',
      host: 'acme.lightning.force.com',
    });
  });

  it("finds a Dynamics environment by its connection's instance URL", async () => {
    tabUrl = 'https://contoso.crm.dynamics.com/main.aspx?appid=1';
    expect(await activeTabContext(4, browserApi)).toMatchObject({ kind: 'org', connection: { id: 'dyn-1' } });
    tabUrl = 'https://fabrikam.crm4.dynamics.com/main.aspx';
    expect(await activeTabContext(4, browserApi)).toEqual({
      kind: 'org-not-connected',
      crm: 'dynamics',
      host: 'fabrikam.crm4.dynamics.com',
    });
  });

  it('knows nothing when signed out, for a bad tab id, or when the server fails', async () => {
    tabUrl = 'https://acme.catalog.instructure.com/admin';
    expect(await activeTabContext('4', browserApi)).toEqual({ kind: 'none' });
    routes['GET /api/integrations'] = () => ({ status: 503, body: { error: { code: 'X', message: 'down' } } });
    expect(await activeTabContext(4, browserApi)).toEqual({
      kind: 'catalog-not-linked',
      host: 'acme.catalog.instructure.com',
    });
    await signInItem.setValue(null);
    api.requests.length = 0;
    expect(await activeTabContext(4, browserApi)).toEqual({ kind: 'none' });
    expect(callsUnderTest()).toEqual([]);
  });
});
