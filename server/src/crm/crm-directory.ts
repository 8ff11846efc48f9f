import type { DynamicsCloud } from '@orglink/shared';
import type { CrmConfig } from '../plugins/config.ts';
import { type DynamicsEndpoint, resolveDynamicsEndpoint } from './dynamics/dynamics-endpoints.ts';
import {
  resolveSalesforceEndpoint,
  type SalesforceEndpoint,
  type SalesforceTarget,
} from './salesforce/salesforce-endpoints.ts';
import { SandboxIndexReader } from './sandbox-index.ts';

export type CrmSource = 'credentials' | 'sandbox' | 'none';

/**
 * Where each CRM is: the connected-app / app-registration credentials from the environment, or else the sandbox
 * simulators listed by SANDBOX_URL. Decided per CRM, so real Salesforce can be used next to a simulated Dynamics.
 */
export class CrmDirectory {
  readonly #config: CrmConfig;
  readonly #sandbox: SandboxIndexReader | undefined;

  constructor(config: CrmConfig) {
    this.#config = config;
    this.#sandbox = config.sandboxUrl ? new SandboxIndexReader(config.sandboxUrl) : undefined;
  }

  source(kind: 'salesforce' | 'dynamics'): CrmSource {
    if (this.#config[kind]) return 'credentials';
    return this.#sandbox ? 'sandbox' : 'none';
  }

  salesforce(target: SalesforceTarget): Promise<SalesforceEndpoint> {
    return resolveSalesforceEndpoint(this.#config, this.#sandbox, target);
  }

  dynamics(cloud: DynamicsCloud): Promise<DynamicsEndpoint> {
    return resolveDynamicsEndpoint(this.#config, this.#sandbox, cloud);
  }
}
