import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { DYNAMICS_APP_MARKER, isDynamicsPage } from '../host-patterns.ts';
import { readDynamicsOrgId } from './dynamics-org-id.ts';
import type { PageFeature } from './feature-runner.ts';
import { askForOrgStatus, showOrgBadge } from './org-badge.tsx';

// One host is one environment, so the id is read once per page load, not on every in-app navigation.
let knownOrgId: string | undefined;

/**
 * Dynamics 365: says on model-driven app pages whether the environment is connected to the user's team. The page
 * names its environment itself (Xrm's organization id), which the background checks before asking the server.
 */
export const dynamicsEnvironmentBadge: PageFeature<ContentScriptContext> = {
  name: 'Dynamics 365 environment badge',
  include: (url) => isDynamicsPage(url),
  awaitMarker: DYNAMICS_APP_MARKER,
  init: async (signal, ctx) => {
    knownOrgId ??= await readDynamicsOrgId(signal);
    const orgId = knownOrgId;
    if (!orgId || signal.aborted) return;
    await showOrgBadge(ctx, signal, () => askForOrgStatus({ kind: 'dynamics', orgId }));
  },
};

/* Test URLs: https://contoso.crm.dynamics.com/main.aspx?pagetype=entitylist&etn=contact (EMEA: contoso-dev.crm4.dynamics.com) */
