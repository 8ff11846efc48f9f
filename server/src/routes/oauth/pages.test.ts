import { describe, expect, it } from 'vitest';
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
