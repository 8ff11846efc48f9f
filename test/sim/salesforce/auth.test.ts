import { createHmac } from 'node:crypto';
import jsforce from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API_VERSION,
  appInfo,
  Browser,
  connect,
  formValue,
  orgInfo,
  type Running,
  startSimulator,
  userInfo,
} from './test-support.ts';

let now = Date.UTC(2026, 0, 15, 9, 0, 0);
let running: Running;

beforeAll(async () => {
  running = await startSimulator({ now: () => now });
});
afterAll(() => running.close());

const CALLBACK = 'http://localhost:5173/oauth/callback';

function oauth2(loginUrl: string, options: { app?: number } = {}) {
  const app = appInfo(running, options.app ?? 0);
  return new jsforce.OAuth2({
    loginUrl,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    redirectUri: CALLBACK,
    useVerifier: true,
  });
}

/** Drives the web-server flow like a browser: authorize, log in, Allow; returns the callback URL. */
async function browserAuthorize(authorizeUrl: string, username: string, password: string, browser = new Browser()) {
  const authorize = await browser.get(authorizeUrl);
  expect(authorize.status).toBe(302);
  const loginPageUrl = new URL(authorize.headers.get('location') ?? '', authorizeUrl).toString();
  const loginPage = await browser.get(loginPageUrl);
  expect(loginPage.status).toBe(200);
  const loginHtml = await loginPage.text();
  expect(loginHtml).toContain('id="login_form"');
  const startURL = formValue(loginHtml, 'startURL') ?? '';
  expect(startURL).toMatch(/^\/setup\/secur\/RemoteAccessAuthorizationPage\.apexp\?source=/);
  const login = await browser.postForm(new URL('/', authorizeUrl).toString(), { username, pw: password, startURL });
  expect(login.status).toBe(302);
  expect(browser.cookie(authorizeUrl, 'sid')).toMatch(/^00D[a-zA-Z0-9]{12}!/);
  const approvalUrl = new URL(login.headers.get('location') ?? '', authorizeUrl).toString();
  const approval = await browser.get(approvalUrl);
  let callback: string;
  if (approval.status === 302) {
    callback = approval.headers.get('location') ?? '';
  } else {
    const html = await approval.text();
    expect(html).toContain('Allow Access?');
    const allow = await browser.postForm(
      new URL('/setup/secur/RemoteAccessAuthorizationPage.apexp', authorizeUrl).toString(),
      {
        source: formValue(html, 'source') ?? '',
        oaapprove: 'Allow',
      },
    );
    expect(allow.status).toBe(302);
    callback = allow.headers.get('location') ?? '';
  }
  return new URL(callback);
}

