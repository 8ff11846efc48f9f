import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import type { CatalogSimulator } from './index.ts';
import { startCatalog } from './testing.ts';

let sim: CatalogSimulator;
let listening: ListeningOrigins;
let base: string;

beforeAll(async () => {
  ({ sim, listening } = await startCatalog({
    seed: 11,
    accounts: [
      { subdomain: 'acme', name: 'Acme Learning', users: 50, admin: { email: 'ops@acme.edu', password: 's3cret!' } },
      { subdomain: 'globex', hostname: 'globex.catalog.canvaslms.com', users: 10 },
    ],
  }));
  base = sim.origins.httpUrl('account:acme');
});
afterAll(async () => listening.close());
beforeEach(() => {
  for (const account of sim.accounts) account.reset();
});

function form(fields: Record<string, string>): RequestInit {
  return {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  };
}

async function logIn(returnTo = '/admin'): Promise<string> {
  const response = await fetch(
    `${base}/login`,
    form({ email: 'ops@acme.edu', password: 's3cret!', return_to: returnTo }),
  );
  expect(response.status).toBe(302);
  const cookie = response.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0] as string;
}

async function page(path: string, cookie: string) {
  const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { response, html: await response.text() };
}

function csrfToken(html: string): string {
  return /<meta name="csrf-token" content="([^"]+)">/.exec(html)?.[1] ?? '';
}

