import type { Faker } from '@faker-js/faker';
import type { SimClock } from '../../common/clock.ts';
import { hashString } from '../../common/random.ts';
import { seededFaker } from '../../common/simulator.ts';
import type { Environment, User } from '../topology.ts';
import { type SeedCounts, seedRecords, seedSystemUsers } from './seed.ts';
import { EnvironmentStore, type LookupValue } from './store.ts';

export interface DataverseSettings {
  /** Reject creates that leave ApplicationRequired columns empty (real Dataverse only enforces SystemRequired). */
  enforceApplicationRequired: boolean;
  /** Service protection: requests per user per sliding window, the window, and concurrent requests per user. */
  requestLimit: number;
  requestWindowSeconds: number;
  concurrencyLimit: number;
}

/** One Dataverse environment: its identity, its rows, and the systemuser behind each member's Entra object id. */
export class DataverseEnvironment {
  readonly info: Environment;
  readonly clock: SimClock;
  readonly settings: DataverseSettings;
  readonly #seed: number;
  readonly #users: User[];
  readonly #counts: SeedCounts;
  #store: EnvironmentStore | undefined;
  #faker: Faker | undefined;
  #systemUserByOid = new Map<string, string>();

  constructor(
    info: Environment,
    users: User[],
    seed: number,
    counts: SeedCounts,
    clock: SimClock,
    settings: DataverseSettings,
  ) {
    this.info = info;
    this.#users = users;
    this.#seed = (seed ^ hashString(info.name)) >>> 0;
    this.#counts = counts;
    this.clock = clock;
    this.settings = settings;
  }

  /** Seeded on first use: most runs touch one or two environments, and seeding all six would slow every start. */
  get store(): EnvironmentStore {
    if (!this.#store) this.#load();
    return this.#store as EnvironmentStore;
  }

  #load(): void {
    const faker = seededFaker(this.#seed);
    const store = new EnvironmentStore();
    this.#systemUserByOid = seedSystemUsers(faker, store, this.info, this.#users);
    const owners: LookupValue[] = [...this.#systemUserByOid.values()].map((id) => ({ id, logicalName: 'systemuser' }));
    seedRecords(faker, store, owners, this.#counts);
    this.#store = store;
    this.#faker = faker;
  }

  /** Back to the seeded state: the same rows and the same ids for records created afterwards. */
  reset(): void {
    this.#store = undefined;
    this.#faker = undefined;
  }

  isMember(oid: string): boolean {
    return this.#users.some((user) => user.oid === oid && user.environments.includes(this.info.name));
  }

  systemUserId(oid: string): string | undefined {
    if (!this.#store) this.#load();
    return this.#systemUserByOid.get(oid);
  }

  /** Ids of records created through the API continue the seeded sequence, so reruns create the same ids. */
  newId(): string {
    if (!this.#faker) this.#load();
    return (this.#faker as Faker).string.uuid();
  }
}
