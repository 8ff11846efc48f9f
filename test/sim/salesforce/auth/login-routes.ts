import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { cookieSession, type SimContext } from '../http/context.ts';
import { clearCookie, setSessionCookie } from '../http/cookies.ts';
import {
  isLoginOrigin,
  LOGIN_ORIGIN,
  lightningUrl,
  loginAllowed,
  myDomainUrl,
  requestHostname,
  TEST_LOGIN_ORIGIN,
  viaHostname,
} from '../http/hosts.ts';
import { sendHtml } from '../http/reply.ts';
import type { Org } from '../model/org.ts';
import { approvalPage, errorPage, loginPage } from './pages.ts';
import { AUTHORIZATION_CODE_TTL_MS, type PendingAuthorization, type Session } from './sessions.ts';
import { callbackAllowed, grantScopes } from './tokens.ts';

/**
 * The browser side of OAuth: GET /services/oauth2/authorize, the login form (GET and POST /), the Allow page
 * (/setup/secur/RemoteAccessAuthorizationPage.apexp), frontdoor.jsp and logout. Flow as on Salesforce: authorize
 * redirects to the login page with a startURL, login sets the `sid` cookie and returns to the Allow page, and
 * Allow redirects to the callback with `code` and `state`.
 */

const APPROVAL_PATH = '/setup/secur/RemoteAccessAuthorizationPage.apexp';
const LOGIN_ERROR =
  "Please check your username and password. If you still can't log in, contact your Salesforce administrator.";

type Query = Record<string, string | undefined>;

function hostLabel(context: SimContext, originKey: string | undefined): string {
  if (originKey === LOGIN_ORIGIN) return 'login.salesforce.com';
  if (originKey === TEST_LOGIN_ORIGIN) return 'test.salesforce.com (sandbox)';
  const org = context.state.orgByOriginKey(originKey);
  return org ? org.myDomainHost : 'salesforce.com';
}

/** The session cookie of a user allowed to log in at this login host. */
function loginHostSession(context: SimContext, request: FastifyRequest, originKey: string): Session | undefined {
  return cookieSession(context, request, (session) => loginAllowed(originKey, session.org));
}

function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value);
  return url.toString();
}

function plainError(reply: FastifyReply, error: string, description: string): FastifyReply {
  // What Salesforce shows when it cannot trust the client or its callback: the error as text, no redirect.
  return reply
    .code(400)
    .type('text/plain;charset=UTF-8')
    .send(`error=${error}&error_description=${encodeURIComponent(description)}`);
}

function isSecure(context: SimContext, request: FastifyRequest, originKey: string): boolean {
  return viaHostname(request, context.origins, originKey);
}

function frontdoor(base: string, session: Session, target: string): string {
  return `${base}/secur/frontdoor.jsp?sid=${encodeURIComponent(session.token)}&retURL=${encodeURIComponent(target)}`;
}

/**
 * After login: a relative startURL stays on this host; Lightning pages go through frontdoor.jsp on the org's My
 * Domain (which sets its `sid`) and from there to the Lightning host (which sets its own), as Salesforce hops.
 */
function afterLogin(context: SimContext, request: FastifyRequest, session: Session, startUrl: string): string {
  const safe = startUrl.startsWith('/') && !startUrl.startsWith('//') ? startUrl : '';
  if (safe && !safe.startsWith('/lightning')) return safe;
  return frontdoor(myDomainUrl(request, context.origins, session.org), session, safe || '/lightning/page/home');
}

function issueCodeRedirect(context: SimContext, pending: PendingAuthorization, session: Session): string {
  const now = context.state.clock.now();
  const code = context.state.sessions.issueCode({
    org: session.org,
    user: session.user,
    app: pending.app,
    redirectUri: pending.redirectUri,
    codeChallenge: pending.codeChallenge,
    scopes: pending.scopes,
    loginOriginKey: pending.loginOriginKey,
    expiresAt: now + AUTHORIZATION_CODE_TTL_MS,
  });
  context.state.sessions.finishPending(pending.id);
  return withParams(pending.redirectUri, { code: code.code, state: pending.state });
}

