import jsforce from 'jsforce';
import type { SalesforceEndpoint } from './salesforce-endpoints.ts';
import { isTrustedSalesforceUrl, readIdentity, readOrganizationName } from './salesforce-oauth.ts';

/**
 * Logins without a browser: username + password + security token, and OAuth 2.0 client credentials.
 *
 * Password logins use the OAuth 2.0 username-password grant with the server's own connected app (always known: it is
 * the app the browser sign-ins use). SOAP login() is only the fallback for orgs that block that grant (Salesforce
 * answers unsupported_grant_type; orgs created since Summer '23 block it by default), at API 64.0, because
 * Salesforce retired SOAP login at 65.0. The way that worked is remembered, so renewals do not try the other first.
 */

/** What a classic connection stores (sealed) to log in again whenever its session expires. */
export type ClassicLogin =
  | { method: 'password'; via: 'oauth' | 'soap'; username: string; password: string; securityToken: string }
  | { method: 'client-credentials'; consumerKey: string; consumerSecret: string };

/** The password, before the first login decided how to log in. */
export type ClassicLoginInput =
  | (Omit<Extract<ClassicLogin, { method: 'password' }>, 'via'> & { via?: 'oauth' | 'soap' })
  | Extract<ClassicLogin, { method: 'client-credentials' }>;

/** The last API version that still has SOAP login(). */
export const SOAP_LOGIN_API_VERSION = '64.0';

