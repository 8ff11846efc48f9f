import { afterEach, describe, expect, it, vi } from 'vitest';
import { teams } from '../db/schema.ts';
import { createInvite, redeemInvite } from '../domain/teams/team-service.ts';
import { buildTestServer } from '../test-support.ts';

type App = Awaited<ReturnType<typeof buildTestServer>>['app'];
const apps: App[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function appWith(limits: { signInRateLimit?: number; oauthRateLimit?: number }) {
  const { app } = await buildTestServer(limits);
  apps.push(app);
  return app;
}

const guess = (app: App, remoteAddress = '127.0.0.1') =>
  app.inject({
    method: 'POST',
    url: '/api/auth/redeem',
    remoteAddress,
    payload: { code: 'olinv_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', displayName: 'Guesser' },
  });

function memberOf(app: App) {
  app.db.insert(teams).values({ id: 'team-rl', name: 'Rate limits' }).run();
  const { code } = createInvite(app.db, { teamId: 'team-rl', role: 'owner', createdBy: null });
  return { token: redeemInvite(app.db, { code, displayName: 'Owner' }).token, code };
}

describe('rate limits on sign-in routes', () => {
  it('refuses invite guesses past the limit with 429, Retry-After and an error body that says when to retry', async () => {
    const app = await appWith({ signInRateLimit: 3 });
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await guess(app)).statusCode).toBe(404);
    const refused = await guess(app);
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.json()).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: `Too many sign-in attempts from your address. Wait ${retryAfter} second${retryAfter === 1 ? '' : 's'} and try again.`,
        details: { retryAfterSeconds: retryAfter },
      },
    });

    // Keyed by client address: another machine is not held back by this one's guesses.
    expect((await guess(app, '10.1.2.3')).statusCode).toBe(404);
    // A minute later the same address may try again.
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    expect((await guess(app)).statusCode).toBe(404);
  });

  it('stops a real invite from being redeemed while the address is limited, and redeems nothing', async () => {
    const app = await appWith({ signInRateLimit: 1 });
    app.db.insert(teams).values({ id: 'team-rl', name: 'Rate limits' }).run();
    const { code } = createInvite(app.db, { teamId: 'team-rl', role: 'viewer', createdBy: null });
    expect((await guess(app)).statusCode).toBe(404);
    const refused = await app.inject({
      method: 'POST',
      url: '/api/auth/redeem',
      payload: { code, displayName: 'Late' },
    });
    expect(refused.statusCode).toBe(429);
    const redeemed = app.db.$client.prepare('select redeemed_at from invites').get() as {
      redeemed_at: string | null;
    };
    expect(redeemed.redeemed_at).toBeNull();
  });

  it('counts only refused attempts: an admin redeeming real invites is never held back', async () => {
    const app = await appWith({ signInRateLimit: 2 });
    app.db.insert(teams).values({ id: 'team-rl', name: 'Rate limits' }).run();
    for (let member = 0; member < 6; member += 1) {
      const { code } = createInvite(app.db, { teamId: 'team-rl', role: 'viewer', createdBy: null });
      const redeemed = await app.inject({
        method: 'POST',
        url: '/api/auth/redeem',
        payload: { code, displayName: `Member ${member}` },
      });
      expect(redeemed.statusCode).toBe(200);
    }
    expect((await guess(app)).statusCode).toBe(404);
    expect((await guess(app)).statusCode).toBe(404);
    expect((await guess(app)).statusCode).toBe(429);
  });

  it('limits the OAuth browser pages together and answers with a page that says when to try again', async () => {
    const app = await appWith({ oauthRateLimit: 4 });
    const pages = [
      { method: 'GET' as const, url: '/oauth/start/guessed-flow' },
      { method: 'GET' as const, url: '/oauth/salesforce/callback?code=c&state=guessed-state' },
      { method: 'GET' as const, url: '/oauth/dynamics/callback?code=c&state=guessed-state' },
      {
        method: 'POST' as const,
        url: '/oauth/consent',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'flow=guessed&token=guessed&decision=accept',
      },
    ];
    for (const page of pages) expect((await app.inject(page)).statusCode).toBe(400);
    for (const page of [...pages, { method: 'POST' as const, url: '/oauth/dynamics/environment', payload: {} }]) {
      const refused = await app.inject(page);
      expect(refused.statusCode, page.url).toBe(429);
      expect(refused.headers['content-type']).toBe('text/html; charset=utf-8');
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(refused.body).toContain('Too many sign-in attempts');
      expect(refused.body).toContain(`Wait ${retryAfter} second`);
    }
  });

  it('holds a burst of parallel guesses to the limit: attempts still being answered count', async () => {
    const app = await appWith({ signInRateLimit: 3 });
    const burst = await Promise.all(Array.from({ length: 20 }, () => guess(app)));
    const statuses = burst.map((response) => response.statusCode);
    expect(statuses.filter((status) => status === 404)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(17);
    expect((await guess(app)).statusCode).toBe(429);
  });

  it('does not count requests refused for their origin: a web page cannot use up the admin’s attempts', async () => {
    const app = await appWith({ signInRateLimit: 2 });
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const fromPage = await app.inject({
        method: 'POST',
        url: '/api/auth/redeem',
        headers: { origin: 'https://evil.example' },
        payload: { code: 'olinv_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', displayName: 'Page' },
      });
      expect(fromPage.statusCode).toBe(403);
    }
    const { code } = (() => {
      app.db.insert(teams).values({ id: 'team-rl', name: 'Rate limits' }).run();
      return createInvite(app.db, { teamId: 'team-rl', role: 'admin', createdBy: null });
    })();
    const redeemed = await app.inject({
      method: 'POST',
      url: '/api/auth/redeem',
      payload: { code, displayName: 'Admin' },
    });
    expect(redeemed.statusCode).toBe(200);
  });

  it('never limits authenticated routes, which the extension polls', async () => {
    const app = await appWith({ signInRateLimit: 1, oauthRateLimit: 1 });
    const { token } = memberOf(app);
    for (let call = 0; call < 40; call += 1) {
      const me = await app.inject({ method: 'GET', url: '/api/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode).toBe(200);
      expect(me.headers['x-ratelimit-limit']).toBeUndefined();
    }
    for (let call = 0; call < 40; call += 1) {
      expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    }
  });

  it('turns a limit off with 0', async () => {
    const app = await appWith({ signInRateLimit: 0, oauthRateLimit: 0 });
    for (let attempt = 0; attempt < 40; attempt += 1) {
      expect((await guess(app)).statusCode).toBe(404);
      expect((await app.inject({ method: 'GET', url: '/oauth/start/guessed' })).statusCode).toBe(400);
    }
  });
});
