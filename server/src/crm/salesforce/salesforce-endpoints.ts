import { ConnectionErrorCode } from '@orglink/shared';
import { ApiError } from '../../http-errors.ts';
import type { CrmConfig } from '../../plugins/config.ts';
import type { SandboxIndexReader } from '../sandbox-index.ts';

/** Where to send a connection's sign-in and token requests, and as which connected app. */
export interface SalesforceEndpoint {
  clientId: string;
  clientSecret: string;
  /** Base of /services/oauth2/authorize|token|revoke: login.salesforce.com, test.salesforce.com or a My Domain. */
  loginUrl: string;
}

export interface SalesforceTarget {
  environment: 'production' | 'sandbox';
  /** My Domain (or custom domain) login host chosen by the admin, or null for the generic login host. */
  loginHost: string | null;
}

/** The connected app the sandbox registers for OrgLink; the others serve the simulator's own tests. */
const SANDBOX_APP_NAME = 'OrgLink';

export function salesforceNotConfigured(): ApiError {
  return new ApiError(
    503,
    ConnectionErrorCode.CrmNotConfigured,
    'Salesforce is not set up on this OrgLink server. Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET (the consumer key and secret of your connected app), or SANDBOX_URL to use the local sandbox, then restart the server.',
  );
}

/**
 * Real connected-app credentials win; without them the sandbox index supplies the simulator's app and its loopback
 * login URLs, so a browser on this machine signs in without any host mapping. A My Domain the admin typed is
 * looked up among the sandbox's orgs, since its real host name does not resolve here.
 */
export async function resolveSalesforceEndpoint(
  crm: CrmConfig,
  sandbox: SandboxIndexReader | undefined,
  target: SalesforceTarget,
): Promise<SalesforceEndpoint> {
  if (crm.salesforce) {
    const { clientId, clientSecret, loginUrl, sandboxLoginUrl } = crm.salesforce;
    const base = target.loginHost
      ? `https://${target.loginHost}`
      : target.environment === 'sandbox'
        ? sandboxLoginUrl
        : loginUrl;
    return { clientId, clientSecret, loginUrl: base };
  }
  if (!sandbox) throw salesforceNotConfigured();
  const index = (await sandbox.read()).salesforce;
  const app = index.connectedApps.find((candidate) => candidate.name === SANDBOX_APP_NAME) ?? index.connectedApps[0];
  if (!app) throw salesforceNotConfigured();
  if (!target.loginHost) {
    const loginUrl = target.environment === 'sandbox' ? index.loginUrls.sandbox : index.loginUrls.production;
    return { clientId: app.clientId, clientSecret: app.clientSecret, loginUrl };
  }
  const host = target.loginHost.toLowerCase();
  const org = index.orgs.find((candidate) => candidate.myDomain.toLowerCase() === host);
  if (!org) {
    throw new ApiError(
      400,
      ConnectionErrorCode.LoginHostInvalid,
      `The sandbox has no org with the My Domain ${target.loginHost}. Use one of ${index.orgs.map((candidate) => candidate.myDomain).join(', ')}, or leave the login host empty.`,
    );
  }
  return { clientId: app.clientId, clientSecret: app.clientSecret, loginUrl: org.loginUrls.myDomain };
}
