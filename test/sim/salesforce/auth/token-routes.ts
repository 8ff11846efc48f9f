import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken } from '../http/api-gate.ts';
import type { SimContext } from '../http/context.ts';
import { isLoginOrigin, loginAllowed } from '../http/hosts.ts';
import { JSON_TYPE, OAuthError, sendJson } from '../http/reply.ts';
import type { ConnectedApp, Org, OrgUser } from '../model/org.ts';
import { identityInfo, userInfo } from './identity.ts';
import type { Session } from './sessions.ts';
import { pkceChallenge, sameSecret, tokenResponse, wantsRefreshToken } from './tokens.ts';

/**
 * The server side of OAuth: POST /services/oauth2/token (authorization_code with PKCE, refresh_token,
 * client_credentials, password), /services/oauth2/revoke, /services/oauth2/userinfo and the identity URL
 * /id/<orgId>/<userId>. Error bodies and messages are Salesforce's (crm-apis.md 1.2–1.5).
 */

type Form = Record<string, string | undefined>;

const INVALID_CLIENT_ID = () => new OAuthError('invalid_client_id', 'client identifier invalid');
const INVALID_CLIENT = () => new OAuthError('invalid_client', 'invalid client credentials');
const EXPIRED_TOKEN = () => new OAuthError('invalid_grant', 'expired access/refresh token');

/** Client credentials from the form, or from HTTP Basic, which Salesforce also accepts. */
function clientCredentials(request: FastifyRequest, form: Form): { id?: string; secret?: string } {
  const header = request.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    return { id: decodeURIComponent(decoded.slice(0, at)), secret: decodeURIComponent(decoded.slice(at + 1)) };
  }
  return { id: form.client_id, secret: form.client_secret };
}

