import jsforce from 'jsforce';
import { SALESFORCE_API_VERSION, SALESFORCE_SCOPES } from './salesforce-api.ts';
import type { SalesforceCredentials } from './salesforce-client.ts';
import type { SalesforceEndpoint } from './salesforce-endpoints.ts';

/**
 * The web-server flow with PKCE, through jsforce's OAuth2. @fastify/oauth2 is not used: it binds one authorization
 * server host when the plugin is registered and keeps the PKCE verifier in a browser cookie, while every connection
 * here may sign in at its own host (login, test or the org's My Domain) and the verifier stays on the server, in the
 * flow that `state` names.
 */

/** Sign-in failed at the CRM (code refused, identity unreadable): says what Salesforce answered. */
export class SalesforceSignInError extends Error {
  override name = 'SalesforceSignInError';
}

function oauth2(endpoint: SalesforceEndpoint, redirectUri: string, useVerifier: boolean) {
  return new jsforce.OAuth2({
    loginUrl: endpoint.loginUrl,
    clientId: endpoint.clientId,
    clientSecret: endpoint.clientSecret,
    redirectUri,
    useVerifier,
  });
}

export function beginSalesforceSignIn(
  endpoint: SalesforceEndpoint,
  redirectUri: string,
  state: string,
): { authorizeUrl: string; codeVerifier: string } {
  const client = oauth2(endpoint, redirectUri, true);
  // prompt=login: the admin picks the account deliberately, even when a browser session for another org exists.
  const authorizeUrl = client.getAuthorizationUrl({ scope: SALESFORCE_SCOPES, state, prompt: 'login consent' });
  if (!client.codeVerifier) throw new Error('jsforce did not create a PKCE verifier');
  return { authorizeUrl, codeVerifier: client.codeVerifier };
}

interface IdentityResponse {
  organization_id?: unknown;
  user_id?: unknown;
  username?: unknown;
}

/** Redeems the code (with the verifier kept for this flow), then reads who signed in to which org. */
export async function finishSalesforceSignIn(
  endpoint: SalesforceEndpoint,
  redirectUri: string,
  code: string,
  codeVerifier: string,
): Promise<SalesforceCredentials> {
  const client = oauth2(endpoint, redirectUri, false);
  client.codeVerifier = codeVerifier;
  let token: Awaited<ReturnType<typeof client.requestToken>>;
  try {
    token = await client.requestToken(code);
  } catch (error) {
    throw new SalesforceSignInError(`Salesforce refused the sign-in code: ${(error as Error).message}`);
  }
  if (!token.refresh_token) {
    await revokeSalesforceToken(endpoint, token.access_token);
    throw new SalesforceSignInError(
      'Salesforce issued no refresh token. Allow the "refresh_token, offline_access" scope in the connected app, then sign in again.',
    );
  }
  // The token response names the URLs the server calls next; follow them only onto Salesforce's own hosts.
  for (const [what, url] of [
    ['identity URL', token.id],
    ['instance URL', token.instance_url],
  ] as const) {
    if (!isTrustedSalesforceUrl(url, endpoint)) {
      throw new SalesforceSignInError(
        `Salesforce answered with an ${what} outside Salesforce (${String(url)}); nothing was stored.`,
      );
    }
  }
  const identity = await readIdentity(token.id, token.access_token);
  return {
    kind: 'salesforce',
    accessToken: token.access_token,
    refreshToken: token.refresh_token,
    instanceUrl: token.instance_url,
    identityUrl: token.id,
    orgId: identity.orgId,
    userId: identity.userId,
    username: identity.username,
    orgName: await readOrganizationName(token.instance_url, token.access_token),
  };
}

export async function readIdentity(identityUrl: string, accessToken: string) {
  let body: IdentityResponse;
  try {
    const response = await fetch(`${identityUrl}?format=json`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
    body = (await response.json()) as IdentityResponse;
  } catch (error) {
    throw new SalesforceSignInError(`The Salesforce identity URL could not be read (${(error as Error).message}).`);
  }
  if (typeof body.organization_id !== 'string' || typeof body.user_id !== 'string') {
    throw new SalesforceSignInError('The Salesforce identity URL did not name the org and user.');
  }
  return {
    orgId: body.organization_id,
    userId: body.user_id,
    username: typeof body.username === 'string' ? body.username : '',
  };
}

const XML_ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&apos;': "'" };

/**
 * The org's name is not in the identity response; the partner API's getUserInfo has it and accepts an OAuth access
 * token as the session id. A failure only leaves the name empty (the Org ID identifies the org).
 */
export async function readOrganizationName(instanceUrl: string, accessToken: string): Promise<string | null> {
  const envelope =
    '<?xml version="1.0" encoding="utf-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:urn="urn:partner.soap.sforce.com">' +
    `<soapenv:Header><urn:SessionHeader><urn:sessionId>${accessToken}</urn:sessionId></urn:SessionHeader></soapenv:Header>` +
    '<soapenv:Body><urn:getUserInfo/></soapenv:Body></soapenv:Envelope>';
  try {
    const response = await fetch(`${instanceUrl}/services/Soap/u/${SALESFORCE_API_VERSION}`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body: envelope,
      signal: AbortSignal.timeout(30_000),
    });
    if (!response.ok) return null;
    const match = /<organizationName>([^<]*)<\/organizationName>/.exec(await response.text());
    return match?.[1] ? match[1].replace(/&(amp|lt|gt|quot|apos);/g, (entity) => XML_ENTITIES[entity] ?? entity) : null;
  } catch {
    return null;
  }
}

/** Revoking a refresh token also ends its access tokens. Best effort: the tokens are dropped either way. */
export async function revokeSalesforceToken(endpoint: SalesforceEndpoint, token: string): Promise<boolean> {
  try {
    await oauth2(endpoint, '', false).revokeToken(token);
    return true;
  } catch {
    return false;
  }
}

const SALESFORCE_HOST_SUFFIXES = [
  '.salesforce.com',
  '.force.com',
  '.salesforce.mil',
  '.sfcrmproducts.cn',
  '.cloudforce.com',
];
const isLoopback = (hostname: string) =>
  hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);

/**
 * A URL from Salesforce that the server may call: https on a Salesforce domain, or, when this endpoint is the local
 * sandbox (a loopback login URL), a loopback URL like it.
 */
export function isTrustedSalesforceUrl(url: unknown, endpoint: SalesforceEndpoint): boolean {
  if (typeof url !== 'string') return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (isLoopback(new URL(endpoint.loginUrl).hostname)) return isLoopback(parsed.hostname);
  return parsed.protocol === 'https:' && SALESFORCE_HOST_SUFFIXES.some((suffix) => parsed.hostname.endsWith(suffix));
}
