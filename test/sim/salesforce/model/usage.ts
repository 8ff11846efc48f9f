const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * Counts events over a rolling 24 hours in one-minute buckets, as Salesforce's daily allocations are rolling windows
 * rather than calendar days.
 */
export class RollingDayCounter {
  readonly #buckets = new Map<number, number>();

  add(now: number, amount = 1): void {
    const minute = Math.floor(now / MINUTE);
    this.#buckets.set(minute, (this.#buckets.get(minute) ?? 0) + amount);
    if (this.#buckets.size > 1500) this.#prune(now);
  }

  used(now: number): number {
    this.#prune(now);
    let total = 0;
    for (const amount of this.#buckets.values()) total += amount;
    return total;
  }

  /** Sets the usage as if `amount` events happened now (for tests that start near a limit). */
  set(now: number, amount: number): void {
    this.#buckets.clear();
    if (amount > 0) this.#buckets.set(Math.floor(now / MINUTE), amount);
  }

  clear(): void {
    this.#buckets.clear();
  }

  #prune(now: number): void {
    const oldest = Math.floor((now - DAY) / MINUTE);
    for (const minute of this.#buckets.keys()) if (minute <= oldest) this.#buckets.delete(minute);
  }
}

/** Kinds of calls the simulator counts, for tests and benchmarks (GET /__sim/counters). */
export type CallKind =
  | 'rest-versions'
  | 'rest-resources'
  | 'rest-describe'
  | 'rest-query'
  | 'rest-crud'
  | 'rest-limits'
  | 'composite'
  | 'bulk-ingest'
  | 'bulk-query'
  | 'oauth-authorize'
  | 'oauth-login'
  | 'oauth-token'
  | 'oauth-revoke'
  | 'oauth-userinfo'
  | 'identity'
  | 'soap-login'
  | 'soap'
  | 'lightning';

export class CallCounters {
  readonly #byOrg = new Map<string, Map<CallKind, number>>();
  readonly #total = new Map<CallKind, number>();

  count(kind: CallKind, orgName: string | undefined): void {
    this.#total.set(kind, (this.#total.get(kind) ?? 0) + 1);
    if (!orgName) return;
    let counts = this.#byOrg.get(orgName);
    if (!counts) {
      counts = new Map();
      this.#byOrg.set(orgName, counts);
    }
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }

  snapshot(): { total: Partial<Record<CallKind, number>>; byOrg: Record<string, Partial<Record<CallKind, number>>> } {
    return {
      total: Object.fromEntries(this.#total),
      byOrg: Object.fromEntries([...this.#byOrg].map(([org, counts]) => [org, Object.fromEntries(counts)])),
    };
  }

  reset(): void {
    this.#byOrg.clear();
    this.#total.clear();
  }
}
