import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFirstTeam } from '../../domain/teams/team-service.ts';
import { buildTestServer } from '../../test-support.ts';
import { consentPage, environmentPage, problemPage } from './pages.ts';

describe('sign-in pages', () => {
  it('escapes every value that comes from a CRM or an admin', () => {
    const html = consentPage({
      flowId: 'f"1',
      formToken: 't<2>',
      connectionName: '<script>alert(1)</script>',
      crm: 'Salesforce',
      orgName: 'Evil & "Co"',
      orgId: '00D',
      username: "o'brien@example.com",
      notices: ['<b>bold</b>'],
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>bold</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Evil &amp; &quot;Co&quot;');
    expect(html).toContain('value="f&quot;1"');
    expect(html).toContain('value="t&lt;2&gt;"');
    expect(html).toContain('o&#39;brien@example.com');
  });

  it('offers Accept and Decline in one form posting back to this server, and never a script', () => {
    const html = consentPage({
      flowId: 'f',
      formToken: 't',
      connectionName: 'Acme',
      crm: 'Salesforce',
      orgName: null,
      orgId: '00D000000000001AAA',
      username: 'admin@acme.com',
      notices: [],
    });
    expect(html).toMatch(/<form method="post" action="\/oauth\/consent">/);
    expect(html).toContain('value="accept"');
    expect(html).toContain('value="decline"');
    expect(html).toContain('00D000000000001AAA');
    for (const page of [
      html,
      problemPage('a', 'b', 'c'),
      environmentPage({ flowId: 'f', formToken: 't', username: 'u', cloudLabel: 'GCC', environments: [] }),
    ]) {
      expect(page).not.toMatch(/<script/i);
    }
  });

  it('lists environments with disabled ones not selectable', () => {
    const html = environmentPage({
      flowId: 'f',
      formToken: 't',
      username: 'admin@contoso.com',
      cloudLabel: 'Public Cloud (Default)',
      environments: [
        {
          id: 'a',
          friendlyName: 'Old',
          uniqueName: 'old',
          url: 'https://old.crm.dynamics.com',
          apiUrl: undefined,
          environmentId: null,
          region: 'NA',
          enabled: false,
        },
        {
          id: 'b',
          friendlyName: 'Prod',
          uniqueName: 'prod',
          url: 'https://prod.crm.dynamics.com',
          apiUrl: undefined,
          environmentId: null,
          region: 'NA',
          enabled: true,
        },
      ],
    });
    expect(html).toMatch(/value="a" disabled/);
    expect(html).toMatch(/value="b" checked>/);
    expect(html).toContain('disabled</span>');
  });
});

/** What a CRM (or whoever forged the redirect) may put in the callback's error parameters. */
const HOSTILE = `<script>alert(1)</script><img src=x onerror="alert(2)">"><svg onload=alert(3)>`;
const ESCAPED =
  '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;&quot;&gt;&lt;svg onload=alert(3)&gt;';

describe('sign-in pages served by the callback', () => {
  let app: Awaited<ReturnType<typeof buildTestServer>>['app'];
  let token: string;
  beforeAll(async () => {
    // A configured connected app: the sign-in starts without reaching Salesforce (the callback is what is tested).
    ({ app } = await buildTestServer({
      crm: {
        sandboxUrl: undefined,
        salesforce: {
          clientId: 'test-client',
          clientSecret: 'test-secret',
          loginUrl: 'https://login.salesforce.com',
          sandboxLoginUrl: 'https://test.salesforce.com',
        },
        dynamics: undefined,
      },
    }));
    const redeemed = await app.inject({
      method: 'POST',
      url: '/api/auth/redeem',
      payload: { code: ensureFirstTeam(app.db)?.code, displayName: 'Ada' },
    });
    token = redeemed.json().token;
  });
  afterAll(() => app.close());

  /** A sign-in started as the admin's browser starts it: its state, and the cookie that binds it to this browser. */
  async function startSignIn(name: string) {
    const created = await app.inject({
      method: 'POST',
      url: '/api/connections',
      headers: { authorization: `Bearer ${token}` },
      payload: { name, kind: 'salesforce', environment: 'production' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const start = await app.inject({ method: 'GET', url: new URL(created.json().loginUrl).pathname });
    expect(start.statusCode).toBe(302);
    const state = new URL(String(start.headers.location)).searchParams.get('state') ?? '';
    const cookie = String(start.headers['set-cookie']).split(';')[0] ?? '';
    return { state, cookie };
  }

  it.each([
    ['access_denied', 'denied'],
    [HOSTILE, 'refused'],
  ])('shows a hostile error / error_description (%s) as text, under a strict CSP', async (error, name) => {
    const { state, cookie } = await startSignIn(`Hostile ${name}`);
    const query = new URLSearchParams({ state, error, error_description: HOSTILE });
    const page = await app.inject({ method: 'GET', url: `/oauth/salesforce/callback?${query}`, headers: { cookie } });
    expect(page.statusCode).toBe(error === 'access_denied' ? 403 : 400);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    if (error !== 'access_denied')
      expect(page.body).toContain(`Salesforce answered &quot;${ESCAPED}&quot;: ${ESCAPED}.`);
    expect(page.body).not.toMatch(/<(script|img|svg)\b/i);

    const policy = new Map(
      String(page.headers['content-security-policy'])
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .map(([directive, ...sources]) => [directive, sources.join(' ')]),
    );
    expect(policy.get('default-src')).toBe("'none'");
    expect(policy.get('style-src')).toBe("'unsafe-inline'");
    expect(policy.get('form-action')).toBe("'self'");
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'none'");
    expect(policy.has('script-src')).toBe(false);
    expect(page.headers['x-frame-options']).toBe('DENY');
  });
});
