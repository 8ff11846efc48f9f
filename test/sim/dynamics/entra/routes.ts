import { randomUUID } from 'node:crypto';
import type { SimClock } from '../../common/clock.ts';
import {
  htmlResponse,
  isLoopbackRedirect,
  jsonResponse,
  parseCookies,
  parseForm,
  redirectResponse,
  type SimRequest,
  type SimResponse,
  sessionCookie,
} from '../http.ts';
import { AUTHORITIES, type Authority, DYNAMICS_WEB_CLIENT_ID } from '../topology.ts';
import { EntraError, entraErrorResponse, entraErrors } from './errors.ts';
import { errorPage, formPostPage, signedOutPage, signInPage } from './html.ts';
import { type Client, type EntraService, type PendingSignIn, secretMatches } from './service.ts';

/** Entra's browser session cookie; with it, a second authorize request signs in without the form (SSO). */
const SSO_COOKIE = 'ESTSAUTH';

export type EntraRequestKind = 'entra-token' | 'entra-authorize' | 'entra-metadata';

export function entraRequestKind(request: SimRequest): EntraRequestKind {
  if (/\/oauth2\/(?:v2\.0\/)?token$/i.test(request.path)) return 'entra-token';
  if (/\/oauth2\/(?:v2\.0\/)?authorize$|\/login$/i.test(request.path)) return 'entra-authorize';
  return 'entra-metadata';
}

/** Serves one Entra authority origin (login.microsoftonline.com, .us or .cn). */
export function handleEntra(
  request: SimRequest,
  authority: Authority,
  service: EntraService,
  clock: SimClock,
): SimResponse {
  const [, tenantSegment = '', ...rest] = request.path.split('?')[0]?.split('/') ?? [];
  const route = `${request.method} /${rest.join('/')}`.toLowerCase();
  const segment = decodeURIComponent(tenantSegment);
  try {
    switch (route) {
      case 'get /oauth2/v2.0/authorize':
        return authorize(request, authority, service, segment, clock);
      case 'post /login':
        return login(request, authority, service, segment, clock);
      case 'post /oauth2/v2.0/token':
        return token(request, authority, service, segment);
      case 'get /v2.0/.well-known/openid-configuration':
        return openIdConfiguration(request, authority, service, segment);
      case 'get /discovery/instance':
        return jsonResponse(200, instanceDiscovery(request, authority));
      case 'get /discovery/v2.0/keys':
      case 'get /discovery/keys':
        return jsonResponse(200, { keys: [service.signingKey(authority.key).jwk()] });
      case 'get /oauth2/v2.0/logout':
        return logout(request);
      default:
        return htmlResponse(
          404,
          errorPage(900561, 'The endpoint only accepts POST, OPTIONS requests.', randomUUID(), ''),
        );
    }
  } catch (error) {
    if (error instanceof EntraError) {
      return entraErrorResponse(error, {
        nowMs: clock.now(),
        correlationId: request.query.get('client-request-id') ?? undefined,
        authorityHost: authority.host,
      });
    }
    throw error;
  }
}

function tenantOrThrow(authority: Authority, service: EntraService, segment: string) {
  const found = service.findTenant(authority, segment);
  if (!found) throw entraErrors.tenantNotFound(segment, authority.host);
  return found.tenant;
}

function errorHtml(error: EntraError, clock: SimClock): SimResponse {
  const timestamp = new Date(clock.now()).toISOString();
  return htmlResponse(error.status === 401 ? 401 : 400, errorPage(error.code, error.message, randomUUID(), timestamp));
}

function redirectUriAllowed(client: Client, redirectUri: string, authority: Authority, service: EntraService): boolean {
  if (client.registration)
    return isLoopbackRedirect(redirectUri) || client.registration.redirectUris.includes(redirectUri);
  // The Dynamics web client returns to the environment itself, by real host name or by its loopback address.
  const target = service.resolveResource(authority, redirectUri.replace(/\/+$/, ''));
  return target?.environment !== undefined;
}

