import Fastify, { type FastifyRequest } from 'fastify';
import { Origins } from '../common/origins.ts';
import type { Simulator } from '../common/simulator.ts';
import { CatalogAccount, type CatalogAccountSeed } from './account.ts';
import { NOT_FOUND_PAGE, registerAdminRoutes } from './admin-routes.ts';
import { type CatalogRouteContext, registerApiRoutes } from './api-routes.ts';
import { registerFormParser } from './form-body.ts';
import { accountSummary, registerSimRoutes } from './sim-routes.ts';

export type {
  AdminSession,
  CallCounts,
  CatalogAccountSeed,
  FieldMapping,
  NewUserInput,
  SalesforceIntegrationState,
  UserChanges,
  WriteJobEntry,
} from './account.ts';
export { CatalogAccount, CatalogRequestError } from './account.ts';
export type { FaultSettings } from './faults.ts';
export type { UserResource } from './resources.ts';
export { type CustomFieldName, type SeededDuplicate, seedUsers } from './seeder.ts';
export type { CatalogUserRecord } from './user-record.ts';
export { VARIATION_KINDS, type VariationKind } from './variations.ts';

export interface CatalogSimulatorOptions {
  /** Seed for every account's data (default 20240411). Same seed, same users, ids, keys and passwords. */
  seed?: number;
  /** Catalog instances to serve (default: acme.catalog.instructure.com and globex.catalog.canvaslms.com). */
  accounts?: CatalogAccountSeed[];
  /** Clock for API writes, sessions and analytics (default Date.now). */
  now?: () => number;
  /** Newest seeded created_at/updated_at, epoch ms (default 2026-01-01T00:00:00Z, fixed so seeds reproduce). */
  seededUntil?: number;
}

export interface CatalogSimulator extends Simulator {
  readonly accounts: readonly CatalogAccount[];
  /** The account by subdomain (`acme`) or origin key (`account:acme`). */
  account(subdomainOrKey: string): CatalogAccount;
  describe(): {
    name: string;
    accounts: ReturnType<typeof accountSummary>[];
  };
}

export const DEFAULT_SEED = 20240411;
export const DEFAULT_SEEDED_UNTIL = Date.UTC(2026, 0, 1);

export const DEFAULT_ACCOUNTS: readonly CatalogAccountSeed[] = [
  {
    subdomain: 'acme',
    hostname: 'acme.catalog.instructure.com',
    name: 'Acme University Continuing Education',
    users: 300,
  },
  {
    subdomain: 'globex',
    hostname: 'globex.catalog.canvaslms.com',
    name: 'Globex Academy',
    users: 200,
    subcatalogs: ['Globex Leadership Institute'],
  },
];

/** Instructure Catalog: one origin per account with the public API v1, the admin (with Integrations) and /__sim/. */
export function createCatalogSimulator(options: CatalogSimulatorOptions = {}): CatalogSimulator {
  const seed = options.seed ?? DEFAULT_SEED;
  const now = options.now ?? Date.now;
  const seededUntil = options.seededUntil ?? DEFAULT_SEEDED_UNTIL;
  const specs = options.accounts ?? DEFAULT_ACCOUNTS;
  if (specs.length === 0) throw new Error('the Catalog simulator needs at least one account');

  const origins = new Origins();
  const accounts = specs.map((spec) => new CatalogAccount(spec, seed, seededUntil, now));
  const byKey = new Map<string, CatalogAccount>();
  for (const account of accounts) {
    origins.add({ key: account.key, hostnames: [account.hostname] });
    byKey.set(account.key, account);
  }

  const app = Fastify({ bodyLimit: 10 * 1024 * 1024 });
  app.decorateRequest('catalogAccount', undefined);
  registerFormParser(app);
  const context: CatalogRouteContext = {
    origins,
    accountFor: (request: FastifyRequest) => {
      const key = origins.resolve(request);
      return key === undefined ? undefined : byKey.get(key);
    },
  };
  registerApiRoutes(app, context);
  registerSimRoutes(app, context);
  registerAdminRoutes(app, context);
  app.setNotFoundHandler((_request, reply) => reply.code(404).type('text/html; charset=utf-8').send(NOT_FOUND_PAGE));

  return {
    name: 'catalog',
    app,
    origins,
    accounts,
    account(subdomainOrKey: string) {
      const found = byKey.get(subdomainOrKey) ?? byKey.get(`account:${subdomainOrKey}`);
      if (!found) throw new Error(`no Catalog account ${subdomainOrKey}`);
      return found;
    },
    describe() {
      return {
        name: 'catalog',
        accounts: accounts.map((account) => accountSummary(account, origins.httpUrl(account.key))),
      };
    },
  };
}
