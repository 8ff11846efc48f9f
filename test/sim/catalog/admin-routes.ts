import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdminSession, CatalogAccount, FieldMapping } from './account.ts';
import {
  type AdminNavKey,
  adminLayout,
  analyticsBody,
  apiKeysBody,
  catalogFieldOptions,
  catalogsBody,
  emptyStateBody,
  integrationsBody,
  listingsBody,
  loginPage,
  SALESFORCE_FIELDS,
  type SalesforceTab,
  salesforceBody,
  subcatalogAdminsBody,
  tagsBody,
} from './admin-views.ts';
import type { CatalogRouteContext } from './api-routes.ts';
import type { Html } from './html.ts';
import { apiDocsPage, listingPage, listingPath, storefrontPage } from './public-views.ts';
import { isPlainObject } from './request-values.ts';

/** Catalog's Rails session cookie, seen in scripts that drive the real admin. */
export const SESSION_COOKIE = '_gallery_session';

const NOT_FOUND_PAGE =
  "<!DOCTYPE html>\n<html><head><title>The page you were looking for doesn't exist (404)</title></head>" +
  "<body><h1>The page you were looking for doesn't exist.</h1></body></html>\n";

const REJECTED_PAGE =
  '<!DOCTYPE html>\n<html><head><title>The change you wanted was rejected (422)</title></head>' +
  "<body><h1>The change you wanted was rejected.</h1><p>Maybe you tried to change something you didn't have access to.</p></body></html>\n";

