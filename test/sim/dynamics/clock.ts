/**
 * Simulator time: the injected clock plus an offset tests and the sandbox can advance, so code expiry, refresh-token
 * inactivity and service-protection windows can be crossed without waiting.
 */
export class SimClock {
  readonly #source: () => number;
  #offsetMs = 0;

  constructor(source: () => number = Date.now) {
    this.#source = source;
  }

  now(): number {
    return this.#source() + this.#offsetMs;
  }

  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  advance(ms: number): void {
    this.#offsetMs += ms;
  }

  reset(): void {
    this.#offsetMs = 0;
  }
}

/** Dataverse writes date-times in UTC to the second, with a `Z` (e.g. `2024-03-01T10:00:00Z`). */
export function dataverseDateTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
