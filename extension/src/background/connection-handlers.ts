import { type ApiResult, invalidInput, succeeded } from '../api/api-result.ts';
import {
  checkConnectionId,
  checkCreateClassicConnectionRequest,
  checkCreateConnectionRequest,
  checkTestClassicLoginRequest,
  checkUpdateClassicLoginRequest,
  checkUpdateConnectionRequest,
} from '../api/connection-input.ts';
import type { OrgLinkClient } from '../api/orglink-client.ts';
import type { LoginWindow } from '../api/session.ts';
import { onMessage } from '../messaging.ts';
import { openLoginWindow } from './login-window.ts';
import { callSignedIn } from './signed-in-client.ts';

/** Runs a call about one connection after checking the id a page sent. */
function withConnectionId<T>(
  id: unknown,
  call: (client: OrgLinkClient, id: string) => Promise<ApiResult<T>>,
): Promise<ApiResult<T>> {
  const checked = checkConnectionId(id);
  if (!checked.ok) return Promise.resolve(invalidInput(checked.message));
  return callSignedIn((client) => call(client, checked.value));
}

/**
 * Asks the server for a fresh CRM login URL and opens it in a popup window: Re-authorize on the Connections page,
 * and in the in-page badge of an inactive connection.
 */
export function startConnectionSignIn(connectionId: unknown): Promise<ApiResult<LoginWindow>> {
  return withConnectionId(connectionId, async (client, id) => {
    const authorized = await client.authorizeConnection(id);
    return authorized.ok ? succeeded(await openLoginWindow(authorized.data.loginUrl)) : authorized;
  });
}

/** The Connections page's calls, relayed to the API with the stored token. */
export function registerConnectionHandlers() {
  onMessage('listConnections', () => callSignedIn((client) => client.listConnections()));

  onMessage('getConnection', ({ data }) => withConnectionId(data, (client, id) => client.getConnection(id)));

  onMessage('createConnection', async ({ data }) => {
    const checked = checkCreateConnectionRequest(data);
    if (!checked.ok) return invalidInput(checked.message);
    const created = await callSignedIn((client) => client.createConnection(checked.value));
    if (!created.ok) return created;
    const login = await openLoginWindow(created.data.loginUrl);
    return succeeded({ connection: created.data.connection, login });
  });

  onMessage('updateConnection', ({ data }) => {
    const patch = checkUpdateConnectionRequest(data?.patch);
    if (!patch.ok) return Promise.resolve(invalidInput(patch.message));
    return withConnectionId(data?.id, (client, id) => client.updateConnection(id, patch.value));
  });

  onMessage('deleteConnection', ({ data }) =>
    withConnectionId(data, async (client, id) => {
      const result = await client.deleteConnection(id);
      return result.ok ? succeeded(null) : result;
    }),
  );

  onMessage('pauseConnection', ({ data }) => withConnectionId(data, (client, id) => client.pauseConnection(id)));

  onMessage('activateConnection', ({ data }) => withConnectionId(data, (client, id) => client.activateConnection(id)));

  onMessage('testConnection', ({ data }) => withConnectionId(data, (client, id) => client.testConnection(id)));

  onMessage('authorizeConnection', ({ data }) => startConnectionSignIn(data));

  onMessage('confirmOrgChange', ({ data }) => withConnectionId(data, (client, id) => client.confirmOrgChange(id)));

  onMessage('listJobs', ({ data }) => withConnectionId(data, (client, id) => client.listJobs(id)));

  onMessage('createClassicConnection', ({ data }) => {
    const checked = checkCreateClassicConnectionRequest(data);
    if (!checked.ok) return Promise.resolve(invalidInput(checked.message));
    return callSignedIn((client) => client.createClassicConnection(checked.value));
  });

  onMessage('testClassicLogin', ({ data }) => {
    const checked = checkTestClassicLoginRequest(data);
    if (!checked.ok) return Promise.resolve(invalidInput(checked.message));
    return callSignedIn((client) => client.testClassicLogin(checked.value));
  });

  onMessage('getClassicLogin', ({ data }) => withConnectionId(data, (client, id) => client.getClassicLogin(id)));

  onMessage('updateClassicLogin', ({ data }) => {
    const patch = checkUpdateClassicLoginRequest(data?.patch);
    if (!patch.ok) return Promise.resolve(invalidInput(patch.message));
    return withConnectionId(data?.id, (client, id) => client.updateClassicLogin(id, patch.value));
  });
}
