import { randomBytes } from 'node:crypto';
import { entityByLogicalName } from '../dataverse/entities.ts';
import type { DataverseEnvironment } from '../dataverse/environment.ts';
import { EntraError } from '../entra/errors.ts';
import { redeemForDynamicsWebClient } from '../entra/routes.ts';
import type { EntraService } from '../entra/service.ts';
import {
  htmlResponse,
  parseCookies,
  parseForm,
  redirectResponse,
  type SimRequest,
  type SimResponse,
  sessionCookie,
} from '../http.ts';
import { CLOUDS, DYNAMICS_WEB_CLIENT_ID } from '../topology.ts';
import { accessDeniedPage, dashboardPage, listPage, recordPage } from './html.ts';

/** The model-driven app's session cookie (the real one is also named CrmOwinAuth). */
const SESSION_COOKIE = 'CrmOwinAuth';

interface Session {
  environment: string;
  oid: string;
}

/**
 * Browser sessions of the model-driven app pages: an unauthenticated request is sent to Entra's authorize endpoint
 * (form_post back to the environment root), and the code that comes back opens a cookie session.
 */
export class PageSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #pending = new Map<string, string>();

  reset(): void {
    this.#sessions.clear();
    this.#pending.clear();
  }

  session(request: SimRequest, environment: string): Session | undefined {
    const session = this.#sessions.get(parseCookies(request.headers.cookie)[SESSION_COOKIE] ?? '');
    return session?.environment === environment ? session : undefined;
  }

  open(environment: string, oid: string): string {
    const id = randomBytes(32).toString('base64url');
    this.#sessions.set(id, { environment, oid });
    return id;
  }

  remember(returnPath: string): string {
    const state = randomBytes(16).toString('base64url');
    this.#pending.set(state, returnPath);
    return state;
  }

  takeReturnPath(state: string | undefined): string | undefined {
    if (!state) return undefined;
    const path = this.#pending.get(state);
    this.#pending.delete(state);
    return path;
  }
}

export interface PageContext {
  entra: EntraService;
  sessions: PageSessions;
  /** Base URL of the Entra origin for this environment's cloud, as the sender reaches the simulator. */
  entraBase: string;
}

function signInRedirect(request: SimRequest, environment: DataverseEnvironment, context: PageContext): SimResponse {
  const returnPath = `${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`;
  const params = new URLSearchParams({
    client_id: DYNAMICS_WEB_CLIENT_ID,
    response_type: 'code',
    redirect_uri: `${request.base}/`,
    response_mode: 'form_post',
    scope: 'openid profile',
    state: context.sessions.remember(returnPath),
    nonce: randomBytes(16).toString('base64url'),
  });
  return redirectResponse(`${context.entraBase}/${environment.info.tenantId}/oauth2/v2.0/authorize?${params}`);
}

function signInCallback(request: SimRequest, environment: DataverseEnvironment, context: PageContext): SimResponse {
  const form = parseForm(request.body);
  const returnPath = context.sessions.takeReturnPath(form.state);
  if (form.error || !form.code || !returnPath) {
    return htmlResponse(
      401,
      `<!DOCTYPE html><html><head><title>Sign in failed</title></head><body><div id="mainContent"><h1>Sign in failed</h1><p>${form.error_description ?? 'The sign-in response was not valid.'}</p></div></body></html>`,
    );
  }
  const authority = CLOUDS[environment.info.cloud].authority;
  try {
    const signedIn = redeemForDynamicsWebClient(context.entra, authority, form.code, `${request.base}/`);
    const user = context.entra.userByOid(signedIn.oid);
    if (!user || signedIn.tenantId !== environment.info.tenantId || !environment.isMember(signedIn.oid)) {
      return htmlResponse(403, accessDeniedPage(user?.upn ?? signedIn.oid, environment));
    }
    const session = context.sessions.open(environment.info.name, user.oid);
    return redirectResponse(returnPath, { 'set-cookie': sessionCookie(SESSION_COOKIE, session, request.base) }, 302);
  } catch (error) {
    if (error instanceof EntraError)
      return htmlResponse(
        401,
        `<!DOCTYPE html><html><body><h1>Sign in failed</h1><p>${error.description}</p></body></html>`,
      );
    throw error;
  }
}

/** `GET /`, `POST /` (sign-in callback) and `GET /main.aspx` of an environment host. */
export function handlePage(
  request: SimRequest,
  environment: DataverseEnvironment,
  context: PageContext,
): SimResponse | undefined {
  const path = request.path.toLowerCase();
  if (path === '/' && request.method === 'POST') return signInCallback(request, environment, context);
  if (request.method !== 'GET' || (path !== '/' && path !== '/main.aspx')) return undefined;
  const session = context.sessions.session(request, environment.info.name);
  if (!session) return signInRedirect(request, environment, context);
  if (path === '/') return redirectResponse(`/main.aspx?appid=${environment.info.appModuleId}`);
  const user = context.entra.userByOid(session.oid);
  const systemUserId = environment.systemUserId(session.oid);
  if (!user || !systemUserId) return htmlResponse(403, accessDeniedPage(user?.upn ?? session.oid, environment));
  const pageUser = { systemUserId, displayName: user.displayName };
  const q = request.query;
  const entity = entityByLogicalName(q.get('etn') ?? '');
  const headers = { 'cache-control': 'no-cache, no-store' };
  switch (q.get('pagetype')) {
    case 'entityrecord': {
      if (!entity) return htmlResponse(404, dashboardPage(environment, pageUser), headers);
      const id = (q.get('id') ?? '').replace(/[{}]/g, '').toLowerCase();
      return htmlResponse(
        200,
        recordPage(environment, pageUser, entity, environment.store.get(entity.logicalName, id), id),
        headers,
      );
    }
    case 'entitylist':
      if (!entity) return htmlResponse(404, dashboardPage(environment, pageUser), headers);
      return htmlResponse(200, listPage(environment, pageUser, entity), headers);
    default:
      return htmlResponse(200, dashboardPage(environment, pageUser), headers);
  }
}
