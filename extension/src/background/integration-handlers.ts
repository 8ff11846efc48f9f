import type { Integration } from '@orglink/shared';
import { type ApiResult, invalidInput, isSignedOutFailure, succeeded } from '../api/api-result.ts';
import type { OrgLinkClient } from '../api/orglink-client.ts';
import {
  type Checked,
  checkCreateIntegration,
  checkId,
  checkTarget,
  checkUpdateIntegration,
  parseCatalogHost,
} from '../features/catalog-widget-input.ts';
import type { CatalogWidgetStatus, CsvDownload } from '../features/catalog-widget-protocol.ts';
import { onMessage } from '../messaging.ts';
import { runCsvDownload } from './run-csv-download.ts';
import { callSignedIn, currentSignIn } from './signed-in-client.ts';

/** The history tab and its chart show the last 30 runs. */
export const HISTORY_RUNS = 30;

function withChecked<I, T>(
  checked: Checked<I>,
  call: (client: OrgLinkClient, value: I) => Promise<ApiResult<T>>,
): Promise<ApiResult<T>> {
  if (!checked.ok) return Promise.resolve(invalidInput(checked.message));
  return callSignedIn((client) => call(client, checked.value));
}

/**
 * The integration a Catalog page belongs to: the team's integrations for its host, a linked (or connection-inactive)
 * one before an unlinked one, the newest first, since unlinking keeps the old one for its history.
 */
export function integrationForHost(integrations: Integration[], host: string): Integration | null {
  const forHost = integrations.filter((integration) => integration.catalogHost.toLowerCase() === host);
  forHost.sort(
    (a, b) =>
      Number(a.linkState === 'not-linked') - Number(b.linkState === 'not-linked') ||
      b.createdAt.localeCompare(a.createdAt),
  );
  return forHost[0] ?? null;
}

/** Gate 3 of the Catalog widget: signed in (the widget shows, linked or not), signed out or unavailable (it does not). */
export async function catalogWidgetStatus(catalogHost: unknown): Promise<CatalogWidgetStatus> {
  const host = parseCatalogHost(catalogHost);
  if (!host.ok) return { state: 'unavailable', message: host.message };
  const signIn = await currentSignIn();
  if (!signIn) return { state: 'signed-out' };
  const listed = await callSignedIn((client) => client.listIntegrations());
  if (!listed.ok) {
    return isSignedOutFailure(listed)
      ? { state: 'signed-out' }
      : { state: 'unavailable', message: listed.error.message };
  }
  return {
    state: 'signed-in',
    integration: integrationForHost(listed.data.integrations, host.value),
    canEdit: signIn.me.role !== 'viewer',
  };
}

/** The errors CSV of a run, for the widget to save. */
export function downloadRunErrors(runId: unknown): Promise<ApiResult<CsvDownload>> {
  return withChecked(checkId(runId, 'a run'), (client, id) => runCsvDownload(client, id, 'errors'));
}

/** The Catalog widget's calls, relayed to the API with the stored token. */
export function registerIntegrationHandlers() {
  onMessage('getCatalogWidgetStatus', ({ data }) => catalogWidgetStatus(data));

  onMessage('createIntegration', ({ data }) =>
    withChecked(checkCreateIntegration(data), (client, request) => client.createIntegration(request)),
  );

  onMessage('updateIntegration', ({ data }) => {
    const patch = checkUpdateIntegration(data?.patch);
    if (!patch.ok) return Promise.resolve(invalidInput(patch.message));
    return withChecked(checkId(data?.id, 'an integration'), (client, id) => client.updateIntegration(id, patch.value));
  });

  onMessage('unlinkIntegration', ({ data }) =>
    withChecked(checkId(data, 'an integration'), async (client, id) => {
      const result = await client.deleteIntegration(id);
      return result.ok ? succeeded(null) : result;
    }),
  );

  onMessage('getMappingOptions', ({ data }) => {
    const target = checkTarget(data?.target);
    if (!target.ok) return Promise.resolve(invalidInput(target.message));
    return withChecked(checkId(data?.id, 'an integration'), (client, id) => client.getMappingOptions(id, target.value));
  });

  onMessage('runIntegration', ({ data }) =>
    withChecked(checkId(data, 'an integration'), async (client, id) => {
      const result = await client.runIntegration(id);
      return result.ok ? succeeded(result.data.run) : result;
    }),
  );

  onMessage('listIntegrationRuns', ({ data }) =>
    withChecked(checkId(data, 'an integration'), (client, id) =>
      client.listRuns({ integration: id, limit: HISTORY_RUNS }),
    ),
  );

  onMessage('downloadRunErrors', ({ data }) => downloadRunErrors(data));
}
