import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningOrigins, listenOrigins } from '../common/origins.ts';
import { createSalesforceSimulator, type SalesforceSimulator } from './index.ts';
import { API_VERSION, Browser, formValue, orgInfo, type Running, startSimulator, userInfo } from './test-support.ts';

let running: Running;

beforeAll(async () => {
  running = await startSimulator();
});
afterAll(() => running.close());

describe('Lightning pages over loopback', () => {
  it('sends a visitor without a session to the My Domain login and back to the record page', async () => {
    const acme = orgInfo(running, 'acme');
    const base = acme.instanceUrl ?? '';
    const contact = running.sim.org('acme').records('Contact')[3];
    const recordPath = `/lightning/r/Contact/${String(contact?.Id)}/view`;
    const browser = new Browser();

    const first = await browser.get(`${base}${recordPath}`);
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(`${base}/?ec=302&startURL=${encodeURIComponent(recordPath)}`);
    const loginPage = await browser.get(first.headers.get('location') ?? '');
    const html = await loginPage.text();
    expect(html).toContain(acme.myDomain);
    const user = userInfo(running, 'acme', 'sales@acme.com');
    const login = await browser.postForm(`${base}/`, {
      username: user.username,
      pw: user.password,
      startURL: formValue(html, 'startURL') ?? '',
    });
    expect(login.headers.get('location')).toMatch(new RegExp(`^${base}/secur/frontdoor\\.jsp\\?sid=`));
    const { response, url } = await browser.follow(login.headers.get('location') ?? '');
    expect(url).toBe(`${base}${recordPath}`);
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('<body class="desktop">');
    expect(page).toContain('id="auraLoadingBox"');
    expect(page).toContain('data-aura-class="oneOne"');
    expect(page).toContain(`data-record-id="${String(contact?.Id)}"`);
    expect(page).toContain('data-target-selection-name="sfdc:RecordField.Contact.LastName"');
    expect(page).toContain(String(contact?.LastName).replace(/'/g, '&#39;'));

    const sid = browser.cookie(base, 'sid') ?? '';
    expect(sid.split('!')[0]).toBe(acme.orgId.slice(0, 15));
    // Like Salesforce Inspector: the sid is an API session on the org.
    const api = await fetch(
      `${base}/services/data/v${API_VERSION}/sobjects/Contact/${String(contact?.Id)}?fields=LastName`,
      {
        headers: { authorization: `Bearer ${sid}` },
      },
    );
    expect(api.status).toBe(200);

    const home = await browser.get(`${base}/lightning/page/home`);
    expect(await home.text()).toContain('id="recent-records"');
    const list = await browser.get(`${base}/lightning/o/Lead/list`);
    expect(await list.text()).toContain('Leads');
    const missing = await browser.get(`${base}/lightning/r/Contact/0038a000000zzzzAAA/view`);
    expect(await missing.text()).toContain("The record you're trying to view doesn't exist");
  });

  it('logs out through /secur/logout.jsp', async () => {
    const acme = orgInfo(running, 'acme');
    const base = acme.instanceUrl ?? '';
    const browser = new Browser();
    const user = userInfo(running, 'acme', 'admin@acme.com');
    const login = await browser.postForm(`${base}/`, {
      username: user.username,
      pw: user.password,
      startURL: '/lightning/page/home',
    });
    await browser.follow(login.headers.get('location') ?? '');
    const sid = browser.cookie(base, 'sid');
    await browser.get(`${base}/secur/logout.jsp`);
    expect(browser.cookie(base, 'sid')).toBeUndefined();
    const after = await fetch(`${base}/services/data/v${API_VERSION}/limits`, {
      headers: { authorization: `Bearer ${sid}` },
    });
    expect(after.status).toBe(401);
  });
});

describe('Lightning pages by real host name over HTTPS', () => {
  let sim: SalesforceSimulator;
  let listening: ListeningOrigins;

  beforeAll(async () => {
    sim = createSalesforceSimulator({ recordCounts: { Account: 5, Contact: 5, Lead: 5 } });
    listening = await listenOrigins(sim.app, sim.origins, { https: {} });
  });
  afterAll(() => listening.close());

  function get(host: string, path: string, cookie?: string) {
    return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
      (resolve, reject) => {
        httpsRequest(
          {
            host: '127.0.0.1',
            port: sim.origins.httpsPort,
            path,
            servername: host,
            ca: listening.certificate,
            headers: { host, ...(cookie ? { cookie } : {}) },
          },
          (response) => {
            let body = '';
            response.on('data', (chunk) => {
              body += chunk;
            });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
          },
        )
          .on('error', reject)
          .end();
      },
    );
  }

  it('moves between the My Domain and the Lightning host as Salesforce does, with Secure sid cookies', async () => {
    const lightning = await get('acme.lightning.force.com', '/lightning/page/home');
    expect(lightning.status).toBe(302);
    expect(lightning.headers.location).toBe(
      'https://acme.my.salesforce.com/?ec=302&startURL=%2Flightning%2Fpage%2Fhome',
    );
    const onMyDomain = await get('acme.my.salesforce.com', '/lightning/page/home');
    expect(onMyDomain.headers.location).toBe('https://acme.lightning.force.com/lightning/page/home');
    const sandbox = await get('acme--uat.sandbox.lightning.force.com', '/lightning/page/home');
    expect(sandbox.headers.location).toBe(
      'https://acme--uat.sandbox.my.salesforce.com/?ec=302&startURL=%2Flightning%2Fpage%2Fhome',
    );

    const org = sim.describe().orgs.find((candidate) => candidate.name === 'acme');
    const user = org?.users[0];
    const session = await new Promise<{ location: string; cookie: string }>((resolve, reject) => {
      const body = new URLSearchParams({
        username: user?.username ?? '',
        pw: user?.password ?? '',
        startURL: '/lightning/page/home',
      }).toString();
      const request = httpsRequest(
        {
          host: '127.0.0.1',
          port: sim.origins.httpsPort,
          path: '/',
          method: 'POST',
          servername: 'acme.my.salesforce.com',
          ca: listening.certificate,
          headers: { host: 'acme.my.salesforce.com', 'content-type': 'application/x-www-form-urlencoded' },
        },
        (response) => {
          response.resume();
          resolve({ location: String(response.headers.location), cookie: String(response.headers['set-cookie']?.[0]) });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
    expect(session.cookie).toMatch(/^sid=00D[a-zA-Z0-9]{12}!.*; Path=\/; HttpOnly; Secure; SameSite=None$/);
    expect(session.location).toMatch(/^https:\/\/acme\.my\.salesforce\.com\/secur\/frontdoor\.jsp\?sid=/);
    const myDomainHop = await get(
      'acme.my.salesforce.com',
      new URL(session.location).pathname + new URL(session.location).search,
    );
    expect(String(myDomainHop.headers.location)).toMatch(
      /^https:\/\/acme\.lightning\.force\.com\/secur\/frontdoor\.jsp\?sid=/,
    );
    const location = new URL(String(myDomainHop.headers.location));
    const lightningHop = await get('acme.lightning.force.com', location.pathname + location.search);
    expect(lightningHop.headers.location).toBe('/lightning/page/home');
    const cookie = String(lightningHop.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    const page = await get('acme.lightning.force.com', '/lightning/page/home', cookie);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<body class="desktop">');
  });
});
