import { randomBytes } from 'node:crypto';
import { hashString } from '../common/random.ts';
import { seededFaker } from '../common/simulator.ts';
import {
  type CatalogRecord,
  type CourseRecord,
  type EnrollmentRecord,
  seedCatalogs,
  seedCourses,
  seedEnrollments,
} from './catalog-content.ts';
import { Faults } from './faults.ts';
import { ALPHANUMERIC, HEX, Rng } from './rng.ts';
import { type CustomFieldName, type SeededDuplicate, seedUsers } from './seeder.ts';
import type { CatalogUserRecord } from './user-record.ts';
import type { VariationKind } from './variations.ts';

/** One Catalog instance to simulate: its own host, users, API keys and admin. */
export interface CatalogAccountSeed {
  /** `acme` → origin key `account:acme`, default host `acme.catalog.instructure.com`. */
  subdomain: string;
  /** Real host name; default `<subdomain>.catalog.instructure.com`. */
  hostname?: string;
  /** Root catalog name shown in the admin and returned by /api/v1/catalogs. */
  name?: string;
  /** Number of users to seed (default 300). */
  users?: number;
  /** Share of users that are near-duplicates of other users (default 0.05). */
  duplicateRate?: number;
  duplicateKinds?: VariationKind[];
  /** API keys; default one key derived from the seed. */
  apiTokens?: string[];
  /** Admin login for /admin; default `admin@<hostname>` with a seed-derived password. */
  admin?: { email: string; password: string; name?: string };
  customFields?: CustomFieldName[];
  subcatalogs?: string[];
  /** Number of course listings (default 12). */
  listings?: number;
}

export interface AdminUser {
  email: string;
  password: string;
  name: string;
}

export interface AdminSession {
  id: string;
  email: string;
  csrfToken: string;
  expiresAt: number;
  /** Shown once on the next page, as Rails' flash. */
  flash?: { kind: 'notice' | 'error'; text: string; apiKey?: string };
}

export type SalesforceTable = 'Contact' | 'Lead';

export interface FieldMapping {
  catalogField: string;
  salesforceField: string;
}

/** A row of the native integration's Job History tab. */
export interface WriteJobEntry {
  id: number;
  startedAt: number;
  finishedAt: number | null;
  status: 'Running' | 'Completed' | 'Failed';
  recordsProcessed: number;
  recordsFailed: number;
  message: string | null;
}

/** What Catalog's own Salesforce integration screen shows. OrgLink replaces this sync; see README. */
export interface SalesforceIntegrationState {
  linked: boolean;
  /** The Salesforce login the link was made with, shown next to the Linked icon. */
  salesforceUsername: string | null;
  instanceUrl: string | null;
  table: SalesforceTable;
  fieldMap: FieldMapping[];
  jobs: WriteJobEntry[];
}

/** Fields accepted when adding a user (registration through the API, or /__sim/ controls). */
export interface NewUserInput {
  first_name: string;
  last_name: string;
  email_address: string;
  user_name?: string;
  registered_account_id?: number;
  custom_fields?: Record<string, string>;
  time_zone?: string;
  registered_in_catalog?: boolean;
}

/** Fields a test may change on a user; `custom_fields` merges like the API's PUT (null deletes a key). */
export interface UserChanges {
  first_name?: string;
  last_name?: string;
  user_name?: string;
  email_address?: string;
  registered_account_id?: number;
  custom_fields?: Record<string, string | null>;
  time_zone?: string;
  merged_into_user_id?: number | null;
  registered_in_catalog?: boolean;
}

export interface UserFilter {
  registeredInCatalog?: boolean;
  canvasUserId?: number;
  createdFrom?: number;
  createdTo?: number;
  updatedFrom?: number;
  updatedTo?: number;
}

export interface CallCounts {
  total: number;
  /** `GET /api/v1/users` → count; paths use route patterns (`/api/v1/users/:id`). */
  byEndpoint: Record<string, number>;
  /** `GET /api/v1/users 200` → count. */
  byStatus: Record<string, number>;
}

