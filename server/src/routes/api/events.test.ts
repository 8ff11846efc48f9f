import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teams } from '../../db/schema.ts';
import { createInvite, ensureFirstTeam, redeemInvite } from '../../domain/teams/team-service.ts';
import { buildTestServer } from '../../test-support.ts';

let app: Awaited<ReturnType<typeof buildTestServer>>['app'];
let baseUrl: string;
let teamA: { token: string; teamId: string };
let teamB: { token: string; teamId: string };

beforeAll(async () => {
  ({ app } = await buildTestServer());
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  const first = redeemInvite(app.db, { code: ensureFirstTeam(app.db)?.code ?? '', displayName: 'A' });
  teamA = { token: first.token, teamId: first.me.team.id };
  app.db.insert(teams).values({ id: 'team-b', name: 'Other team' }).run();
  const second = redeemInvite(app.db, {
    code: createInvite(app.db, { teamId: 'team-b', role: 'viewer', createdBy: null }).code,
    displayName: 'B',
  });
  teamB = { token: second.token, teamId: 'team-b' };
});
afterAll(() => app.close());

/** Reads an SSE stream until `count` events arrived or the time is up. */
async function readEvents(token: string, count: number, whileOpen: () => void, timeoutMs = 1500) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/events`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toContain('text/event-stream');
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  let text = '';
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let published = false;
  try {
    while (reader) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
      if (!published && text.includes(': connected')) {
        published = true;
        whileOpen();
      }
      if ((text.match(/^event: /gm) ?? []).length >= count) break;
    }
  } catch {
    // aborted at the deadline
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return text;
}

describe('GET /api/events', () => {
  it('streams the events of the caller’s team, and only those', async () => {
    const text = await readEvents(teamA.token, 1, () => {
      app.events.publish(teamB.teamId, { type: 'connection.deleted', connectionId: 'not-yours' });
      app.events.publish(teamA.teamId, { type: 'connection.deleted', connectionId: 'yours' });
    });
    expect(text).toContain('event: connection.deleted\ndata: {"type":"connection.deleted","connectionId":"yours"}');
    expect(text).not.toContain('not-yours');
  });

  it('needs a token and lets go of listeners when the client leaves', async () => {
    const anonymous = await fetch(`${baseUrl}/api/events`);
    expect(anonymous.status).toBe(401);
    await readEvents(teamB.token, 1, () =>
      app.events.publish(teamB.teamId, { type: 'connection.deleted', connectionId: 'x' }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(app.events.listenerCount(teamB.teamId)).toBe(0);
  });
});