function authorize(
  request: SimRequest,
  authority: Authority,
  service: EntraService,
  segment: string,
  clock: SimClock,
): SimResponse {
  const q = request.query;
  let tenant: ReturnType<typeof tenantOrThrow>;
  let client: Client | undefined;
  try {
    tenant = tenantOrThrow(authority, service, segment);
    client = service.findClient(authority, q.get('client_id') ?? undefined);
    if (!client) throw entraErrors.unknownClient(q.get('client_id') ?? '', tenant?.displayName ?? segment);
    const redirectUri = q.get('redirect_uri') ?? '';
    if (!redirectUriAllowed(client, redirectUri, authority, service)) {
      throw new EntraError(
        400,
        'invalid_request',
        50011,
        `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${client.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.`,
      );
    }
  } catch (error) {
    if (error instanceof EntraError) return errorHtml(error, clock);
    throw error;
  }
  const redirectUri = q.get('redirect_uri') ?? '';
  const mode = q.get('response_mode') ?? 'query';
  const responseMode = mode === 'form_post' || mode === 'fragment' ? mode : 'query';
  const state = q.get('state') ?? undefined;
  const back = (fields: Record<string, string>) =>
    respondToClient(redirectUri, responseMode, { ...fields, ...(state ? { state } : {}) });
  if (q.get('response_type') !== 'code') {
    return back({
      error: 'unsupported_response_type',
      error_description: `AADSTS700054: response_type '${q.get('response_type') ?? ''}' is not enabled for the application.`,
    });
  }
  try {
    service.checkScopes(authority, tenant?.displayName ?? segment, q.get('scope') ?? undefined);
  } catch (error) {
    if (error instanceof EntraError) return back({ error: error.error, error_description: error.description });
    throw error;
  }
  const flow = service.startSignIn({
    authority,
    tenant,
    client,
    redirectUri,
    responseMode,
    state,
    nonce: q.get('nonce') ?? undefined,
    scope: q.get('scope') ?? '',
    codeChallenge: q.get('code_challenge') ?? undefined,
    codeChallengeMethod: q.get('code_challenge') ? (q.get('code_challenge_method') ?? 'plain') : undefined,
    loginHint: q.get('login_hint') ?? undefined,
  });
  const prompt = q.get('prompt') ?? '';
  const ssoUser = service.ssoUser(authority, parseCookies(request.headers.cookie)[SSO_COOKIE]);
  const ssoFits = ssoUser && (!tenant || tenant.id === ssoUser.tenantId);
  if (ssoFits && prompt !== 'login' && prompt !== 'select_account')
    return completeSignIn(flow, ssoUser, service, undefined, request);
  if (prompt === 'none') {
    service.finishFlow(flow.ctx);
    return back({
      error: 'login_required',
      error_description: 'AADSTS50058: A silent sign-in request was sent but no user is signed in.',
    });
  }
  return showSignIn(flow, segment, flow.loginHint ?? '', undefined, tenant?.displayName ?? 'Microsoft');
}

