import { Rng } from './rng.ts';

/** Fault injection for one account's API, set through `/__sim/faults` or `account.faults`. */
export interface FaultSettings {
  /** Delay added before every API response, in milliseconds. */
  latencyMs: number;
  /** Share (0..1) of API requests answered 503. */
  failureRate: number;
  /** Share (0..1) of API requests answered 429. */
  throttleRate: number;
  /** Retry-After value sent with 429s, in seconds. */
  retryAfterSeconds: number;
  /** The next N API requests get 503 (deterministic, one-shot). */
  failNext: number;
  /** The next N API requests get 429 (deterministic, one-shot). */
  throttleNext: number;
}

export type FaultOutcome = { kind: 'throttle'; retryAfterSeconds: number } | { kind: 'fail' } | undefined;

const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  failureRate: 0,
  throttleRate: 0,
  retryAfterSeconds: 30,
  failNext: 0,
  throttleNext: 0,
};

export class Faults {
  #settings: FaultSettings = { ...NO_FAULTS };
  #rng: Rng;
  readonly #seed: number;

  constructor(seed: number) {
    this.#seed = seed;
    this.#rng = new Rng(seed);
  }

  get settings(): Readonly<FaultSettings> {
    return { ...this.#settings };
  }

  /** Merges `changes` into the current settings; throws on values out of range. */
  set(changes: Partial<FaultSettings>): FaultSettings {
    for (const key of Object.keys(changes)) {
      if (!(key in NO_FAULTS)) throw new RangeError(`unknown fault setting ${key}`);
    }
    const next = { ...this.#settings, ...changes };
    for (const [key, value] of Object.entries(next)) {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new RangeError(`${key} must be a non-negative number`);
      }
    }
    if (next.failureRate > 1 || next.throttleRate > 1) throw new RangeError('rates must be between 0 and 1');
    this.#settings = next;
    return this.settings;
  }

  clear() {
    this.#settings = { ...NO_FAULTS };
    this.#rng = new Rng(this.#seed);
  }

  /** Decides the fate of one API request; one-shot counters are used up first, then the rates. */
  next(): FaultOutcome {
    const s = this.#settings;
    if (s.throttleNext > 0) {
      s.throttleNext -= 1;
      return { kind: 'throttle', retryAfterSeconds: s.retryAfterSeconds };
    }
    if (s.failNext > 0) {
      s.failNext -= 1;
      return { kind: 'fail' };
    }
    if (s.throttleRate > 0 && this.#rng.chance(s.throttleRate)) {
      return { kind: 'throttle', retryAfterSeconds: s.retryAfterSeconds };
    }
    if (s.failureRate > 0 && this.#rng.chance(s.failureRate)) return { kind: 'fail' };
    return undefined;
  }
}
