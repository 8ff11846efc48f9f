import type { Faker } from '@faker-js/faker';
import { seededFaker } from '../common/simulator.ts';
import { companyDomain, mailboxFor, pickPersonalDomain } from './email-domains.ts';
import { nameVariants } from './nicknames.ts';
import { ALPHANUMERIC, Rng } from './rng.ts';
import type { CatalogUserRecord } from './user-record.ts';
import { applyVariation, type PersonFields, secondRegistrationEmail, type VariationKind } from './variations.ts';

/** Registration form fields (UDFs) an account collects; every value is a string, as the API requires. */
export type CustomFieldName = 'phone' | 'organization' | 'job_title' | 'code_of_conduct' | 'how_did_you_hear';

export const DEFAULT_CUSTOM_FIELDS: readonly CustomFieldName[] = [
  'phone',
  'organization',
  'job_title',
  'code_of_conduct',
  'how_did_you_hear',
];

export interface SeedUsersOptions {
  seed: number;
  count: number;
  /** Share of `count` that are near-duplicates of other seeded people (0 to 0.9). */
  duplicateRate?: number;
  /** Limits duplicates to these kinds (default: all). */
  duplicateKinds?: readonly VariationKind[];
  rootAccountId: number;
  /** Catalogs users register in: the root first, then subcatalogs. */
  registeredAccountIds: readonly number[];
  canvasRootAccountUuid: string;
  /** Newest possible created_at/updated_at (epoch ms); registrations spread over `spanDays` before it. */
  seededUntil: number;
  spanDays?: number;
  firstUserId?: number;
  firstCanvasUserId?: number;
  customFields?: readonly CustomFieldName[];
}

/** Ground truth for one generated near-duplicate. */
export interface SeededDuplicate {
  userId: number;
  originalId: number;
  kinds: VariationKind[];
}

export interface SeededUsers {
  users: CatalogUserRecord[];
  duplicates: SeededDuplicate[];
}

const DAY_MS = 86_400_000;

/** Where continuing-education learners of a US-based catalog sit; the API's example uses Etc/UTC. */
const TIME_ZONES: readonly (readonly [string, number])[] = [
  ['America/New_York', 30],
  ['America/Chicago', 20],
  ['America/Denver', 8],
  ['America/Los_Angeles', 18],
  ['America/Phoenix', 3],
  ['Etc/UTC', 10],
  ['Europe/London', 5],
  ['Europe/Berlin', 2],
  ['Asia/Kolkata', 2],
  ['Australia/Sydney', 2],
];

const REFERRAL_SOURCES = ['Search engine', 'Colleague', 'Employer', 'Email newsletter', 'Social media', 'Event'];

const DUPLICATE_KIND_WEIGHTS: readonly (readonly [VariationKind, number])[] = [
  ['transposition', 14],
  ['deletion', 14],
  ['substitution', 14],
  ['nickname', 16],
  ['swapped_names', 10],
  ['email_domain', 18],
  ['case_whitespace', 14],
];

interface Draft {
  person: PersonFields;
  custom_fields: Record<string, string>;
  created_at: number;
  updated_at: number;
  time_zone: string;
  registered_in_catalog: boolean;
  registered_account_id: number;
  /** Index of the original draft this one copies, for duplicates. */
  originalIndex?: number;
  kinds?: VariationKind[];
}

/**
 * Seeds an account's users: realistic people (faker), unique e-mail logins, registrations spread over time with
 * more recent ones, and near-duplicates whose originals are recorded. Pure: same options, same users.
 */
export function seedUsers(options: SeedUsersOptions): SeededUsers {
  const faker = seededFaker(options.seed);
  const rng = new Rng(options.seed ^ 0x5eed);
  const duplicateRate = Math.min(Math.max(options.duplicateRate ?? 0, 0), 0.9);
  const duplicateCount = Math.round(options.count * duplicateRate);
  const originalCount = options.count - duplicateCount;
  const spanMs = (options.spanDays ?? 3 * 365) * DAY_MS;
  const start = options.seededUntil - spanMs;
  const fields = options.customFields ?? DEFAULT_CUSTOM_FIELDS;
  const companies = companyPool(faker, Math.max(20, Math.ceil(originalCount / 40)));
  const takenEmails = new Set<string>();

  const drafts: Draft[] = [];
  for (let i = 0; i < originalCount; i += 1) {
    // sqrt skews towards the present: catalogs gain more users each year.
    const created = start + Math.floor(Math.sqrt(rng.next()) * spanMs);
    drafts.push(originalDraft(faker, rng, options, fields, companies, takenEmails, created));
  }
  const nicknameable: number[] = [];
  drafts.forEach((draft, index) => {
    if (hasNickname(draft)) nicknameable.push(index);
  });
  const kinds = DUPLICATE_KIND_WEIGHTS.filter(
    ([kind]) => !options.duplicateKinds || options.duplicateKinds.includes(kind),
  );
  for (let i = 0; i < duplicateCount && originalCount > 0; i += 1) {
    drafts.push(duplicateDraft(rng, drafts, originalCount, nicknameable, kinds, takenEmails, options.seededUntil));
  }

  // Ids follow creation order, as a database sequence would.
  const order = drafts
    .map((_, index) => index)
    .sort((a, b) => (drafts[a]?.created_at ?? 0) - (drafts[b]?.created_at ?? 0));
  const idByDraft = new Array<number>(drafts.length);
  const users: CatalogUserRecord[] = [];
  let id = options.firstUserId ?? 1;
  let canvasId = options.firstCanvasUserId ?? 1000;
  for (const index of order) {
    const draft = drafts[index] as Draft;
    idByDraft[index] = id;
    canvasId += rng.int(1, 7);
    users.push({
      id,
      root_account_id: options.rootAccountId,
      canvas_user_id: canvasId,
      registered_account_id: draft.registered_account_id,
      canvas_root_account_uuid: options.canvasRootAccountUuid,
      canvas_user_uuid: rng.string(40, ALPHANUMERIC),
      user_name: draft.person.user_name,
      first_name: draft.person.first_name,
      last_name: draft.person.last_name,
      email_address: draft.person.email_address,
      custom_fields: draft.custom_fields,
      created_at: draft.created_at,
      updated_at: draft.updated_at,
      merged_into_user_id: null,
      time_zone: draft.time_zone,
      registered_in_catalog: draft.registered_in_catalog,
    });
    id += 1;
  }
  const duplicates: SeededDuplicate[] = [];
  drafts.forEach((draft, index) => {
    if (draft.originalIndex === undefined) return;
    duplicates.push({
      userId: idByDraft[index] as number,
      originalId: idByDraft[draft.originalIndex] as number,
      kinds: draft.kinds ?? [],
    });
  });
  duplicates.sort((a, b) => a.userId - b.userId);
  return { users, duplicates };
}