function showSignIn(
  flow: PendingSignIn,
  segment: string,
  username: string,
  error: string | undefined,
  tenantName: string,
) {
  return htmlResponse(
    200,
    signInPage({ action: `/${encodeURIComponent(segment)}/login`, ctx: flow.ctx, username, error, tenantName }),
    { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
  );
}

function respondToClient(
  redirectUri: string,
  mode: PendingSignIn['responseMode'],
  fields: Record<string, string>,
  headers: Record<string, string | string[]> = {},
): SimResponse {
  if (mode === 'form_post') return htmlResponse(200, formPostPage(redirectUri, fields), headers);
  const params = new URLSearchParams(fields).toString();
  const separator = mode === 'fragment' ? '#' : redirectUri.includes('?') ? '&' : '?';
  return redirectResponse(`${redirectUri}${separator}${params}`, headers);
}

function completeSignIn(
  flow: PendingSignIn,
  user: NonNullable<ReturnType<EntraService['userByOid']>>,
  service: EntraService,
  newSession: string | undefined,
  request: SimRequest,
): SimResponse {
  service.finishFlow(flow.ctx);
  const code = service.issueCode(flow, user);
  const headers: Record<string, string | string[]> = {};
  if (newSession) headers['set-cookie'] = sessionCookie(SSO_COOKIE, newSession, request.base);
  return respondToClient(
    flow.redirectUri,
    flow.responseMode,
    { code, ...(flow.state ? { state: flow.state } : {}), session_state: randomUUID() },
    headers,
  );
}

function login(
  request: SimRequest,
  authority: Authority,
  service: EntraService,
  segment: string,
  clock: SimClock,
): SimResponse {
  const form = parseForm(request.body);
  const flow = service.flow(form.ctx);
  if (!flow)
    return errorHtml(
      new EntraError(400, 'invalid_request', 50089, 'Authentication failed due to flow token expired.'),
      clock,
    );
  const tenantName = flow.tenant?.displayName ?? 'Microsoft';
  if (form.cancel !== undefined) {
    service.finishFlow(flow.ctx);
    return respondToClient(flow.redirectUri, flow.responseMode, {
      error: 'access_denied',
      error_subcode: 'cancel',
      error_description: 'AADSTS65004: User declined to consent to access the app.',
      ...(flow.state ? { state: flow.state } : {}),
    });
  }
  const username = form.loginfmt ?? form.login ?? '';
  const user = service.userByUpn(authority, username);
  if (!user) {
    return showSignIn(
      flow,
      segment,
      username,
      'This username may be incorrect. Make sure you typed it correctly. Otherwise, contact your admin.',
      tenantName,
    );
  }
  if (flow.tenant && flow.tenant.id !== user.tenantId) {
    return showSignIn(
      flow,
      segment,
      username,
      `AADSTS50020: User account '${user.upn}' from identity provider 'https://${authority.accessTokenIssuerHost}/${user.tenantId}/' does not exist in tenant '${flow.tenant.displayName}' and cannot access the application '${flow.client.clientId}' in that tenant.`,
      tenantName,
    );
  }
  if (!user.enabled) {
    return showSignIn(flow, segment, username, 'AADSTS50057: The user account is disabled.', tenantName);
  }
  if (!secretMatches(user.password, form.passwd ?? '')) {
    return showSignIn(
      flow,
      segment,
      username,
      "Your account or password is incorrect. If you don't remember your password, reset it now.",
      tenantName,
    );
  }
  return completeSignIn(flow, user, service, service.startSsoSession(authority, user.oid), request);
}

function clientCredentials(request: SimRequest, form: Record<string, string>) {
  const basic = /^Basic\s+(.+)$/i.exec(request.headers.authorization ?? '');
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const index = decoded.indexOf(':');
    return {
      clientId: decodeURIComponent(decoded.slice(0, index)),
      clientSecret: decodeURIComponent(decoded.slice(index + 1)),
    };
  }
  return { clientId: form.client_id, clientSecret: form.client_secret };
}