/** Salesforce said no (wrong password, locked user, unknown client, ...): `message` is Salesforce's own wording. */
export class SalesforceLoginRefused extends Error {
  override name = 'SalesforceLoginRefused';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Salesforce could not be asked, or answered something that is not a login: nothing to blame the admin for. */
export class SalesforceLoginFailed extends Error {
  override name = 'SalesforceLoginFailed';
}

export interface ClassicSession {
  accessToken: string;
  instanceUrl: string;
  login: ClassicLogin;
}

export interface ClassicLoginResult extends ClassicSession {
  identityUrl: string;
  orgId: string;
  orgName: string | null;
  userId: string;
  username: string;
}

const OAUTH_REFUSALS = new Set([
  'invalid_grant',
  'invalid_client',
  'invalid_client_id',
  'inactive_user',
  'inactive_org',
]);
const SOAP_REFUSAL =
  /^(INVALID_LOGIN|LOGIN_MUST_USE_SECURITY_TOKEN|PASSWORD_LOCKOUT|INVALID_OPERATION_WITH_EXPIRED_PASSWORD|API_DISABLED_FOR_ORG|API_CURRENTLY_DISABLED|LOGIN_DURING_RESTRICTED_DOMAIN|LOGIN_DURING_RESTRICTED_TIME|UNSUPPORTED_API_VERSION)\b/;

function oauthError(error: unknown): SalesforceLoginRefused | SalesforceLoginFailed {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (OAUTH_REFUSALS.has(failure.name)) return new SalesforceLoginRefused(failure.name, failure.message);
  return new SalesforceLoginFailed(failure.message);
}

interface TokenAnswer {
  access_token: string;
  instance_url: string;
  id: string;
}

function checkedToken(token: TokenAnswer, endpoint: SalesforceEndpoint): TokenAnswer {
  for (const url of [token.instance_url, token.id]) {
    if (!isTrustedSalesforceUrl(url, endpoint)) {
      throw new SalesforceLoginFailed(`Salesforce answered with a URL outside Salesforce (${String(url)}).`);
    }
  }
  return token;
}

async function passwordGrant(endpoint: SalesforceEndpoint, username: string, secret: string): Promise<TokenAnswer> {
  const oauth2 = new jsforce.OAuth2({
    loginUrl: endpoint.loginUrl,
    clientId: endpoint.clientId,
    clientSecret: endpoint.clientSecret,
  });
  return checkedToken((await oauth2.authenticate(username, secret)) as TokenAnswer, endpoint);
}

async function soapLogin(endpoint: SalesforceEndpoint, username: string, secret: string) {
  const connection = new jsforce.Connection({ loginUrl: endpoint.loginUrl, version: SOAP_LOGIN_API_VERSION });
  let userInfo: { id: string; organizationId: string; url: string };
  try {
    userInfo = await connection.loginBySoap(username, secret);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const refusal = SOAP_REFUSAL.exec(message);
    if (refusal?.[1]) throw new SalesforceLoginRefused(refusal[1], message.replace(/^[A-Z_]+: /, ''));
    if (/password has expired/i.test(message)) throw new SalesforceLoginRefused('PASSWORD_EXPIRED', message);
    throw new SalesforceLoginFailed(message);
  }
  if (!isTrustedSalesforceUrl(connection.instanceUrl, endpoint)) {
    throw new SalesforceLoginFailed(`Salesforce answered with a URL outside Salesforce (${connection.instanceUrl}).`);
  }
  return { accessToken: connection.accessToken ?? '', instanceUrl: connection.instanceUrl, userInfo };
}

/** A new session for a stored (or new) classic login; throws SalesforceLoginRefused or SalesforceLoginFailed. */
export async function openClassicSession(
  endpoint: SalesforceEndpoint,
  input: ClassicLoginInput,
): Promise<ClassicSession & { identityUrl: string; soapIdentity?: { orgId: string; userId: string } }> {
  if (input.method === 'client-credentials') {
    const oauth2 = new jsforce.OAuth2({
      loginUrl: endpoint.loginUrl,
      clientId: input.consumerKey,
      clientSecret: input.consumerSecret,
    });
    let token: TokenAnswer;
    try {
      token = (await oauth2.requestToken({ grant_type: 'client_credentials' })) as TokenAnswer;
    } catch (error) {
      throw oauthError(error);
    }
    checkedToken(token, endpoint);
    return { accessToken: token.access_token, instanceUrl: token.instance_url, identityUrl: token.id, login: input };
  }
  const secret = `${input.password}${input.securityToken}`;
  if (input.via !== 'soap') {
    try {
      const token = await passwordGrant(endpoint, input.username, secret);
      return {
        accessToken: token.access_token,
        instanceUrl: token.instance_url,
        identityUrl: token.id,
        login: { ...input, via: 'oauth' },
      };
    } catch (error) {
      const blocked = error instanceof Error && error.name === 'unsupported_grant_type';
      if (!blocked) throw error instanceof SalesforceLoginFailed ? error : oauthError(error);
    }
  }
  const soap = await soapLogin(endpoint, input.username, secret);
  return {
    accessToken: soap.accessToken,
    instanceUrl: soap.instanceUrl,
    identityUrl: soap.userInfo.url,
    soapIdentity: { orgId: soap.userInfo.organizationId, userId: soap.userInfo.id },
    login: { ...input, via: 'soap' },
  };
}

/** Logs in and reads who logged in to which org (the identity URL, or SOAP's loginResult), and the org's name. */
export async function classicLogin(
  endpoint: SalesforceEndpoint,
  input: ClassicLoginInput,
): Promise<ClassicLoginResult> {
  const session = await openClassicSession(endpoint, input);
  let identity: { orgId: string; userId: string; username: string };
  if (session.soapIdentity) {
    identity = { ...session.soapIdentity, username: input.method === 'password' ? input.username : '' };
  } else {
    try {
      identity = await readIdentity(session.identityUrl, session.accessToken);
    } catch (error) {
      throw new SalesforceLoginFailed((error as Error).message);
    }
  }
  return {
    accessToken: session.accessToken,
    instanceUrl: session.instanceUrl,
    login: session.login,
    identityUrl: session.identityUrl,
    orgId: identity.orgId,
    userId: identity.userId,
    username: identity.username,
    orgName: await readOrganizationName(session.instanceUrl, session.accessToken),
  };
}
