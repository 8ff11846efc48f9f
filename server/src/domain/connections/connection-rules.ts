import {
  CONNECTION_NAME_FORBIDDEN,
  type ConnectionEnvironment,
  ConnectionErrorCode,
  type CrmKind,
} from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';

/** The rules of a connection's own fields, apart from the database: pure, so they are unit-tested directly. */

export const NAME_FORBIDDEN_MESSAGE = 'A connection name must not contain "/" or ":".';

export function validateConnectionName(raw: string): string {
  const name = raw.trim();
  if (CONNECTION_NAME_FORBIDDEN.test(name))
    throw new ApiError(400, ConnectionErrorCode.NameInvalid, NAME_FORBIDDEN_MESSAGE);
  // Control characters (a NUL, a line break) would break CSV exports, logs and every place a name is shown.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching them is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) {
    throw new ApiError(
      400,
      ConnectionErrorCode.NameInvalid,
      'A connection name must not contain line breaks or control characters.',
    );
  }
  if (name.length < 1 || name.length > 80) {
    throw new ApiError(400, ConnectionErrorCode.NameInvalid, 'A connection name must have 1 to 80 characters.');
  }
  return name;
}

const ENVIRONMENTS: Record<CrmKind, readonly string[]> = {
  salesforce: ['production', 'sandbox'],
  dynamics: ['public', 'gcc', 'gcc-high', 'dod', 'china'],
};

export function validateEnvironment(kind: CrmKind, environment: ConnectionEnvironment): void {
  const allowed = ENVIRONMENTS[kind];
  if (!allowed.includes(environment)) {
    throw new ApiError(
      400,
      ConnectionErrorCode.EnvironmentInvalid,
      `A ${kind === 'salesforce' ? 'Salesforce' : 'Dynamics 365'} connection's environment must be one of ${allowed.join(', ')} (got "${environment}").`,
    );
  }
}

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
/** My Domain hosts: commercial (including sandbox, developer and scratch orgs), Government Cloud, and China. */
export const MY_DOMAIN_SUFFIXES = ['.my.salesforce.com', '.my.salesforce.mil', '.my.sfcrmproducts.cn'];
const GENERIC_LOGIN_HOSTS = ['login.salesforce.com', 'test.salesforce.com'];

function invalidHost(message: string): ApiError {
  return new ApiError(400, ConnectionErrorCode.LoginHostInvalid, message);
}

/**
 * The login host of a Salesforce connection: its My Domain (name.my.salesforce.com, or
 * name--sandbox.sandbox.my.salesforce.com for a sandbox) or a custom domain. A pasted https:// URL is accepted and
 * reduced to its host; anything else (a path, http, an IP address, a Lightning host) is refused with the fix.
 */
export function normalizeLoginHost(
  kind: CrmKind,
  environment: ConnectionEnvironment,
  raw: string | undefined | null,
): string | null {
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  if (kind !== 'salesforce') {
    throw invalidHost('A login host applies to Salesforce connections only; leave it empty for Dynamics 365.');
  }
  let text = raw.trim().toLowerCase();
  if (text.startsWith('http://'))
    throw invalidHost('The login host must use https; enter just the host, such as acme.my.salesforce.com.');
  text = text.replace(/^https:\/\//, '').replace(/\/+$/, '');
  if (
    !text.includes('.') ||
    text.length > 253 ||
    !text.split('.').every((label) => LABEL.test(label)) ||
    /^[\d.]+$/.test(text) ||
    !/[a-z]$/.test(text)
  ) {
    throw invalidHost(`"${raw.trim()}" is not a host name. Enter your My Domain, such as acme.my.salesforce.com.`);
  }
  if (GENERIC_LOGIN_HOSTS.includes(text)) {
    throw invalidHost(`Leave the login host empty to sign in at ${text}; enter it only for a My Domain.`);
  }
  const lightning = /^(.+?)(\.sandbox)?\.lightning\.force\.com$/.exec(text);
  if (lightning) {
    throw invalidHost(
      `${text} is the Lightning host; enter the My Domain instead: ${lightning[1]}${lightning[2] ?? ''}.my.salesforce.com.`,
    );
  }
  // Only Salesforce's own My Domain hosts: the login host receives the connected app's client secret with every
  // token request, so a host the admin may choose freely would hand that secret to whoever runs it.
  if (!MY_DOMAIN_SUFFIXES.some((suffix) => text.endsWith(suffix))) {
    throw invalidHost(
      `"${text}" is not a Salesforce My Domain. Enter the host of your My Domain, such as acme.my.salesforce.com (sandbox: acme--uat.sandbox.my.salesforce.com).`,
    );
  }
  const sandboxDomain = text.endsWith('.sandbox.my.salesforce.com');
  if (environment === 'production' && sandboxDomain) {
    throw invalidHost(`${text} is a sandbox My Domain; choose Salesforce Sandbox, or enter the production My Domain.`);
  }
  if (environment === 'sandbox' && text.endsWith('.my.salesforce.com') && !sandboxDomain) {
    throw invalidHost(`${text} is a production My Domain; a sandbox's is name--sandboxname.sandbox.my.salesforce.com.`);
  }
  return text;
}

/** Salesforce 18-character Org IDs and Dynamics GUIDs are both case-insensitive as identifiers. */
export const sameOrg = (a: string | null | undefined, b: string | null | undefined) =>
  Boolean(a && b && a.toLowerCase() === b.toLowerCase());
