import { type ListeningOrigins, listenOrigins } from '../common/origins.ts';
import {
  type CloudKey,
  createDynamicsSimulator,
  type DynamicsSimulator,
  type DynamicsSimulatorOptions,
  SANDBOX_PASSWORD,
} from './index.ts';

/** Helpers for this folder's tests: a listening simulator, a browser-like sign-in, and Web API calls via fetch. */
export async function startDynamics(options: DynamicsSimulatorOptions = {}, listen: { https?: boolean } = {}) {
  const sim = createDynamicsSimulator(options);
  const listening: ListeningOrigins = await listenOrigins(sim.app, sim.origins, listen.https ? { https: {} } : {});
  return { sim, listening };
}

export const REDIRECT_URI = 'http://localhost:3000/auth/callback';

/** The hidden and visible fields of the sign-in form in an Entra sign-in page, and where it posts. */
export function signInForm(html: string, pageUrl: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('no sign-in form in the page');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    if (match[1]) fields[match[1]] = (match[2] ?? '').replaceAll('&amp;', '&');
  }
  return { action: new URL(action.replaceAll('&amp;', '&'), pageUrl).toString(), fields };
}

/** Posts the sign-in form like a browser and returns the response (a redirect back to the client on success). */
export async function submitSignIn(authorizeUrl: string, user: string, password = SANDBOX_PASSWORD, cookie?: string) {
  const page = await fetch(authorizeUrl, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  const html = await page.text();
  if (page.status === 302) return page;
  const form = signInForm(html, authorizeUrl);
  return fetch(form.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
    body: new URLSearchParams({ ...form.fields, loginfmt: user, passwd: password }),
  });
}

export interface SignedIn {
  accessToken: string;
  refreshToken: string;
}

/**
 * The authorization-code flow with plain fetch (what a client without msal does): authorize, sign in, redeem the
 * code with PKCE. Tests that are not about msal use it to get tokens quickly.
 */
export async function signIn(
  sim: DynamicsSimulator,
  user: string,
  resource: string,
  cloud: CloudKey = 'public',
): Promise<SignedIn> {
  const tenant = sim.topology.tenants.find((candidate) => user.endsWith(`@${candidate.domain}`));
  const app = sim.topology.apps.find((candidate) => candidate.authorityKey === tenantAuthorityKey(sim, cloud));
  if (!tenant || !app) throw new Error(`no tenant for ${user}`);
  const entra = sim.origins.httpUrl(tenantAuthorityKey(sim, cloud));
  const verifier = 'v'.repeat(43) + Math.random().toString(36).slice(2);
  const { createHash } = await import('node:crypto');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const scope = `${resource}/user_impersonation openid profile offline_access`;
  const authorize = `${entra}/${tenant.id}/oauth2/v2.0/authorize?${new URLSearchParams({
    client_id: app.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope,
    state: 'test',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  })}`;
  const redirect = await submitSignIn(authorize, user);
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`sign-in failed: ${redirect.status} ${redirect.headers.get('location')}`);
  const response = await fetch(`${entra}/${tenant.id}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      scope,
    }),
  });
  const tokens = (await response.json()) as { access_token: string; refresh_token: string };
  return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}

function tenantAuthorityKey(sim: DynamicsSimulator, cloud: CloudKey): string {
  const environment = sim.topology.environments.find((env) => env.cloud === cloud);
  const tenant = sim.topology.tenants.find((candidate) => candidate.id === environment?.tenantId);
  if (!tenant) throw new Error(`no tenant in ${cloud}`);
  return tenant.authority.key;
}

/** A fetch against an environment's Web API with the usual Dataverse request headers. */
export function webApi(sim: DynamicsSimulator, environment: string, token: string) {
  const root = `${sim.origins.httpUrl(`env:${environment}`)}/api/data/v9.2/`;
  return (path: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
    fetch(path.startsWith('http') ? path : `${root}${path}`, {
      ...init,
      headers: {
        accept: 'application/json',
        'odata-maxversion': '4.0',
        'odata-version': '4.0',
        'if-none-match': 'null',
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        authorization: `Bearer ${token}`,
        ...init.headers,
      },
    });
}

export const ADMIN = 'admin@contoso.onmicrosoft.com';
export const SALES = 'sales@contoso.onmicrosoft.com';
export const CONTOSO = 'https://contoso.crm.dynamics.com';
