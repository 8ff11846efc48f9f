import { mulberry32 } from '../../common/random.ts';

/**
 * Fault injection, never part of the simulated product: added latency, a share of 503s, a share (or the next N) of
 * 403s for the concurrent-request limit, a share of UNABLE_TO_LOCK_ROW writes, a one-shot 401 per org, and slow or failing Bulk jobs. Shares use a seeded generator, so a given seed and
 * call sequence fail the same calls every run.
 */

export interface FaultSettings {
  /** Added before every product response, ms. */
  latencyMs: number;
  /** Share (0..1) of REST and Bulk API requests answered 503. */
  unavailableShare: number;
  /**
   * Share (0..1) of REST and Bulk API requests refused with 403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit
   * exceeded", as an org with too many long-running requests answers (the daily limit has its own control).
   */
  concurrentLimitShare: number;
  /** Share (0..1) of record writes that fail with UNABLE_TO_LOCK_ROW. */
  lockRowShare: number;
  /** Delay before a Bulk job leaves UploadComplete (ingest) or starts (query), ms. */
  bulkProcessingDelayMs: number;
}

const DEFAULTS: FaultSettings = {
  latencyMs: 0,
  unavailableShare: 0,
  concurrentLimitShare: 0,
  lockRowShare: 0,
  bulkProcessingDelayMs: 0,
};

export interface InjectedFaults {
  unavailable: number;
  concurrentLimit: number;
  lockRow: number;
  /** One-shot 401 INVALID_SESSION_ID answers (invalidateNextSession) that a request actually met. */
  invalidSession: number;
}

const noneInjected = (): InjectedFaults => ({ unavailable: 0, concurrentLimit: 0, lockRow: 0, invalidSession: 0 });

function share(value: unknown, name: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1) throw new RangeError(`${name} must be between 0 and 1`);
  return number;
}

function millis(value: unknown, name: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 600_000) throw new RangeError(`${name} must be 0..600000 ms`);
  return number;
}

export class Faults {
  readonly #seed: number;
  #random: () => number;
  #settings: FaultSettings = { ...DEFAULTS };
  readonly #invalidSessionOnce = new Set<string>();
  readonly #failNextBulkJob = new Map<string, string>();
  readonly #concurrentRefusals = new Map<string, number>();
  #injected = noneInjected();

  constructor(seed: number) {
    this.#seed = seed;
    this.#random = mulberry32(seed);
  }

  get settings(): Readonly<FaultSettings> {
    return this.#settings;
  }

  /** Changes some settings; unknown keys and out-of-range values throw (RangeError). */
  set(changes: Partial<FaultSettings>): FaultSettings {
    const next = { ...this.#settings };
    for (const [key, value] of Object.entries(changes)) {
      if (key === 'latencyMs' || key === 'bulkProcessingDelayMs') next[key] = millis(value, key);
      else if (key === 'unavailableShare' || key === 'lockRowShare' || key === 'concurrentLimitShare') {
        next[key] = share(value, key);
      } else throw new RangeError(`unknown fault setting ${key}`);
    }
    this.#settings = next;
    return next;
  }

  /** The next REST or Bulk request of `orgName` gets 401 INVALID_SESSION_ID (and its token is revoked). */
  invalidateNextSession(orgName: string): void {
    this.#invalidSessionOnce.add(orgName);
  }

  takeInvalidSession(orgName: string): boolean {
    const taken = this.#invalidSessionOnce.delete(orgName);
    if (taken) this.#injected.invalidSession += 1;
    return taken;
  }

  /** The next `times` REST or Bulk requests of `orgName` are refused for the concurrent-request limit. */
  refuseNextForConcurrency(orgName: string, times: number): void {
    if (!Number.isInteger(times) || times < 1 || times > 1_000) throw new RangeError('times must be 1..1000');
    this.#concurrentRefusals.set(orgName, (this.#concurrentRefusals.get(orgName) ?? 0) + times);
  }

  /** Whether this request of `orgName` meets the concurrent-request limit: the one-shot refusals first, then the share. */
  takeConcurrentLimit(orgName: string): boolean {
    const left = this.#concurrentRefusals.get(orgName) ?? 0;
    if (left > 0) {
      this.#concurrentRefusals.set(orgName, left - 1);
      this.#injected.concurrentLimit += 1;
      return true;
    }
    return this.#roll('concurrentLimit', this.#settings.concurrentLimitShare);
  }

  /** The next Bulk ingest job of `orgName` that starts processing ends Failed with `errorMessage`. */
  failNextBulkJob(orgName: string, errorMessage: string): void {
    this.#failNextBulkJob.set(orgName, errorMessage);
  }

  takeBulkJobFailure(orgName: string): string | undefined {
    const message = this.#failNextBulkJob.get(orgName);
    this.#failNextBulkJob.delete(orgName);
    return message;
  }

  rollUnavailable(): boolean {
    return this.#roll('unavailable', this.#settings.unavailableShare);
  }

  rollLockRow(): boolean {
    return this.#roll('lockRow', this.#settings.lockRowShare);
  }

  /** How many requests (or records, for row locks) each fault hit since the last reset: what a storm did. */
  injected(): Readonly<InjectedFaults> {
    return { ...this.#injected };
  }

  #roll(fault: keyof InjectedFaults, chance: number): boolean {
    const hit = chance > 0 && this.#random() < chance;
    if (hit) this.#injected[fault] += 1;
    return hit;
  }

  reset(): void {
    this.#settings = { ...DEFAULTS };
    this.#invalidSessionOnce.clear();
    this.#failNextBulkJob.clear();
    this.#concurrentRefusals.clear();
    this.#random = mulberry32(this.#seed);
    this.#injected = noneInjected();
  }

  snapshot() {
    return {
      ...this.#settings,
      pendingInvalidSession: [...this.#invalidSessionOnce],
      pendingBulkJobFailure: Object.fromEntries(this.#failNextBulkJob),
      pendingConcurrentRefusals: Object.fromEntries(this.#concurrentRefusals),
      injected: this.injected(),
    };
  }
}