describe('OAuth 2.0 web-server flow with PKCE', () => {
  it('logs in through the real pages and exchanges the code with the jsforce verifier', async () => {
    const login = running.info.loginUrls.production ?? '';
    const client = oauth2(login);
    expect(client.codeVerifier?.length).toBeGreaterThan(128);
    const authorizeUrl = client.getAuthorizationUrl({ scope: 'api refresh_token id', state: 'xyz-1' });
    expect(authorizeUrl).not.toContain('code_challenge_method');
    const user = userInfo(running, 'acme', 'admin@acme.com');
    const callback = await browserAuthorize(authorizeUrl, user.username, user.password);
    expect(callback.origin + callback.pathname).toBe(CALLBACK);
    expect(callback.searchParams.get('state')).toBe('xyz-1');
    const code = callback.searchParams.get('code') ?? '';

    const conn = new jsforce.Connection({ oauth2: client, version: API_VERSION });
    const identity = await conn.authorize(code);
    const acme = orgInfo(running, 'acme');
    expect(identity.organizationId).toBe(acme.orgId);
    expect(identity.id).toBe(user.userId);
    expect(conn.instanceUrl).toBe(acme.instanceUrl);
    expect(conn.refreshToken).toMatch(/^5Aep861/);
    const result = await conn.query<{ Id: string }>('SELECT Id FROM Account LIMIT 1');
    expect(result.records).toHaveLength(1);

    // The code is single-use.
    await expect(client.requestToken(code)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'invalid authorization code',
    });
  });

  it('returns id, instance_url, issued_at and the HMAC signature on the token and on refresh', async () => {
    const login = running.info.loginUrls.production ?? '';
    const client = oauth2(login);
    const user = userInfo(running, 'acme', 'sales@acme.com');
    const callback = await browserAuthorize(
      client.getAuthorizationUrl({ scope: 'api refresh_token' }),
      user.username,
      user.password,
    );
    const token = (await client.requestToken(callback.searchParams.get('code') ?? '')) as unknown as Record<
      string,
      string
    >;
    const secret = appInfo(running).clientSecret;
    const expected = (body: Record<string, string>) =>
      createHmac('sha256', secret).update(`${body.id}${body.issued_at}`).digest('base64');
    expect(token).toMatchObject({
      token_type: 'Bearer',
      scope: 'api refresh_token',
      instance_url: orgInfo(running, 'acme').instanceUrl,
    });
    expect(token.id).toBe(`${login}/id/${orgInfo(running, 'acme').orgId}/${user.userId}`);
    expect(token.issued_at).toBe(String(now));
    expect(token.signature).toBe(expected(token));

    now += 60_000;
    const refreshed = (await client.refreshToken(token.refresh_token ?? '')) as unknown as Record<string, string>;
    expect(refreshed.refresh_token).toBeUndefined();
    expect(refreshed.id).toBe(token.id);
    expect(refreshed.issued_at).toBe(String(now));
    expect(refreshed.signature).toBe(expected(refreshed));
    expect(refreshed.access_token).not.toBe(token.access_token);
  });

  it('expires codes after 15 minutes and rejects a wrong verifier', async () => {
    const login = running.info.loginUrls.production ?? '';
    const user = userInfo(running, 'acme', 'admin@acme.com');
    const client = oauth2(login);
    // The user already allowed the app, so the flow skips the Allow page now.
    const callback = await browserAuthorize(client.getAuthorizationUrl(), user.username, user.password);
    const code = callback.searchParams.get('code') ?? '';
    const other = oauth2(login);
    await expect(other.requestToken(code)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'invalid code verifier',
    });

    const second = await browserAuthorize(client.getAuthorizationUrl(), user.username, user.password);
    now += 15 * 60_000 + 1;
    await expect(client.requestToken(second.searchParams.get('code') ?? '')).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired authorization code',
    });
  });

  it('sends Deny back as access_denied and rejects unknown clients and callbacks', async () => {
    const login = running.info.loginUrls.production ?? '';
    const browser = new Browser();
    const user = userInfo(running, 'globex', 'sales@globex.com');
    const client = oauth2(login);
    const authorize = await browser.get(client.getAuthorizationUrl({ state: 's2' }));
    const loginPage = await browser.get(new URL(authorize.headers.get('location') ?? '', login).toString());
    const startURL = formValue(await loginPage.text(), 'startURL') ?? '';
    const loggedIn = await browser.postForm(`${login}/`, { username: user.username, pw: user.password, startURL });
    const approval = await browser.get(new URL(loggedIn.headers.get('location') ?? '', login).toString());
    const source = formValue(await approval.text(), 'source') ?? '';
    const denied = await browser.postForm(`${login}/setup/secur/RemoteAccessAuthorizationPage.apexp`, {
      source,
      oadeny: 'Deny',
    });
    const location = new URL(denied.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('state')).toBe('s2');

    const unknown = await fetch(
      `${login}/services/oauth2/authorize?response_type=code&client_id=nope&redirect_uri=${CALLBACK}`,
    );
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toBe('error=invalid_client_id&error_description=client%20identifier%20invalid');
    const badCallback = await fetch(
      `${login}/services/oauth2/authorize?response_type=code&client_id=${appInfo(running).clientId}&redirect_uri=https://evil.example/cb`,
    );
    expect(await badCallback.text()).toContain('error=redirect_uri_mismatch');
  });

  it('shows the login error for a bad password and keeps production and sandbox users apart', async () => {
    const production = running.info.loginUrls.production ?? '';
    const sandbox = running.info.loginUrls.sandbox ?? '';
    const browser = new Browser();
    const prodUser = userInfo(running, 'acme', 'admin@acme.com');
    const sandboxUser = userInfo(running, 'acme--uat', 'admin@acme.com.uat');
    const wrong = await browser.postForm(`${production}/`, { username: prodUser.username, pw: 'nope', startURL: '' });
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('Please check your username and password.');
    const prodAtTest = await browser.postForm(`${sandbox}/`, {
      username: prodUser.username,
      pw: prodUser.password,
      startURL: '',
    });
    expect(await prodAtTest.text()).toContain('loginError');
    const sandboxAtProd = await browser.postForm(`${production}/`, {
      username: sandboxUser.username,
      pw: sandboxUser.password,
      startURL: '',
    });
    expect(await sandboxAtProd.text()).toContain('loginError');

    const client = oauth2(sandbox);
    const callback = await browserAuthorize(client.getAuthorizationUrl(), sandboxUser.username, sandboxUser.password);
    const conn = new jsforce.Connection({ oauth2: client, version: API_VERSION });
    const identity = await conn.authorize(callback.searchParams.get('code') ?? '');
    expect(identity.organizationId).toBe(orgInfo(running, 'acme--uat').orgId);
    expect(identity.url.startsWith(sandbox)).toBe(true);
  });

  it('logs in at a My Domain, whose identity URL is on the My Domain', async () => {
    const acme = orgInfo(running, 'acme');
    const myDomain = acme.loginUrls.myDomain ?? '';
    const user = userInfo(running, 'acme', 'sales@acme.com');
    const client = oauth2(myDomain);
    const callback = await browserAuthorize(client.getAuthorizationUrl(), user.username, user.password);
    const conn = new jsforce.Connection({ oauth2: client, version: API_VERSION });
    const identity = await conn.authorize(callback.searchParams.get('code') ?? '');
    expect(identity.url).toBe(`${myDomain}/id/${acme.orgId}/${user.userId}`);
    const globexUser = userInfo(running, 'globex', 'admin@globex.com');
    const browser = new Browser();
    const refused = await browser.postForm(`${myDomain}/`, {
      username: globexUser.username,
      pw: globexUser.password,
      startURL: '',
    });
    expect(await refused.text()).toContain('loginError');
  });
});

