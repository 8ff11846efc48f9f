import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { isSalesforcePage, LIGHTNING_APP_MARKER } from '../host-patterns.ts';
import type { PageFeature } from './feature-runner.ts';
import { askForOrgStatus, askForRecordDuplicates, showOrgBadge } from './org-badge.tsx';
import { recordPageOf } from './record-duplicates-status.ts';

/**
 * Salesforce: says on every Lightning page whether the org is connected to the user's team. The page cannot name its
 * org (the `sid` cookie is HttpOnly), so the background reads the cookie's org prefix for the page's host. On a record
 * page it also says how many possible duplicates the latest Duplicate Check found for that record.
 */
export const salesforceOrgBadge: PageFeature<ContentScriptContext> = {
  name: 'Salesforce org badge',
  include: (url) => isSalesforcePage(url),
  awaitMarker: LIGHTNING_APP_MARKER,
  init: (signal, ctx) => {
    const record = recordPageOf(new URL(location.href));
    return showOrgBadge(
      ctx,
      signal,
      () => askForOrgStatus({ kind: 'salesforce' }),
      record ? () => askForRecordDuplicates(record.recordId) : undefined,
    );
  },
};

/* Test URLs: https://acme.lightning.force.com/lightning/page/home (sandbox: acme--uat.sandbox.lightning.force.com) */
