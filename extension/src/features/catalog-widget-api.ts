import type { ConnectionList } from '@orglink/shared';
import { type ApiResult, ClientErrorCode, failed } from '../api/api-result.ts';
import type { LoginWindow } from '../api/session.ts';
import { sendMessage } from '../messaging.ts';
import type { CatalogWidgetProtocol } from './catalog-widget-protocol.ts';

type Calls = {
  [K in keyof CatalogWidgetProtocol]: (
    input: Parameters<CatalogWidgetProtocol[K]>[0],
  ) => Promise<ReturnType<CatalogWidgetProtocol[K]>>;
};

/** What the widget asks the background; an interface so the views can be tested without a browser. */
export interface CatalogWidgetApi extends Omit<Calls, 'getCatalogWidgetStatus'> {
  listConnections(): Promise<ApiResult<ConnectionList>>;
  authorizeConnection(id: string): Promise<ApiResult<LoginWindow>>;
}

/** A background that does not answer (extension reloaded under the page) becomes a failure with a way out. */
async function ask<T>(call: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> {
  try {
    return await call();
  } catch {
    return failed(
      0,
      ClientErrorCode.BackgroundUnavailable,
      'The OrgLink extension did not answer. Reload this page and try again.',
    );
  }
}

export const backgroundApi: CatalogWidgetApi = {
  listConnections: () => ask(() => sendMessage('listConnections')),
  authorizeConnection: (id) => ask(() => sendMessage('authorizeConnection', id)),
  createIntegration: (input) => ask(() => sendMessage('createIntegration', input)),
  updateIntegration: (input) => ask(() => sendMessage('updateIntegration', input)),
  unlinkIntegration: (id) => ask(() => sendMessage('unlinkIntegration', id)),
  getMappingOptions: (input) => ask(() => sendMessage('getMappingOptions', input)),
  runIntegration: (id) => ask(() => sendMessage('runIntegration', id)),
  listIntegrationRuns: (id) => ask(() => sendMessage('listIntegrationRuns', id)),
  downloadRunErrors: (id) => ask(() => sendMessage('downloadRunErrors', id)),
};
