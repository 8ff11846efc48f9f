import { schema } from '../schema/registry.ts';
import { IdFactory, KEY_PREFIX, to18 } from './ids.ts';
import { RecordStore } from './record-store.ts';
import { RollingDayCounter } from './usage.ts';

export type SeededObject = 'Account' | 'Contact' | 'Lead';

export interface UserSeed {
  username: string;
  password: string;
  securityToken: string;
  firstName: string;
  lastName: string;
  email: string;
  /** Profile name, as shown in Setup. Default 'System Administrator'. */
  profile?: string;
  /** The "Bulk API Hard Delete" system permission (off by default, as in Salesforce). */
  bulkApiHardDelete?: boolean;
  timeZone?: string;
  active?: boolean;
}

export interface ConnectedAppSeed {
  name: string;
  clientId: string;
  clientSecret: string;
  /** Exact callback URLs, besides any http://127.0.0.1:* and http://localhost:* callback, which are always allowed. */
  callbackUrls?: string[];
  /** Issue a new refresh token on every refresh and invalidate the old one. */
  refreshTokenRotation?: boolean;
  /**
   * Run-as users of the client credentials flow, one per org that enabled it (usernames are unique across orgs, so
   * each names its org). An org without one refuses that flow for this app.
   */
  clientCredentialsUsers?: string[];
  /** OAuth scopes the app is allowed; default api, refresh_token, offline_access, id, web, openid. */
  scopes?: string[];
  /** Whether the web-server flow needs the consumer secret (default true; PKCE-only apps set false). */
  requireSecretForWebServerFlow?: boolean;
}

export interface OrgSeed {
  /** Key of the org in the simulator: origin `org:<name>`, /__sim/orgs/<name>. */
  name: string;
  /** My Domain name: `acme` serves acme.my.salesforce.com; a sandbox `acme--uat` serves acme--uat.sandbox.my…. */
  myDomain: string;
  sandbox?: boolean;
  organizationName: string;
  /** Two characters that make this org's ids distinct (the "pod" in real ids). */
  pod: string;
  users: UserSeed[];
  connectedApps: ConnectedAppSeed[];
  /** Seeded record counts per object. */
  records?: Partial<Record<SeededObject, number>>;
  /** DailyApiRequests Max. Default 100000. */
  dailyApiRequests?: number;
  /** Session timeout (inactivity), minutes. Default 120. */
  sessionTimeoutMinutes?: number;
  edition?: string;
  instanceName?: string;
}

export interface OrgUser {
  id: string;
  username: string;
  password: string;
  securityToken: string;
  firstName: string;
  lastName: string;
  name: string;
  email: string;
  profile: string;
  profileId: string;
  bulkApiHardDelete: boolean;
  timeZone: string;
  locale: string;
  language: string;
  active: boolean;
}

/**
 * A connected app. Like real ones it is created in one org (its owner) but usable to log in to any org, which is how
 * one OrgLink deployment connects many orgs with a single consumer key.
 */
export interface ConnectedApp {
  ownerOrg: string;
  name: string;
  clientId: string;
  clientSecret: string;
  callbackUrls: string[];
  refreshTokenRotation: boolean;
  clientCredentialsUsernames: string[];
  scopes: string[];
  requireSecretForWebServerFlow: boolean;
}

export const DEFAULT_APP_SCOPES = ['api', 'refresh_token', 'offline_access', 'id', 'web', 'openid'];

/** One simulated org: its identity, users, connected apps, records and daily allocations. */
export class Org {
  readonly seed: OrgSeed;
  readonly name: string;
  readonly myDomain: string;
  readonly sandbox: boolean;
  readonly organizationName: string;
  readonly orgId: string;
  readonly instanceName: string;
  readonly edition: string;
  readonly ids: IdFactory;
  readonly users: OrgUser[];
  readonly apps: ConnectedApp[];
  readonly stores = new Map<string, RecordStore>();
  readonly apiUsage = new RollingDayCounter();
  readonly bulkBatches = new RollingDayCounter();
  readonly bulkQueryJobs = new RollingDayCounter();
  dailyApiMax: number;
  readonly sessionTimeoutMs: number;

  constructor(seed: OrgSeed, counterStart: number) {
    this.seed = seed;
    this.name = seed.name;
    this.myDomain = seed.myDomain;
    this.sandbox = seed.sandbox ?? false;
    this.organizationName = seed.organizationName;
    this.edition = seed.edition ?? 'Enterprise Edition';
    this.instanceName = seed.instanceName ?? (this.sandbox ? 'USA1024S' : 'USA842');
    this.ids = new IdFactory(seed.pod, counterStart);
    this.orgId = to18(`${KEY_PREFIX.Organization}${seed.pod}000000${base36Tail(seed.name)}`);
    this.dailyApiMax = seed.dailyApiRequests ?? 100_000;
    this.sessionTimeoutMs = (seed.sessionTimeoutMinutes ?? 120) * 60_000;
    for (const object of schema.objects()) this.stores.set(object.name, new RecordStore(object));
    const profileIds = new Map<string, string>();
    this.users = seed.users.map((user) => {
      const profile = user.profile ?? 'System Administrator';
      let profileId = profileIds.get(profile);
      if (!profileId) {
        profileId = this.ids.next(KEY_PREFIX.Profile);
        profileIds.set(profile, profileId);
      }
      return {
        id: this.ids.next(KEY_PREFIX.User),
        username: user.username,
        password: user.password,
        securityToken: user.securityToken,
        firstName: user.firstName,
        lastName: user.lastName,
        name: `${user.firstName} ${user.lastName}`,
        email: user.email,
        profile,
        profileId,
        bulkApiHardDelete: user.bulkApiHardDelete ?? false,
        timeZone: user.timeZone ?? 'America/Los_Angeles',
        locale: 'en_US',
        language: 'en_US',
        active: user.active ?? true,
      };
    });
    this.apps = seed.connectedApps.map((app) => ({
      name: app.name,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      callbackUrls: app.callbackUrls ?? [],
      refreshTokenRotation: app.refreshTokenRotation ?? false,
      ownerOrg: seed.name,
      clientCredentialsUsernames: app.clientCredentialsUsers ?? [],
      scopes: app.scopes ?? DEFAULT_APP_SCOPES,
      requireSecretForWebServerFlow: app.requireSecretForWebServerFlow ?? true,
    }));
  }

  get originKey(): string {
    return `org:${this.name}`;
  }

  get myDomainHost(): string {
    return this.sandbox ? `${this.myDomain}.sandbox.my.salesforce.com` : `${this.myDomain}.my.salesforce.com`;
  }

  get lightningHost(): string {
    return this.sandbox ? `${this.myDomain}.sandbox.lightning.force.com` : `${this.myDomain}.lightning.force.com`;
  }

  store(objectName: string): RecordStore {
    const object = schema.object(objectName);
    const store = object ? this.stores.get(object.name) : undefined;
    if (!store) throw new Error(`no such object ${objectName}`);
    return store;
  }

  user(id: string): OrgUser | undefined {
    return this.users.find((user) => user.id === id);
  }

  userByUsername(username: string): OrgUser | undefined {
    const wanted = username.toLowerCase();
    return this.users.find((user) => user.username.toLowerCase() === wanted);
  }
}

/** Four characters derived from the org name, so org ids differ between orgs sharing a pod. */
function base36Tail(name: string): string {
  let hash = 7;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) % 1_679_616;
  return hash.toString(36).toUpperCase().padStart(4, '0');
}
