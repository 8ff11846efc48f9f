/**
 * Every host the in-page features run on, and the DOM markers that say the host app has loaded: one module, so a new
 * Salesforce or Dynamics domain is one edit here (most of Salesforce Inspector's issues were about new domains).
 * The manifest (content scripts, host permissions, web-accessible resources) and the code checks both read it.
 */

/**
 * Salesforce pages: Salesforce Inspector Reloaded's content-script `matches` (addon/manifest.json at f0bc8f32), copied
 * exactly: Lightning, My Domain, enhanced sandbox domains, Setup, Visualforce, Government Cloud (.mil), China (Alibaba)
 * and the Defender for Cloud Apps proxy.
 */
export const SALESFORCE_PAGE_MATCHES = [
  'https://*.salesforce.com/*',
  'https://*.salesforce-setup.com/*',
  'https://*.visual.force.com/*',
  'https://*.vf.force.com/*',
  'https://*.lightning.force.com/*',
  'https://*.cloudforce.com/*',
  'https://*.visualforce.com/*',
  'https://*.sfcrmapps.cn/*',
  'https://*.sfcrmproducts.cn/*',
  'https://*.salesforce.mil/*',
  'https://*.visual.force.mil/*',
  'https://*.vf.force.mil/*',
  'https://*.lightning.force.mil/*',
  'https://*.cloudforce.mil/*',
  'https://*.visualforce.mil/*',
  'https://*.crmforce.mil/*',
  'https://*.lightning.force.com.mcas.ms/*',
  'https://*.force.com/*',
  'https://*.builder.salesforce-experience.com/*',
];

/**
 * Where the background may read the `sid` cookie, and so the extension's host permissions for Salesforce. Chrome's
 * cookies API needs a host permission for the cookie's URL (content-script matches do not grant one), so this is
 * as narrow as the badge allows: the badge shows only on Lightning pages (gate 2), whose hosts are the Lightning and
 * Setup domains, and their sessions live there and on the org's My Domain (see {@link myDomainHostFor}).
 * Left out: *.mcas.ms, where the proxy hides `sid` (Salesforce Inspector's special case).
 */
export const SALESFORCE_COOKIE_HOSTS = [
  'https://*.lightning.force.com/*',
  'https://*.my.salesforce.com/*',
  'https://*.my.salesforce-setup.com/*',
  'https://*.lightning.force.mil/*',
  'https://*.my.salesforce.mil/*',
];

/**
 * Dynamics 365 model-driven apps: the commercial regions (crm, crm2 … crm22 under dynamics.com), GCC High, DoD and
 * China. Match patterns cannot say "crm followed by digits", so dynamics.com is matched broadly and narrowed by
 * {@link isDynamicsAppHost} in code.
 */
export const DYNAMICS_PAGE_MATCHES = [
  'https://*.dynamics.com/*',
  'https://*.crm.microsoftdynamics.us/*',
  'https://*.crm.appsplatform.us/*',
  'https://*.crm.dynamics.cn/*',
];

/** `<org>.crm.dynamics.com`, `<org>.crm4.dynamics.com`, …: exactly one label before the region, so API hosts such as `<org>.api.crm.dynamics.com` are not app pages. */
const DYNAMICS_APP_HOST = /^[a-z0-9][a-z0-9-]*\.crm\d*\.dynamics\.com$/;
const DYNAMICS_SOVEREIGN_APP_HOST = /^[a-z0-9][a-z0-9-]*\.crm\.(microsoftdynamics\.us|appsplatform\.us|dynamics\.cn)$/;

/**
 * Lightning Experience has loaded: the one.app container inside `<body class="desktop">`. The Aura loading box
 * (Salesforce Inspector's gate) is there from the first byte, before the app has rendered anything.
 */
export const LIGHTNING_APP_MARKER = 'body.desktop .oneOne, body.desktop [data-aura-class~="oneOne"]';

/** A model-driven app has loaded: its application shell or main content region. */
export const DYNAMICS_APP_MARKER = '#ApplicationShell, #mainContent';

/** The organization id the app header carries; read only when the main-world Xrm context does not answer. */
export const DYNAMICS_ORG_ID_MARKER = '[data-id="orgName"][data-org-id]';

/**
 * Chrome's reading of the patterns used here (`https://*.example.com/*`): the same scheme, and the host equal to the
 * domain or ending in "." + the domain. Written out rather than taken from a library because the background is a
 * service worker, where WXT's MatchPattern fails (it tests `instanceof Location`, which workers do not have).
 */
