import {
  type ClassicLoginDetails,
  ConnectionErrorCode,
  type ConnectionTestResult,
  type CreateClassicConnectionRequest,
  type TestClassicLoginRequest,
  type TestClassicLoginResponse,
  type UpdateClassicLoginRequest,
} from '@orglink/shared';
import { eq } from 'drizzle-orm';
import {
  type ClassicLoginInput,
  type ClassicLoginResult,
  classicLogin,
  SalesforceLoginFailed,
  SalesforceLoginRefused,
} from '../../crm/salesforce/salesforce-classic-login.ts';
import type { SalesforceCredentials } from '../../crm/salesforce/salesforce-client.ts';
import type { SalesforceEndpoint } from '../../crm/salesforce/salesforce-endpoints.ts';
import { revokeSalesforceToken } from '../../crm/salesforce/salesforce-oauth.ts';
import { connections } from '../../db/schema.ts';
import { ApiError } from '../../http-errors.ts';
import { releaseHeldJobs } from '../jobs/connection-jobs.ts';
import type { Caller } from '../teams/team-service.ts';
import { acceptGrant } from './authorization-service.ts';
import {
  type ClassicTarget,
  clientCredentialsTarget,
  foreignLoginFields,
  missingSecrets,
  missingSecretsMessage,
  passwordLoginTarget,
  serverHostOf,
} from './classic-login-rules.ts';
import type { ConnectionClients } from './connection-clients.ts';
import type { ConnectionDeps } from './connection-deps.ts';
import { publishConnectionChanged, publishJobsChanged } from './connection-events.ts';
import { type ConnectionRow, loadConnection } from './connection-repository.ts';
import { sameOrg, validateConnectionName } from './connection-rules.ts';
import {
  discardNeverConnected,
  ensureNameFree,
  insertPendingConnection,
  requireConnection,
  requireLiveConnection,
} from './connection-service.ts';
import { inactiveRemedy, markConnectionInactive } from './connection-state.ts';
import { sealCredentials, tryOpenCredentials } from './credentials.ts';

/**
 * Password and client-credentials connections (issue 6): no browser step, so OrgLink logs in first and stores the
 * connection, active, only when Salesforce accepted the login. See README.md "Classic logins".
 */

type ClassicMethod = 'password' | 'client-credentials';

function targetOf(input: TestClassicLoginRequest): ClassicTarget {
  return input.authMethod === 'password'
    ? passwordLoginTarget(input.loginHost, input.sandbox)
    : clientCredentialsTarget(input.myDomain);
}

function loginInputOf(input: TestClassicLoginRequest): ClassicLoginInput {
  return input.authMethod === 'password'
    ? {
        method: 'password',
        username: input.username.trim(),
        password: input.password,
        securityToken: input.securityToken.trim(),
      }
    : { method: 'client-credentials', consumerKey: input.consumerKey.trim(), consumerSecret: input.consumerSecret };
}

/**
 * Where to log in, and as which client. Password logins use the server's connected app at the chosen host; client
 * credentials use the admin's own consumer key and secret at the My Domain (resolved through the sandbox index
 * when the simulator stands in for Salesforce).
 */
export async function classicEndpoint(
  deps: ConnectionDeps,
  target: ClassicTarget,
  login: ClassicLoginInput,
): Promise<SalesforceEndpoint> {
  if (login.method === 'client-credentials' && deps.crm.source('salesforce') === 'none' && target.loginHost) {
    return { clientId: login.consumerKey, clientSecret: login.consumerSecret, loginUrl: `https://${target.loginHost}` };
  }
  const endpoint = await deps.crm.salesforce(target);
  return login.method === 'client-credentials'
    ? { ...endpoint, clientId: login.consumerKey, clientSecret: login.consumerSecret }
    : endpoint;
}

const REFUSAL_ADVICE: Record<ClassicMethod, string> = {
  password:
    'Check the username, the password and the security token (Salesforce e-mails a new token whenever the password is reset), the server host (Sandbox for a sandbox org), and that the user needs no MFA for API logins.',
  'client-credentials':
    'Check the My Domain, the consumer key and the consumer secret, and that the connected app enables the Client Credentials Flow with a run-as user in this org.',
};

