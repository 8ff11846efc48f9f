import { base, en, Faker } from '@faker-js/faker';
import type { FastifyInstance } from 'fastify';
import type { Origins } from './origins.ts';

/**
 * What every simulator (Salesforce, Dynamics + Entra, Catalog) gives the sandbox and the tests: one Fastify app
 * serving all of its origins, the origins themselves, and its entries for the sandbox index at :8800.
 *
 * Conventions shared by all simulators:
 * - state is in memory and seeded reproducibly (same seed, same records, same ids);
 * - test and fault controls live under `/__sim/` on every origin of the simulator, never in the product;
 * - error bodies and content types are the real service's, documented in shared/research/crm-apis.md.
 */
export interface Simulator {
  readonly name: string;
  readonly app: FastifyInstance;
  readonly origins: Origins;
  /** JSON for the sandbox index: orgs / environments / accounts with URLs and credentials. Call once listening. */
  describe(): unknown;
}

/** A faker whose output depends only on `seed`, so seeds are reproducible across runs and machines. */
export function seededFaker(seed: number): Faker {
  return new Faker({ locale: [en, base], seed });
}
