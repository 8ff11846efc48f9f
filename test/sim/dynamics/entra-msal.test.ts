import {
  type AccountInfo,
  ConfidentialClientApplication,
  CryptoProvider,
  InteractionRequiredAuthError,
  ServerError,
} from '@azure/msal-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import { type DynamicsSimulator, msalConfigFor, simulatorNetworkClient } from './index.ts';
import { ADMIN, CONTOSO, REDIRECT_URI, SALES, signInForm, startDynamics, submitSignIn } from './testing.ts';

let sim: DynamicsSimulator;
let listening: ListeningOrigins;

beforeAll(async () => {
  ({ sim, listening } = await startDynamics({ records: { accounts: 5, contacts: 10, leads: 5 } }));
});
afterAll(async () => listening.close());
beforeEach(() => sim.control.reset());

const DISCOVERY = 'https://globaldisco.crm.dynamics.com';

/** getAuthCodeUrl -> sign-in page -> form post like a browser -> code from the redirect. */
async function authorizationCode(cca: ConfidentialClientApplication, scopes: string[], user = ADMIN) {
  const pkce = await new CryptoProvider().generatePkceCodes();
  const url = await cca.getAuthCodeUrl({
    scopes,
    redirectUri: REDIRECT_URI,
    codeChallenge: pkce.challenge,
    codeChallengeMethod: 'S256',
    state: 'orglink-state',
  });
  const redirect = await submitSignIn(url, user);
  expect(redirect.status).toBe(302);
  const location = new URL(redirect.headers.get('location') ?? '');
  expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
  expect(location.searchParams.get('state')).toBe('orglink-state');
  return { code: location.searchParams.get('code') ?? '', verifier: pkce.verifier };
}

async function signInWithMsal(user = ADMIN) {
  const cca = new ConfidentialClientApplication(msalConfigFor(sim, 'public'));
  const scopes = [`${CONTOSO}/user_impersonation`];
  const { code, verifier } = await authorizationCode(cca, scopes, user);
  const result = await cca.acquireTokenByCode({ code, scopes, redirectUri: REDIRECT_URI, codeVerifier: verifier });
  return { cca, result, account: result.account as AccountInfo };
}