/** A request the API must refuse with 4xx, carrying the message for the error body. */
export class CatalogRequestError extends Error {
  readonly statusCode: number;
  constructor(statusCode: number, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

const MANDATORY_FIELD_MAP: readonly FieldMapping[] = [
  { catalogField: 'first_name', salesforceField: 'FirstName' },
  { catalogField: 'last_name', salesforceField: 'LastName' },
  { catalogField: 'email_address', salesforceField: 'Email' },
];

const SESSION_TTL_MS = 8 * 3_600_000;

function titleCase(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * The whole in-memory state of one Catalog account, and the typed controls tests use in process. Everything is
 * derived from `seed`, so `reset()` brings back exactly the first state.
 */
export class CatalogAccount {
  readonly key: string;
  readonly subdomain: string;
  readonly hostname: string;
  readonly name: string;
  readonly seed: number;
  readonly faults: Faults;
  readonly rootAccountId: number;
  readonly canvasRootAccountUuid: string;
  readonly admin: AdminUser;

  readonly #spec: CatalogAccountSeed;
  readonly #seededUntil: number;
  readonly #now: () => number;
  #rng!: Rng;
  #users: CatalogUserRecord[] = [];
  #byId = new Map<number, CatalogUserRecord>();
  #duplicates = new Map<number, SeededDuplicate>();
  #nextUserId = 1;
  #nextCanvasUserId = 1;
  #tokens: string[] = [];
  #sessions = new Map<string, AdminSession>();
  #calls: CallCounts = { total: 0, byEndpoint: {}, byStatus: {} };
  /** Bumped on every user change, so a client paging through one filter does not re-scan 100,000 users per page. */
  #version = 0;
  #filterCache: { key: string; version: number; users: CatalogUserRecord[] } | undefined;
  catalogs: CatalogRecord[] = [];
  courses: CourseRecord[] = [];
  enrollments: EnrollmentRecord[] = [];
  integration!: SalesforceIntegrationState;

  constructor(spec: CatalogAccountSeed, simulatorSeed: number, seededUntil: number, now: () => number) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(spec.subdomain)) throw new Error(`invalid Catalog subdomain ${spec.subdomain}`);
    this.#spec = spec;
    this.#seededUntil = seededUntil;
    this.#now = now;
    this.subdomain = spec.subdomain;
    this.key = `account:${spec.subdomain}`;
    this.hostname = (spec.hostname ?? `${spec.subdomain}.catalog.instructure.com`).toLowerCase();
    this.name = spec.name ?? `${titleCase(spec.subdomain)} Catalog`;
    this.seed = (simulatorSeed ^ hashString(spec.subdomain)) >>> 0;
    this.faults = new Faults(this.seed ^ 0xfa17);
    const identity = new Rng(this.seed ^ 0x1d);
    this.rootAccountId = identity.int(1, 400);
    this.canvasRootAccountUuid = identity.string(40, ALPHANUMERIC);
    this.admin = {
      email: spec.admin?.email ?? `admin@${this.hostname}`,
      password: spec.admin?.password ?? `catalog-${identity.string(12, ALPHANUMERIC)}`,
      name: spec.admin?.name ?? `${titleCase(spec.subdomain)} Admin`,
    };
    this.reset();
  }

  /** Back to the seeded state: users, listings, API keys, integration screen, faults, counters, sessions. */
  reset() {
    const spec = this.#spec;
    this.#rng = new Rng(this.seed ^ 0x7e57);
    this.catalogs = seedCatalogs(
      this.rootAccountId,
      this.name,
      spec.subcatalogs ?? [`${titleCase(this.subdomain)} Professional Education`, 'Continuing Studies'],
    );
    const seeded = seedUsers({
      seed: this.seed,
      count: spec.users ?? 300,
      duplicateRate: spec.duplicateRate ?? 0.05,
      ...(spec.duplicateKinds ? { duplicateKinds: spec.duplicateKinds } : {}),
      rootAccountId: this.rootAccountId,
      registeredAccountIds: this.catalogs.map((catalog) => catalog.id),
      canvasRootAccountUuid: this.canvasRootAccountUuid,
      seededUntil: this.#seededUntil,
      firstUserId: 1 + (this.rootAccountId % 7) * 1000,
      firstCanvasUserId: 10_000 + this.rootAccountId * 100,
      ...(spec.customFields ? { customFields: spec.customFields } : {}),
    });
    this.#users = seeded.users;
    this.#version += 1;
    this.#byId = new Map(seeded.users.map((user) => [user.id, user]));
    this.#duplicates = new Map(seeded.duplicates.map((duplicate) => [duplicate.userId, duplicate]));
    const last = seeded.users[seeded.users.length - 1];
    this.#nextUserId = (last?.id ?? 1000) + 1;
    this.#nextCanvasUserId = (last?.canvas_user_id ?? 10_000) + 1;
    const contentRng = new Rng(this.seed ^ 0xc0);
    this.courses = seedCourses(
      seededFaker(this.seed ^ 0xc0),
      contentRng,
      this.catalogs,
      spec.listings ?? 12,
      this.#seededUntil,
    );
    this.enrollments = seedEnrollments(contentRng, this.#users, this.courses, this.#seededUntil);
    this.#tokens = spec.apiTokens ? [...spec.apiTokens] : [new Rng(this.seed ^ 0xa91).string(32, HEX)];
    this.integration = {
      linked: false,
      salesforceUsername: null,
      instanceUrl: null,
      table: 'Contact',
      fieldMap: MANDATORY_FIELD_MAP.map((row) => ({ ...row })),
      jobs: [],
    };
    this.#sessions.clear();
    this.faults.clear();
    this.resetCalls();
  }

  now(): number {
    return this.#now();
  }

  // Users

  get userCount(): number {
    return this.#users.length;
  }

  /** All users in id order (a copy of the list; the records are live). */
  users(): CatalogUserRecord[] {
    return [...this.#users];
  }

  user(id: number): CatalogUserRecord | undefined {
    return this.#byId.get(id);
  }

  findUsers(filter: UserFilter): CatalogUserRecord[] {
    const active = Object.values(filter).some((value) => value !== undefined);
    if (!active) return this.#users;
    const key = JSON.stringify(filter);
    const cached = this.#filterCache;
    if (cached && cached.key === key && cached.version === this.#version) return cached.users;
    const users = this.#users.filter(
      (user) =>
        (filter.registeredInCatalog === undefined || user.registered_in_catalog === filter.registeredInCatalog) &&
        (filter.canvasUserId === undefined || user.canvas_user_id === filter.canvasUserId) &&
        (filter.createdFrom === undefined || user.created_at >= filter.createdFrom) &&
        (filter.createdTo === undefined || user.created_at <= filter.createdTo) &&
        (filter.updatedFrom === undefined || user.updated_at >= filter.updatedFrom) &&
        (filter.updatedTo === undefined || user.updated_at <= filter.updatedTo),
    );
    this.#filterCache = { key, version: this.#version, users };
    return users;
  }

  /** Registers a user; e-mail is the login, so it must be new to this account (case-insensitively). */
  addUser(input: NewUserInput): CatalogUserRecord {
    for (const field of ['first_name', 'last_name', 'email_address'] as const) {
      if (typeof input[field] !== 'string' || input[field].trim() === '') {
        throw new CatalogRequestError(422, `${field} can't be blank`);
      }
    }
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(input.email_address.trim())) {
      throw new CatalogRequestError(422, 'email_address is invalid');
    }
    this.#assertEmailFree(input.email_address);
    const registeredAccountId = input.registered_account_id ?? this.rootAccountId;
    this.#assertCatalog(registeredAccountId);
    const now = this.now();
    this.#nextCanvasUserId += this.#rng.int(1, 7);
    const user: CatalogUserRecord = {
      id: this.#nextUserId++,
      root_account_id: this.rootAccountId,
      canvas_user_id: this.#nextCanvasUserId,
      registered_account_id: registeredAccountId,
      canvas_root_account_uuid: this.canvasRootAccountUuid,
      canvas_user_uuid: this.#rng.string(40, ALPHANUMERIC),
      user_name: input.user_name ?? `${input.first_name} ${input.last_name}`,
      first_name: input.first_name,
      last_name: input.last_name,
      email_address: input.email_address,
      custom_fields: { ...(input.custom_fields ?? {}) },
      created_at: now,
      updated_at: now,
      merged_into_user_id: null,
      time_zone: input.time_zone ?? 'Etc/UTC',
      registered_in_catalog: input.registered_in_catalog ?? true,
    };
    this.#users.push(user);
    this.#byId.set(user.id, user);
    this.#version += 1;
    return user;
  }

  /** Changes a user and bumps updated_at to now(), as any save does. */
  updateUser(id: number, changes: UserChanges): CatalogUserRecord {
    const user = this.#require(id);
    if (
      changes.email_address !== undefined &&
      changes.email_address.toLowerCase() !== user.email_address.toLowerCase()
    ) {
      this.#assertEmailFree(changes.email_address);
    }
    if (changes.registered_account_id !== undefined) this.#assertCatalog(changes.registered_account_id);
    if (changes.merged_into_user_id !== undefined && changes.merged_into_user_id !== null) {
      this.#require(changes.merged_into_user_id);
    }
    const { custom_fields: customChanges, ...plain } = changes;
    Object.assign(user, plain);
    if (customChanges) {
      for (const [key, value] of Object.entries(customChanges)) {
        if (value === null) delete user.custom_fields[key];
        else user.custom_fields[key] = value;
      }
    }
    user.updated_at = this.now();
    this.#version += 1;
    return user;
  }

  /** Removes the user with their enrollments (the API's default DELETE). */
  deleteUser(id: number): CatalogUserRecord {
    const user = this.#require(id);
    const index = this.#indexOf(id);
    this.#users.splice(index, 1);
    this.#byId.delete(id);
    this.#version += 1;
    this.enrollments = this.enrollments.filter((enrollment) => enrollment.user_id !== id);
    return user;
  }

  /** DELETE with only_orders_and_enrollments: the user stays, their enrollments go. */
  deleteOrdersAndEnrollments(id: number): CatalogUserRecord {
    const user = this.#require(id);
    this.enrollments = this.enrollments.filter((enrollment) => enrollment.user_id !== id);
    return user;
  }

  #require(id: number): CatalogUserRecord {
    const user = this.#byId.get(id);
    if (!user) throw new CatalogRequestError(404, 'The specified resource does not exist.');
    return user;
  }

  #indexOf(id: number): number {
    let low = 0;
    let high = this.#users.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const midId = this.#users[mid]?.id ?? 0;
      if (midId === id) return mid;
      if (midId < id) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  #assertEmailFree(email: string) {
    const login = email.trim().toLowerCase();
    if (this.#users.some((user) => user.email_address.trim().toLowerCase() === login)) {
      throw new CatalogRequestError(422, 'email_address has already been taken');
    }
  }

