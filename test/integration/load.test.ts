// The load benchmark (test/bench/load.bench.ts) at a size `npm test` can afford: SSE clients and a constant rate of
// reads against a real server process while a write job runs. Asserts what must hold under any load (no errors,
// streams stay open and carry the run, every record written once); latencies are printed, never asserted.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { latencyLine, startLoadGenerator } from '../bench/support/load-generator.ts';
import { type LoadTarget, startLoadTarget } from '../bench/support/load-setup.ts';
import { contactsByLmsId } from './support/write-job.ts';

const USERS = 3_000;
const SSE_CLIENTS = 20;
const READS_PER_SECOND = 50;
const LOAD_MS = 8_000;

let target: LoadTarget;
beforeAll(async () => {
  target = await startLoadTarget({ users: USERS, viewers: SSE_CLIENTS });
});
afterAll(async () => target?.close());

it('serves SSE clients and reads without an error while a write job runs, and the job writes every record once', async () => {
  const load = await startLoadGenerator({
    baseUrl: target.server.url,
    sseTokens: target.viewerTokens,
    readToken: target.team.viewer.token,
    maxReadSockets: 32,
  });
  try {
    expect(load.opened).toBe(SSE_CLIENTS);
    // Salesforce holds the Bulk job a while, as it does with real volumes, so the job is still running when the
    // reads end and the streams see it start, progress and finish.
    target.sandbox.salesforce.faults.set({ bulkProcessingDelayMs: LOAD_MS });
    const runId = await target.runWriteJob();
    const reads = await load.readLoad({
      ratePerSecond: READS_PER_SECOND,
      durationMs: LOAD_MS,
      paths: target.readPaths(runId),
    });
    const run = await target.waitForRun(runId, 30_000);
    const diagnostics = await target.diagnostics(Math.ceil(LOAD_MS / 1000) + 1);
    // The final event may still be on its way to some clients.
    let clients = await load.sseReport();
    for (let tries = 0; tries < 40 && !clients.every((c) => c.runs[runId]?.statuses.includes(run.status)); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      clients = await load.sseReport();
    }
    const delay = diagnostics.eventLoop.window.delay;
    process.stdout.write(
      `load test: ${reads.sent} reads in ${reads.seconds.toFixed(1)} s, ${latencyLine(reads)}, ${reads.errors} errors; ` +
        `${clients.filter((c) => c.open).length}/${SSE_CLIENTS} SSE clients open, ${clients.reduce((sum, c) => sum + c.events, 0)} events; ` +
        `run ${run.status}; server event-loop delay p50 ${delay.p50Ms} ms, p99 ${delay.p99Ms} ms, max ${delay.maxMs} ms\n`,
    );

    expect(reads.sent).toBe((READS_PER_SECOND * LOAD_MS) / 1000);
    expect(reads.problems).toEqual([]);
    expect(reads.errors).toBe(0);

    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({ total: USERS, processed: USERS, failed: 0 });
    // Created, or updated where the org already had a Contact with that LMS id: each user written once either way.
    expect((run.counts.created ?? 0) + (run.counts.updated ?? 0)).toBe(USERS);
    const contacts = contactsByLmsId(target.sandbox);
    const users = target.account.users();
    expect(users).toHaveLength(USERS);
    expect(users.filter((user) => contacts.get(String(user.id))?.length !== 1)).toEqual([]);

    for (const client of clients) {
      expect(client).toMatchObject({ opened: true, open: true });
      const seen = client.runs[runId];
      expect(seen?.statuses).toContain('running');
      expect(seen?.statuses.at(-1)).toBe('completed');
      expect(seen?.progressEvents).toBeGreaterThan(0);
      expect(seen?.maxProcessed).toBe(USERS);
    }
  } finally {
    target.sandbox.salesforce.faults.reset();
    await load.close();
  }
}, 60_000);
