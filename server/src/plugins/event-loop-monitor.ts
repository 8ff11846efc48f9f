import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import fp from 'fastify-plugin';

/** How often the loop is sampled: often enough to see a 50 ms stall, seldom enough to cost nothing on an idle laptop. */
export const SAMPLE_EVERY_MS = 20;
/** The longest window an admin can ask about; the ring below holds this many seconds of samples at most. */
export const MAX_WINDOW_SECONDS = 300;
const RING_CAPACITY = Math.ceil((MAX_WINDOW_SECONDS * 1000) / SAMPLE_EVERY_MS);

export interface DelaySummary {
  samples: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
}

/**
 * Event-loop delay: how late a timer due every SAMPLE_EVERY_MS fires, i.e. how long a request waiting for the loop
 * would have waited. Sampled with a timer of its own rather than perf_hooks.monitorEventLoopDelay, because the latter's
 * histogram can be neither merged nor cut into windows (RecordableHistogram.add refuses it), and admins and the load
 * benchmark need "the last N seconds". Recent samples are kept raw (a ring of at most 15,000), so a window's
 * percentiles are exact; since-start figures come from an HDR histogram of fixed size.
 */
export class EventLoopMonitor {
  readonly #times = new Float64Array(RING_CAPACITY);
  readonly #delays = new Float64Array(RING_CAPACITY);
  #next = 0;
  #stored = 0;
  readonly #sinceStart: RecordableHistogram = createHistogram();
  #timer: NodeJS.Timeout | undefined;
  #due = 0;

  start() {
    if (this.#timer) return;
    const tick = () => {
      const now = performance.now();
      this.record(now, Math.max(0, now - this.#due));
      this.#due = now + SAMPLE_EVERY_MS;
      this.#timer = setTimeout(tick, SAMPLE_EVERY_MS).unref();
    };
    this.#due = performance.now() + SAMPLE_EVERY_MS;
    this.#timer = setTimeout(tick, SAMPLE_EVERY_MS).unref();
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** One sample: the loop was `delayMs` late at `atMs` (performance.now() time). Public so tests can feed it. */
  record(atMs: number, delayMs: number) {
    this.#times[this.#next] = atMs;
    this.#delays[this.#next] = delayMs;
    this.#next = (this.#next + 1) % RING_CAPACITY;
    this.#stored = Math.min(RING_CAPACITY, this.#stored + 1);
    // The HDR histogram counts whole microseconds from 1 up.
    this.#sinceStart.record(Math.max(1, Math.round(delayMs * 1000)));
  }

  /** The samples of the last `seconds` (at most MAX_WINDOW_SECONDS), as of `now`. */
  window(seconds: number, now = performance.now()): DelaySummary {
    const from = now - Math.min(seconds, MAX_WINDOW_SECONDS) * 1000;
    const delays: number[] = [];
    for (let i = 0; i < this.#stored; i++) {
      if ((this.#times[i] ?? 0) >= from) delays.push(this.#delays[i] ?? 0);
    }
    delays.sort((a, b) => a - b);
    const at = (quantile: number) => delays[Math.min(delays.length - 1, Math.ceil(quantile * delays.length) - 1)] ?? 0;
    const total = delays.reduce((sum, delay) => sum + delay, 0);
    return summary(delays.length, delays.length ? total / delays.length : 0, at(0.5), at(0.9), at(0.99), at(1));
  }

  sinceStart(): DelaySummary {
    const h = this.#sinceStart;
    const ms = (micros: number) => (h.count ? micros / 1000 : 0);
    return summary(h.count, ms(h.mean), ms(h.percentile(50)), ms(h.percentile(90)), ms(h.percentile(99)), ms(h.max));
  }
}

function summary(samples: number, mean: number, p50: number, p90: number, p99: number, max: number): DelaySummary {
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    samples,
    meanMs: round(mean),
    p50Ms: round(p50),
    p90Ms: round(p90),
    p99Ms: round(p99),
    maxMs: round(max),
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    eventLoop: EventLoopMonitor;
  }
}

export const eventLoopMonitorPlugin = fp(
  async (app) => {
    const monitor = new EventLoopMonitor();
    app.decorate('eventLoop', monitor);
    // From ready on: the start-up's own second of compiling schemas and loading modules is not a stall anyone waits on.
    app.addHook('onReady', async () => monitor.start());
    app.addHook('onClose', async () => monitor.stop());
  },
  { name: 'event-loop-monitor' },
);