function decode(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('Entra ID with msal-node 7 (exported sandbox configuration)', () => {
  it('signs in with the authorization code and PKCE, then calls WhoAmI and Global Discovery', async () => {
    const { cca, result, account } = await signInWithMsal();
    const env = sim.environment('contoso');
    const tenant = sim.topology.tenants.find((candidate) => candidate.id === env.tenantId);
    expect(account.username).toBe(ADMIN);
    expect(account.tenantId).toBe(env.tenantId);
    expect(account.homeAccountId).toBe(`${account.localAccountId}.${env.tenantId}`);
    expect(result.scopes).toEqual([`${CONTOSO}/user_impersonation`]);
    expect(result.idTokenClaims).toMatchObject({ preferred_username: ADMIN, tid: tenant?.id, ver: '2.0' });
    const claims = decode(result.accessToken);
    expect(claims).toMatchObject({
      aud: CONTOSO,
      scp: 'user_impersonation',
      tid: env.tenantId,
      upn: ADMIN,
      ver: '1.0',
    });
    expect(claims.oid).toBe(account.localAccountId);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(3599);

    const whoAmI = await fetch(`${sim.origins.httpUrl('env:contoso')}/api/data/v9.2/WhoAmI`, {
      headers: { authorization: `Bearer ${result.accessToken}`, accept: 'application/json' },
    });
    expect(whoAmI.status).toBe(200);
    expect(whoAmI.headers.get('odata-version')).toBe('4.0');
    const who = (await whoAmI.json()) as Record<string, string>;
    expect(who.OrganizationId).toBe(env.organizationId);
    expect(who.BusinessUnitId).toBe(env.businessUnitId);
    const me = sim.control.records('contoso', 'systemusers').find((row) => row.systemuserid === who.UserId);
    expect(me?.azureactivedirectoryobjectid).toBe(account.localAccountId);

    // A token for another resource comes from the refresh token (Entra refresh tokens are multi-resource).
    const discoveryToken = await cca.acquireTokenSilent({ account, scopes: [`${DISCOVERY}/user_impersonation`] });
    expect(decode(discoveryToken.accessToken).aud).toBe(DISCOVERY);
    const instances = await fetch(`${sim.origins.httpUrl('disco:public')}/api/discovery/v2.0/Instances`, {
      headers: { authorization: `Bearer ${discoveryToken.accessToken}` },
    });
    expect(instances.status).toBe(200);
    const body = (await instances.json()) as { value: Record<string, unknown>[] };
    expect(body.value.map((instance) => instance.UrlName).sort()).toEqual(['contoso', 'contoso-dev']);
    const contoso = body.value.find((instance) => instance.UrlName === 'contoso');
    expect(contoso).toMatchObject({
      Id: env.organizationId,
      UniqueName: env.uniqueName,
      FriendlyName: 'Contoso',
      EnvironmentId: env.environmentId,
      TenantId: env.tenantId,
      Url: sim.origins.httpUrl('env:contoso'),
      State: 0,
      Region: 'NA',
      Version: env.version,
      IsUserSysAdmin: true,
    });
    expect(sim.control.counters()).toMatchObject({
      'entra-token:authorization_code': 1,
      'entra-token:refresh_token': 1,
      whoami: 1,
      discovery: 1,
    });
  });

  it('refreshes through the refresh token once the access token expires, and a revoked one gives invalid_grant', async () => {
    // Under msal's five-minute renewal margin, a 120 s token is due for refresh at once.
    sim.control.configure({ accessTokenLifetimeSeconds: 120 });
    const { cca, result, account } = await signInWithMsal();
    expect(result.expiresOn && result.expiresOn.getTime() - Date.now()).toBeLessThan(121_000);
    const scopes = [`${CONTOSO}/user_impersonation`];
    const refreshed = await cca.acquireTokenSilent({ account, scopes });
    expect(refreshed.accessToken).not.toBe(result.accessToken);
    expect(sim.control.counters()['entra-token:refresh_token']).toBe(1);
    const whoAmI = await fetch(`${sim.origins.httpUrl('env:contoso')}/api/data/v9.2/WhoAmI`, {
      headers: { authorization: `Bearer ${refreshed.accessToken}` },
    });
    expect(whoAmI.status).toBe(200);

    const revoke = await fetch(`${sim.origins.httpUrl('entra:public')}/__sim/revoke-refresh-tokens`, {
      method: 'POST',
      body: JSON.stringify({ user: ADMIN }),
    });
    expect(await revoke.json()).toEqual({ revoked: 2 });
    const error = await cca.acquireTokenSilent({ account, scopes }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InteractionRequiredAuthError);
    expect((error as InteractionRequiredAuthError).errorCode).toBe('invalid_grant');
    expect((error as InteractionRequiredAuthError).errorMessage).toMatch(
      /^AADSTS50173: The provided grant has expired due to it being revoked/,
    );
    expect(sim.control.counters()['entra-token:refresh_token']).toBe(2);
  });

  it('answers an expired code with AADSTS70008 and a wrong client secret with AADSTS7000215', async () => {
    const cca = new ConfidentialClientApplication(msalConfigFor(sim, 'public'));
    const scopes = [`${CONTOSO}/user_impersonation`];
    const first = await authorizationCode(cca, scopes);
    sim.control.advanceClock(11 * 60 * 1000);
    const expired = await cca
      .acquireTokenByCode({ code: first.code, scopes, redirectUri: REDIRECT_URI, codeVerifier: first.verifier })
      .catch((caught: unknown) => caught);
    expect(expired).toBeInstanceOf(ServerError);
    expect((expired as ServerError).errorCode).toBe('invalid_grant');
    expect((expired as ServerError).errorMessage).toContain(
      'AADSTS70008: The provided authorization code or refresh token has expired',
    );

    const config = msalConfigFor(sim, 'public');
    const wrongSecret = new ConfidentialClientApplication({ auth: { ...config.auth, clientSecret: 'not-the-secret' } });
    const second = await authorizationCode(wrongSecret, scopes);
    const invalid = await wrongSecret
      .acquireTokenByCode({ code: second.code, scopes, redirectUri: REDIRECT_URI, codeVerifier: second.verifier })
      .catch((caught: unknown) => caught);
    expect((invalid as ServerError).errorCode).toBe('invalid_client');
    expect((invalid as ServerError).errorMessage).toContain('AADSTS7000215: Invalid client secret provided');
  });

  it('returns the documented Entra error body from the token endpoint', async () => {
    const app = sim.topology.apps[0];
    const tenant = sim.environment('contoso').tenantId;
    const response = await fetch(
      `${sim.origins.httpUrl('entra:public')}/${tenant}/oauth2/v2.0/token?client-request-id=abc-123`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          client_id: app?.clientId ?? '',
          client_secret: app?.clientSecret ?? '',
          refresh_token: 'not-a-refresh-token',
          scope: `${CONTOSO}/user_impersonation offline_access`,
          client_info: '1',
          'x-client-SKU': 'msal.js.node',
        }),
      },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'invalid_grant', error_codes: [9002313], correlation_id: 'abc-123' });
    expect(body.error_description).toMatch(
      /^AADSTS9002313: .* Trace ID: [0-9a-f-]{36} Correlation ID: abc-123 Timestamp: \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/,
    );
    expect(body.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
    expect(body.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('also works the other documented way: a network client that routes the real authority to the simulator', async () => {
    const { auth } = msalConfigFor(sim, 'public');
    const cca = new ConfidentialClientApplication({
      auth: { clientId: auth.clientId, clientSecret: auth.clientSecret, authority: auth.authority },
      system: { networkClient: simulatorNetworkClient(sim) },
    });
    const scopes = [`${CONTOSO}/user_impersonation`];
    const pkce = await new CryptoProvider().generatePkceCodes();
    const url = await cca.getAuthCodeUrl({
      scopes,
      redirectUri: REDIRECT_URI,
      codeChallenge: pkce.challenge,
      codeChallengeMethod: 'S256',
    });
    // The sign-in page keeps the real host here; a browser reaches it through host-resolver rules, fetch by port.
    expect(url).toMatch(/^https:\/\/login\.microsoftonline\.com\//);
    const redirect = await submitSignIn(
      url.replace('https://login.microsoftonline.com', sim.origins.httpUrl('entra:public')),
      ADMIN,
    );
    const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const result = await cca.acquireTokenByCode({
      code,
      scopes,
      redirectUri: REDIRECT_URI,
      codeVerifier: pkce.verifier,
    });
    expect(result.account?.username).toBe(ADMIN);
    expect(sim.control.counters()['entra-token:authorization_code']).toBe(1);
  });

  it('serves the OpenID configuration, instance discovery and signing keys msal would otherwise fetch', async () => {
    const entra = sim.origins.httpUrl('entra:public');
    const tenant = sim.environment('contoso').tenantId;
    const config = (await (await fetch(`${entra}/${tenant}/v2.0/.well-known/openid-configuration`)).json()) as Record<
      string,
      string
    >;
    expect(config.issuer).toBe(`https://login.microsoftonline.com/${tenant}/v2.0`);
    expect(config.token_endpoint).toBe(`${entra}/${tenant}/oauth2/v2.0/token`);
    const discovery = (await (
      await fetch(
        `${entra}/common/discovery/instance?api-version=1.1&authorization_endpoint=https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`,
      )
    ).json()) as { tenant_discovery_endpoint: string; metadata: { aliases: string[] }[] };
    expect(discovery.tenant_discovery_endpoint).toBe(
      `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`,
    );
    expect(discovery.metadata.map((entry) => entry.aliases[0])).toEqual([
      'login.microsoftonline.com',
      'login.microsoftonline.us',
      'login.chinacloudapi.cn',
    ]);
    const keys = (await (await fetch(config.jwks_uri ?? '')).json()) as { keys: { kty: string }[] };
    expect(keys.keys[0]?.kty).toBe('RSA');
  });

  it('signs in to the US Government cloud through login.microsoftonline.us and lists GCC High environments', async () => {
    const cca = new ConfidentialClientApplication(msalConfigFor(sim, 'gcchigh'));
    const high = sim.environment('contosohigh');
    const scopes = [`${high.url}/user_impersonation`];
    const { code, verifier } = await authorizationCode(cca, scopes, 'admin@contosohigh.onmicrosoft.us');
    const result = await cca.acquireTokenByCode({ code, scopes, redirectUri: REDIRECT_URI, codeVerifier: verifier });
    expect(decode(result.accessToken)).toMatchObject({
      aud: high.url,
      iss: `https://login.microsoftonline.us/${high.tenantId}/`,
    });
    const disco = await cca.acquireTokenSilent({
      account: result.account as AccountInfo,
      scopes: ['https://globaldisco.crm.microsoftdynamics.us/user_impersonation'],
    });
    const instances = await fetch(
      `${sim.origins.httpUrl('disco:gcchigh')}/api/discovery/v2.0/Instances?$select=UrlName,Url`,
      {
        headers: { authorization: `Bearer ${disco.accessToken}` },
      },
    );
    expect(((await instances.json()) as { value: unknown[] }).value).toEqual([
      { UrlName: 'contosohigh', Url: sim.origins.httpUrl('env:contosohigh') },
    ]);
    // A public-cloud token means nothing to a government environment.
    const publicToken = (await signInWithMsal()).result.accessToken;
    const rejected = await fetch(`${sim.origins.httpUrl('env:contosohigh')}/api/data/v9.2/WhoAmI`, {
      headers: { authorization: `Bearer ${publicToken}` },
    });
    expect(rejected.status).toBe(401);
    expect(rejected.headers.get('www-authenticate')).toBe(
      `Bearer authorization_uri=https://login.microsoftonline.us/${high.tenantId}/oauth2/authorize, resource_id=${high.url}/`,
    );
  });
});

describe('the Entra sign-in page', () => {
  function authorizeUrl(extra: Record<string, string> = {}) {
    const app = sim.topology.apps[0];
    const tenant = sim.environment('contoso').tenantId;
    return `${sim.origins.httpUrl('entra:public')}/${tenant}/oauth2/v2.0/authorize?${new URLSearchParams({
      client_id: app?.clientId ?? '',
      response_type: 'code',
      redirect_uri: REDIRECT_URI,
      scope: `${CONTOSO}/user_impersonation openid offline_access`,
      state: 'xyz',
      ...extra,
    })}`;
  }

  it('shows the error again on a wrong password, and redirects with access_denied when the user cancels', async () => {
    const wrong = await submitSignIn(authorizeUrl(), ADMIN, 'wrong-password');
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('Your account or password is incorrect.');

    const page = await fetch(authorizeUrl());
    const form = signInForm(await page.text(), authorizeUrl());
    const cancelled = await fetch(form.action, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...form.fields, cancel: 'Cancel' }),
    });
    const location = new URL(cancelled.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toMatch(/^AADSTS65004: /);
    expect(location.searchParams.get('state')).toBe('xyz');
  });

  it('keeps a browser session (SSO), refuses unknown redirect URIs and names invalid resources', async () => {
    const first = await submitSignIn(authorizeUrl(), SALES);
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^ESTSAUTH=/);
    const again = await fetch(authorizeUrl(), { redirect: 'manual', headers: { cookie } });
    expect(again.status).toBe(302);
    expect(new URL(again.headers.get('location') ?? '').searchParams.get('code')).toBeTruthy();

    const badRedirect = await fetch(authorizeUrl({ redirect_uri: 'https://evil.example.com/callback' }));
    expect(badRedirect.status).toBe(400);
    expect(await badRedirect.text()).toContain('AADSTS50011');

    const badResource = await fetch(authorizeUrl({ scope: 'https://unknown.example.com/user_impersonation' }), {
      redirect: 'manual',
    });
    const location = new URL(badResource.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_resource');
    expect(location.searchParams.get('error_description')).toMatch(
      /^AADSTS500011: The resource principal named https:\/\/unknown\.example\.com/,
    );
  });
});
