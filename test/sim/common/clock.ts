/**
 * Simulator time, shared by the simulators that keep a clock (Salesforce, Dynamics + Entra): the injected `now` plus
 * an offset that tests and the sandbox can advance, so codes, sessions, tokens, query cursors and service-protection
 * windows expire without waiting.
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

/** Minutes east of UTC of an ISO 8601 zone designator: `Z` (either case), `±hh:mm` or `±hhmm`. */
export function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
}
