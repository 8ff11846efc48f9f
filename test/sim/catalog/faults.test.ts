import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import type { CallCounts, CatalogSimulator, FaultSettings, SeededDuplicate } from './index.ts';
import { startCatalog, tokenHeader } from './testing.ts';

let sim: CatalogSimulator;
let listening: ListeningOrigins;
let base: string;
let token: string;

beforeAll(async () => {
  ({ sim, listening } = await startCatalog({
    seed: 3,
    accounts: [
      { subdomain: 'acme', users: 120, duplicateRate: 0.2 },
      { subdomain: 'globex', hostname: 'globex.catalog.canvaslms.com', users: 10 },
    ],
  }));
  base = sim.origins.httpUrl('account:acme');
  token = sim.account('acme').apiTokens[0] as string;
});
afterAll(async () => listening.close());
beforeEach(() => {
  for (const account of sim.accounts) account.reset();
});

const users = (query = '') => fetch(`${base}/api/v1/users${query}`, { headers: tokenHeader(token) });

async function putFaults(settings: Partial<FaultSettings>) {
  const response = await fetch(`${base}/__sim/faults`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as FaultSettings;
}

describe('fault controls', () => {
  it('throttles the next requests with 429, Retry-After and a plain-text body, then recovers', async () => {
    const settings = await putFaults({ throttleNext: 2, retryAfterSeconds: 7 });
    expect(settings).toMatchObject({ throttleNext: 2, retryAfterSeconds: 7, failureRate: 0 });
    for (let i = 0; i < 2; i += 1) {
      const response = await users();
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('7');
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe('Retry later\n');
    }
    expect((await users()).status).toBe(200);
  });

  it('fails the next requests with an HTML 503, before authentication as a proxy would', async () => {
    sim.account('acme').faults.set({ failNext: 1 });
    const response = await fetch(`${base}/api/v1/users`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('Service Unavailable');
    expect((await fetch(`${base}/api/v1/users`)).status).toBe(401);
  });

  it('applies failure and throttle shares, reproducibly from the seed', async () => {
    const run = async () => {
      sim.account('acme').faults.clear();
      await putFaults({ failureRate: 0.3, throttleRate: 0.2 });
      const statuses: number[] = [];
      for (let i = 0; i < 100; i += 1) statuses.push((await users('?per_page=1')).status);
      return statuses;
    };
    const first = await run();
    const share = (status: number) => first.filter((s) => s === status).length / first.length;
    expect(share(429)).toBeGreaterThan(0.08);
    expect(share(429)).toBeLessThan(0.35);
    expect(share(503)).toBeGreaterThan(0.12);
    expect(share(503)).toBeLessThan(0.45);
    expect(share(200)).toBeGreaterThan(0.35);
    expect(await run()).toEqual(first);
  });

  it('adds latency to API responses only', async () => {
    await putFaults({ latencyMs: 150 });
    let started = performance.now();
    expect((await users('?per_page=1')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    started = performance.now();
    await fetch(`${base}/__sim/faults`);
    expect(performance.now() - started).toBeLessThan(100);
    expect((await fetch(`${base}/__sim/faults`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.account('acme').faults.settings.latencyMs).toBe(0);
  });

  it('rejects out-of-range settings with 400 and keeps the old ones', async () => {
    const response = await fetch(`${base}/__sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ failureRate: 2 }),
    });
    expect(response.status).toBe(400);
    expect(sim.account('acme').faults.settings.failureRate).toBe(0);
  });

  it('keeps faults per account', async () => {
    await putFaults({ failNext: 5 });
    const globex = sim.account('globex');
    const response = await fetch(`${sim.origins.httpUrl('account:globex')}/api/v1/users`, {
      headers: tokenHeader(globex.apiTokens[0] as string),
    });
    expect(response.status).toBe(200);
  });
});

describe('call counters', () => {
  it('counts API calls by endpoint pattern and status, including refused ones', async () => {
    await users();
    await users('?page=2');
    await fetch(`${base}/api/v1/users/1`, { headers: tokenHeader(token) });
    await fetch(`${base}/api/v1/users`);
    sim.account('acme').faults.set({ throttleNext: 1 });
    await users();
    await fetch(`${base}/admin`, { redirect: 'manual' });
    const counts = (await (await fetch(`${base}/__sim/calls`)).json()) as CallCounts;
    expect(counts).toEqual({
      total: 5,
      byEndpoint: { 'GET /api/v1/users': 4, 'GET /api/v1/users/:id': 1 },
      byStatus: {
        'GET /api/v1/users 200': 2,
        'GET /api/v1/users 401': 1,
        'GET /api/v1/users 429': 1,
        'GET /api/v1/users/:id 404': 1,
      },
    });
    expect(sim.account('acme').calls()).toEqual(counts);
    expect(sim.account('globex').calls().total).toBe(0);
    expect((await fetch(`${base}/__sim/calls`, { method: 'DELETE' })).status).toBe(204);
    expect(sim.account('acme').calls().total).toBe(0);
  });
});

describe('state controls', () => {
  it('adds, updates and deletes users over /__sim/ and reset restores the seeded state', async () => {
    const acme = sim.account('acme');
    const seeded = acme.users().map((user) => ({ ...user, custom_fields: { ...user.custom_fields } }));
    const added = await fetch(`${base}/__sim/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: 'Bob', last_name: 'Whitaker', email_address: 'bob@whitaker.io' }),
    });
    expect(added.status).toBe(201);
    const { user } = (await added.json()) as { user: { id: number } };
    expect(acme.userCount).toBe(121);
    expect((await fetch(`${base}/__sim/users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(acme.user(user.id)).toBeUndefined();
    const missing = await fetch(`${base}/__sim/users/${user.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"first_name":"X"}',
    });
    expect(missing.status).toBe(404);

    acme.updateUser(seeded[0]?.id as number, { first_name: 'Changed' });
    const reset = await fetch(`${base}/__sim/reset`, { method: 'POST' });
    expect(await reset.json()).toEqual({ reset: true, userCount: 120 });
    expect(acme.users()).toEqual(seeded);
  });

  it('exposes the duplicate ground truth: each duplicate, its original, and all true pairs', async () => {
    const acme = sim.account('acme');
    const body = (await (await fetch(`${base}/__sim/duplicates`)).json()) as {
      duplicates: SeededDuplicate[];
      pairs: [number, number][];
    };
    expect(body.duplicates).toHaveLength(24);
    for (const duplicate of body.duplicates) {
      expect(acme.duplicateOf(duplicate.userId)).toBe(duplicate.originalId);
      expect(body.pairs).toContainEqual(
        [duplicate.userId, duplicate.originalId].sort((a, b) => a - b) as [number, number],
      );
    }
    expect(acme.duplicateOf(acme.users().find((user) => !acme.duplicateOf(user.id))?.id as number)).toBeUndefined();
    expect(body.pairs.length).toBeGreaterThanOrEqual(24);
    expect(body.pairs).toEqual(acme.truePairs());

    const victim = body.duplicates[0] as SeededDuplicate;
    acme.deleteUser(victim.userId);
    expect(acme.truePairs().some((pair) => pair.includes(victim.userId))).toBe(false);
  });

  it('controls the native Salesforce integration state', async () => {
    const response = await fetch(`${base}/__sim/integrations/salesforce`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ linked: true, salesforceUsername: 'admin@acme.org', table: 'Lead' }),
    });
    expect(response.status).toBe(200);
    expect(sim.account('acme').integration).toMatchObject({ linked: true, table: 'Lead' });
    const bad = await fetch(`${base}/__sim/integrations/salesforce`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ table: 'Account' }),
    });
    expect(bad.status).toBe(400);
  });
});