function token(request: SimRequest, authority: Authority, service: EntraService, segment: string): SimResponse {
  const tenant = tenantOrThrow(authority, service, segment);
  const form = parseForm(request.body);
  if (!form.grant_type) throw entraErrors.missingParameter('grant_type');
  const { clientId, clientSecret } = clientCredentials(request, form);
  if (!clientId) throw entraErrors.missingParameter('client_id');
  const client = service.findClient(authority, clientId);
  if (!client?.registration) throw entraErrors.unknownClient(clientId, tenant?.displayName ?? segment);
  if (!clientSecret) throw entraErrors.missingSecret();
  if (!secretMatches(client.registration.clientSecret, clientSecret)) throw entraErrors.invalidSecret(clientId);
  const context = { authority, tenant, client, wantsClientInfo: form.client_info === '1' };
  let tokens: ReturnType<EntraService['redeemCode']>;
  switch (form.grant_type) {
    case 'authorization_code':
      tokens = service.redeemCode(context, {
        code: form.code,
        redirectUri: form.redirect_uri,
        codeVerifier: form.code_verifier,
        scope: form.scope,
      });
      break;
    case 'refresh_token':
      tokens = service.redeemRefreshToken(context, { refreshToken: form.refresh_token, scope: form.scope });
      break;
    default:
      throw entraErrors.unsupportedGrant(form.grant_type);
  }
  return jsonResponse(200, tokens, {
    'cache-control': 'no-store, no-cache',
    pragma: 'no-cache',
    'x-ms-request-id': randomUUID(),
    'client-request-id': request.query.get('client-request-id') ?? randomUUID(),
  });
}

/** In-process redemption for the environments' own sign-in (the Dynamics web client has no secret to present). */
export function redeemForDynamicsWebClient(
  service: EntraService,
  authority: Authority,
  code: string,
  redirectUri: string,
): { oid: string; tenantId: string } {
  const client = service.findClient(authority, DYNAMICS_WEB_CLIENT_ID);
  if (!client) throw entraErrors.malformedGrant();
  const tokens = service.redeemCode(
    { authority, tenant: undefined, client, wantsClientInfo: true },
    { code, redirectUri },
  );
  const info = JSON.parse(Buffer.from(tokens.client_info ?? '', 'base64url').toString('utf8')) as {
    uid: string;
    utid: string;
  };
  return { oid: info.uid, tenantId: info.utid };
}

function openIdConfiguration(
  request: SimRequest,
  authority: Authority,
  service: EntraService,
  segment: string,
): SimResponse {
  const tenant = tenantOrThrow(authority, service, segment);
  const tenantPath = tenant?.id ?? segment.toLowerCase();
  const issuerTenant = tenant?.id ?? '{tenantid}';
  const base = `${request.base}/${tenantPath}`;
  return jsonResponse(200, {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `https://${authority.host}/${issuerTenant}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: [
      'sub',
      'iss',
      'cloud_instance_name',
      'cloud_instance_host_name',
      'cloud_graph_host_name',
      'msgraph_host',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'acr',
      'nonce',
      'preferred_username',
      'name',
      'tid',
      'ver',
      'at_hash',
      'c_hash',
      'email',
    ],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: tenant ? 'NA' : null,
    cloud_instance_name: authority.host.replace(/^login\./, ''),
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  });
}

/** msal's instance discovery: the alias groups of every cloud, as the real endpoint lists them. */
export function instanceDiscovery(request: SimRequest, authority: Authority) {
  // msal passes the authorize endpoint it wants discovered; the tenant of that URL names the configuration document.
  let tenant = 'common';
  try {
    tenant = new URL(request.query.get('authorization_endpoint') ?? '').pathname.split('/')[1] || tenant;
  } catch {
    // no or malformed authorization_endpoint: describe the multi-tenant configuration, as Entra does
  }
  return {
    tenant_discovery_endpoint: `https://${authority.host}/${tenant}/v2.0/.well-known/openid-configuration`,
    'api-version': '1.1',
    metadata: AUTHORITIES.map((candidate) => ({
      preferred_network: candidate.host,
      preferred_cache: candidate.preferredCache,
      aliases: candidate.aliases,
    })),
  };
}

function logout(request: SimRequest): SimResponse {
  const headers = { 'set-cookie': `${SSO_COOKIE}=; Path=/; Max-Age=0; HttpOnly` };
  const target = request.query.get('post_logout_redirect_uri');
  return target ? redirectResponse(target, headers) : htmlResponse(200, signedOutPage(), headers);
}
