import { describe, expect, it, vi } from 'vitest';
import { errorReply, type Reply } from '../api/local-test-server.ts';
import { SAMPLE_INVITE, sampleMe } from '../api/test-fixtures.ts';
import { sendMessage } from '../messaging.ts';
import { serverUrlItem, signInItem } from '../storage.ts';
import { registerAuthHandlers } from './auth-handlers.ts';
import { handlerTestServer } from './handler-test-server.ts';

// The sign-in handlers with WXT's in-memory browser and a real HTTP server standing in for the API; each test
// scripts the server's answers by route.
const { api, answers } = handlerTestServer(() => registerAuthHandlers(), { token: null });

const TOKEN = 'oltok_0123456789abcdefghijklmnop';

describe('redeemInvite', () => {
  it('refuses a malformed code with a message and sends nothing', async () => {
    const result = await sendMessage('redeemInvite', { code: 'invite-123', displayName: 'Ada' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('olinv_') },
    });
    expect(api.requests).toHaveLength(0);
  });

  it('refuses an empty name', async () => {
    const result = await sendMessage('redeemInvite', { code: SAMPLE_INVITE, displayName: '   ' });
    expect(result).toMatchObject({ ok: false, error: { message: 'Enter your name as your teammates will see it.' } });
  });

  it('stores the token, answers who we are, and never hands the token to the page', async () => {
    answers['POST /api/auth/redeem'] = () => ({ body: { token: TOKEN, me: sampleMe } });
    const result = await sendMessage('redeemInvite', { code: ` ${SAMPLE_INVITE} `, displayName: ' Ada Admin ' });
    expect(result).toEqual({ ok: true, data: sampleMe });
    expect(JSON.stringify(result)).not.toContain(TOKEN);
    expect(api.requests[0]?.body).toEqual({ code: SAMPLE_INVITE, displayName: 'Ada Admin' });
    expect(await signInItem.getValue()).toEqual({ serverUrl: api.url, token: TOKEN, me: sampleMe });
  });

  it('passes the server message for a used invite through and stores nothing', async () => {
    answers['POST /api/auth/redeem'] = () =>
      errorReply(410, 'INVITE_USED', 'This invite has already been used. Ask a team owner or admin for a new one.');
    const result = await sendMessage('redeemInvite', { code: SAMPLE_INVITE, displayName: 'Ada' });
    expect(result).toEqual({
      ok: false,
      status: 410,
      error: {
        code: 'INVITE_USED',
        message: 'This invite has already been used. Ask a team owner or admin for a new one.',
      },
    });
    expect(await signInItem.getValue()).toBeNull();
  });
});

describe('getSession', () => {
  it('is signed out without a token', async () => {
    expect(await sendMessage('getSession')).toEqual({ state: 'signed-out', serverUrl: api.url });
    expect(api.requests).toHaveLength(0);
  });

  it('asks the server who we are with the token and keeps the fresh answer', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: TOKEN, me: sampleMe });
    const promoted = { ...sampleMe, role: 'admin' as const, team: { id: 'team-1', name: 'Renamed team' } };
    answers['GET /api/me'] = () => ({ body: promoted });
    const session = await sendMessage('getSession');
    expect(session).toEqual({ state: 'signed-in', serverUrl: api.url, me: promoted });
    expect(JSON.stringify(session)).not.toContain(TOKEN);
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect((await signInItem.getValue())?.me).toEqual(promoted);
  });

  it('forgets a revoked token and says why', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: TOKEN, me: sampleMe });
    answers['GET /api/me'] = () => errorReply(401, 'UNAUTHORIZED', 'Your OrgLink sign-in is no longer valid.');
    expect(await sendMessage('getSession')).toEqual({
      state: 'signed-out',
      serverUrl: api.url,
      reason: 'Your OrgLink sign-in is no longer valid.',
    });
    expect(await signInItem.getValue()).toBeNull();
  });

  it('stays signed in with the last known identity while the server is failing', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: TOKEN, me: sampleMe });
    answers['GET /api/me'] = () => errorReply(503, 'SERVICE_UNAVAILABLE', 'The database is busy; try again.');
    expect(await sendMessage('getSession')).toEqual({
      state: 'signed-in',
      serverUrl: api.url,
      me: sampleMe,
      problem: 'The database is busy; try again.',
    });
  });

  it('does not use a sign-in made with another server', async () => {
    await signInItem.setValue({ serverUrl: 'http://127.0.0.1:1', token: TOKEN, me: sampleMe });
    expect(await sendMessage('getSession')).toEqual({ state: 'signed-out', serverUrl: api.url });
    expect(api.requests).toHaveLength(0);
  });
});

describe('signOut', () => {
  it('revokes the token on the server and forgets it here', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: TOKEN, me: sampleMe });
    answers['POST /api/auth/signout'] = () => ({ status: 204 });
    expect(await sendMessage('signOut')).toEqual({ serverRevoked: true });
    expect(api.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await signInItem.getValue()).toBeNull();
  });

  it('still signs out here when the server cannot be told, and says what that means', async () => {
    await signInItem.setValue({ serverUrl: 'http://127.0.0.1:9', token: TOKEN, me: sampleMe });
    await serverUrlItem.setValue('http://127.0.0.1:9');
    const result = await sendMessage('signOut');
    expect(result).toMatchObject({
      serverRevoked: false,
      problem: expect.stringContaining('stays valid on the server'),
    });
    expect(await signInItem.getValue()).toBeNull();
  });
});

describe('a sign-out during a session check', () => {
  it('wins: the check in flight does not bring the sign-in back', async () => {
    await signInItem.setValue({ serverUrl: api.url, token: TOKEN, me: sampleMe });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The who-am-I answer is held back until the sign-out has gone through.
    answers['GET /api/me'] = (() => held.then(() => ({ body: sampleMe }))) as unknown as () => Reply;
    answers['POST /api/auth/signout'] = () => ({ status: 204 });
    const session = sendMessage('getSession');
    await vi.waitFor(() => expect(api.requests.some((request) => request.path === '/api/me')).toBe(true));
    await sendMessage('signOut');
    release();
    expect(await session).toMatchObject({ state: 'signed-out' });
    expect(await signInItem.getValue()).toBeNull();
  });
});