  #assertCatalog(id: number) {
    if (!this.catalogs.some((catalog) => catalog.id === id)) {
      throw new CatalogRequestError(422, `registered_account_id ${id} is not a catalog of this account`);
    }
  }

  // Ground truth for duplicate detection

  /** The seeded original `userId` is a near-duplicate of, or undefined for originals and later additions. */
  duplicateOf(userId: number): number | undefined {
    return this.#duplicates.get(userId)?.originalId;
  }

  /** Every seeded near-duplicate with its original and how it was varied. */
  seededDuplicates(): SeededDuplicate[] {
    return [...this.#duplicates.values()];
  }

  /**
   * All true duplicate pairs among current users, `[lowerId, higherId]`, sorted: each duplicate with its original,
   * and duplicates of the same original with each other.
   */
  truePairs(): [number, number][] {
    const clusters = new Map<number, number[]>();
    for (const { userId, originalId } of this.#duplicates.values()) {
      if (!this.#byId.has(userId) || !this.#byId.has(originalId)) continue;
      const members = clusters.get(originalId) ?? [originalId];
      members.push(userId);
      clusters.set(originalId, members);
    }
    const pairs: [number, number][] = [];
    for (const members of clusters.values()) {
      members.sort((a, b) => a - b);
      for (let i = 0; i < members.length; i += 1) {
        for (let j = i + 1; j < members.length; j += 1) pairs.push([members[i] as number, members[j] as number]);
      }
    }
    return pairs.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  }

  // API keys

  get apiTokens(): readonly string[] {
    return [...this.#tokens];
  }

  hasToken(token: string): boolean {
    return this.#tokens.includes(token);
  }

  createToken(): string {
    const token = randomBytes(16).toString('hex');
    this.#tokens.push(token);
    return token;
  }

  revokeToken(token: string): boolean {
    const before = this.#tokens.length;
    this.#tokens = this.#tokens.filter((candidate) => candidate !== token);
    return this.#tokens.length < before;
  }

  // Admin sessions

  checkAdminLogin(email: string, password: string): boolean {
    return email.trim().toLowerCase() === this.admin.email.toLowerCase() && password === this.admin.password;
  }

  openSession(): AdminSession {
    const session: AdminSession = {
      id: randomBytes(24).toString('hex'),
      email: this.admin.email,
      csrfToken: randomBytes(24).toString('base64url'),
      expiresAt: this.now() + SESSION_TTL_MS,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  session(id: string | undefined): AdminSession | undefined {
    if (!id) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt <= this.now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  closeSession(id: string) {
    this.#sessions.delete(id);
  }

  // Call counters

  recordCall(endpoint: string, status: number) {
    this.#calls.total += 1;
    this.#calls.byEndpoint[endpoint] = (this.#calls.byEndpoint[endpoint] ?? 0) + 1;
    const key = `${endpoint} ${status}`;
    this.#calls.byStatus[key] = (this.#calls.byStatus[key] ?? 0) + 1;
  }

  calls(): CallCounts {
    return {
      total: this.#calls.total,
      byEndpoint: { ...this.#calls.byEndpoint },
      byStatus: { ...this.#calls.byStatus },
    };
  }

  resetCalls() {
    this.#calls = { total: 0, byEndpoint: {}, byStatus: {} };
  }

  // Native Salesforce integration screen

  setIntegration(changes: Partial<SalesforceIntegrationState>): SalesforceIntegrationState {
    if (changes.table !== undefined && changes.table !== 'Contact' && changes.table !== 'Lead') {
      throw new CatalogRequestError(400, 'table must be Contact or Lead');
    }
    if (changes.fieldMap !== undefined && !Array.isArray(changes.fieldMap)) {
      throw new CatalogRequestError(400, 'fieldMap must be a list of { catalogField, salesforceField }');
    }
    if (changes.jobs !== undefined && !Array.isArray(changes.jobs)) {
      throw new CatalogRequestError(400, 'jobs must be a list');
    }
    Object.assign(this.integration, changes);
    if (changes.fieldMap) this.integration.fieldMap = withMandatoryFields(changes.fieldMap);
    return this.integration;
  }
}

/** The guide: First Name, Last Name and Email are always in the map, added when left out. */
export function withMandatoryFields(fieldMap: readonly FieldMapping[]): FieldMapping[] {
  const rows = fieldMap.filter((row) => row.catalogField && row.salesforceField).map((row) => ({ ...row }));
  const missing = MANDATORY_FIELD_MAP.filter(
    (required) => !rows.some((row) => row.catalogField === required.catalogField),
  );
  return [...missing.map((row) => ({ ...row })), ...rows];
}
