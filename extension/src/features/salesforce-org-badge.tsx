import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isSalesforcePage, LIGHTNING_APP_MARKER } from '../host-patterns.ts';
import type { PageFeature } from './feature-runner.ts';
import { askForOrgStatus, showOrgBadge } from './org-badge.tsx';

/**
 * Salesforce: says on every Lightning page whether the org is connected to the user's team. The page cannot name its
 * org (the `sid` cookie is HttpOnly), so the background reads the cookie's org prefix for the page's host.
 */
export const salesforceOrgBadge: PageFeature<ContentScriptContext> = {
  name: 'Salesforce org badge',
  include: (url) => isSalesforcePage(url),
  awaitMarker: LIGHTNING_APP_MARKER,
  init: (signal, ctx) => showOrgBadge(ctx, signal, () => askForOrgStatus({ kind: 'salesforce' })),
};

/* Test URLs: https://acme.lightning.force.com/lightning/page/home (sandbox: acme--uat.sandbox.lightning.force.com) */
