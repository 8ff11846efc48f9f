import { ErrorBody } from '@orglink/shared';
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import { Value } from 'typebox/value';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createInvite,
  ensureFirstTeam,
  findCaller,
  INVITE_LIFETIME_MS,
  isTokenActive,
} from '../../domain/teams/team-service.ts';
import { authPlugin } from '../../plugins/auth.ts';
import { buildTestServer } from '../../test-support.ts';

let app: Awaited<ReturnType<typeof buildTestServer>>['app'];
beforeEach(async () => {
  ({ app } = await buildTestServer());
});
afterEach(() => app.close());

async function redeem(code: string, displayName = 'Ada') {
  return app.inject({ method: 'POST', url: '/api/auth/redeem', payload: { code, displayName } });
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('first start and invites', () => {
  it('creates one team and one owner invite on the first start only', () => {
    const invite = ensureFirstTeam(app.db);
    expect(invite?.role).toBe('owner');
    expect(invite?.code).toMatch(/^olinv_/);
    expect(ensureFirstTeam(app.db)).toBeUndefined();
  });

  it('redeems an invite once into a member with a working API token', async () => {
    const invite = ensureFirstTeam(app.db);
    const response = await redeem(invite?.code ?? '', 'Ada Lovelace');
    expect(response.statusCode).toBe(200);
    const { token, me } = response.json();
    expect(token).toMatch(/^olk_/);
    expect(me).toMatchObject({ user: { displayName: 'Ada Lovelace' }, team: { name: 'My team' }, role: 'owner' });
    const whoami = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(token) });
    expect(whoami.json()).toEqual(me);

    const again = await redeem(invite?.code ?? '');
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('INVITE_USED');
  });

  it('refuses expired, unknown and malformed codes with what to do', async () => {
    const teamInvite = ensureFirstTeam(app.db);
    const owner = (await redeem(teamInvite?.code ?? '')).json();
    const expired = createInvite(app.db, {
      teamId: owner.me.team.id,
      role: 'viewer',
      createdBy: null,
      now: new Date(Date.now() - INVITE_LIFETIME_MS - 1000),
    });
    const late = await redeem(expired.code);
    expect([late.statusCode, late.json().error.code]).toEqual([410, 'INVITE_EXPIRED']);
    const unknown = await redeem('olinv_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'INVITE_NOT_FOUND']);
    const malformed = await redeem('hello');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.message).toContain('code');
    for (const response of [late, unknown, malformed]) expect(Value.Check(ErrorBody, response.json())).toBe(true);
  });

  it('lets admins invite, not viewers, and signs out by revoking the token', async () => {
    const owner = (await redeem(ensureFirstTeam(app.db)?.code ?? '')).json();
    const adminInvite = await app.inject({
      method: 'POST',
      url: '/api/invites',
      headers: bearer(owner.token),
      payload: { role: 'admin' },
    });
    expect(adminInvite.statusCode).toBe(201);
    const viewerInvite = await app.inject({
      method: 'POST',
      url: '/api/invites',
      headers: bearer(owner.token),
      payload: {},
    });
    expect(viewerInvite.json().role).toBe('viewer');
    const viewer = (await redeem(viewerInvite.json().code, 'Vic')).json();
    const refused = await app.inject({
      method: 'POST',
      url: '/api/invites',
      headers: bearer(viewer.token),
      payload: {},
    });
    expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'FORBIDDEN']);

    const viewerTokenId = findCaller(app.db, viewer.token)?.tokenId ?? '';
    expect(isTokenActive(app.db, viewerTokenId)).toBe(true);
    const signout = await app.inject({ method: 'POST', url: '/api/auth/signout', headers: bearer(viewer.token) });
    expect(signout.statusCode).toBe(204);
    expect(isTokenActive(app.db, viewerTokenId)).toBe(false);
    const after = await app.inject({ method: 'GET', url: '/api/me', headers: bearer(viewer.token) });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.message).toMatch(/no longer valid/);
  });

  it('answers 401 with the way forward when the token is missing or malformed', async () => {
    const missing = await app.inject({ method: 'GET', url: '/api/me' });
    expect([missing.statusCode, missing.json().error.code]).toEqual([401, 'UNAUTHORIZED']);
    expect(missing.json().error.message).toContain('Authorization: Bearer');
    const basic = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: 'Basic abc' } });
    expect(basic.statusCode).toBe(401);
  });
});

describe('route access declarations', () => {
  it('refuses to start with an /api route that does not declare who may call it', async () => {
    const bare = Fastify();
    await bare.register(fp(async () => {}, { name: 'database' }));
    await bare.register(authPlugin);
    bare.register(async (routes) => {
      routes.get('/api/forgotten', async () => ({}));
      routes.get('/somewhere-else', async () => ({}));
    });
    await expect(bare.ready()).rejects.toThrow('route GET /api/forgotten must declare config.access');
    await bare.close();
  });
});
