import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import { createDynamicsSimulator, type DynamicsSimulator } from './index.ts';
import { ADMIN, CONTOSO, signIn, startDynamics, webApi } from './testing.ts';

let sim: DynamicsSimulator;
let listening: ListeningOrigins;
let api: ReturnType<typeof webApi>;
let control: (path: string, init?: RequestInit) => Promise<Response>;

beforeAll(async () => {
  ({ sim, listening } = await startDynamics({ records: { accounts: 5, contacts: 12, leads: 5 } }));
  api = webApi(sim, 'contoso', (await signIn(sim, ADMIN, CONTOSO)).accessToken);
  // Controls answer on every origin; these tests use the environment's own.
  control = (path, init = {}) => fetch(`${sim.origins.httpUrl('env:contoso')}/__sim/${path}`, init);
});
afterAll(async () => listening.close());
beforeEach(async () => {
  await control('faults', { method: 'DELETE' });
  await control('settings', { method: 'PUT', body: JSON.stringify({ requestLimit: 6000, concurrencyLimit: 52 }) });
  await control('counters', { method: 'DELETE' });
});

describe('fault controls', () => {
  it('answers a count of requests with 429 and Retry-After, as service protection does', async () => {
    const set = await control('faults', {
      method: 'PUT',
      body: JSON.stringify({ throttleCount: 2, retryAfterSeconds: 7 }),
    });
    expect(((await set.json()) as { throttleCount: number }).throttleCount).toBe(2);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const throttled = await api('contacts?$select=fullname');
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('7');
      expect(await throttled.json()).toEqual({
        error: {
          code: '0x80072322',
          message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
        },
      });
    }
    expect((await api('contacts?$select=fullname')).status).toBe(200);
    const counters = (await (await control('counters')).json()) as Record<string, number>;
    expect(counters['webapi-read']).toBe(3);
  });

  it('limits shares of 503 and 429 to one environment and to the kinds asked for', async () => {
    sim.control.setFaults({ unavailableShare: 1, environment: 'contoso-dev' });
    expect((await api('WhoAmI')).status).toBe(200);
    sim.control.setFaults({ unavailableShare: 1, environment: 'contoso', kinds: ['webapi-write'] });
    expect((await api('WhoAmI')).status).toBe(200);
    const write = await api('contacts', { method: 'POST', body: JSON.stringify({ lastname: 'Faulted' }) });
    expect(write.status).toBe(503);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe('0x80040216');
    expect(sim.control.records('contoso', 'contacts').some((row) => row.lastname === 'Faulted')).toBe(false);
    sim.control.setFaults({ unavailableShare: 0, throttleShare: 0.5, kinds: ['webapi-read'] });
    const statuses = [];
    for (let index = 0; index < 20; index += 1) statuses.push((await api('contacts?$top=1')).status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(200);
  });

  it('adds latency, and gives a one-shot 401 as an expired token would', async () => {
    sim.control.setFaults({ latencyMs: 150 });
    const started = performance.now();
    expect((await api('WhoAmI')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    sim.control.clearFaults();

    await control('faults/unauthorized-once', { method: 'POST', body: JSON.stringify({ environment: 'contoso' }) });
    const first = await api('WhoAmI');
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toContain(
      'error="invalid_token", error_description="The access token is expired"',
    );
    expect((await api('WhoAmI')).status).toBe(200);
  });

  it('throttles the Entra token endpoint when asked, in Entra error form', async () => {
    sim.control.setFaults({ throttleCount: 1, kinds: ['entra-token'] });
    const tenant = sim.environment('contoso').tenantId;
    const response = await fetch(`${sim.origins.httpUrl('entra:public')}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x&client_id=y',
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ error: 'temporarily_unavailable', error_codes: [90055] });
  });
});

describe('service protection limits', () => {
  it('counts requests per user over the sliding window, and a $batch as one request', async () => {
    // Start from an empty window: the earlier tests' requests still count for five minutes.
    sim.control.advanceClock(301_000);
    sim.control.configure({ requestLimit: 3 });
    const remaining = async (response: Response) => {
      expect(response.status).toBe(200);
      return response.headers.get('x-ms-ratelimit-burst-remaining-xrm-requests');
    };
    expect(await remaining(await api('WhoAmI'))).toBe('2');
    const inner = (path: string) =>
      `--b\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nGET ${path} HTTP/1.1\r\n\r\n`;
    const batch = await api('$batch', {
      method: 'POST',
      headers: { 'content-type': 'multipart/mixed; boundary=b' },
      body: `${inner('WhoAmI')}\r\n${inner('contacts?$top=1')}\r\n--b--\r\n`,
    });
    expect(await remaining(batch)).toBe('1');
    expect(await remaining(await api('WhoAmI'))).toBe('0');
    const limited = await api('WhoAmI');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(290);
    expect(((await limited.json()) as { error: { message: string } }).error.message).toBe(
      'Number of requests exceeded the limit of 3 over time window of 300 seconds.',
    );
    sim.control.advanceClock(301_000);
    expect((await api('WhoAmI')).status).toBe(200);
  });

  it('refuses concurrent requests over the concurrency limit', async () => {
    sim.control.configure({ concurrencyLimit: 2 });
    sim.control.setFaults({ latencyMs: 200 });
    const responses = await Promise.all([api('WhoAmI'), api('WhoAmI'), api('WhoAmI')]);
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 200, 429]);
    const refused = responses.find((response) => response.status === 429);
    expect(((await refused?.json()) as { error: { code: string } } | undefined)?.error.code).toBe('0x80072326');
  });
});

describe('state', () => {
  it('resets to the seeded rows, and the same seed gives the same ids', async () => {
    const before = sim.control.records('contoso', 'contacts');
    const victim = String(before[0]?.contactid);
    expect((await api(`contacts(${victim})`, { method: 'DELETE' })).status).toBe(204);
    expect((await control('reset', { method: 'POST' })).status).toBe(200);
    expect(sim.control.records('contoso', 'contacts')).toEqual(before);

    const twin = createDynamicsSimulator({ records: { accounts: 5, contacts: 12, leads: 5 } });
    expect(twin.topology.tenants.map((tenant) => tenant.id)).toEqual(sim.topology.tenants.map((tenant) => tenant.id));
    expect(twin.control.records('contoso', 'contacts')).toEqual(before);
    const other = createDynamicsSimulator({ seed: 7, records: { accounts: 5, contacts: 12, leads: 5 } });
    expect(other.control.records('contoso', 'contacts')[0]?.contactid).not.toBe(victim);

    const row = (await (await control(`environments/contoso/contacts/${victim}`)).json()) as Record<string, unknown>;
    expect(row.contactid).toBe(victim);
    const created = await control('environments/contoso/contacts', {
      method: 'POST',
      body: JSON.stringify({ lastname: 'Direct' }),
    });
    expect(created.status).toBe(201);
    const id = String(((await created.json()) as Record<string, unknown>).contactid);
    expect(sim.control.record('contoso', 'contacts', id)?.lastname).toBe('Direct');
  });
});
