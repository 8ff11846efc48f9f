import { describe, expect, it } from 'vitest';
import { EventLoopMonitor, MAX_WINDOW_SECONDS, SAMPLE_EVERY_MS } from './event-loop-monitor.ts';

describe('EventLoopMonitor', () => {
  it('summarises exactly the samples inside the window', () => {
    const monitor = new EventLoopMonitor();
    // 100 samples, one per 10 ms from t=0, delay i ms: the last second holds all of them.
    for (let i = 1; i <= 100; i++) monitor.record(i * 10, i);
    expect(monitor.window(1, 1000)).toEqual({
      samples: 100,
      meanMs: 50.5,
      p50Ms: 50,
      p90Ms: 90,
      p99Ms: 99,
      maxMs: 100,
    });
    // The last 0.5 s at t=1000 are t>=500: delays 50..100.
    const recent = monitor.window(0.5, 1000);
    expect(recent).toMatchObject({ samples: 51, maxMs: 100, p50Ms: 75 });
  });

  it('forgets samples older than the longest window but keeps them since start', () => {
    const monitor = new EventLoopMonitor();
    const capacity = (MAX_WINDOW_SECONDS * 1000) / SAMPLE_EVERY_MS;
    monitor.record(0, 500);
    for (let i = 1; i <= capacity; i++) monitor.record(i * SAMPLE_EVERY_MS, 1);
    const now = capacity * SAMPLE_EVERY_MS;
    expect(monitor.window(MAX_WINDOW_SECONDS, now)).toMatchObject({ samples: capacity, maxMs: 1 });
    // Windows longer than the ring are cut to it rather than pretending to cover more.
    expect(monitor.window(10 * MAX_WINDOW_SECONDS, now).samples).toBe(capacity);
    const sinceStart = monitor.sinceStart();
    expect(sinceStart.samples).toBe(capacity + 1);
    expect(sinceStart.maxMs).toBeGreaterThanOrEqual(499);
  });

  it('reports zeros, not NaN, before the first sample', () => {
    const monitor = new EventLoopMonitor();
    const empty = { samples: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0, maxMs: 0 };
    expect(monitor.window(60)).toEqual(empty);
    expect(monitor.sinceStart()).toEqual(empty);
  });

  it('sees a blocked event loop', async () => {
    const monitor = new EventLoopMonitor();
    monitor.start();
    try {
      await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_EVERY_MS));
      const blockedUntil = performance.now() + 150;
      while (performance.now() < blockedUntil) {
        // hold the loop, as a synchronous piece of work would
      }
      await new Promise((resolve) => setTimeout(resolve, 3 * SAMPLE_EVERY_MS));
      // The timer due during the block fired at least 150 - SAMPLE_EVERY_MS ms late, however busy the machine is.
      expect(monitor.window(60).maxMs).toBeGreaterThanOrEqual(150 - SAMPLE_EVERY_MS);
    } finally {
      monitor.stop();
    }
  });
});
