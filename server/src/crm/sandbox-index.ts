import { ConnectionErrorCode } from '@orglink/shared';
import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { ApiError } from '../http-errors.ts';

/**
 * The parts of the sandbox index (test/sim/sandbox.ts, `GET /`) that OrgLink uses. Only these are checked, so the
 * simulators can add fields freely; a missing or renamed one is reported instead of failing deep in an OAuth flow.
 */
const LoopbackUrl = Type.String({ pattern: '^https?://' });

const SandboxSalesforceOrg = Type.Object({
  name: Type.String(),
  organizationName: Type.String(),
  orgId: Type.String(),
  type: Type.Union([Type.Literal('production'), Type.Literal('sandbox')]),
  myDomain: Type.String(),
  loginUrls: Type.Object({ myDomain: LoopbackUrl }),
});

const SandboxSalesforce = Type.Object({
  loginUrls: Type.Object({ production: LoopbackUrl, sandbox: LoopbackUrl }),
  connectedApps: Type.Array(
    Type.Object({ name: Type.String(), clientId: Type.String(), clientSecret: Type.String() }),
    {
      minItems: 1,
    },
  ),
  orgs: Type.Array(SandboxSalesforceOrg),
});

const SandboxDynamicsCloud = Type.Object({
  key: Type.String(),
  entra: Type.Object({
    authorityHost: Type.String(),
    loopback: LoopbackUrl,
    tenants: Type.Array(
      Type.Object({ id: Type.String(), authorizeUrl: LoopbackUrl, tokenUrl: LoopbackUrl, authority: Type.String() }),
      { minItems: 1 },
    ),
  }),
  app: Type.Object({ clientId: Type.String(), clientSecret: Type.String() }),
  discovery: Type.Object({ instances: LoopbackUrl, scope: Type.String() }),
});

const SandboxDynamics = Type.Object({
  clouds: Type.Array(SandboxDynamicsCloud),
  environments: Type.Array(Type.Object({ name: Type.String(), scope: Type.String(), loopback: LoopbackUrl })),
});

const SandboxIndexSchema = Type.Object({ salesforce: SandboxSalesforce, dynamics: SandboxDynamics });

export type SandboxIndex = Static<typeof SandboxIndexSchema>;
export type SandboxSalesforceOrg = Static<typeof SandboxSalesforceOrg>;
export type SandboxDynamicsCloud = Static<typeof SandboxDynamicsCloud>;

const FRESH_FOR_MS = 60_000;
const TIMEOUT_MS = 5_000;

/**
 * Reads the sandbox index lazily, on the first CRM call rather than at start-up: `npm start` runs the sandbox next to
 * the server and it may come up later. A good answer is reused for a minute; a failure is never cached.
 */
export class SandboxIndexReader {
  readonly url: string;
  #cached: { index: SandboxIndex; at: number } | undefined;

  constructor(url: string) {
    this.url = url.endsWith('/') ? url : `${url}/`;
  }

  async read(now = Date.now()): Promise<SandboxIndex> {
    if (this.#cached && now - this.#cached.at < FRESH_FOR_MS) return this.#cached.index;
    const index = await this.#fetch();
    this.#cached = { index, at: now };
    return index;
  }

  async #fetch(): Promise<SandboxIndex> {
    let body: unknown;
    try {
      const response = await fetch(this.url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) throw new Error(`it answered HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new ApiError(
        503,
        ConnectionErrorCode.SandboxUnreachable,
        `The sandbox at ${this.url} cannot be read (${(error as Error).message}). Start it with \`npm run sandbox\` (or \`npm start\`), or check SANDBOX_URL.`,
      );
    }
    if (!Value.Check(SandboxIndexSchema, body)) {
      const first = Value.Errors(SandboxIndexSchema, body)[0];
      throw new ApiError(
        503,
        ConnectionErrorCode.SandboxUnreachable,
        `The sandbox index at ${this.url} is not what this OrgLink version expects (${first?.instancePath ?? ''} ${first?.message ?? 'unknown shape'}). Start the sandbox from the same OrgLink checkout.`,
      );
    }
    return body;
  }
}