export function registerTokenRoutes(app: FastifyInstance, context: SimContext): void {
  const { state, origins } = context;

  function issue(
    request: FastifyRequest,
    init: { org: Org; user: OrgUser; app: ConnectedApp; scopes: string[]; loginOriginKey: string },
    refreshToken: string | undefined,
  ) {
    const now = state.clock.now();
    const session = state.sessions.issueAccess({
      kind: 'oauth',
      org: init.org,
      user: init.user,
      app: init.app,
      scopes: init.scopes,
      issuedAt: now,
      loginOriginKey: init.loginOriginKey,
      refreshToken,
    });
    const identityUrl = `${origins.urlFor(request, init.loginOriginKey)}/id/${init.org.orgId}/${init.user.id}`;
    return tokenResponse({
      session,
      refreshToken,
      identityUrl,
      instanceUrl: origins.urlFor(request, init.org.originKey),
      issuedAt: now,
      secret: init.app.clientSecret,
    });
  }

  function knownApp(clientId: string | undefined): ConnectedApp {
    const connectedApp = state.apps.get(clientId ?? '');
    if (!connectedApp) throw INVALID_CLIENT_ID();
    return connectedApp;
  }

  function authorizationCodeGrant(request: FastifyRequest, originKey: string, form: Form) {
    const client = clientCredentials(request, form);
    const connectedApp = knownApp(client.id);
    const code = state.sessions.code(form.code ?? '');
    if (!code || code.used || code.app !== connectedApp || !loginAllowed(originKey, code.org)) {
      throw new OAuthError('invalid_grant', 'invalid authorization code');
    }
    if (code.expiresAt < state.clock.now()) throw new OAuthError('invalid_grant', 'expired authorization code');
    if (connectedApp.requireSecretForWebServerFlow || client.secret !== undefined) {
      if (!sameSecret(client.secret, connectedApp.clientSecret)) throw INVALID_CLIENT();
    }
    if (form.redirect_uri !== code.redirectUri) {
      throw new OAuthError('redirect_uri_mismatch', 'redirect_uri must match configuration');
    }
    if (code.codeChallenge !== undefined) {
      const verifier = form.code_verifier;
      if (!verifier || pkceChallenge(verifier) !== code.codeChallenge) {
        throw new OAuthError('invalid_grant', 'invalid code verifier');
      }
    }
    code.used = true;
    const refresh = wantsRefreshToken(code.scopes)
      ? state.sessions.issueRefresh({
          org: code.org,
          user: code.user,
          app: connectedApp,
          scopes: code.scopes,
          issuedAt: state.clock.now(),
          loginOriginKey: code.loginOriginKey,
        })
      : undefined;
    return issue(request, { ...code, app: connectedApp }, refresh?.token);
  }

  function refreshTokenGrant(request: FastifyRequest, originKey: string, form: Form) {
    const client = clientCredentials(request, form);
    const connectedApp = knownApp(client.id);
    const grant = state.sessions.refreshGrant(form.refresh_token ?? '');
    if (!grant || grant.revoked || grant.app !== connectedApp || !loginAllowed(originKey, grant.org)) {
      throw EXPIRED_TOKEN();
    }
    if (connectedApp.requireSecretForWebServerFlow || client.secret !== undefined) {
      if (!sameSecret(client.secret, connectedApp.clientSecret)) throw INVALID_CLIENT();
    }
    if (!grant.user.active) throw new OAuthError('invalid_grant', 'inactive user');
    let refreshToken = grant.token;
    let rotated: string | undefined;
    if (connectedApp.refreshTokenRotation) {
      state.sessions.retireRefresh(grant.token);
      refreshToken = state.sessions.issueRefresh({ ...grant, issuedAt: state.clock.now() }).token;
      rotated = refreshToken;
    }
    // Without rotation the response carries no refresh_token, as Salesforce's does; the access token still belongs to it.
    const body = issue(request, grant, refreshToken);
    if (!rotated) delete (body as { refresh_token?: string }).refresh_token;
    return body;
  }

  function passwordGrant(request: FastifyRequest, originKey: string, form: Form) {
    const client = clientCredentials(request, form);
    const connectedApp = knownApp(client.id);
    if (!sameSecret(client.secret, connectedApp.clientSecret)) throw INVALID_CLIENT();
    const found = state.findUser(form.username ?? '');
    const user = found?.user;
    const valid =
      found &&
      user?.active &&
      loginAllowed(originKey, found.org) &&
      form.password === `${user.password}${user.securityToken}`;
    if (!found || !user || !valid) throw new OAuthError('invalid_grant', 'authentication failure');
    const scopes = connectedApp.scopes.filter((scope) => scope !== 'refresh_token' && scope !== 'offline_access');
    return issue(request, { org: found.org, user, app: connectedApp, scopes, loginOriginKey: originKey }, undefined);
  }

  function clientCredentialsGrant(request: FastifyRequest, originKey: string, form: Form) {
    const org = state.orgByOriginKey(originKey);
    if (!org) throw new OAuthError('invalid_grant', 'request not supported on this domain');
    const client = clientCredentials(request, form);
    const connectedApp = knownApp(client.id);
    if (!sameSecret(client.secret, connectedApp.clientSecret)) throw INVALID_CLIENT();
    const user = connectedApp.clientCredentialsUsernames
      .map((username) => org.userByUsername(username))
      .find((candidate): candidate is OrgUser => candidate !== undefined);
    if (!user) throw new OAuthError('invalid_grant', 'no client credentials user enabled');
    const scopes = connectedApp.scopes.filter((scope) => scope !== 'refresh_token' && scope !== 'offline_access');
    return issue(request, { org, user, app: connectedApp, scopes, loginOriginKey: originKey }, undefined);
  }

  app.post('/services/oauth2/token', async (request, reply) => {
    const originKey = origins.resolve(request) ?? '';
    state.counters.count('oauth-token', state.orgByOriginKey(originKey)?.name);
    if (!isLoginOrigin(originKey)) throw new OAuthError('invalid_request', 'invalid login host', 404);
    const form = (request.body ?? {}) as Form;
    const grants: Record<string, typeof passwordGrant> = {
      authorization_code: authorizationCodeGrant,
      refresh_token: refreshTokenGrant,
      password: passwordGrant,
      client_credentials: clientCredentialsGrant,
    };
    const grant = grants[form.grant_type ?? ''];
    if (!grant) throw new OAuthError('unsupported_grant_type', 'grant type not supported');
    return sendJson(reply, 200, grant(request, originKey, form));
  });

  const revoke = async (request: FastifyRequest, reply: FastifyReply) => {
    const originKey = origins.resolve(request) ?? '';
    state.counters.count('oauth-revoke', state.orgByOriginKey(originKey)?.name);
    const params = { ...(request.query as Form), ...((request.body ?? {}) as Form) };
    const token = params.token ?? '';
    if (state.sessions.revokeAccess(token) || state.sessions.revokeRefresh(token)) {
      return reply.code(200).type(JSON_TYPE).send('');
    }
    // jsforce parses revoke errors as a query string, which is how they come.
    return reply
      .code(400)
      .type('application/x-www-form-urlencoded;charset=UTF-8')
      .send('error=invalid_token&error_description=invalid%20token');
  };
  app.post('/services/oauth2/revoke', revoke);
  app.get('/services/oauth2/revoke', revoke);

  /** The session of a Bearer (or oauth_token) token, for the identity service, which answers 403 otherwise. */
  function identitySession(request: FastifyRequest): Session | undefined {
    const token = bearerToken(request) ?? (request.query as Form).oauth_token;
    if (!token) return undefined;
    const lookup = state.sessions.lookup(token, state.clock.now());
    return lookup.ok ? lookup.session : undefined;
  }

  const forbidden = (reply: FastifyReply, text: string) => reply.code(403).type('text/plain;charset=UTF-8').send(text);

  const userinfo = async (request: FastifyRequest, reply: FastifyReply) => {
    const originKey = origins.resolve(request) ?? '';
    const session = identitySession(request);
    state.counters.count('oauth-userinfo', session?.org.name);
    if (!session || !isLoginOrigin(originKey)) return forbidden(reply, 'Bad_OAuth_Token');
    const body = userInfo({
      org: session.org,
      user: session.user,
      identityUrl: `${origins.urlFor(request, session.loginOriginKey)}/id/${session.org.orgId}/${session.user.id}`,
      instanceUrl: origins.urlFor(request, session.org.originKey),
      version: '{version}',
      now: state.clock.now(),
    });
    return sendJson(reply, 200, body);
  };
  app.get('/services/oauth2/userinfo', userinfo);
  app.post('/services/oauth2/userinfo', userinfo);

  app.get('/id/:orgId/:userId', async (request, reply) => {
    const originKey = origins.resolve(request) ?? '';
    const { orgId, userId } = request.params as { orgId: string; userId: string };
    const session = identitySession(request);
    state.counters.count('identity', session?.org.name);
    if (!session || !isLoginOrigin(originKey)) return forbidden(reply, 'Bad_OAuth_Token');
    if (session.org.orgId.slice(0, 15) !== orgId.slice(0, 15) || session.user.id.slice(0, 15) !== userId.slice(0, 15)) {
      return forbidden(reply, 'Bad_Id');
    }
    const query = request.query as Form;
    const body = identityInfo({
      org: session.org,
      user: session.user,
      identityUrl: `${origins.urlFor(request, originKey)}/id/${session.org.orgId}/${session.user.id}`,
      instanceUrl: origins.urlFor(request, session.org.originKey),
      version: query.version && /^\d+\.0$/.test(query.version) ? query.version : '{version}',
      now: state.clock.now(),
    });
    return sendJson(reply, 200, body);
  });
}
