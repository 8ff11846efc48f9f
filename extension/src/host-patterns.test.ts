// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import {
  DYNAMICS_APP_MARKER,
  DYNAMICS_ORG_ID_MARKER,
  isCatalogIntegrationsPage,
  isCatalogPage,
  isDynamicsPage,
  isSalesforceCookieHost,
  isSalesforcePage,
  LIGHTNING_APP_MARKER,
  myDomainHostFor,
  SALESFORCE_COOKIE_HOSTS,
} from './host-patterns.ts';

describe('Salesforce page patterns', () => {
  it.each([
    'https://acme.lightning.force.com/lightning/page/home',
    'https://acme.my.salesforce.com/',
    'https://acme--uat.sandbox.my.salesforce.com/secur/frontdoor.jsp',
    'https://acme--uat.sandbox.lightning.force.com/lightning/r/Contact/003000000000001AAA/view',
    'https://acme.my.salesforce-setup.com/lightning/setup/SetupOneHome/home',
    'https://acme-dev-ed.develop.lightning.force.com/lightning/page/home',
    'https://acme--c.vf.force.com/apex/Page',
    'https://acme.lightning.force.mil/lightning/page/home',
    'https://acme.lightning.force.com.mcas.ms/lightning/page/home',
  ])('matches %s', (url) => {
    expect(isSalesforcePage(url)).toBe(true);
  });

  it.each([
    'https://evil-salesforce.com/',
    'https://salesforce.com.evil.example/',
    'https://acme.lightning.force.com.evil.example/',
    'https://notforce.com/',
    'https://acme.lightningforce.com/',
    'http://acme.lightning.force.com/lightning/page/home',
    'https://acme.crm.dynamics.com/main.aspx',
    'not a url',
  ])('rejects %s', (url) => {
    expect(isSalesforcePage(url)).toBe(false);
  });
});

describe('Dynamics page patterns', () => {
  it.each([
    'https://contoso.crm.dynamics.com/main.aspx?appid=1',
    'https://contoso-dev.crm4.dynamics.com/main.aspx',
    'https://contosogov.crm9.dynamics.com/main.aspx',
    'https://org2e5e988a.crm21.dynamics.com/main.aspx',
    'https://contosohigh.crm.microsoftdynamics.us/main.aspx',
    'https://contosodod.crm.appsplatform.us/main.aspx',
    'https://contosocn.crm.dynamics.cn/main.aspx',
  ])('matches %s', (url) => {
    expect(isDynamicsPage(url)).toBe(true);
  });

  it.each([
    'https://contoso.api.crm.dynamics.com/api/data/v9.2/WhoAmI',
    'https://www.dynamics.com/',
    'https://crm.dynamics.com/',
    'https://contoso.crmx.dynamics.com/',
    'https://evil-dynamics.com/',
    'https://contoso.crm.dynamics.com.evil.example/',
    'https://contoso.crm.microsoftdynamics.us.evil.example/',
    'http://contoso.crm.dynamics.com/main.aspx',
  ])('rejects %s', (url) => {
    expect(isDynamicsPage(url)).toBe(false);
  });
});

describe('Salesforce session cookie hosts', () => {
  it('maps Lightning and Setup hosts to the My Domain, as Salesforce Inspector does', () => {
    expect(myDomainHostFor('acme.lightning.force.com')).toBe('acme.my.salesforce.com');
    expect(myDomainHostFor('acme--uat.sandbox.lightning.force.com')).toBe('acme--uat.sandbox.my.salesforce.com');
    expect(myDomainHostFor('acme.lightning.force.mil')).toBe('acme.my.salesforce.mil');
    expect(myDomainHostFor('acme.my.salesforce-setup.com')).toBe('acme.my.salesforce.com');
    expect(myDomainHostFor('acme--uat.sandbox.my.salesforce-setup.com')).toBe('acme--uat.sandbox.my.salesforce.com');
    expect(myDomainHostFor('ACME.Lightning.Force.com.mcas.ms')).toBe('acme.my.salesforce.com');
    expect(myDomainHostFor('acme.my.salesforce.com')).toBeUndefined();
  });

  it('may read cookies on Lightning hosts and My Domains, nowhere broader', () => {
    for (const host of [
      'acme.lightning.force.com',
      'acme.my.salesforce.com',
      'acme--uat.sandbox.my.salesforce.com',
      'acme.my.salesforce-setup.com',
    ]) {
      expect(isSalesforceCookieHost(`https://${host}/`)).toBe(true);
    }
    for (const host of [
      'login.salesforce.com',
      'www.salesforce.com',
      'trailhead.salesforce.com',
      'evil-salesforce.com',
    ]) {
      expect(isSalesforceCookieHost(`https://${host}/`)).toBe(false);
    }
  });

  it('asks for no host permission outside the pages the content script runs on', () => {
    for (const pattern of SALESFORCE_COOKIE_HOSTS) {
      const sample = pattern.replace('*.', 'acme.').replace(/\/\*$/, '/');
      expect(isSalesforcePage(sample)).toBe(true);
    }
  });
});

describe('DOM markers', () => {
  it('sees Lightning once the one.app container is inside body.desktop, not on the login page', () => {
    document.body.className = 'desktop';
    document.body.innerHTML = '<div id="auraLoadingBox"></div>';
    expect(document.querySelector(LIGHTNING_APP_MARKER)).toBeNull();
    document.body.innerHTML = '<div class="desktop container forceStyle oneOne" data-aura-class="oneOne"></div>';
    expect(document.querySelector(LIGHTNING_APP_MARKER)).not.toBeNull();
    document.body.className = '';
    document.body.innerHTML = '<form id="login_form"><div class="oneOne"></div></form>';
    expect(document.querySelector(LIGHTNING_APP_MARKER)).toBeNull();
  });

  it('sees a model-driven app by its shell and reads the org id attribute', () => {
    document.body.innerHTML = '<div id="ApplicationShell"><span data-id="orgName" data-org-id="x">Contoso</span></div>';
    expect(document.querySelector(DYNAMICS_APP_MARKER)).not.toBeNull();
    expect(document.querySelector(DYNAMICS_ORG_ID_MARKER)?.getAttribute('data-org-id')).toBe('x');
    document.body.innerHTML = '<main id="content">Sign in</main>';
    expect(document.querySelector(DYNAMICS_APP_MARKER)).toBeNull();
  });
});

describe('Catalog page patterns', () => {
  it('knows the hosted Catalog domains and the Integrations page', () => {
    expect(isCatalogPage('https://acme.catalog.instructure.com/admin')).toBe(true);
    expect(isCatalogPage('https://globex.catalog.canvaslms.com/')).toBe(true);
    expect(isCatalogPage('https://catalog.instructure.com.evil.example/')).toBe(false);
    expect(isCatalogIntegrationsPage('https://acme.catalog.instructure.com/admin/integrations')).toBe(true);
    expect(isCatalogIntegrationsPage('https://learn.example.edu/admin/integrations/')).toBe(true);
    expect(isCatalogIntegrationsPage('https://acme.catalog.instructure.com/admin/integrations/salesforce')).toBe(false);
    expect(isCatalogIntegrationsPage('http://acme.catalog.instructure.com/admin/integrations')).toBe(false);
  });
});
