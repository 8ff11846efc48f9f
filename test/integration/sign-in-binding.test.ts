import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { Browser, pageText } from './support/browser.ts';
import { connectSalesforce, reauthorizeSalesforce, releaseAllOrgs } from './support/connect.ts';
import { apiAs, connectionRow, createTeam, type RunningOrgLink, startOrgLink } from './support/orglink.ts';
import { decideDpa, salesforceUser, signInToSalesforce } from './support/sign-in.ts';

// A sign-in belongs to the browser that opened its link first; a forwarded or leaked link cannot be finished
// elsewhere. Opening the link again in the same browser is harmless.
let sandbox: Sandbox;
let orglink: RunningOrgLink;

beforeAll(async () => {
  sandbox = await startSandbox();
  orglink = await startOrgLink({ SANDBOX_URL: sandbox.url });
});
afterEach(() => releaseAllOrgs(orglink.app));
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

/** The first visit of a login link, as the admin's popup makes it: the redirect to the CRM and the binding cookie. */
async function openLoginLink(loginUrl: string, cookie?: string) {
  const response = await fetch(loginUrl, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const location = response.headers.get('location') ?? '';
  const setCookie = response.headers.get('set-cookie') ?? '';
  return {
    response,
    location,
    cookie: setCookie.split(';')[0] ?? '',
    state: new URL(location, loginUrl).searchParams.get('state'),
  };
}

async function newSalesforceConnection(name: string) {
  const team = createTeam(orglink.app);
  const created = await apiAs(orglink.app, team.admin).post('/api/connections', {
    name,
    kind: 'salesforce',
    environment: 'production',
  });
  expect(created.status).toBe(201);
  return { team, connectionId: created.body.connection.id as string, loginUrl: created.body.loginUrl as string };
}

describe('sign-in bound to one browser', () => {
  it('refuses the login link and the callback in any other browser, storing nothing', async () => {
    const { connectionId, loginUrl } = await newSalesforceConnection('Bound');
    const admin = await openLoginLink(loginUrl);
    expect(admin.response.status).toBe(302);
    expect(admin.cookie).toMatch(/^olflow-[\w-]+=[\w-]+$/);
    expect(admin.state).toBeTruthy();

    // Someone else opens the same link: refused, and the admin's sign-in is not disturbed.
    const other = new Browser();
    const stranger = await other.open(loginUrl);
    expect(stranger.status).toBe(403);
    expect(pageText(stranger)).toContain('can only be finished in the window that opened its link');

    // A callback carrying the right state but not the browser's cookie is refused too.
    const callback = new URL('/oauth/salesforce/callback', loginUrl);
    callback.searchParams.set('state', admin.state ?? '');
    callback.searchParams.set('code', 'stolen-code');
    const forged = await fetch(callback);
    expect(forged.status).toBe(403);
    expect(connectionRow(orglink.app, connectionId)).toMatchObject({ status: 'pending', credentials: null });

    // The admin's own browser reopening the link gets the same CRM sign-in (same state and PKCE challenge).
    const reopened = await openLoginLink(loginUrl, admin.cookie);
    expect(reopened.response.status).toBe(302);
    expect(reopened.location).toBe(admin.location);

    // In the admin's browser, a code Salesforce refuses is a clear 4xx page, and the new connection is dropped.
    const refused = await fetch(callback, { headers: { cookie: admin.cookie } });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toContain('Salesforce refused the sign-in code');
    expect(connectionRow(orglink.app, connectionId)).toBeUndefined();
  });

  it('completes normally in the browser that opened the link, even after opening it twice', async () => {
    const { team, connectionId, loginUrl } = await newSalesforceConnection('Twice');
    const browser = new Browser();
    await browser.open(loginUrl);
    const dpa = await signInToSalesforce(browser, loginUrl, salesforceUser(sandbox, 'acme'));
    const done = await decideDpa(browser, dpa, 'accept');
    expect(done.status).toBe(200);
    expect((await apiAs(orglink.app, team.viewer).get(`/api/connections/${connectionId}`)).body.status).toBe('active');
  });
});

describe('sign-in bound to the admin who started it', () => {
  it('ends when that admin signs out before the DPA: refused, nothing stored, the new connection dropped', async () => {
    const { team, connectionId, loginUrl } = await newSalesforceConnection('Signed out');
    const browser = new Browser();
    const dpa = await signInToSalesforce(browser, loginUrl, salesforceUser(sandbox, 'acme'));
    expect((await apiAs(orglink.app, team.admin).post('/api/auth/signout')).status).toBe(204);

    const refused = await decideDpa(browser, dpa, 'accept');
    expect(refused.status).toBe(403);
    expect(pageText(refused)).toContain('The OrgLink admin who started this sign-in has signed out');
    expect(connectionRow(orglink.app, connectionId)).toBeUndefined();
    // The flow is over: posting the same form again is a replay, not a second chance.
    expect((await decideDpa(browser, dpa, 'accept')).status).toBe(409);
  });

  it('refuses the login link of an admin who signed out since, even in the browser that would open it first', async () => {
    const { team, connectionId, loginUrl } = await newSalesforceConnection('Link after sign-out');
    expect((await apiAs(orglink.app, team.admin).post('/api/auth/signout')).status).toBe(204);
    const opened = await openLoginLink(loginUrl);
    expect(opened.response.status).toBe(403);
    expect(opened.location).toBe('');
    expect(connectionRow(orglink.app, connectionId)).toBeUndefined();
  });
});

describe('pause is the admin’s decision', () => {
  it('survives losing the tokens and re-authorizing: the connection comes back paused', async () => {
    const team = createTeam(orglink.app);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Paused', org: 'globex' });
    const api = apiAs(orglink.app, team.admin);
    expect((await api.post(`/api/connections/${connection.id}/pause`)).body.status).toBe('paused');
    sandbox.salesforce.org('globex').revokeAllTokens();
    const tested = await api.post(`/api/connections/${connection.id}/test`);
    expect(tested.body.connection.status).toBe('inactive');

    await reauthorizeSalesforce(orglink.app, sandbox, team.admin, connection.id, 'globex');
    expect((await api.get(`/api/connections/${connection.id}`)).body).toMatchObject({ status: 'paused' });
    expect((await api.post(`/api/connections/${connection.id}/activate`)).body.status).toBe('active');
  });
});
