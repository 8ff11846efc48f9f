import type jsforce from 'jsforce';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSalesforceSimulator } from './index.ts';
import { API_VERSION, connect, orgInfo, type Running, rawFetch, startSimulator } from './test-support.ts';

let running: Running;
let conn: jsforce.Connection;

beforeAll(async () => {
  running = await startSimulator();
  conn = await connect(running, 'acme');
  conn.bulk2.pollInterval = 25;
});
afterEach(() => running.sim.faults.reset());
afterAll(() => running.close());

async function control(path: string, method = 'GET', body?: unknown): Promise<Response> {
  // Controls answer on every origin; use the login host to show it.
  return fetch(`${running.info.loginUrls.production}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
}

describe('fault injection', () => {
  it('adds latency to product requests but not to controls', async () => {
    // Long enough that a loaded machine cannot make an undelayed control look delayed.
    running.sim.faults.set({ latencyMs: 600 });
    const started = performance.now();
    await conn.limits();
    expect(performance.now() - started).toBeGreaterThanOrEqual(595);
    const controlStarted = performance.now();
    await control('/__sim/faults');
    expect(performance.now() - controlStarted).toBeLessThan(595);
  });

  it('answers a share of API requests with 503', async () => {
    const set = await control('/__sim/faults', 'PUT', { unavailableShare: 1 });
    expect(((await set.json()) as { unavailableShare: number }).unavailableShare).toBe(1);
    const response = await rawFetch(conn, `/services/data/v${API_VERSION}/limits`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { errorCode: string }[])[0]?.errorCode).toBe('SERVER_UNAVAILABLE');
    expect((await control('/__sim/faults', 'PUT', { unavailableShare: 2 })).status).toBe(400);
  });

  it('refuses a share of API requests for the concurrent-request limit, without using the daily allocation', async () => {
    const set = await control('/__sim/faults', 'PUT', { concurrentLimitShare: 1 });
    expect(((await set.json()) as { concurrentLimitShare: number }).concurrentLimitShare).toBe(1);
    const before = running.sim.org('acme').apiUsage();
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'ConcurrentPerOrgLongTxn Limit exceeded',
    });
    const response = await rawFetch(conn, `/services/data/v${API_VERSION}/limits`);
    expect(response.status).toBe(403);
    expect(running.sim.org('acme').apiUsage()).toEqual(before);
    expect((await control('/__sim/faults', 'PUT', { concurrentLimitShare: -1 })).status).toBe(400);
    running.sim.faults.set({ concurrentLimitShare: 0 });
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({ done: true });
    expect(running.sim.faults.injected().concurrentLimit).toBe(2);
  });

  it('refuses the next N requests of one org for the concurrent-request limit', async () => {
    expect((await control('/__sim/orgs/acme/concurrent-limit', 'POST', { times: 2 })).status).toBe(200);
    expect((await control('/__sim/orgs/acme/concurrent-limit', 'POST', { times: 0 })).status).toBe(400);
    expect((await control('/__sim/orgs/nowhere/concurrent-limit', 'POST', {})).status).toBe(404);
    for (let refused = 0; refused < 2; refused += 1) {
      await expect(conn.query('SELECT Id FROM Account LIMIT 1')).rejects.toMatchObject({
        errorCode: 'REQUEST_LIMIT_EXCEEDED',
        message: 'ConcurrentPerOrgLongTxn Limit exceeded',
      });
    }
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).resolves.toMatchObject({ done: true });
    expect(running.sim.faults.injected()).toMatchObject({ concurrentLimit: 2, unavailable: 0 });
  });

  it('fails writes with UNABLE_TO_LOCK_ROW: whole single-record requests, single records in collections and bulk rows', async () => {
    running.sim.faults.set({ lockRowShare: 1 });
    await expect(conn.sobject('Account').create({ Name: 'Locked' })).rejects.toMatchObject({
      errorCode: 'UNABLE_TO_LOCK_ROW',
    });
    const results = await conn.sobject('Account').create([{ Name: 'L1' }, { Name: 'L2' }]);
    expect(results.map((result) => (result.errors[0] as unknown as { statusCode: string }).statusCode)).toEqual([
      'UNABLE_TO_LOCK_ROW',
      'UNABLE_TO_LOCK_ROW',
    ]);
    const bulk = await conn.bulk2.loadAndWaitForResults({
      object: 'Account',
      operation: 'insert',
      input: [{ Name: 'B1' }],
    });
    expect(bulk.failedResults[0]?.sf__Error).toBe(
      'UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record:--',
    );
    running.sim.faults.set({ lockRowShare: 0.5 });
    const mixed = await conn
      .sobject('Account')
      .create(Array.from({ length: 40 }, (_, index) => ({ Name: `Half ${index}` })));
    const failures = mixed.filter((result) => !result.success).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(35);
  });

  it('enforces the daily API allocation with 403 REQUEST_LIMIT_EXCEEDED', async () => {
    const response = await control('/__sim/orgs/acme/api-limit', 'PUT', { max: 50, used: 49 });
    expect(await response.json()).toEqual({ used: 49, max: 50 });
    await conn.limits();
    expect(conn.limitInfo.apiUsage).toEqual({ used: 50, limit: 50 });
    await expect(conn.query('SELECT Id FROM Account LIMIT 1')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    const raw = await rawFetch(conn, `/services/data/v${API_VERSION}/limits`);
    expect(raw.status).toBe(403);
    running.sim.org('acme').setDailyApiLimit(100_000, 0);
    expect((await conn.limits()).DailyApiRequests?.Remaining).toBe(99_999);
  });

  it('slows Bulk processing so clients see InProgress', async () => {
    running.sim.faults.set({ bulkProcessingDelayMs: 300 });
    const job = conn.bulk2.createJob({ object: 'Account', operation: 'insert' });
    await job.open();
    await job.uploadData([{ Name: 'Slow' }]);
    await job.close();
    await expect(job.poll(25, 100)).rejects.toMatchObject({ name: 'JobPollingTimeout' });
    expect((await job.check()).state).toBe('InProgress');
    await job.poll(25, 5000);
    expect((await job.check()).state).toBe('JobComplete');
  });
});

describe('test controls', () => {
  it('counts API calls by kind, per org, and resets the counters', async () => {
    await control('/__sim/counters/reset', 'POST');
    await conn.query('SELECT Id FROM Contact LIMIT 1');
    await conn.sobject('Contact').create({ LastName: 'Counted' });
    await conn.describe('Contact');
    await conn.sobject('Contact').create([{ LastName: 'C1' }, { LastName: 'C2' }]);
    const counters = (await (await control('/__sim/counters')).json()) as {
      total: Record<string, number>;
      byOrg: Record<string, Record<string, number>>;
    };
    expect(counters.byOrg.acme).toMatchObject({ 'rest-query': 1, 'rest-crud': 1, 'rest-describe': 1, composite: 1 });
    expect(running.sim.counters().total['rest-query']).toBe(1);
    running.sim.resetCounters();
    expect(running.sim.counters().total).toEqual({});
  });

  it('reads records over HTTP, including the recycle bin', async () => {
    const created = await conn.sobject('Lead').create({ LastName: 'Readable', Company: 'Read Co' });
    await conn.sobject('Lead').destroy(created.id ?? '');
    const live = (await (await control('/__sim/orgs/acme/records/Lead')).json()) as { records: { Id: string }[] };
    expect(live.records.some((row) => row.Id === created.id)).toBe(false);
    const all = (await (await control('/__sim/orgs/acme/records/Lead?includeDeleted=true')).json()) as {
      records: { Id: string; IsDeleted: boolean }[];
    };
    expect(all.records.find((row) => row.Id === created.id)?.IsDeleted).toBe(true);
    const one = await control(`/__sim/orgs/acme/records/Lead/${created.id}`);
    expect(((await one.json()) as { LastName: string }).LastName).toBe('Readable');
    expect((await control('/__sim/orgs/nope/records/Lead')).status).toBe(404);
  });

  it('revokes every token of an org and resets to the seeded state', async () => {
    const other = await connect(running, 'globex');
    const revoke = await control('/__sim/orgs/globex/revoke-tokens', 'POST');
    expect(((await revoke.json()) as { revoked: number }).revoked).toBeGreaterThan(0);
    const stale = await rawFetch(other, `/services/data/v${API_VERSION}/limits`);
    expect(stale.status).toBe(401);

    const seeded = running.sim.org('acme').count('Contact');
    const extra = await conn.sobject('Contact').create({ LastName: 'Temporary' });
    expect(running.sim.org('acme').count('Contact')).toBeGreaterThan(seeded);
    const firstBefore = running.sim.org('acme').records('Account')[0];
    await control('/__sim/reset', 'POST');
    expect(running.sim.org('acme').record('Contact', extra.id ?? '')).toBeUndefined();
    expect(running.sim.org('acme').records('Account')[0]).toEqual(firstBefore);
    const afterReset = await rawFetch(conn, `/services/data/v${API_VERSION}/limits`);
    expect(afterReset.status).toBe(401);
    conn = await connect(running, 'acme');
    conn.bulk2.pollInterval = 25;
  });

  it('is deterministic per seed and describes every org with its credentials', () => {
    const a = createSalesforceSimulator({ seed: 7, recordCounts: { Account: 3, Contact: 3, Lead: 3 } });
    const b = createSalesforceSimulator({ seed: 7, recordCounts: { Account: 3, Contact: 3, Lead: 3 } });
    const c = createSalesforceSimulator({ seed: 8, recordCounts: { Account: 3, Contact: 3, Lead: 3 } });
    expect(a.org('acme').records('Contact')).toEqual(b.org('acme').records('Contact'));
    expect(a.org('acme').records('Contact')).not.toEqual(c.org('acme').records('Contact'));
    const info = running.info;
    expect(info.orgs.map((org) => [org.name, org.type, org.myDomain])).toEqual([
      ['acme', 'production', 'acme.my.salesforce.com'],
      ['acme--uat', 'sandbox', 'acme--uat.sandbox.my.salesforce.com'],
      ['globex', 'production', 'globex.my.salesforce.com'],
    ]);
    const acme = orgInfo(running, 'acme');
    expect(acme.orgId).toMatch(/^00D[a-zA-Z0-9]{15}$/);
    expect(acme.browser.lightningUrl).toBe('https://acme.lightning.force.com/lightning/page/home');
    expect(acme.users[0]).toMatchObject({ username: 'admin@acme.com', permissions: { bulkApiHardDelete: true } });
    expect(acme.connectedApps[0]?.clientCredentialsUser).toBe('integration@acme.com');
    expect(info.connectedApps[0]?.clientId).toMatch(/^3MVG9/);
  });
});