describe('admin login', () => {
  it('redirects to the login page without a session, remembering where the admin was going', async () => {
    for (const path of ['/admin', '/admin/integrations', '/admin/integrations/salesforce?tab=job_history']) {
      const response = await fetch(`${base}${path}`, { redirect: 'manual' });
      expect(response.status, path).toBe(302);
      expect(response.headers.get('location')).toBe(`${base}/login?return_to=${encodeURIComponent(path)}`);
    }
    const login = await fetch(`${base}/login?return_to=%2Fadmin%2Fintegrations`);
    const html = await login.text();
    expect(login.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain('<form method="post" action="/login" id="login-form">');
    expect(html).toContain('name="return_to" value="/admin/integrations"');
  });

  it('refuses a wrong password with 401 and no session', async () => {
    const response = await fetch(`${base}/login`, form({ email: 'ops@acme.edu', password: 'nope' }));
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('Invalid email or password.');
    const globexAdmin = sim.account('globex').admin;
    const foreign = await fetch(`${base}/login`, form({ email: globexAdmin.email, password: globexAdmin.password }));
    expect(foreign.status).toBe(401);
  });

  it('sets the _gallery_session cookie and sends the admin back where they were going', async () => {
    const response = await fetch(
      `${base}/login`,
      form({ email: 'OPS@acme.edu', password: 's3cret!', return_to: '/admin/integrations' }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe(`${base}/admin/integrations`);
    expect(response.headers.get('set-cookie')).toMatch(
      /^_gallery_session=[0-9a-f]{48}; Path=\/; HttpOnly; SameSite=Lax$/,
    );
    const offsite = await fetch(
      `${base}/login`,
      form({ email: 'ops@acme.edu', password: 's3cret!', return_to: 'https://evil.example/admin' }),
    );
    expect(offsite.headers.get('location')).toBe(`${base}/admin`);
  });

  it('logs out: the session stops working', async () => {
    const cookie = await logIn();
    const { html } = await page('/admin', cookie);
    const out = await fetch(`${base}/logout`, {
      ...form({ authenticity_token: csrfToken(html) }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie,
      },
    });
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toBe(`${base}/login`);
    expect((await page('/admin', cookie)).response.status).toBe(302);
  });

  it('does not accept one account’s session on another account', async () => {
    const cookie = await logIn();
    const response = await fetch(`${sim.origins.httpUrl('account:globex')}/admin`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
  });
});

describe('admin pages', () => {
  it('shows the Global Navigation with every admin area', async () => {
    const cookie = await logIn();
    const { response, html } = await page('/admin', cookie);
    expect(response.status).toBe(200);
    expect(html).toContain('<nav id="global-nav" aria-label="Global Navigation">');
    for (const [key, label, path] of [
      ['listings', 'Manage Listings', '/admin'],
      ['catalogs', 'Manage Catalogs', '/admin/catalogs'],
      ['promotions', 'Manage Promotions', '/admin/promotions'],
      ['analytics', 'View Analytics', '/admin/analytics'],
      ['tags', 'Tags', '/admin/tags'],
      ['automations', 'Automations', '/admin/automations'],
      ['subcatalog-admins', 'Subcatalog Admins', '/admin/subcatalog_admins'],
      ['api', 'API', '/admin/api_keys'],
      ['integrations', 'Integrations', '/admin/integrations'],
    ]) {
      expect(html).toMatch(new RegExp(`<a href="${path}" data-nav="${key}"( aria-current="page")?>${label}</a>`));
      const area = await page(path as string, cookie);
      expect(area.response.status, path).toBe(200);
      expect(area.html).toContain(`data-nav="${key}" aria-current="page"`);
    }
    expect(html).toContain('<main id="content" data-page="listings">');
    for (const course of sim.account('acme').courses) expect(html).toContain(`data-listing-id="${course.id}"`);
    const analytics = await page('/admin/analytics', cookie);
    expect(analytics.html).toContain('<li data-stat="users"><strong>50</strong>Users</li>');
  });

  it('shows the Integrations area with a Salesforce card a content script can anchor on', async () => {
    const cookie = await logIn();
    const { html } = await page('/admin/integrations', cookie);
    expect(html).toContain('<title>Integrations | Acme Learning Admin</title>');
    expect(html).toContain(
      '<a href="/admin/integrations" data-nav="integrations" aria-current="page">Integrations</a>',
    );
    expect(html).toContain('<main id="content" data-page="integrations">');
    expect(html).toContain('<h1>Integrations</h1>');
    expect(html).toContain('<ul class="integration-list" id="integrations" aria-label="Integrations">');
    expect(html).toContain(
      '<li class="integration-card" data-integration="salesforce" data-integration-status="unlinked">',
    );
    expect(html).toContain(
      '<a class="integration-tile" href="/admin/integrations/salesforce" aria-label="Salesforce">',
    );
    expect(html).toContain('<span class="integration-status" data-status="unlinked">Not linked</span>');
    expect(html).toContain('<div class="integration-actions">');
  });

  it('links Salesforce, saves a field map (keeping the mandatory fields), and unlinks', async () => {
    const acme = sim.account('acme');
    const cookie = await logIn();
    const loginPanel = await page('/admin/integrations/salesforce', cookie);
    expect(loginPanel.html).toContain('data-panel="salesforce-login"');
    expect(loginPanel.html).toContain('Use Custom Domain');
    const token = csrfToken(loginPanel.html);
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${base}${path}`, {
        ...form(fields),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      });

    const forged = await post('/admin/integrations/salesforce/link', { username: 'x@acme.org' });
    expect(forged.status).toBe(422);
    expect(acme.integration.linked).toBe(false);

    const linked = await post('/admin/integrations/salesforce/link', {
      authenticity_token: token,
      username: 'sync@acme.org',
      custom_domain: 'acme.my.salesforce.com',
    });
    expect(linked.status).toBe(302);
    expect(acme.integration).toMatchObject({
      linked: true,
      salesforceUsername: 'sync@acme.org',
      instanceUrl: 'https://acme.my.salesforce.com',
    });
    const card = await page('/admin/integrations', cookie);
    expect(card.html).toContain('role="alert">Salesforce linked.</div>');
    expect(card.html).toContain('data-integration="salesforce" data-integration-status="linked"');
    expect(card.html).toContain('data-status="linked">&#10003; Linked</span>');
    expect(card.html).toContain('data-action="widget">Widget</a>');

    const mapping = await page('/admin/integrations/salesforce?tab=mapping', cookie);
    for (const tab of ['Mapping', 'Quick Actions', 'Job History']) expect(mapping.html).toContain(`>${tab}</a>`);
    expect(mapping.html).toContain('<select id="table" name="table">');
    const saved = await post('/admin/integrations/salesforce/mapping', {
      authenticity_token: token,
      table: 'Lead',
      'field_map[0][catalog_field]': 'custom_fields.organization',
      'field_map[0][salesforce_field]': 'Company',
      'field_map[1][catalog_field]': '',
      'field_map[1][salesforce_field]': '',
    });
    expect(saved.status).toBe(302);
    expect(acme.integration.table).toBe('Lead');
    expect(acme.integration.fieldMap).toEqual([
      { catalogField: 'first_name', salesforceField: 'FirstName' },
      { catalogField: 'last_name', salesforceField: 'LastName' },
      { catalogField: 'email_address', salesforceField: 'Email' },
      { catalogField: 'custom_fields.organization', salesforceField: 'Company' },
    ]);
    const invalid = await post('/admin/integrations/salesforce/mapping', {
      authenticity_token: token,
      table: 'Contact',
      'field_map[0][catalog_field]': 'first_name',
      'field_map[0][salesforce_field]': 'Company',
    });
    expect(invalid.status).toBe(302);
    expect(acme.integration.table).toBe('Lead');

    const actions = await page('/admin/integrations/salesforce?tab=quick_actions', cookie);
    for (const action of ['run-write-job', 'edit-field-map', 'reconnect', 'unlink']) {
      expect(actions.html).toContain(`data-action="${action}"`);
    }
    acme.setIntegration({
      jobs: [
        {
          id: 1,
          startedAt: Date.UTC(2026, 0, 2),
          finishedAt: Date.UTC(2026, 0, 2, 0, 5),
          status: 'Completed',
          recordsProcessed: 50,
          recordsFailed: 0,
          message: null,
        },
      ],
    });
    const history = await page('/admin/integrations/salesforce?tab=job_history', cookie);
    expect(history.html).toContain('data-job-id="1" data-job-status="completed"');

    const unlinked = await post('/admin/integrations/salesforce/unlink', { authenticity_token: token });
    expect(unlinked.status).toBe(302);
    expect(acme.integration.linked).toBe(false);
  });

  it('creates and deletes API keys from the API page, and the API honours them', async () => {
    const acme = sim.account('acme');
    const cookie = await logIn();
    const { html } = await page('/admin/api_keys', cookie);
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${base}${path}`, {
        ...form(fields),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      });
    expect((await post('/admin/api_keys', { authenticity_token: csrfToken(html) })).status).toBe(302);
    const shown = await page('/admin/api_keys', cookie);
    const key = /<code data-api-key>([0-9a-f]{32})<\/code>/.exec(shown.html)?.[1] as string;
    expect(acme.apiTokens).toContain(key);
    const api = () => fetch(`${base}/api/v1/users?per_page=1`, { headers: { authorization: `Token token="${key}"` } });
    expect((await api()).status).toBe(200);
    expect((await page('/admin/api_keys', cookie)).html).not.toContain('data-api-key>');
    await post('/admin/api_keys/revoke', { authenticity_token: csrfToken(html), key });
    expect((await api()).status).toBe(401);
  });
});

describe('public pages', () => {
  it('serves the storefront and /api/docs with its well-known title', async () => {
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('class="catalog-storefront"');
    const docs = await fetch(`${base}/api/docs`);
    expect(await docs.text()).toContain('<title>Catalog JSON API Documentation</title>');
    const missing = await fetch(`${base}/no/such/page`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("The page you were looking for doesn't exist.");
  });
});

describe('over HTTPS', () => {
  it('marks the session cookie Secure', async () => {
    const secure = await startCatalog(
      { seed: 1, accounts: [{ subdomain: 'acme', users: 5, admin: { email: 'a@b.co', password: 'pw' } }] },
      { https: true },
    );
    try {
      const { request } = await import('node:https');
      const { location, cookie } = await new Promise<{ location: string; cookie: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: secure.sim.origins.httpsPort,
            path: '/login',
            method: 'POST',
            headers: { host: 'acme.catalog.instructure.com', 'content-type': 'application/x-www-form-urlencoded' },
            ca: secure.listening.certificate,
            servername: 'acme.catalog.instructure.com',
          },
          (response) => {
            response.resume();
            resolve({
              location: String(response.headers.location),
              cookie: String(response.headers['set-cookie']?.[0]),
            });
          },
        );
        req.on('error', reject);
        req.end('email=a%40b.co&password=pw');
      });
      expect(location).toBe('https://acme.catalog.instructure.com/admin');
      expect(cookie).toMatch(/^_gallery_session=\w+; Path=\/; HttpOnly; SameSite=Lax; Secure$/);
    } finally {
      await secure.listening.close();
    }
  });
});