function compile(pattern: string): (url: URL) => boolean {
  const parsed = /^(https?):\/\/(\*\.)?([a-z0-9.-]+)\/\*$/.exec(pattern);
  if (!parsed) throw new Error(`host-patterns: unsupported match pattern ${pattern}`);
  const [, scheme, anySubdomain, domain] = parsed;
  return (url) =>
    url.protocol === `${scheme}:` &&
    (url.hostname === domain || (anySubdomain !== undefined && url.hostname.endsWith(`.${domain}`)));
}

const salesforcePagePatterns = SALESFORCE_PAGE_MATCHES.map(compile);
const salesforceCookiePatterns = SALESFORCE_COOKIE_HOSTS.map(compile);
const dynamicsPagePatterns = DYNAMICS_PAGE_MATCHES.map(compile);

function toUrl(url: string | URL): URL | undefined {
  if (url instanceof URL) return url;
  return URL.canParse(url) ? new URL(url) : undefined;
}

/** The URL is one the Salesforce content script is declared for. */
export function isSalesforcePage(url: string | URL): boolean {
  const parsed = toUrl(url);
  return parsed !== undefined && salesforcePagePatterns.some((matches) => matches(parsed));
}

/** The extension holds a host permission that lets the background read cookies of this URL. */
export function isSalesforceCookieHost(url: string | URL): boolean {
  const parsed = toUrl(url);
  return parsed !== undefined && salesforceCookiePatterns.some((matches) => matches(parsed));
}

/** The host name is a Dynamics 365 environment's app host, in any cloud. */
export function isDynamicsAppHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return DYNAMICS_APP_HOST.test(host) || DYNAMICS_SOVEREIGN_APP_HOST.test(host);
}

/** The URL is a Dynamics 365 app page: declared in the manifest and an app host, not an API or discovery host. */
export function isDynamicsPage(url: string | URL): boolean {
  const parsed = toUrl(url);
  return (
    parsed !== undefined &&
    dynamicsPagePatterns.some((matches) => matches(parsed)) &&
    isDynamicsAppHost(parsed.hostname)
  );
}

/**
 * The org's My Domain host for a Salesforce page host, where its API session cookie lives: a Lightning host maps to
 * the My Domain the way Salesforce Inspector's getMyDomain does (`acme.lightning.force.com` ->
 * `acme.my.salesforce.com`, `acme--uat.sandbox.lightning.force.com` -> `acme--uat.sandbox.my.salesforce.com`), and
 * the Setup domain to its My Domain. Undefined when the host is already a My Domain or has no known mapping.
 */
export function myDomainHostFor(hostname: string): string | undefined {
  const host = hostname.toLowerCase().replace(/\.mcas\.ms$/, '');
  const lightning = /^(.+)\.lightning\.force\.(com|mil)$/.exec(host);
  if (lightning) return `${lightning[1]}.my.salesforce.${lightning[2]}`;
  const setup = /^(.+\.my)\.salesforce-setup\.com$/.exec(host);
  if (setup) return `${setup[1]}.salesforce.com`;
  return undefined;
}

/**
 * Canvas Catalog storefront admins: the two hosted domains. Custom domains are added by the admin in Settings, as
 * optional host permissions with a content script registered at run time (pages/options/catalog-domains.ts).
 */
export const CATALOG_PAGE_MATCHES = ['https://*.catalog.instructure.com/*', 'https://*.catalog.canvaslms.com/*'];

/** The Catalog admin's Integrations area, where the widget belongs (the list page, not the native window). */
const CATALOG_INTEGRATIONS_PATH = /^\/admin\/integrations\/?$/;

/**
 * The Salesforce card on the Integrations page (gate 2 and the anchor). The real admin's DOM is not public: these
 * are the simulator's stable markers (test/sim/catalog/README.md), the path check above keeps the real site safe.
 */
export const CATALOG_INTEGRATIONS_MARKER = '#integrations li[data-integration="salesforce"]';
/** Where the status line and the Widget button go: next to the card's own actions. */
export const CATALOG_WIDGET_MOUNT = '#integrations li[data-integration="salesforce"] .integration-actions';

const catalogPagePatterns = CATALOG_PAGE_MATCHES.map(compile);

/** The URL is on one of Catalog's hosted domains. */
export function isCatalogPage(url: string | URL): boolean {
  const parsed = toUrl(url);
  return parsed !== undefined && catalogPagePatterns.some((matches) => matches(parsed));
}

/**
 * The URL is a Catalog admin Integrations page. The host is not checked here: the content script only runs on the
 * hosted domains and on the custom domains the admin granted, so the path is what is left to tell.
 */
export function isCatalogIntegrationsPage(url: string | URL): boolean {
  const parsed = toUrl(url);
  return parsed !== undefined && parsed.protocol === 'https:' && CATALOG_INTEGRATIONS_PATH.test(parsed.pathname);
}