/** Salesforce's refusal as 422 with its own words and what to do; anything else as 502 (try again). */
function loginProblem(error: unknown, method: ClassicMethod): Error {
  if (error instanceof SalesforceLoginRefused) {
    return new ApiError(
      422,
      ConnectionErrorCode.LoginRefused,
      `Salesforce refused the login: ${error.code}: ${error.message} ${REFUSAL_ADVICE[method]}`,
      { crmCode: error.code, crmMessage: error.message },
    );
  }
  if (error instanceof SalesforceLoginFailed) {
    return new ApiError(
      502,
      ConnectionErrorCode.CrmUnreachable,
      `Salesforce could not be asked to log in (${error.message}). Nothing was stored; try again later.`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}

async function logIn(
  deps: ConnectionDeps,
  target: ClassicTarget,
  input: ClassicLoginInput,
): Promise<{ endpoint: SalesforceEndpoint; result: ClassicLoginResult }> {
  const endpoint = await classicEndpoint(deps, target, input);
  try {
    return { endpoint, result: await classicLogin(endpoint, input) };
  } catch (error) {
    throw loginProblem(error, input.method);
  }
}

function credentialsOf(result: ClassicLoginResult): SalesforceCredentials {
  return {
    kind: 'salesforce',
    accessToken: result.accessToken,
    refreshToken: '',
    instanceUrl: result.instanceUrl,
    identityUrl: result.identityUrl,
    orgId: result.orgId,
    orgName: result.orgName,
    userId: result.userId,
    username: result.username,
    classic: result.login,
  };
}

/** "Test" before saving: logs in with what the form holds, says which org answered, and ends that session. */
export async function testClassicLogin(
  deps: ConnectionDeps,
  input: TestClassicLoginRequest,
): Promise<TestClassicLoginResponse> {
  const target = targetOf(input);
  const started = performance.now();
  const { endpoint, result } = await logIn(deps, target, loginInputOf(input));
  const latencyMs = Math.max(0, Math.round(performance.now() - started));
  await revokeSalesforceToken(endpoint, result.accessToken);
  const org = result.orgName ? `${result.orgName} (${result.orgId})` : result.orgId;
  return {
    ok: true,
    latencyMs,
    message: `Salesforce accepted the login to ${org}.`,
    orgId: result.orgId,
    orgName: result.orgName,
  };
}

/**
 * Logs in, then stores the connection with its sealed login and makes it active, recording who accepted the DPA.
 * The org rules are the browser sign-in's (acceptGrant): another team's org is refused, the team's own older
 * connection to the org is taken over. Nothing is stored when Salesforce or those rules refuse.
 */
export async function createClassicConnection(
  deps: ConnectionDeps,
  caller: Caller,
  input: CreateClassicConnectionRequest,
): Promise<ConnectionRow> {
  const name = validateConnectionName(input.name);
  if (input.dpaAccepted !== true) {
    throw new ApiError(
      400,
      ConnectionErrorCode.DpaNotAccepted,
      'Accept the Data Processing Agreement (dpaAccepted: true) to store a connection; nothing was stored.',
    );
  }
  const target = targetOf(input);
  ensureNameFree(deps, caller.teamId, name);
  const { result } = await logIn(deps, target, loginInputOf(input));
  const id = insertPendingConnection(deps, caller, {
    name,
    description: input.description,
    kind: 'salesforce',
    environment: target.environment,
    loginHost: target.loginHost,
    authMethod: input.authMethod,
  });
  const outcome = await acceptGrant(
    deps,
    { connectionId: id, userId: caller.userId },
    {
      orgId: result.orgId,
      orgName: result.orgName,
      instanceUrl: result.instanceUrl,
      username: result.username,
      credentials: credentialsOf(result),
    },
  );
  if (outcome.outcome === 'refused') {
    discardNeverConnected(deps, id);
    throw new ApiError(outcome.status, ConnectionErrorCode.OrgConnectedElsewhere, outcome.message);
  }
  return requireConnection(deps, caller, id);
}

function requireClassic(row: ConnectionRow): ClassicMethod {
  if (row.authMethod === 'oauth') {
    throw new ApiError(
      409,
      ConnectionErrorCode.AuthMethodMismatch,
      `"${row.name}" signs in through the browser (OAuth); it has no password or consumer key. Re-authorize it instead.`,
    );
  }
  return row.authMethod;
}

/** Where the connection logs in now, as saved. */
function savedTarget(row: ConnectionRow): ClassicTarget {
  return { environment: row.environment as ClassicTarget['environment'], loginHost: row.loginHost };
}

function storedCredentials(deps: ConnectionDeps, row: ConnectionRow): SalesforceCredentials | undefined {
  const credentials = tryOpenCredentials(deps.secrets, row.id, row.credentials);
  return credentials?.kind === 'salesforce' && credentials.classic ? credentials : undefined;
}

/** What the edit form shows. Secrets stay on the server; an inactive connection's dropped login shows empty. */
export function classicLoginDetails(deps: ConnectionDeps, caller: Caller, id: string): ClassicLoginDetails {
  const row = requireConnection(deps, caller, id);
  const method = requireClassic(row);
  const target = savedTarget(row);
  const login = storedCredentials(deps, row)?.classic;
  if (method === 'client-credentials') {
    return {
      authMethod: method,
      myDomain: serverHostOf(target),
      consumerKey: login?.method === 'client-credentials' ? login.consumerKey : '',
    };
  }
  return {
    authMethod: method,
    serverHost: serverHostOf(target),
    sandbox: target.environment === 'sandbox',
    username: login?.method === 'password' ? login.username : '',
  };
}

/** Saves a fresh login of the connection's own org and makes an inactive connection work again. */
function saveLogin(
  deps: ConnectionDeps,
  row: ConnectionRow,
  target: ClassicTarget,
  result: ClassicLoginResult,
): string[] {
  const sealed = sealCredentials(deps.secrets, row.id, credentialsOf(result));
  return deps.db.transaction(() => {
    const revived = row.status === 'inactive';
    const status = revived ? (row.pausedAt ? 'paused' : 'active') : row.status;
    deps.db
      .update(connections)
      .set({
        environment: target.environment,
        loginHost: target.loginHost,
        credentials: sealed,
        orgName: result.orgName ?? row.orgName,
        instanceUrl: result.instanceUrl,
        status,
        statusReason: revived ? null : row.statusReason,
        updatedAt: new Date().toISOString(),
      })
      .where(eq(connections.id, row.id))
      .run();
    return status === 'active' && revived ? releaseHeldJobs(deps.db, row.id) : [];
  });
}

function requireSameOrg(row: ConnectionRow, result: ClassicLoginResult): void {
  if (row.externalOrgId && !sameOrg(row.externalOrgId, result.orgId)) {
    throw new ApiError(
      409,
      ConnectionErrorCode.OrgConnectedElsewhere,
      `That login belongs to another org (${result.orgId}) than "${row.name}" (${row.externalOrgId}). Nothing was changed; create a new connection for that org.`,
    );
  }
}

/**
 * Changes the login of a password or client-credentials connection. A new server host or username needs the
 * password and security token again (400 naming what is missing, nothing changed); the new login is tried before
 * anything is saved, and must reach the same org.
 */
export async function updateClassicLogin(
  deps: ConnectionDeps,
  clients: ConnectionClients,
  caller: Caller,
  id: string,
  patch: UpdateClassicLoginRequest,
): Promise<ConnectionRow> {
  const row = requireLiveConnection(deps, caller, id);
  const method = requireClassic(row);
  const foreign = foreignLoginFields(method, patch);
  if (foreign.length > 0) {
    throw new ApiError(
      400,
      ConnectionErrorCode.AuthMethodMismatch,
      `"${row.name}" is a ${method} connection; ${foreign.join(', ')} do not apply to it. Create a new connection to log in another way.`,
    );
  }
  const current = savedTarget(row);
  const stored = storedCredentials(deps, row)?.classic;
  let target = current;
  if (method === 'password' && (patch.loginHost !== undefined || patch.sandbox !== undefined)) {
    target = passwordLoginTarget(
      patch.loginHost ?? serverHostOf(current),
      patch.sandbox ?? current.environment === 'sandbox',
    );
  }
  if (method === 'client-credentials' && patch.myDomain !== undefined) target = clientCredentialsTarget(patch.myDomain);
  const serverHostChanged = target.environment !== current.environment || target.loginHost !== current.loginHost;
  const storedUsername = stored?.method === 'password' ? stored.username : undefined;
  const usernameChanged =
    patch.username !== undefined && patch.username.trim().toLowerCase() !== storedUsername?.toLowerCase();
  const missing = missingSecrets(method, patch, {
    serverHostChanged,
    usernameChanged,
    hasStoredLogin: Boolean(stored),
  });
  if (missing.length > 0) {
    const why = !stored
      ? `The stored login of "${row.name}" was dropped when Salesforce refused it.`
      : method === 'password'
        ? 'Changing the server host or the username needs the password and security token again, and a new password comes with its new security token.'
        : 'Changing the My Domain or the consumer key needs the consumer secret again.';
    throw new ApiError(400, ConnectionErrorCode.CredentialsRequired, missingSecretsMessage(missing, why), { missing });
  }
  const input: ClassicLoginInput =
    method === 'password'
      ? {
          method,
          username: patch.username?.trim() ?? storedUsername ?? '',
          password: patch.password ?? (stored?.method === 'password' ? stored.password : ''),
          securityToken: patch.securityToken?.trim() ?? (stored?.method === 'password' ? stored.securityToken : ''),
        }
      : {
          method,
          consumerKey: patch.consumerKey?.trim() ?? (stored?.method === 'client-credentials' ? stored.consumerKey : ''),
          consumerSecret:
            patch.consumerSecret ?? (stored?.method === 'client-credentials' ? stored.consumerSecret : ''),
        };
  const { result } = await logIn(deps, target, input);
  requireSameOrg(row, result);
  const jobIds = saveLogin(deps, row, target, result);
  clients.forget(row.id);
  publishConnectionChanged(deps, row.id);
  publishJobsChanged(deps, row.teamId, jobIds);
  return requireConnection(deps, caller, row.id);
}

/**
 * Test of a saved classic connection: a real login with the stored secrets (not just the current session), so a
 * changed password shows now rather than when the session expires. A refusal makes the connection inactive.
 */
export async function testClassicConnection(
  deps: ConnectionDeps,
  clients: ConnectionClients,
  row: ConnectionRow,
): Promise<ConnectionTestResult> {
  const method = requireClassic(row);
  const started = performance.now();
  const stored = storedCredentials(deps, row);
  let ok = false;
  let message: string;
  if (!stored?.classic) {
    message = `"${row.name}" has no stored login (Salesforce refused it earlier). ${inactiveRemedy(method)}`;
  } else {
    const target = savedTarget(row);
    try {
      const { result } = await logIn(deps, target, stored.classic);
      ok = sameOrg(result.orgId, row.externalOrgId);
      if (ok) {
        saveLogin(deps, row, target, result);
        clients.forget(row.id);
        message = `Salesforce accepted the login to ${row.orgName ?? row.externalOrgId}.`;
      } else {
        message = `The login reached another org (${result.orgId}) than this connection's (${row.externalOrgId}). Edit the connection's login.`;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const refused = error.code === ConnectionErrorCode.LoginRefused;
      if (refused) {
        const crm = error.details as { crmCode: string; crmMessage: string };
        markConnectionInactive(deps, row.id, `${crm.crmCode}: ${crm.crmMessage}`, inactiveRemedy(method));
        clients.forget(row.id);
      }
      message = refused ? `${error.message} The connection is now inactive.` : error.message;
    }
  }
  const latencyMs = Math.max(0, Math.round(performance.now() - started));
  const connection = loadConnection(deps.db, row.id);
  if (!connection) throw new Error(`connection ${row.id} vanished during its test`);
  return { ok, latencyMs, message, connection };
}
