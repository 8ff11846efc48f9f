import { mulberry32 } from '../common/random.ts';

/** What the simulator counts: one per request of that kind (inner `$batch` requests count by their own kind too). */
export type RequestKind =
  | 'entra-token'
  | 'entra-authorize'
  | 'entra-metadata'
  | 'discovery'
  | 'webapi-read'
  | 'webapi-write'
  | 'batch'
  | 'whoami'
  | 'page';

export interface FaultSettings {
  /** Added to every targeted request before it is handled. */
  latencyMs: number;
  /** Share (0..1) of targeted requests answered 503. */
  unavailableShare: number;
  /** The next N targeted requests are answered 503. */
  unavailableCount: number;
  /** Share (0..1) of targeted requests answered 429 (service protection). */
  throttleShare: number;
  /** The next N targeted requests are answered 429. */
  throttleCount: number;
  /** Retry-After of injected 429s, in seconds. */
  retryAfterSeconds: number;
  /** Request kinds the faults apply to. */
  kinds: RequestKind[];
  /** Only requests to this environment (by name); unset: every origin. */
  environment: string | undefined;
}

export const DEFAULT_FAULT_KINDS: RequestKind[] = ['webapi-read', 'webapi-write', 'batch', 'whoami'];

export function defaultFaults(): FaultSettings {
  return {
    latencyMs: 0,
    unavailableShare: 0,
    unavailableCount: 0,
    throttleShare: 0,
    throttleCount: 0,
    retryAfterSeconds: 5,
    kinds: [...DEFAULT_FAULT_KINDS],
    environment: undefined,
  };
}

export type FaultOutcome = 'throttle' | 'unavailable' | undefined;

/** Fault injection and request counters shared by every origin of the simulator. */
export class Faults {
  settings: FaultSettings = defaultFaults();
  readonly #counters = new Map<string, number>();
  readonly #unauthorizedOnce = new Map<string, number>();
  readonly #seed: number;
  #random: () => number;

  constructor(seed: number) {
    this.#seed = seed;
    this.#random = mulberry32(seed);
  }

  reset(): void {
    this.settings = defaultFaults();
    this.#counters.clear();
    this.#unauthorizedOnce.clear();
    this.#random = mulberry32(this.#seed);
  }

  configure(changes: Partial<FaultSettings>): FaultSettings {
    this.settings = { ...this.settings, ...changes };
    return this.settings;
  }

  clear(): void {
    this.settings = defaultFaults();
    this.#unauthorizedOnce.clear();
  }

  count(kind: string): void {
    this.#counters.set(kind, (this.#counters.get(kind) ?? 0) + 1);
  }

  counters(): Record<string, number> {
    return Object.fromEntries([...this.#counters.entries()].sort(([a], [b]) => a.localeCompare(b)));
  }

  resetCounters(): void {
    this.#counters.clear();
  }

  /** The next Web API request to `environment` gets a 401 (then the fault is spent, as a token expiry would be). */
  unauthorizedOnce(environment: string, times = 1): void {
    this.#unauthorizedOnce.set(environment, (this.#unauthorizedOnce.get(environment) ?? 0) + times);
  }

  takeUnauthorized(environment: string): boolean {
    const left = this.#unauthorizedOnce.get(environment) ?? 0;
    if (left <= 0) return false;
    this.#unauthorizedOnce.set(environment, left - 1);
    return true;
  }

  applies(kind: RequestKind, environment: string | undefined): boolean {
    const target = this.settings.environment;
    return this.settings.kinds.includes(kind) && (target === undefined || target === environment);
  }

  /** Decides the injected outcome of one targeted request (counts take precedence over shares). */
  decide(): FaultOutcome {
    const settings = this.settings;
    if (settings.throttleCount > 0) {
      settings.throttleCount -= 1;
      return 'throttle';
    }
    if (settings.unavailableCount > 0) {
      settings.unavailableCount -= 1;
      return 'unavailable';
    }
    if (settings.throttleShare > 0 && this.#random() < settings.throttleShare) return 'throttle';
    if (settings.unavailableShare > 0 && this.#random() < settings.unavailableShare) return 'unavailable';
    return undefined;
  }
}
