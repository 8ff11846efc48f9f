import type { Faker } from '@faker-js/faker';
import { seededFaker } from '../../common/simulator.ts';
import type { OrgSeed, UserSeed } from './org.ts';

/**
 * The default orgs: a production org with My Domain `acme`, its sandbox `acme--uat`, and a second production org
 * `globex`. Credentials come from the seed, so every seed has its own but the same seed always has the same.
 */

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function securityToken(faker: Faker): string {
  return faker.string.fromCharacters(ALPHANUMERIC, 24);
}

function password(faker: Faker): string {
  const word = faker.word.noun({ length: { min: 4, max: 8 } });
  const capitalised = word.charAt(0).toUpperCase() + word.slice(1);
  return `${capitalised}-${faker.string.fromCharacters(ALPHANUMERIC, 6)}-${faker.number.int({ min: 10, max: 99 })}!`;
}

/** A consumer key in Salesforce's shape: `3MVG9` then 80 base-64-ish characters. */
function consumerKey(faker: Faker): string {
  return `3MVG9${faker.string.fromCharacters(`${ALPHANUMERIC}._`, 80)}`;
}

function consumerSecret(faker: Faker): string {
  return faker.string.hexadecimal({ length: 64, casing: 'upper', prefix: '' });
}

function user(faker: Faker, username: string, profile: string, extra: Partial<UserSeed> = {}): UserSeed {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    username,
    password: password(faker),
    securityToken: securityToken(faker),
    firstName,
    lastName,
    email: `${firstName}.${lastName}@${username.split('@')[1]?.replace(/\.uat$/, '') ?? 'example.com'}`.toLowerCase(),
    profile,
    ...extra,
  };
}

/** Users of an org whose usernames end in `domain` (plus `.uat` in the sandbox, as sandbox copies rename them). */
function orgUsers(faker: Faker, domain: string, suffix = ''): UserSeed[] {
  return [
    user(faker, `admin@${domain}${suffix}`, 'System Administrator', { bulkApiHardDelete: true }),
    user(faker, `integration@${domain}${suffix}`, 'Minimum Access - API Only Integrations', {
      bulkApiHardDelete: true,
    }),
    user(faker, `sales@${domain}${suffix}`, 'Standard User'),
  ];
}

export function defaultOrgSeeds(seed: number): OrgSeed[] {
  const faker = seededFaker(seed * 7919 + 17);
  const loopbackOnly: string[] = [];
  return [
    {
      name: 'acme',
      myDomain: 'acme',
      organizationName: 'Acme Corporation',
      pod: '8a',
      users: orgUsers(faker, 'acme.com'),
      connectedApps: [
        {
          name: 'OrgLink',
          clientId: consumerKey(faker),
          clientSecret: consumerSecret(faker),
          callbackUrls: ['https://orglink.example.com/api/oauth/salesforce/callback'],
          refreshTokenRotation: false,
          clientCredentialsUsers: ['integration@acme.com', 'integration@acme.com.uat', 'integration@globex.com'],
        },
      ],
    },
    {
      name: 'acme--uat',
      myDomain: 'acme--uat',
      sandbox: true,
      organizationName: 'Acme Corporation',
      pod: '7X',
      users: orgUsers(faker, 'acme.com', '.uat'),
      connectedApps: [],
      instanceName: 'USA1024S',
    },
    {
      name: 'globex',
      myDomain: 'globex',
      organizationName: 'Globex Inc.',
      pod: '4q',
      users: orgUsers(faker, 'globex.com'),
      connectedApps: [
        {
          name: 'Globex Data Sync (rotating refresh tokens)',
          clientId: consumerKey(faker),
          clientSecret: consumerSecret(faker),
          callbackUrls: loopbackOnly,
          refreshTokenRotation: true,
          clientCredentialsUsers: ['integration@globex.com'],
        },
      ],
      instanceName: 'USA612',
    },
  ];
}