describe('refresh tokens', () => {
  it('refreshes automatically after a one-shot 401 and fires the refresh event', async () => {
    const login = running.info.loginUrls.production ?? '';
    const client = oauth2(login);
    const user = userInfo(running, 'acme', 'admin@acme.com');
    const callback = await browserAuthorize(
      client.getAuthorizationUrl({ scope: 'api refresh_token' }),
      user.username,
      user.password,
    );
    const conn = new jsforce.Connection({ oauth2: client, version: API_VERSION });
    await conn.authorize(callback.searchParams.get('code') ?? '');
    const firstToken = conn.accessToken;
    const refreshed: string[] = [];
    conn.on('refresh', (accessToken: string) => refreshed.push(accessToken));
    running.sim.org('acme').invalidateNextSession();
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBe(100_000);
    expect(refreshed).toHaveLength(1);
    expect(conn.accessToken).toBe(refreshed[0]);
    expect(conn.accessToken).not.toBe(firstToken);
    // The old access token was the one that expired.
    const stale = await fetch(`${conn.instanceUrl}/services/data/v${API_VERSION}/limits`, {
      headers: { authorization: `Bearer ${firstToken}` },
    });
    expect(stale.status).toBe(401);
    expect(await stale.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
  });

  it('rotates refresh tokens when the app asks for it, invalidating the old one', async () => {
    const login = running.info.loginUrls.production ?? '';
    const client = oauth2(login, { app: 1 });
    const user = userInfo(running, 'globex', 'admin@globex.com');
    const callback = await browserAuthorize(client.getAuthorizationUrl(), user.username, user.password);
    const token = (await client.requestToken(callback.searchParams.get('code') ?? '')) as unknown as Record<
      string,
      string
    >;
    const first = token.refresh_token ?? '';
    const rotated = (await client.refreshToken(first)) as unknown as Record<string, string>;
    expect(rotated.refresh_token).toMatch(/^5Aep861/);
    expect(rotated.refresh_token).not.toBe(first);
    await expect(client.refreshToken(first)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'expired access/refresh token',
    });
    const again = (await client.refreshToken(rotated.refresh_token ?? '')) as unknown as Record<string, string>;
    expect(again.access_token).toBeTruthy();
  });

  it('revokes a refresh token with its access tokens, and reports a revoked token as jsforce expects', async () => {
    const login = running.info.loginUrls.production ?? '';
    const client = oauth2(login);
    const user = userInfo(running, 'acme', 'sales@acme.com');
    const callback = await browserAuthorize(client.getAuthorizationUrl(), user.username, user.password);
    const conn = new jsforce.Connection({ oauth2: client, version: API_VERSION });
    await conn.authorize(callback.searchParams.get('code') ?? '');
    const refreshToken = conn.refreshToken ?? '';
    const accessToken = conn.accessToken ?? '';
    await conn.logout(true);
    await expect(client.refreshToken(refreshToken)).rejects.toMatchObject({ name: 'invalid_grant' });
    const check = await fetch(`${orgInfo(running, 'acme').instanceUrl}/services/data/v${API_VERSION}/limits`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(check.status).toBe(401);
    await expect(client.revokeToken(refreshToken)).rejects.toMatchObject({ name: 'invalid_token' });
  });

  it('fails the refresh of a revoked org with the message jsforce wraps', async () => {
    const conn = await connect(running, 'globex');
    const login = running.info.loginUrls.production ?? '';
    const client = oauth2(login);
    const user = userInfo(running, 'globex', 'admin@globex.com');
    const callback = await browserAuthorize(client.getAuthorizationUrl(), user.username, user.password);
    const oauthConn = new jsforce.Connection({ oauth2: client, version: API_VERSION });
    await oauthConn.authorize(callback.searchParams.get('code') ?? '');
    expect(running.sim.org('globex').revokeAllTokens()).toBeGreaterThan(0);
    await expect(oauthConn.query('SELECT Id FROM Lead LIMIT 1')).rejects.toThrow(
      'Unable to refresh session due to: expired access/refresh token',
    );
    // A username-password connection logs in again by itself (jsforce's refresh for conn.login()).
    const before = conn.accessToken;
    await conn.limits();
    expect(conn.accessToken).not.toBe(before);
  });
});

describe('client credentials and password flows', () => {
  it('runs client credentials as the app run-as user, on My Domain hosts only', async () => {
    const app = appInfo(running);
    const acme = orgInfo(running, 'acme');
    const myDomain = new jsforce.Connection({
      oauth2: { loginUrl: acme.loginUrls.myDomain ?? '', clientId: app.clientId, clientSecret: app.clientSecret },
      version: API_VERSION,
    });
    const identity = await myDomain.authorize({ grant_type: 'client_credentials' });
    expect(identity.id).toBe(userInfo(running, 'acme', 'integration@acme.com').userId);
    expect(myDomain.refreshToken).toBeUndefined();
    const me = await myDomain.identity();
    expect(me.username).toBe('integration@acme.com');

    const generic = new jsforce.OAuth2({
      loginUrl: running.info.loginUrls.production ?? '',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    });
    await expect(generic.requestToken({ grant_type: 'client_credentials' })).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'request not supported on this domain',
    });
    const wrongSecret = new jsforce.OAuth2({
      loginUrl: acme.loginUrls.myDomain ?? '',
      clientId: app.clientId,
      clientSecret: 'x',
    });
    await expect(wrongSecret.requestToken({ grant_type: 'client_credentials' })).rejects.toMatchObject({
      name: 'invalid_client',
      message: 'invalid client credentials',
    });
    const rotating = appInfo(running, 1);
    const notEnabled = new jsforce.OAuth2({
      loginUrl: acme.loginUrls.myDomain ?? '',
      clientId: rotating.clientId,
      clientSecret: rotating.clientSecret,
    });
    await expect(notEnabled.requestToken({ grant_type: 'client_credentials' })).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'no client credentials user enabled',
    });
  });

  it('takes password plus security token in the password flow', async () => {
    const conn = await connect(running, 'acme', 'sales@acme.com');
    expect(conn.userInfo?.id).toBe(userInfo(running, 'acme', 'sales@acme.com').userId);
    const app = appInfo(running);
    const client = new jsforce.OAuth2({
      loginUrl: running.info.loginUrls.production ?? '',
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    });
    const user = userInfo(running, 'acme', 'sales@acme.com');
    await expect(client.authenticate(user.username, user.password)).rejects.toMatchObject({
      name: 'invalid_grant',
      message: 'authentication failure',
    });
    const unsupported = await fetch(`${running.info.loginUrls.production}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=magic',
    });
    expect(unsupported.status).toBe(400);
    expect(unsupported.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    expect(await unsupported.json()).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'grant type not supported',
    });
  });
});

describe('SOAP login, identity and userinfo', () => {
  it('logs in with SOAP login() and answers INVALID_LOGIN faults', async () => {
    const user = userInfo(running, 'acme', 'admin@acme.com');
    const conn = new jsforce.Connection({ loginUrl: running.info.loginUrls.production ?? '', version: '60.0' });
    const identity = await conn.login(user.username, user.passwordWithToken);
    expect(identity.organizationId).toBe(orgInfo(running, 'acme').orgId);
    expect(conn.instanceUrl).toBe(orgInfo(running, 'acme').instanceUrl);
    expect(conn.accessToken?.startsWith(identity.organizationId.slice(0, 15))).toBe(true);
    const accounts = await conn.query('SELECT COUNT() FROM Account');
    expect(accounts.totalSize).toBe(running.sim.org('acme').count('Account'));

    const bad = new jsforce.Connection({ loginUrl: running.info.loginUrls.production ?? '', version: '60.0' });
    await expect(bad.login(user.username, user.password)).rejects.toThrow(
      'INVALID_LOGIN: Invalid username, password, security token; or user locked out.',
    );
    const raw = await fetch(`${running.info.loginUrls.production}/services/Soap/u/60.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', soapaction: '""' },
      body: '<se:Envelope xmlns:se="http://schemas.xmlsoap.org/soap/envelope/"><se:Body><login xmlns="urn:partner.soap.sforce.com"><username>x</username><password>y</password></login></se:Body></se:Envelope>',
    });
    expect(raw.status).toBe(500);
    expect(await raw.text()).toContain('<faultcode>sf:INVALID_LOGIN</faultcode>');
    await conn.logout();
  });

  it('serves the identity URL and userinfo with the full shapes', async () => {
    const conn = await connect(running, 'acme');
    const identity = await conn.identity();
    const acme = orgInfo(running, 'acme');
    expect(identity).toMatchObject({
      user_id: userInfo(running, 'acme', 'admin@acme.com').userId,
      organization_id: acme.orgId,
      username: 'admin@acme.com',
      user_type: 'STANDARD',
      active: true,
      urls: { rest: `${acme.instanceUrl}/services/data/v{version}/`, custom_domain: acme.instanceUrl },
    });
    expect(identity.photos.picture).toMatch(/profilephoto/);
    const userinfo = await fetch(`${running.info.loginUrls.production}/services/oauth2/userinfo`, {
      headers: { authorization: `Bearer ${conn.accessToken}` },
    });
    expect(await userinfo.json()).toMatchObject({ preferred_username: 'admin@acme.com', organization_id: acme.orgId });
    const bad = await fetch(`${running.info.loginUrls.production}/id/${acme.orgId}/x?oauth_token=nope`);
    expect(bad.status).toBe(403);
    expect(await bad.text()).toBe('Bad_OAuth_Token');
  });
});