export function registerLoginRoutes(app: FastifyInstance, context: SimContext): void {
  const { state, origins } = context;

  app.get('/services/oauth2/authorize', async (request, reply) => {
    const originKey = origins.resolve(request) ?? '';
    state.counters.count('oauth-authorize', state.orgByOriginKey(originKey)?.name);
    if (!isLoginOrigin(originKey)) return plainError(reply, 'invalid_request', 'invalid login host');
    const query = request.query as Query;
    const connectedApp = state.apps.get(query.client_id ?? '');
    if (!connectedApp) return plainError(reply, 'invalid_client_id', 'client identifier invalid');
    const redirectUri = query.redirect_uri ?? '';
    if (!callbackAllowed(connectedApp, redirectUri)) {
      return plainError(reply, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
    }
    const fail = (error: string, description: string) =>
      reply.redirect(withParams(redirectUri, { error, error_description: description, state: query.state }), 302);
    if (query.response_type !== 'code') return fail('unsupported_response_type', 'response type not supported');
    const method = query.code_challenge_method;
    if (method !== undefined && method !== 'S256') return fail('invalid_request', 'unsupported code_challenge_method');
    const challenge = query.code_challenge;
    if (challenge !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
      return fail('invalid_request', 'invalid code_challenge');
    }
    const prompt = (query.prompt ?? '').split(/\s+/).filter(Boolean);
    const pending = state.sessions.addPending({
      app: connectedApp,
      redirectUri,
      state: query.state,
      codeChallenge: challenge,
      scopes: grantScopes(connectedApp, query.scope),
      prompt,
      loginOriginKey: originKey,
      expiresAt: state.clock.now() + AUTHORIZATION_CODE_TTL_MS,
    });
    const approval = `${APPROVAL_PATH}?source=${pending.id}`;
    const session = prompt.includes('login') ? undefined : loginHostSession(context, request, originKey);
    if (!session) return reply.redirect(`/?ec=302&startURL=${encodeURIComponent(approval)}`, 302);
    return reply.redirect(approval, 302);
  });

  app.get('/', async (request, reply) => {
    const originKey = origins.resolve(request) ?? '';
    const org = state.orgByOriginKey(originKey);
    if (org && requestHostname(request) === org.lightningHost) return reply.redirect('/lightning/page/home', 302);
    if (!isLoginOrigin(originKey)) return sendHtml(reply, 404, errorPage('Page Not Found', 'No such page.'));
    const query = request.query as Query;
    const startUrl = query.startURL ?? '';
    const session = loginHostSession(context, request, originKey);
    if (session) return reply.redirect(afterLogin(context, request, session, startUrl), 302);
    return sendHtml(reply, 200, loginPage({ startUrl, hostLabel: hostLabel(context, originKey) }));
  });

  app.post('/', async (request, reply) => {
    const originKey = origins.resolve(request) ?? '';
    if (!isLoginOrigin(originKey)) return sendHtml(reply, 404, errorPage('Page Not Found', 'No such page.'));
    const form = (request.body ?? {}) as Query;
    const found = state.findUser(form.username ?? '');
    state.counters.count('oauth-login', found?.org.name);
    const startUrl = form.startURL ?? '';
    const ok =
      found?.user.active === true && loginAllowed(originKey, found.org) && found.user.password === (form.pw ?? '');
    if (!found || !ok) {
      const html = loginPage({
        startUrl,
        hostLabel: hostLabel(context, originKey),
        error: LOGIN_ERROR,
        username: form.username,
      });
      return sendHtml(reply, 200, html);
    }
    const now = state.clock.now();
    const session = state.sessions.issueAccess({
      kind: 'ui',
      org: found.org,
      user: found.user,
      app: undefined,
      scopes: ['full'],
      issuedAt: now,
      loginOriginKey: originKey,
      refreshToken: undefined,
    });
    setSessionCookie(reply, isSecure(context, request, originKey), 'sid', session.token);
    return reply.redirect(afterLogin(context, request, session, startUrl), 302);
  });

  const approvalStep = async (request: FastifyRequest, reply: FastifyReply, decision: 'ask' | 'allow' | 'deny') => {
    const source = decision === 'ask' ? (request.query as Query).source : ((request.body ?? {}) as Query).source;
    const pending = state.sessions.pending(source ?? '', state.clock.now());
    if (!pending) {
      return sendHtml(reply, 400, errorPage('Authorization Error', 'The authorization request is invalid or expired.'));
    }
    const session = loginHostSession(context, request, pending.loginOriginKey);
    if (!session) {
      const approval = `${APPROVAL_PATH}?source=${pending.id}`;
      return reply.redirect(`/?ec=302&startURL=${encodeURIComponent(approval)}`, 302);
    }
    if (decision === 'deny') {
      state.sessions.finishPending(pending.id);
      const denied = withParams(pending.redirectUri, {
        error: 'access_denied',
        error_description: 'end-user denied authorization',
        state: pending.state,
      });
      return reply.redirect(denied, 302);
    }
    const approved = state.sessions.isApproved(session.user.id, pending.app.clientId);
    if (decision === 'allow' || (approved && !pending.prompt.includes('consent'))) {
      state.sessions.approve(session.user.id, pending.app.clientId);
      return reply.redirect(issueCodeRedirect(context, pending, session), 302);
    }
    const html = approvalPage({
      source: pending.id,
      appName: pending.app.name,
      username: session.user.username,
      scopes: pending.scopes,
    });
    return sendHtml(reply, 200, html);
  };

  app.get(APPROVAL_PATH, (request, reply) => approvalStep(request, reply, 'ask'));
  app.post(APPROVAL_PATH, (request, reply) => {
    const form = (request.body ?? {}) as Query;
    return approvalStep(request, reply, form.oadeny !== undefined && form.oaapprove === undefined ? 'deny' : 'allow');
  });

  // frontdoor.jsp: a session id in the URL becomes this host's `sid` cookie (how Salesforce hops between its hosts).
  app.get('/secur/frontdoor.jsp', async (request, reply) => {
    const originKey = origins.resolve(request) ?? '';
    const org: Org | undefined = state.orgByOriginKey(originKey);
    if (!org) return sendHtml(reply, 404, errorPage('Page Not Found', 'No such page.'));
    const query = request.query as Query;
    const lookup = state.sessions.lookup(query.sid ?? '', state.clock.now());
    if (!lookup.ok || lookup.session.org !== org) {
      return reply.redirect(`${myDomainUrl(request, origins, org)}/?ec=302`, 302);
    }
    setSessionCookie(reply, isSecure(context, request, originKey), 'sid', lookup.session.token);
    const target =
      query.retURL?.startsWith('/') && !query.retURL.startsWith('//') ? query.retURL : '/lightning/page/home';
    if (target.startsWith('/lightning') && requestHostname(request) === org.myDomainHost) {
      return reply.redirect(frontdoor(lightningUrl(request, origins, org), lookup.session, target), 302);
    }
    return reply.redirect(target, 302);
  });

  app.get('/secur/logout.jsp', async (request, reply) => {
    const originKey = origins.resolve(request) ?? '';
    const session = cookieSession(context, request, () => true);
    if (session) state.sessions.revokeAccess(session.token);
    clearCookie(reply, 'sid');
    const org = state.orgByOriginKey(originKey);
    return reply.redirect(org ? `${myDomainUrl(request, origins, org)}/` : '/', 302);
  });
}
