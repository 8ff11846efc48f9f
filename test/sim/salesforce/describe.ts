import type { Origins } from '../common/origins.ts';
import { LOGIN_ORIGIN, TEST_LOGIN_ORIGIN } from './http/hosts.ts';
import type { ConnectedApp, Org } from './model/org.ts';
import { LATEST_VERSION, OLDEST_VERSION } from './rest/versions.ts';
import type { SalesforceState } from './state.ts';

/** The simulator's entry in the sandbox index: where everything is and every credential a developer needs. */

function loopback(origins: Origins, key: string): string | undefined {
  try {
    return origins.httpUrl(key);
  } catch {
    return undefined;
  }
}

const CALLBACK_RULE = 'any http://127.0.0.1:<port>/<path> or http://localhost:<port>/<path>, plus callbackUrls';

function appEntry(app: ConnectedApp) {
  return {
    name: app.name,
    ownerOrg: app.ownerOrg,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    callbackUrls: app.callbackUrls,
    callbackRule: CALLBACK_RULE,
    scopes: app.scopes,
    refreshTokenRotation: app.refreshTokenRotation,
    requireSecretForWebServerFlow: app.requireSecretForWebServerFlow,
    clientCredentialsUsers: app.clientCredentialsUsernames,
  };
}

function orgEntry(org: Org, origins: Origins, apps: ConnectedApp[]) {
  const instanceUrl = loopback(origins, org.originKey);
  return {
    name: org.name,
    organizationName: org.organizationName,
    orgId: org.orgId,
    type: org.sandbox ? 'sandbox' : 'production',
    edition: org.edition,
    myDomain: org.myDomainHost,
    instanceUrl,
    lightningUrl: instanceUrl ? `${instanceUrl}/lightning/page/home` : undefined,
    loginUrls: {
      myDomain: instanceUrl,
      generic: loopback(origins, org.sandbox ? TEST_LOGIN_ORIGIN : LOGIN_ORIGIN),
    },
    browser: {
      instanceUrl: `https://${org.myDomainHost}`,
      lightningUrl: `https://${org.lightningHost}/lightning/page/home`,
      loginUrls: {
        myDomain: `https://${org.myDomainHost}`,
        generic: org.sandbox ? 'https://test.salesforce.com' : 'https://login.salesforce.com',
      },
    },
    dailyApiRequests: org.dailyApiMax,
    users: org.users.map((user) => ({
      username: user.username,
      password: user.password,
      securityToken: user.securityToken,
      passwordWithToken: `${user.password}${user.securityToken}`,
      name: user.name,
      profile: user.profile,
      userId: user.id,
      permissions: { bulkApiHardDelete: user.bulkApiHardDelete, apiEnabled: true },
    })),
    connectedApps: apps.map((app) => ({
      name: app.name,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      clientCredentialsUser: app.clientCredentialsUsernames.find((username) => org.userByUsername(username)),
    })),
  };
}

export function describeSimulator(state: SalesforceState, origins: Origins) {
  const apps = [...state.apps.values()];
  return {
    name: 'salesforce',
    apiVersions: { oldest: `${OLDEST_VERSION}.0`, latest: `${LATEST_VERSION}.0` },
    loginUrls: {
      production: loopback(origins, LOGIN_ORIGIN),
      sandbox: loopback(origins, TEST_LOGIN_ORIGIN),
    },
    browserLoginUrls: { production: 'https://login.salesforce.com', sandbox: 'https://test.salesforce.com' },
    notes: [
      'Connected apps work in every org (like real ones); client credentials need the org My Domain URL as loginUrl.',
      'Password and SOAP logins take the password followed by the security token (passwordWithToken).',
      'Set the jsforce version explicitly (its default 50.0 works, but new code should use the latest).',
    ],
    connectedApps: apps.map(appEntry),
    orgs: [...state.orgs.values()].map((org) => orgEntry(org, origins, apps)),
    controls: {
      base: '/__sim',
      overview: '/__sim',
      counters: '/__sim/counters',
      reset: '/__sim/reset',
      faults: '/__sim/faults',
      records: '/__sim/orgs/<org>/records/<Object>',
    },
  };
}
