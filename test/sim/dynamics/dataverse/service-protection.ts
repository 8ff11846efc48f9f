import type { SimClock } from '../../common/clock.ts';
import { type DataverseError, dataverseErrors } from './errors.ts';

export interface ServiceProtectionLimits {
  requestLimit: number;
  requestWindowSeconds: number;
  concurrencyLimit: number;
}

/**
 * Dataverse service protection (api-limits.md) per user and environment: a request count over a sliding window and a
 * number of concurrent requests. A `$batch` counts as one request, which is why the docs suggest batching.
 * The execution-time limit is not simulated.
 */
export class ServiceProtection {
  readonly #clock: SimClock;
  readonly #limits: () => ServiceProtectionLimits;
  readonly #requests = new Map<string, number[]>();
  readonly #inFlight = new Map<string, number>();

  constructor(clock: SimClock, limits: () => ServiceProtectionLimits) {
    this.#clock = clock;
    this.#limits = limits;
  }

  reset(): void {
    this.#requests.clear();
    this.#inFlight.clear();
  }

  /** Admits a request or returns the 429 to send; on admission the caller must call the returned release. */
  admit(key: string): { error: DataverseError } | { release: () => void; remaining: number } {
    const limits = this.#limits();
    const now = this.#clock.now();
    const windowMs = limits.requestWindowSeconds * 1000;
    const times = (this.#requests.get(key) ?? []).filter((time) => time > now - windowMs);
    this.#requests.set(key, times);
    if (times.length >= limits.requestLimit) {
      const oldest = times[0] ?? now;
      const retryAfter = Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
      return { error: dataverseErrors.requestLimit(limits.requestLimit, limits.requestWindowSeconds, retryAfter) };
    }
    const inFlight = this.#inFlight.get(key) ?? 0;
    if (inFlight >= limits.concurrencyLimit)
      return { error: dataverseErrors.concurrencyLimit(limits.concurrencyLimit, 1) };
    times.push(now);
    this.#inFlight.set(key, inFlight + 1);
    let released = false;
    return {
      remaining: limits.requestLimit - times.length,
      release: () => {
        if (released) return;
        released = true;
        this.#inFlight.set(key, Math.max(0, (this.#inFlight.get(key) ?? 1) - 1));
      },
    };
  }
}