export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function sessionCookie(request: FastifyRequest, value: string, maxAgeSeconds?: number): string {
  const attributes = [`${SESSION_COOKIE}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (maxAgeSeconds !== undefined) attributes.push(`Max-Age=${maxAgeSeconds}`);
  // Secure only over HTTPS: the browser tests reach the real host names that way, Node tests use loopback http.
  if (request.protocol === 'https') attributes.push('Secure');
  return attributes.join('; ');
}

function body(request: FastifyRequest): Record<string, unknown> {
  return isPlainObject(request.body) ? request.body : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Only admin paths on this origin: never an open redirect. */
function safeReturnTo(value: unknown): string {
  const path = text(value);
  return /^\/admin(?:[/?#]|$)/.test(path) ? path : '/admin';
}

function sendHtml(reply: FastifyReply, status: number, page: string) {
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

/** The admin login, the admin pages behind it, the storefront and /api/docs. */
export function registerAdminRoutes(app: FastifyInstance, context: CatalogRouteContext) {
  const absolute = (request: FastifyRequest, found: CatalogAccount, path: string) =>
    `${context.origins.urlFor(request, found.key)}${path}`;

  function accountOr404(request: FastifyRequest, reply: FastifyReply): CatalogAccount | undefined {
    const found = context.accountFor(request);
    if (!found) sendHtml(reply, 404, NOT_FOUND_PAGE);
    return found;
  }

  /** The signed-in admin, or undefined after redirecting to the login page (GET) or refusing (POST). */
  function admin(
    request: FastifyRequest,
    reply: FastifyReply,
  ): { account: CatalogAccount; session: AdminSession } | undefined {
    const found = accountOr404(request, reply);
    if (!found) return undefined;
    const session = found.session(cookieValue(request.headers.cookie, SESSION_COOKIE));
    if (!session) {
      const target = request.method === 'GET' ? request.url : '/admin';
      reply.redirect(absolute(request, found, `/login?return_to=${encodeURIComponent(target)}`), 302);
      return undefined;
    }
    if (request.method === 'POST') {
      const token = text(body(request).authenticity_token) || text(request.headers['x-csrf-token']);
      if (token !== session.csrfToken) {
        sendHtml(reply, 422, REJECTED_PAGE);
        return undefined;
      }
    }
    return { account: found, session };
  }

  function render(
    reply: FastifyReply,
    signedIn: { account: CatalogAccount; session: AdminSession },
    page: { title: string; nav: AdminNavKey; page: string },
    content: Html,
  ) {
    const { flash } = signedIn.session;
    delete signedIn.session.flash;
    const flashOption = flash ? { flash: { kind: flash.kind, text: flash.text } } : {};
    return sendHtml(
      reply,
      200,
      adminLayout(signedIn.account, { ...page, session: signedIn.session, ...flashOption }, content),
    );
  }

  function redirectWithFlash(
    request: FastifyRequest,
    reply: FastifyReply,
    signedIn: { account: CatalogAccount; session: AdminSession },
    path: string,
    flash: AdminSession['flash'],
  ) {
    if (flash) signedIn.session.flash = flash;
    return reply.redirect(absolute(request, signedIn.account, path), 302);
  }

  app.get('/login', async (request, reply) => {
    const found = accountOr404(request, reply);
    if (!found) return reply;
    const query = request.query as Record<string, unknown>;
    if (found.session(cookieValue(request.headers.cookie, SESSION_COOKIE))) {
      return reply.redirect(absolute(request, found, safeReturnTo(query.return_to)), 302);
    }
    return sendHtml(reply, 200, loginPage(found, { returnTo: safeReturnTo(query.return_to) }));
  });

  app.post('/login', async (request, reply) => {
    const found = accountOr404(request, reply);
    if (!found) return reply;
    const form = body(request);
    const returnTo = safeReturnTo(form.return_to);
    if (!found.checkAdminLogin(text(form.email), text(form.password))) {
      const page = loginPage(found, { error: 'Invalid email or password.', email: text(form.email), returnTo });
      return sendHtml(reply, 401, page);
    }
    const session = found.openSession();
    reply.header('set-cookie', sessionCookie(request, session.id));
    return reply.redirect(absolute(request, found, returnTo), 302);
  });

  app.post('/logout', async (request, reply) => {
    const signedIn = admin(request, reply);
    if (!signedIn) return reply;
    signedIn.account.closeSession(signedIn.session.id);
    reply.header('set-cookie', sessionCookie(request, '', 0));
    return reply.redirect(absolute(request, signedIn.account, '/login'), 302);
  });

  const simplePages: [string, { title: string; nav: AdminNavKey; page: string }, (account: CatalogAccount) => Html][] =
    [
      ['/admin', { title: 'Listings', nav: 'listings', page: 'listings' }, listingsBody],
      ['/admin/catalogs', { title: 'Catalogs', nav: 'catalogs', page: 'catalogs' }, catalogsBody],
      [
        '/admin/promotions',
        { title: 'Promotions', nav: 'promotions', page: 'promotions' },
        () => emptyStateBody('Promotions', 'There are no promotions yet.'),
      ],
      ['/admin/analytics', { title: 'Analytics', nav: 'analytics', page: 'analytics' }, analyticsBody],
      ['/admin/tags', { title: 'Tags', nav: 'tags', page: 'tags' }, tagsBody],
      [
        '/admin/automations',
        { title: 'Automations', nav: 'automations', page: 'automations' },
        () => emptyStateBody('Automations', 'No automations are set up.'),
      ],
      [
        '/admin/subcatalog_admins',
        { title: 'Subcatalog Admins', nav: 'subcatalog-admins', page: 'subcatalog-admins' },
        subcatalogAdminsBody,
      ],
      ['/admin/integrations', { title: 'Integrations', nav: 'integrations', page: 'integrations' }, integrationsBody],
    ];
  for (const [path, page, content] of simplePages) {
    app.get(path, async (request, reply) => {
      const signedIn = admin(request, reply);
      if (!signedIn) return reply;
      return render(reply, signedIn, page, content(signedIn.account));
    });
  }

  app.get('/admin/api_keys', async (request, reply) => {
    const signedIn = admin(request, reply);
    if (!signedIn) return reply;
    const created = signedIn.session.flash?.apiKey;
    return render(
      reply,
      signedIn,
      { title: 'API', nav: 'api', page: 'api' },
      apiKeysBody(signedIn.account, signedIn.session, created),
    );
  });

  app.post('/admin/api_keys', async (request, reply) => {
    const signedIn = admin(request, reply);
    if (!signedIn) return reply;
    const apiKey = signedIn.account.createToken();
    return redirectWithFlash(request, reply, signedIn, '/admin/api_keys', {
      kind: 'notice',
      text: 'API key created.',
      apiKey,
    });
  });

  app.post('/admin/api_keys/revoke', async (request, reply) => {
    const signedIn = admin(request, reply);
    if (!signedIn) return reply;
    const revoked = signedIn.account.revokeToken(text(body(request).key));
    const flash = revoked
      ? { kind: 'notice' as const, text: 'API key deleted.' }
      : { kind: 'error' as const, text: 'API key not found.' };
    return redirectWithFlash(request, reply, signedIn, '/admin/api_keys', flash);
  });

  app.get('/admin/integrations/salesforce', async (request, reply) => {
    const signedIn = admin(request, reply);
    if (!signedIn) return reply;
    const query = request.query as Record<string, unknown>;
    const tab: SalesforceTab = ['mapping', 'quick_actions', 'job_history'].includes(text(query.tab))
      ? (text(query.tab) as SalesforceTab)
      : 'mapping';
    const view = { tab, reconnect: text(query.reconnect) === '1', customDomain: text(query.custom_domain) === '1' };
    return render(
      reply,
      signedIn,
      { title: 'Salesforce', nav: 'integrations', page: 'integration-salesforce' },
      salesforceBody(signedIn.account, signedIn.session, view),
    );
  });

  // The real link goes through Salesforce's OAuth login; the simulator records who linked instead (see README).
  app.post('/admin/integrations/salesforce/link', async (request, reply) => {
    const signedIn = admin(request, reply);
    if (!signedIn) return reply;
    const form = body(request);
    const username = text(form.username).trim();
    if (!username) {
      return redirectWithFlash(request, reply, signedIn, '/admin/integrations/salesforce', {
        kind: 'error',
        text: 'Enter your Salesforce username.',
      });
    }
    const domain = text(form.custom_domain)
      .trim()
      .replace(/^https?:\/\//, '')
      .replace(/\/.*$/, '');
    signedIn.account.setIntegration({
      linked: true,
      salesforceUsername: username,
      instanceUrl: `https://${domain || 'login.salesforce.com'}`,
    });
    return redirectWithFlash(request, reply, signedIn, '/admin/integrations', {
      kind: 'notice',
      text: 'Salesforce linked.',
    });
  });

  app.post('/admin/integrations/salesforce/unlink', async (request, reply) => {
    const signedIn = admin(request, reply);
    if (!signedIn) return reply;
    signedIn.account.setIntegration({ linked: false, instanceUrl: null });
    return redirectWithFlash(request, reply, signedIn, '/admin/integrations', {
      kind: 'notice',
      text: 'Salesforce unlinked.',
    });
  });

  app.post('/admin/integrations/salesforce/mapping', async (request, reply) => {
    const signedIn = admin(request, reply);
    if (!signedIn) return reply;
    const form = body(request);
    const table = text(form.table) === 'Lead' ? 'Lead' : 'Contact';
    const allowedCatalog = new Set(catalogFieldOptions(signedIn.account).map(([value]) => value));
    const allowedSalesforce = new Set(SALESFORCE_FIELDS[table]);
    const rows = isPlainObject(form.field_map) ? Object.values(form.field_map) : [];
    const fieldMap: FieldMapping[] = [];
    for (const row of rows) {
      if (!isPlainObject(row)) continue;
      const catalogField = text(row.catalog_field);
      const salesforceField = text(row.salesforce_field);
      if (!catalogField && !salesforceField) continue;
      if (!allowedCatalog.has(catalogField) || !allowedSalesforce.has(salesforceField)) {
        return redirectWithFlash(request, reply, signedIn, '/admin/integrations/salesforce?tab=mapping', {
          kind: 'error',
          text: 'Choose both a Catalog field and a Salesforce field for every row.',
        });
      }
      fieldMap.push({ catalogField, salesforceField });
    }
    signedIn.account.setIntegration({ table, fieldMap });
    return redirectWithFlash(request, reply, signedIn, '/admin/integrations/salesforce?tab=mapping', {
      kind: 'notice',
      text: 'Field map saved.',
    });
  });

  app.get('/', async (request, reply) => {
    const found = accountOr404(request, reply);
    if (!found) return reply;
    return sendHtml(reply, 200, storefrontPage(found));
  });

  const listing = async (request: FastifyRequest, reply: FastifyReply) => {
    const found = accountOr404(request, reply);
    if (!found) return reply;
    const course = found.courses.find(
      (candidate) => listingPath(candidate, found.catalogs) === request.url.split('?')[0],
    );
    return course ? sendHtml(reply, 200, listingPage(found, course)) : sendHtml(reply, 404, NOT_FOUND_PAGE);
  };
  app.get('/courses/:path', listing);
  app.get('/browse/:catalog/courses/:path', listing);

  app.get('/api/docs', async (request, reply) => {
    const found = accountOr404(request, reply);
    if (!found) return reply;
    return sendHtml(reply, 200, apiDocsPage(found));
  });
}

export { NOT_FOUND_PAGE };
