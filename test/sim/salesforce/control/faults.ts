import { mulberry32 } from '../../common/random.ts';

/**
 * Fault injection, never part of the simulated product: added latency, a share of 503s, a share of UNABLE_TO_LOCK_ROW
 * writes, a one-shot 401 per org, and slow or failing Bulk jobs. Shares use a seeded generator, so a given seed and
 * call sequence fail the same calls every run.
 */

export interface FaultSettings {
  /** Added before every product response, ms. */
  latencyMs: number;
  /** Share (0..1) of REST and Bulk API requests answered 503. */
  unavailableShare: number;
  /** Share (0..1) of record writes that fail with UNABLE_TO_LOCK_ROW. */
  lockRowShare: number;
  /** Delay before a Bulk job leaves UploadComplete (ingest) or starts (query), ms. */
  bulkProcessingDelayMs: number;
}

const DEFAULTS: FaultSettings = { latencyMs: 0, unavailableShare: 0, lockRowShare: 0, bulkProcessingDelayMs: 0 };

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
      else if (key === 'unavailableShare' || key === 'lockRowShare') next[key] = share(value, key);
      else throw new RangeError(`unknown fault setting ${key}`);
    }
    this.#settings = next;
    return next;
  }

  /** The next REST or Bulk request of `orgName` gets 401 INVALID_SESSION_ID (and its token is revoked). */
  invalidateNextSession(orgName: string): void {
    this.#invalidSessionOnce.add(orgName);
  }

  takeInvalidSession(orgName: string): boolean {
    return this.#invalidSessionOnce.delete(orgName);
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
    return this.#settings.unavailableShare > 0 && this.#random() < this.#settings.unavailableShare;
  }

  rollLockRow(): boolean {
    return this.#settings.lockRowShare > 0 && this.#random() < this.#settings.lockRowShare;
  }

  reset(): void {
    this.#settings = { ...DEFAULTS };
    this.#invalidSessionOnce.clear();
    this.#failNextBulkJob.clear();
    this.#random = mulberry32(this.#seed);
  }

  snapshot() {
    return {
      ...this.#settings,
      pendingInvalidSession: [...this.#invalidSessionOnce],
      pendingBulkJobFailure: Object.fromEntries(this.#failNextBulkJob),
    };
  }
}
