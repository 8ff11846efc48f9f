import { Type } from '@fastify/type-provider-typebox';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teams } from '../../db/schema.ts';
import { createInvite, redeemInvite } from '../../domain/teams/team-service.ts';
import { buildTestServer } from '../../test-support.ts';

let app: Awaited<ReturnType<typeof buildTestServer>>['app'];
const tokens: Record<'admin' | 'viewer', string> = { admin: '', viewer: '' };

beforeAll(async () => {
  ({ app } = await buildTestServer());
  app.db.insert(teams).values({ id: 'team-d', name: 'Diagnostics' }).run();
  for (const role of ['admin', 'viewer'] as const) {
    const { code } = createInvite(app.db, { teamId: 'team-d', role, createdBy: null });
    tokens[role] = redeemInvite(app.db, { code, displayName: role }).token;
  }
});
afterAll(() => app.close());

const get = (url: string, token?: string) =>
  app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

const Summary = Type.Object({
  samples: Type.Integer(),
  meanMs: Type.Number(),
  p50Ms: Type.Number(),
  p90Ms: Type.Number(),
  p99Ms: Type.Number(),
  maxMs: Type.Number(),
});

describe('GET /api/diagnostics', () => {
  it('shows admins the event-loop delay of the window they ask for, memory and uptime', async () => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const response = await get('/api/diagnostics?windowSeconds=30', tokens.admin);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.eventLoop.window.seconds).toBe(30);
    expect(Value.Check(Summary, body.eventLoop.window.delay)).toBe(true);
    expect(body.eventLoop.window.delay.samples).toBeGreaterThan(0);
    expect(body.eventLoop.sinceStart.samples).toBeGreaterThanOrEqual(body.eventLoop.window.delay.samples);
    expect(body.memory.rssMb).toBeGreaterThan(0);
    expect(body.uptimeSeconds).toBeGreaterThan(0);
    // The default window is a minute.
    expect((await get('/api/diagnostics', tokens.admin)).json().eventLoop.window.seconds).toBe(60);
  });

  it('keeps viewers and strangers out', async () => {
    expect((await get('/api/diagnostics')).statusCode).toBe(401);
    const viewer = await get('/api/diagnostics', tokens.viewer);
    expect(viewer.statusCode).toBe(403);
    expect(viewer.json().error.code).toBe('FORBIDDEN');
  });

  it.each(['0', '301', '1.5', 'minute'])('answers 400 for windowSeconds=%s', async (value) => {
    const response = await get(`/api/diagnostics?windowSeconds=${value}`, tokens.admin);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/windowSeconds/);
  });
});
