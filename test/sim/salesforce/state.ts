import { SimClock } from '../common/clock.ts';
import { seededFaker } from '../common/simulator.ts';
import { SessionStore } from './auth/sessions.ts';
import { BulkJobs } from './bulk/jobs.ts';
import { Faults } from './control/faults.ts';
import { type ConnectedApp, Org, type OrgSeed, type OrgUser, type SeededObject } from './model/org.ts';
import { DEFAULT_RECORD_COUNTS, seedRecords } from './model/seed-records.ts';
import { CallCounters } from './model/usage.ts';
import { QueryCursors } from './rest/query-cursors.ts';

export interface StateOptions {
  seed: number;
  orgs: OrgSeed[];
  recordCounts: Partial<Record<SeededObject, number>>;
  now?: () => number;
}

/** Everything the simulator knows, rebuilt identically from the seed on reset. */
export class SalesforceState {
  readonly options: StateOptions;
  readonly clock: SimClock;
  readonly faults: Faults;
  readonly counters = new CallCounters();
  readonly sessions = new SessionStore();
  readonly cursors: QueryCursors;
  readonly bulk = new BulkJobs();
  orgs = new Map<string, Org>();
  apps = new Map<string, ConnectedApp>();

  constructor(options: StateOptions) {
    this.options = options;
    this.clock = new SimClock(options.now);
    this.faults = new Faults(options.seed);
    this.cursors = new QueryCursors(this.clock);
    this.#build();
  }

  #build(): void {
    const usernames = new Set<string>();
    this.orgs = new Map();
    this.apps = new Map();
    this.options.orgs.forEach((seed, index) => {
      for (const user of seed.users) {
        const key = user.username.toLowerCase();
        if (usernames.has(key)) throw new Error(`username ${user.username} is used twice: usernames are global`);
        usernames.add(key);
      }
      const org = new Org(seed, 10_000_000 + index * 1_000_000);
      const counts = { ...DEFAULT_RECORD_COUNTS, ...this.options.recordCounts, ...seed.records };
      seedRecords(org, seededFaker(this.options.seed * 1000 + index), counts);
      this.orgs.set(org.name, org);
      for (const app of org.apps) {
        if (this.apps.has(app.clientId)) throw new Error(`consumer key of ${app.name} is used twice`);
        this.apps.set(app.clientId, app);
      }
    });
  }

  /** Back to the seeded state: records, sessions, jobs, cursors, faults, counters and clock offset. */
  reset(): void {
    this.sessions.clear();
    this.cursors.clear();
    this.bulk.clear();
    this.faults.reset();
    this.counters.reset();
    this.clock.reset();
    this.#build();
  }

  org(name: string): Org | undefined {
    return this.orgs.get(name);
  }

  orgByOriginKey(key: string | undefined): Org | undefined {
    return key?.startsWith('org:') ? this.orgs.get(key.slice(4)) : undefined;
  }

  orgById(orgId: string): Org | undefined {
    const wanted = orgId.slice(0, 15);
    return [...this.orgs.values()].find((org) => org.orgId.slice(0, 15) === wanted);
  }

  findUser(username: string): { org: Org; user: OrgUser } | undefined {
    for (const org of this.orgs.values()) {
      const user = org.userByUsername(username);
      if (user) return { org, user };
    }
    return undefined;
  }
}
