import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import type { DynamicsSimulator } from './index.ts';
import { ADMIN, SALES, signInForm, startDynamics, submitSignIn } from './testing.ts';

let sim: DynamicsSimulator;
let listening: ListeningOrigins;

beforeAll(async () => {
  ({ sim, listening } = await startDynamics({ records: { accounts: 5, contacts: 8, leads: 4 } }, { https: true }));
});
afterAll(async () => listening.close());

/** A browser's sign-in round trip: page -> Entra -> form post back to the environment -> session cookie. */
async function browse(environment: string, path: string, user: string) {
  const base = sim.origins.httpUrl(`env:${environment}`);
  const first = await fetch(`${base}${path}`, { redirect: 'manual' });
  expect(first.status).toBe(302);
  const authorize = first.headers.get('location') ?? '';
  const signedIn = await submitSignIn(authorize, user);
  expect(signedIn.status).toBe(200);
  const form = signInForm(await signedIn.text(), authorize);
  expect(form.action).toBe(`${base}/`);
  const callback = await fetch(form.action, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form.fields),
  });
  return { base, authorize, callback };
}

describe('model-driven app pages', () => {
  it('sends an anonymous visitor to Entra, and shows the record form with its markers after sign-in', async () => {
    const env = sim.environment('contoso');
    const contact = sim.control.records('contoso', 'contacts')[0] ?? {};
    const path = `/main.aspx?appid=${env.appModuleId}&pagetype=entityrecord&etn=contact&id=${String(contact.contactid)}`;
    const { base, authorize, callback } = await browse('contoso', path, ADMIN);
    const url = new URL(authorize);
    expect(`${url.origin}${url.pathname}`).toBe(
      `${sim.origins.httpUrl('entra:public')}/${env.tenantId}/oauth2/v2.0/authorize`,
    );
    expect(url.searchParams.get('client_id')).toBe('00000007-0000-0000-c000-000000000000');
    expect(url.searchParams.get('response_mode')).toBe('form_post');
    expect(url.searchParams.get('redirect_uri')).toBe(`${base}/`);

    expect(callback.status).toBe(302);
    expect(callback.headers.get('location')).toBe(path);
    const cookie = (callback.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^CrmOwinAuth=/);

    const page = await fetch(`${base}${path}`, { headers: { cookie } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<title>Contact: Information: ${String(contact.fullname)} - Dynamics 365</title>`);
    expect(html).toContain('id="mainContent"');
    expect(html).toContain(`data-id="form-header" data-entity="contact" data-record-id="${String(contact.contactid)}"`);
    expect(html).toContain(`<h1 data-id="header_title" title="${String(contact.fullname)}">`);
    expect(html).toContain(
      `data-id="emailaddress1.fieldControl-text-box-text" aria-label="Email" value="${String(contact.emailaddress1)}"`,
    );
    expect(html).toContain(`"organizationId":"${env.organizationId}"`);

    const list = await fetch(`${base}/main.aspx?appid=${env.appModuleId}&pagetype=entitylist&etn=contact`, {
      headers: { cookie },
    });
    const listHtml = await list.text();
    const active = sim.control.records('contoso', 'contacts').filter((row) => row.statecode === 0);
    expect([...listHtml.matchAll(/row-id="([0-9a-f-]{36})"/g)].map((match) => match[1]).sort()).toEqual(
      active.map((row) => String(row.contactid)).sort(),
    );
    expect(listHtml).toContain('data-id="grid-container"');

    // The cookie belongs to this environment only.
    const other = await fetch(`${sim.origins.httpUrl('env:contoso-dev')}${path}`, {
      headers: { cookie },
      redirect: 'manual',
    });
    expect(other.status).toBe(302);
  });

  it('refuses a signed-in user who is not a member of the environment', async () => {
    const env = sim.environment('contoso-dev');
    const { callback } = await browse('contoso-dev', `/main.aspx?appid=${env.appModuleId}`, SALES);
    expect(callback.status).toBe(403);
    expect(await callback.text()).toContain("You don't have access to this environment");
  });

  it('redirects by real host name over HTTPS, as a browser with host-resolver rules sees it', async () => {
    const env = sim.environment('contoso');
    const response = await new Promise<{ status: number; location: string }>((resolve, reject) => {
      request(
        {
          host: '127.0.0.1',
          port: sim.origins.httpsPort,
          path: '/main.aspx?pagetype=entitylist&etn=lead',
          headers: { host: env.host },
          servername: env.host,
          ca: listening.certificate,
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, location: String(res.headers.location) });
        },
      )
        .on('error', reject)
        .end();
    });
    expect(response.status).toBe(302);
    const url = new URL(response.location);
    expect(url.origin).toBe('https://login.microsoftonline.com');
    expect(url.searchParams.get('redirect_uri')).toBe('https://contoso.crm.dynamics.com/');
  });
});
