import { canonicalId } from '../model/ids.ts';
import type { Org } from '../model/org.ts';
import type { SfRecord } from '../model/record-store.ts';
import type { SalesforceState } from '../state.ts';

/** Test access to one org, in process (sim.org('acme')) and over HTTP (/__sim/orgs/acme/...). */
export class OrgControl {
  readonly #state: SalesforceState;
  readonly #name: string;

  constructor(state: SalesforceState, name: string) {
    this.#state = state;
    this.#name = name;
  }

  /** The org as it is now (reset() replaces it, so never keep the result). */
  get org(): Org {
    const org = this.#state.org(this.#name);
    if (!org) throw new Error(`no org ${this.#name}`);
    return org;
  }

  get orgId(): string {
    return this.org.orgId;
  }

  /** Copies of the stored rows: live ones, or the recycle bin too. */
  records(objectName: string, options: { includeDeleted?: boolean } = {}): SfRecord[] {
    const store = this.org.store(objectName);
    const rows = options.includeDeleted ? [...store.all()] : [...store.live()];
    return rows.map((row) => ({ ...row }));
  }

  /** One stored row by 15- or 18-character id, deleted or not; undefined when it does not exist. */
  record(objectName: string, id: string): SfRecord | undefined {
    const canonical = canonicalId(id);
    const row = canonical ? this.org.store(objectName).get(canonical) : undefined;
    return row ? { ...row } : undefined;
  }

  count(objectName: string, options: { includeDeleted?: boolean } = {}): number {
    const store = this.org.store(objectName);
    return options.includeDeleted ? store.size : store.liveCount;
  }

  /** Revokes every access and refresh token of the org, as "revoke all sessions" or a password reset does. */
  revokeAllTokens(): number {
    return this.#state.sessions.revokeOrg(this.#name);
  }

  /** The next REST or Bulk request gets 401 INVALID_SESSION_ID, once. */
  invalidateNextSession(): void {
    this.#state.faults.invalidateNextSession(this.#name);
  }

  /** The next `times` REST/Bulk requests get 403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded". */
  refuseNextForConcurrency(times = 1): void {
    this.#state.faults.refuseNextForConcurrency(this.#name, times);
  }

  failNextBulkJob(errorMessage = 'InternalServerError : Internal Server Error'): void {
    this.#state.faults.failNextBulkJob(this.#name, errorMessage);
  }

  /** Sets DailyApiRequests Max (and optionally how much of it is used already). */
  setDailyApiLimit(max: number, used?: number): void {
    if (!Number.isInteger(max) || max < 0) throw new RangeError('max must be a whole number >= 0');
    const org = this.org;
    org.dailyApiMax = max;
    if (used !== undefined) {
      if (!Number.isInteger(used) || used < 0) throw new RangeError('used must be a whole number >= 0');
      org.apiUsage.set(this.#state.clock.now(), used);
    }
  }

  apiUsage(): { used: number; max: number } {
    const org = this.org;
    return { used: org.apiUsage.used(this.#state.clock.now()), max: org.dailyApiMax };
  }
}
