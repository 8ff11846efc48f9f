import { EXTENSION_PUBLIC_KEY } from '@orglink/shared';
import preact from '@preact/preset-vite';
import { defineConfig } from 'wxt';
import { CATALOG_PAGE_MATCHES, DYNAMICS_PAGE_MATCHES, SALESFORCE_COOKIE_HOSTS } from './src/host-patterns.ts';

/** Read by the manifest test (src/content-security-policy.test.ts) as well as by the build. */
export const EXTENSION_PAGES_CSP =
  "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export default defineConfig({
  srcDir: 'src',
  // WXT dropped webextension-polyfill from its `browser` in 0.20; this module puts it back, so message
  // listeners can return promises in every browser.
  modules: ['@wxt-dev/webextension-polyfill'],
  // WXT has no Preact module: the Vite plugin is the documented way to add a framework.
  vite: () => ({ plugins: [preact()] }),
  manifest: {
    name: 'OrgLink',
    description:
      'Connect your admin tools to Salesforce and Dynamics 365: connections, sync jobs and duplicate checks.',
    // Pins the extension ID (see shared/src/extension-identity.ts): the API allows exactly that origin.
    key: EXTENSION_PUBLIC_KEY,
    minimum_chrome_version: '123',
    // cookies + the Salesforce session hosts: the background reads the org prefix of the HttpOnly `sid` cookie for the
    // in-page badge. Dynamics pages name their org themselves, so they need no host permission.
    // notifications: a run that fails says so outside the popup. No `tabs` permission (admins would be warned that
    // OrgLink reads their browsing history): the popup learns the active tab's URL only on the sites OrgLink works on,
    // which its host permissions name (the same sites its content scripts run on), plus activeTab for a toolbar click.
    // scripting: the Catalog content script is registered at run time on the custom domains added in Settings, each
    // asked for as an optional host permission when it is saved (nothing is granted up front).
    permissions: ['storage', 'cookies', 'notifications', 'activeTab', 'scripting'],
    optional_host_permissions: ['https://*/*'],
    host_permissions: [...new Set([...SALESFORCE_COOKIE_HOSTS, ...DYNAMICS_PAGE_MATCHES, ...CATALOG_PAGE_MATCHES])],
    // The main-world helper that reads Xrm's organization id, injected by the Dynamics content script.
    web_accessible_resources: [{ resources: ['dynamics-xrm-org-id.js'], matches: DYNAMICS_PAGE_MATCHES }],
    // Stricter than MV3's floor: no plugins, no <base> rewriting, no framing of the pages that hold the session, and
    // no form posts (every form is handled in script). connect-src stays open: the background calls the API at
    // whatever address the admin set in Settings.
    content_security_policy: {
      extension_pages: EXTENSION_PAGES_CSP,
    },
  },
});
