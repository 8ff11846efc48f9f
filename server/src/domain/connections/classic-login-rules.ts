import { ConnectionErrorCode, type UpdateClassicLoginRequest } from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';
import { normalizeLoginHost } from './connection-rules.ts';

/**
 * The rules of classic logins (password, client credentials), apart from Salesforce and the database: where to log in
 * and which secrets a change needs. Pure, so they are unit-tested directly.
 */

export interface ClassicTarget {
  environment: 'production' | 'sandbox';
  /** The My Domain, or null for login.salesforce.com / test.salesforce.com (by environment). */
  loginHost: string | null;
}

const PRODUCTION_HOST = 'login.salesforce.com';
const SANDBOX_HOST = 'test.salesforce.com';

const bareHost = (raw: string) =>
  raw
    .trim()
    .toLowerCase()
    .replace(/^https:\/\//, '')
    .replace(/\/+$/, '');

const isSandboxMyDomain = (host: string) => host.endsWith('.sandbox.my.salesforce.com');

/**
 * Server host of a password login, as Jitterbit's screen has it: login.salesforce.com by default, the Sandbox
 * checkbox switching it to test.salesforce.com, or a My Domain (which must agree with the checkbox). Any other host
 * is refused by the same rules as OAuth connections: the host receives the password.
 */
export function passwordLoginTarget(rawHost: string | undefined, sandbox: boolean | undefined): ClassicTarget {
  const host = rawHost === undefined || rawHost.trim() === '' ? undefined : bareHost(rawHost);
  if (host === undefined || host === PRODUCTION_HOST || host === SANDBOX_HOST) {
    if (host === PRODUCTION_HOST && sandbox === true) {
      throw new ApiError(
        400,
        ConnectionErrorCode.LoginHostInvalid,
        'Sandbox is ticked but the server host is https://login.salesforce.com. Untick Sandbox, or use https://test.salesforce.com.',
      );
    }
    const environment = host === SANDBOX_HOST || sandbox === true ? 'sandbox' : 'production';
    return { environment, loginHost: null };
  }
  const environment = sandbox === true || isSandboxMyDomain(host) ? 'sandbox' : 'production';
  return { environment, loginHost: normalizeLoginHost('salesforce', environment, rawHost) };
}

/** Client credentials work only at the org's My Domain: Salesforce refuses them at login and test.salesforce.com. */
export function clientCredentialsTarget(rawDomain: string): ClassicTarget {
  const host = bareHost(rawDomain);
  if (host === '' || host === PRODUCTION_HOST || host === SANDBOX_HOST) {
    throw new ApiError(
      400,
      ConnectionErrorCode.LoginHostInvalid,
      `Client credentials work only at your org's My Domain, not at ${host || 'an empty host'}. Enter the My Domain, such as https://acme.my.salesforce.com (Setup > My Domain).`,
    );
  }
  const environment = isSandboxMyDomain(host) ? 'sandbox' : 'production';
  const loginHost = normalizeLoginHost('salesforce', environment, rawDomain);
  if (!loginHost) throw new Error('a non-empty My Domain normalized to nothing');
  return { environment, loginHost };
}

/** The server host an admin sees for a target: https://login|test.salesforce.com or https://<My Domain>. */
export function serverHostOf(target: ClassicTarget): string {
  if (target.loginHost) return `https://${target.loginHost}`;
  return `https://${target.environment === 'sandbox' ? SANDBOX_HOST : PRODUCTION_HOST}`;
}

const PASSWORD_FIELDS = ['loginHost', 'sandbox', 'username', 'password', 'securityToken'] as const;
const CLIENT_FIELDS = ['myDomain', 'consumerKey', 'consumerSecret'] as const;

/**
 * Fields of a login change that do not belong to the connection's kind: a password connection has no consumer key,
 * and the reverse. Changing the kind means a new connection.
 */
export function foreignLoginFields(
  authMethod: 'password' | 'client-credentials',
  patch: UpdateClassicLoginRequest,
): string[] {
  const foreign = authMethod === 'password' ? CLIENT_FIELDS : PASSWORD_FIELDS;
  return foreign.filter((field) => patch[field] !== undefined);
}

/**
 * Which secrets a change still needs ("Enable Re-authentication on Change"): a new server host or username needs
 * the password and security token again, and so does a connection whose stored login was dropped (inactive); a new
 * password comes with its new security token. For client credentials, a new My Domain or consumer key needs the
 * consumer secret again.
 */
export function missingSecrets(
  authMethod: 'password' | 'client-credentials',
  patch: UpdateClassicLoginRequest,
  current: { serverHostChanged: boolean; usernameChanged: boolean; hasStoredLogin: boolean },
): string[] {
  if (authMethod === 'client-credentials') {
    const needed: string[] = [];
    if (!current.hasStoredLogin && patch.consumerKey === undefined) needed.push('consumerKey');
    const resecret = current.serverHostChanged || patch.consumerKey !== undefined || !current.hasStoredLogin;
    if (resecret && patch.consumerSecret === undefined) needed.push('consumerSecret');
    return needed;
  }
  const needed: string[] = [];
  if (!current.hasStoredLogin && patch.username === undefined) needed.push('username');
  const secretsNeeded =
    current.serverHostChanged ||
    current.usernameChanged ||
    !current.hasStoredLogin ||
    patch.password !== undefined ||
    patch.securityToken !== undefined;
  if (secretsNeeded) {
    if (patch.password === undefined) needed.push('password');
    if (patch.securityToken === undefined) needed.push('securityToken');
  }
  return needed;
}

const FIELD_LABELS: Record<string, string> = {
  username: 'username',
  password: 'password',
  securityToken: 'security token',
  consumerKey: 'consumer key',
  consumerSecret: 'consumer secret',
};

export function missingSecretsMessage(missing: string[], why: string): string {
  const labels = missing.map((field) => FIELD_LABELS[field] ?? field);
  const list = labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : labels[0];
  return `${why} Enter the ${list} again (${missing.join(', ')}); nothing was changed.`;
}
