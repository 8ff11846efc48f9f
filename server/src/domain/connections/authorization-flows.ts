import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { CrmKind } from '@orglink/shared';
import type { DiscoveredEnvironment, DynamicsSignIn } from '../../crm/dynamics/dynamics-oauth.ts';
import type { SalesforceEndpoint } from '../../crm/salesforce/salesforce-endpoints.ts';
import type { StoredCredentials } from './credentials.ts';

/** Each step of a sign-in (reach the CRM, pick an environment, decide on the DPA) must follow within 10 minutes. */
export const FLOW_LIFETIME_MS = 10 * 60_000;
/** Finished and expired flows are remembered a while longer, to tell "expired" and "already used" from "unknown". */
const REMEMBER_MS = 60 * 60_000;

export type FlowStage = 'started' | 'signing-in' | 'choosing-environment' | 'consent' | 'finished';

/** Tokens and org details from a finished sign-in, held in memory until the admin accepts or declines the DPA. */
export interface PendingGrant {
  orgId: string;
  orgName: string | null;
  instanceUrl: string;
  username: string;
  credentials: StoredCredentials;
}

export interface AuthorizationFlow {
  readonly id: string;
  /** The OAuth `state`: random, single-use, and the only key the CRM's redirect brings back. */
  readonly state: string;
  readonly kind: CrmKind;
  readonly connectionId: string;
  readonly teamId: string;
  /** Who started it: the DPA is recorded as accepted by this user. */
  readonly userId: string;
  /** The API token that started it: the sign-in is bound to this sign-in of this user (see starterMayFinish). */
  readonly tokenId: string;
  expiresAt: number;
  stage: FlowStage;
  /** One-time token of the form currently shown (environment choice or DPA). */
  formToken: string | undefined;
  /** Tokens of forms already submitted or replaced: posting one again is a replay, not a forgery. */
  readonly spentFormTokens: string[];
  /** Secret cookie value of the browser that opened the login link first (see routes/oauth/browser-binding.ts). */
  browserSecret: string | undefined;
  /** The CRM sign-in URL, made once: opening the link again must not replace the PKCE verifier. */
  authorizeUrl: string | undefined;
  salesforce: { endpoint: SalesforceEndpoint; codeVerifier: string | undefined } | undefined;
  dynamics: { signIn: DynamicsSignIn; environments: DiscoveredEnvironment[] } | undefined;
  grant: PendingGrant | undefined;
}

export type FlowLookup =
  | { status: 'ok'; flow: AuthorizationFlow }
  | { status: 'unknown' }
  | { status: 'expired'; flow: AuthorizationFlow }
  | { status: 'used'; flow: AuthorizationFlow };

const randomToken = () => randomBytes(24).toString('base64url');

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Sign-ins in progress, in memory: they last minutes, and a restart simply asks the admin to start again. Nothing
 * about a flow reaches the database before the DPA is accepted.
 */
export class AuthorizationFlows {
  readonly #flows = new Map<string, AuthorizationFlow>();
  readonly #byState = new Map<string, string>();
  readonly #now: () => number;

  constructor(now: () => number = () => Date.now()) {
    this.#now = now;
  }

  create(
    init: Pick<
      AuthorizationFlow,
      'kind' | 'connectionId' | 'teamId' | 'userId' | 'tokenId' | 'salesforce' | 'dynamics'
    >,
  ) {
    const now = this.#now();
    this.#purge(now);
    const flow: AuthorizationFlow = {
      ...init,
      id: randomToken(),
      state: randomToken(),
      expiresAt: now + FLOW_LIFETIME_MS,
      stage: 'started',
      formToken: undefined,
      spentFormTokens: [],
      browserSecret: undefined,
      authorizeUrl: undefined,
      grant: undefined,
    };
    this.#flows.set(flow.id, flow);
    this.#byState.set(flow.state, flow.id);
    return flow;
  }

  #classify(flow: AuthorizationFlow | undefined, expectedStage: FlowStage): FlowLookup {
    if (!flow) return { status: 'unknown' };
    if (flow.stage === 'finished' || flow.stage !== expectedStage) return { status: 'used', flow };
    if (this.#now() > flow.expiresAt) return { status: 'expired', flow };
    return { status: 'ok', flow };
  }

  /** The link the admin opens: valid until the CRM has redirected back. */
  forStart(id: string): FlowLookup {
    return this.#classify(this.#flows.get(id), 'started');
  }

  /** The CRM's redirect. The first use moves the flow on, so a replayed `state` finds it used. */
  forCallback(state: string, kind: CrmKind): FlowLookup {
    const id = this.#byState.get(state);
    const flow = id ? this.#flows.get(id) : undefined;
    if (flow && flow.kind !== kind) return { status: 'unknown' };
    return this.#classify(flow, 'started');
  }

  /** A form post from a page this server rendered: its one-time token must match the form now shown. */
  forForm(id: string, token: string, expectedStage: FlowStage): FlowLookup {
    const flow = this.#flows.get(id);
    if (!flow) return { status: 'unknown' };
    if (!flow.formToken || !sameToken(flow.formToken, token)) {
      const spent = flow.spentFormTokens.some((candidate) => sameToken(candidate, token));
      return spent ? { status: 'used', flow } : { status: 'unknown' };
    }
    return this.#classify(flow, expectedStage);
  }

  /** Claimed synchronously when the CRM's redirect arrives, before any await: a concurrent replay finds it used. */
  claim(flow: AuthorizationFlow, stage: FlowStage): void {
    this.#spend(flow);
    flow.stage = stage;
  }

  #spend(flow: AuthorizationFlow) {
    if (flow.formToken) flow.spentFormTokens.push(flow.formToken);
    flow.formToken = undefined;
  }

  /** Moves the flow to its next page, with a fresh form token and ten more minutes. */
  advance(flow: AuthorizationFlow, stage: FlowStage): string {
    this.#spend(flow);
    flow.stage = stage;
    flow.formToken = randomToken();
    flow.expiresAt = this.#now() + FLOW_LIFETIME_MS;
    return flow.formToken;
  }

  /** Ends the flow; the tokens it held are dropped from memory. */
  finish(flow: AuthorizationFlow): void {
    this.#spend(flow);
    flow.stage = 'finished';
    flow.grant = undefined;
    flow.dynamics = undefined;
    if (flow.salesforce) flow.salesforce.codeVerifier = undefined;
  }

  get size(): number {
    return this.#flows.size;
  }

  #purge(now: number) {
    for (const [id, flow] of this.#flows) {
      if (now - flow.expiresAt > REMEMBER_MS) {
        this.#flows.delete(id);
        this.#byState.delete(flow.state);
      } else if (now > flow.expiresAt && flow.stage !== 'finished') {
        // Expired: keep the entry to explain, but not the tokens.
        flow.grant = undefined;
        flow.dynamics = undefined;
      }
    }
  }
}
