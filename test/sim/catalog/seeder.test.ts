import { describe, expect, it } from 'vitest';
import { nameVariants } from './nicknames.ts';
import { type SeedUsersOptions, seedUsers } from './seeder.ts';
import { VARIATION_KINDS } from './variations.ts';

const UNTIL = Date.UTC(2026, 0, 1);

function options(overrides: Partial<SeedUsersOptions> = {}): SeedUsersOptions {
  return {
    seed: 7,
    count: 1000,
    duplicateRate: 0.1,
    rootAccountId: 40,
    registeredAccountIds: [40, 41, 42],
    canvasRootAccountUuid: 'GUxMJJhiZ8ugUdRADskc0nJrcMXuYYIwV15aWiMO',
    seededUntil: UNTIL,
    ...overrides,
  };
}

describe('seedUsers', () => {
  it('is reproducible from the seed and differs between seeds', () => {
    const a = seedUsers(options());
    const b = seedUsers(options());
    expect(b).toEqual(a);
    const other = seedUsers(options({ seed: 8 }));
    expect(other.users.map((user) => user.email_address)).not.toEqual(a.users.map((user) => user.email_address));
  });

  it('makes the requested number of users with sequential ids in creation order', () => {
    const { users } = seedUsers(options({ count: 1234, firstUserId: 500 }));
    expect(users).toHaveLength(1234);
    users.forEach((user, index) => {
      expect(user.id).toBe(500 + index);
      if (index > 0) {
        const previous = users[index - 1];
        expect(user.created_at).toBeGreaterThanOrEqual(previous?.created_at ?? 0);
        expect(user.canvas_user_id).toBeGreaterThan(previous?.canvas_user_id ?? 0);
      }
    });
  });

  it('fills every field realistically: names, unique logins, catalogs, uuids, string custom fields', () => {
    const { users, duplicates } = seedUsers(options());
    const duplicateIds = new Set(duplicates.map((duplicate) => duplicate.userId));
    const originals = users.filter((user) => !duplicateIds.has(user.id));
    const logins = new Set(originals.map((user) => user.email_address.toLowerCase()));
    expect(logins.size).toBe(originals.length);
    for (const user of users) {
      expect(user.root_account_id).toBe(40);
      expect([40, 41, 42]).toContain(user.registered_account_id);
      expect(user.canvas_user_uuid).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(user.email_address).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/i);
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: user.time_zone })).not.toThrow();
      for (const value of Object.values(user.custom_fields)) expect(typeof value).toBe('string');
      expect(user.merged_into_user_id).toBeNull();
    }
    for (const user of originals) {
      expect(user.user_name).toBe(`${user.first_name} ${user.last_name}`);
      expect(user.first_name).toMatch(/^[A-Z][a-z'-]+$/);
    }
    expect(new Set(users.map((user) => user.last_name)).size).toBeGreaterThan(200);
    expect(users.filter((user) => user.email_address.endsWith('@gmail.com')).length).toBeGreaterThan(150);
    expect(users.some((user) => user.registered_in_catalog) && users.some((user) => !user.registered_in_catalog)).toBe(
      true,
    );
  });

  it('spreads created_at over three years before seededUntil, more recent ones more often, updated_at after', () => {
    const { users } = seedUsers(options({ count: 4000, duplicateRate: 0 }));
    const start = UNTIL - 3 * 365 * 86_400_000;
    const middle = (start + UNTIL) / 2;
    for (const user of users) {
      expect(user.created_at).toBeGreaterThanOrEqual(start);
      expect(user.created_at).toBeLessThanOrEqual(UNTIL);
      expect(user.updated_at).toBeGreaterThanOrEqual(user.created_at);
      expect(user.updated_at).toBeLessThanOrEqual(UNTIL);
    }
    const recent = users.filter((user) => user.created_at > middle).length;
    expect(recent / users.length).toBeGreaterThan(0.6);
    const touchedLater = users.filter((user) => user.updated_at - user.created_at > 86_400_000).length;
    expect(touchedLater / users.length).toBeGreaterThan(0.3);
    expect(touchedLater / users.length).toBeLessThan(0.6);
  });

  it('adds near-duplicates at the chosen rate and records the original of each', () => {
    const { users, duplicates } = seedUsers(options({ count: 2000, duplicateRate: 0.1 }));
    expect(duplicates).toHaveLength(200);
    const byId = new Map(users.map((user) => [user.id, user]));
    const duplicateIds = new Set(duplicates.map((duplicate) => duplicate.userId));
    for (const duplicate of duplicates) {
      const copy = byId.get(duplicate.userId);
      const original = byId.get(duplicate.originalId);
      expect(copy && original).toBeTruthy();
      if (!copy || !original) continue;
      expect(duplicateIds.has(duplicate.originalId)).toBe(false);
      expect(copy.created_at).toBeGreaterThanOrEqual(original.created_at);
      expect(duplicate.kinds.length).toBeGreaterThan(0);
      const same =
        copy.first_name === original.first_name &&
        copy.last_name === original.last_name &&
        copy.user_name === original.user_name &&
        copy.email_address === original.email_address;
      expect(same).toBe(false);
      if (duplicate.kinds.includes('nickname')) {
        expect(nameVariants(original.first_name)).toContain(copy.first_name);
        expect(copy.last_name).toBe(original.last_name);
      }
      if (duplicate.kinds.includes('swapped_names')) {
        expect([copy.first_name, copy.last_name]).toEqual([original.last_name, original.first_name]);
      }
    }
    const kinds = new Set(duplicates.flatMap((duplicate) => duplicate.kinds));
    for (const kind of VARIATION_KINDS) expect(kinds).toContain(kind);
  });

  it('limits duplicates to the requested kinds and makes none at rate 0', () => {
    const { duplicates } = seedUsers(options({ duplicateKinds: ['nickname'] }));
    expect(duplicates.length).toBe(100);
    expect(duplicates.every((duplicate) => duplicate.kinds.join() === 'nickname')).toBe(true);
    expect(seedUsers(options({ duplicateRate: 0 })).duplicates).toEqual([]);
  });

  it('seeds 100,000 users with 10% duplicates in well under 3 s', () => {
    const started = performance.now();
    const { users, duplicates } = seedUsers(options({ count: 100_000, duplicateRate: 0.1 }));
    const elapsed = performance.now() - started;
    expect(users).toHaveLength(100_000);
    expect(duplicates).toHaveLength(10_000);
    expect(elapsed).toBeLessThan(3000);
  });
});