interface Company {
  name: string;
  domain: string;
}

function companyPool(faker: Faker, size: number): Company[] {
  const pool: Company[] = [];
  for (let i = 0; i < size; i += 1) {
    const name = faker.company.name();
    pool.push({ name, domain: companyDomain(name) });
  }
  return pool;
}

function originalDraft(
  faker: Faker,
  rng: Rng,
  options: SeedUsersOptions,
  fields: readonly CustomFieldName[],
  companies: readonly Company[],
  takenEmails: Set<string>,
  created: number,
): Draft {
  const first = faker.person.firstName(rng.chance(0.5) ? 'female' : 'male');
  const last = faker.person.lastName();
  const company = rng.pick(companies);
  const workEmail = rng.chance(0.35);
  const domain = workEmail ? company.domain : pickPersonalDomain(rng);
  let email = `${mailboxFor(first, last, rng)}@${domain}`;
  // E-mail is the login, so it is unique per catalog; the second Jane Doe at gmail gets digits.
  while (takenEmails.has(email.toLowerCase())) email = `${mailboxFor(first, last, rng)}${rng.int(2, 999)}@${domain}`;
  takenEmails.add(email.toLowerCase());

  const custom: Record<string, string> = {};
  for (const field of fields) {
    if (field !== 'code_of_conduct' && rng.chance(0.15)) continue; // optional fields left blank
    if (field === 'phone') custom.phone = faker.phone.number({ style: 'national' });
    else if (field === 'organization') custom.organization = company.name;
    else if (field === 'job_title') custom.job_title = faker.person.jobTitle();
    else if (field === 'code_of_conduct') custom.code_of_conduct = '1';
    else custom.how_did_you_hear = rng.pick(REFERRAL_SOURCES);
  }
  const ids = options.registeredAccountIds;
  return {
    person: { first_name: first, last_name: last, user_name: `${first} ${last}`, email_address: email },
    custom_fields: custom,
    created_at: created,
    updated_at: laterUpdate(rng, created, options.seededUntil),
    time_zone: rng.weighted(TIME_ZONES),
    registered_in_catalog: rng.chance(0.8),
    registered_account_id:
      rng.chance(0.6) || ids.length < 2 ? (ids[0] ?? options.rootAccountId) : rng.pick(ids.slice(1)),
  };
}

/** Most records are touched milliseconds after creation (the API example shows this); some much later. */
function laterUpdate(rng: Rng, created: number, until: number): number {
  if (rng.chance(0.55)) return Math.min(created + rng.int(5, 900), until);
  return created + Math.floor(rng.next() * (until - created));
}

function hasNickname(draft: Draft): boolean {
  return nameVariants(draft.person.first_name).length > 0;
}

function duplicateDraft(
  rng: Rng,
  drafts: readonly Draft[],
  originalCount: number,
  nicknameable: readonly number[],
  kinds: readonly (readonly [VariationKind, number])[],
  takenEmails: Set<string>,
  until: number,
): Draft {
  for (let attempt = 0; ; attempt += 1) {
    const kind = rng.weighted(kinds);
    const index =
      kind === 'nickname' && nicknameable.length > 0 ? rng.pick(nicknameable) : rng.int(0, originalCount - 1);
    const original = drafts[index] as Draft;
    const variant = applyVariation(original.person, kind, rng);
    if (!variant && attempt < 20) continue;
    const person = variant ?? { ...original.person, user_name: `${original.person.user_name} ` };
    const applied: VariationKind[] = variant ? [kind] : ['case_whitespace'];
    if (kind !== 'email_domain' && kind !== 'case_whitespace' && variant) {
      person.email_address = secondRegistrationEmail(original.person, variant, rng);
    }
    const login = person.email_address.toLowerCase();
    // Only the deliberate same-address case may share a login; never someone else's address.
    if (login !== original.person.email_address.toLowerCase()) {
      if (takenEmails.has(login) && attempt < 20) continue;
      takenEmails.add(login);
    }
    const created = original.created_at + Math.floor(rng.next() * (until - original.created_at));
    return {
      person,
      // A second sign-up fills in the form again, often with less care.
      custom_fields: Object.fromEntries(Object.entries(original.custom_fields).filter(() => rng.chance(0.8))),
      created_at: created,
      updated_at: laterUpdate(rng, created, until),
      time_zone: rng.chance(0.8) ? original.time_zone : rng.weighted(TIME_ZONES),
      registered_in_catalog: !original.registered_in_catalog || rng.chance(0.5),
      registered_account_id: original.registered_account_id,
      originalIndex: index,
      kinds: applied,
    };
  }
}
