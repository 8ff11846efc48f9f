// Load benchmark: 200 SSE clients and 500 read requests per second for 60 s against a real server process on
// loopback while a 100,000-record write job runs (first sync; when it ends before the window does, the job runs again
// with every user changed, so a write job runs throughout). Prints request latency (p50/p99/max, from when each request
// was due), errors, SSE clients still connected and events received, the write job's runs, and the server's own
// event-loop delay over the window (GET /api/diagnostics). Asserts nothing about time; fails only if records are
// lost or duplicated, so a figure is never reported for a broken run.
// Run: node test/bench/load.bench.ts   (Node 24; DURATION_S=20 USERS=20000 SSE_CLIENTS=50 RATE=200 to shrink it)
import type { JobRun } from '@orglink/shared';
import { contactsByLmsId } from '../integration/support/write-job.ts';
import { latencyLine, startLoadGenerator } from './support/load-generator.ts';
import { startLoadTarget } from './support/load-setup.ts';
import { figureReporter, runTime } from './support/report.ts';

const USERS = Number(process.env.USERS ?? 100_000);
const SSE_CLIENTS = Number(process.env.SSE_CLIENTS ?? 200);
const RATE = Number(process.env.RATE ?? 500);
const DURATION_S = Number(process.env.DURATION_S ?? 60);
const size = USERS.toLocaleString('en-US');

const out = (line: string) => process.stdout.write(`${line}\n`);
out(`setting up: ${size} Catalog users, ${SSE_CLIENTS} members for the SSE clients, a server process`);
const target = await startLoadTarget({ users: USERS, viewers: SSE_CLIENTS });
const load = await startLoadGenerator({
  baseUrl: target.server.url,
  sseTokens: target.viewerTokens,
  readToken: target.team.viewer.token,
  maxReadSockets: 128,
});

interface RunFigures {
  name: string;
  run: JobRun;
  seconds: number;
}
const runs: RunFigures[] = [];
let exitCode = 0;
try {
  out(
    `${load.opened} of ${SSE_CLIENTS} SSE clients connected; starting the write job and ${RATE} reads/s for ${DURATION_S} s`,
  );
  const windowStart = performance.now();
  const windowEnd = windowStart + DURATION_S * 1000;
  const firstRunId = await target.runWriteJob();
  const reads = load.readLoad({
    ratePerSecond: RATE,
    durationMs: DURATION_S * 1000,
    paths: target.readPaths(firstRunId),
  });
  let diagnostics: Awaited<ReturnType<typeof target.diagnostics>> | undefined;
  let readResult: Awaited<typeof reads> | undefined;
  const readsDone = reads.then(async (result) => {
    readResult = result;
    // Taken at once, so the window is the load's and not the tail of the job after it.
    diagnostics = await target.diagnostics(DURATION_S);
  });

  // The write job, back to back, until the window is over.
  let runId = firstRunId;
  let runStarted = windowStart;
  let busyMs = 0;
  for (let round = 0; ; round++) {
    const run = await target.waitForRun(runId, 10 * 60_000);
    const ended = performance.now();
    busyMs += Math.min(ended, windowEnd) - runStarted;
    runs.push({
      name: round === 0 ? `first sync of ${size}` : `re-sync ${round}, all ${size} changed`,
      run,
      seconds: (ended - runStarted) / 1000,
    });
    out(
      `  run ${runs.length}: ${run.status} in ${((ended - runStarted) / 1000).toFixed(1)} s (${JSON.stringify(run.counts)})`,
    );
    if (ended >= windowEnd - 1_000) break;
    for (const user of target.account.users()) {
      target.account.updateUser(user.id, { last_name: `${user.last_name ?? ''}${round % 2 ? 'y' : 'x'}` });
    }
    runStarted = performance.now();
    runId = await target.runWriteJob();
  }
  await readsDone;
  const clients = await load.sseReport();
  if (!readResult || !diagnostics) throw new Error('the read load ended without figures');

  // Every Catalog user is one Contact, however many runs wrote it.
  const contacts = contactsByLmsId(target.sandbox);
  const users = target.account.users();
  const missing = users.filter((user) => !contacts.has(String(user.id))).length;
  const duplicated = users.filter((user) => (contacts.get(String(user.id))?.length ?? 0) > 1).length;

  const open = clients.filter((client) => client.open).length;
  const events = clients.reduce((sum, client) => sum + client.events, 0);
  const sawFirstRunEnd = clients.filter(
    (client) => client.runs[firstRunId]?.statuses.at(-1) === runs[0]?.run.status,
  ).length;
  const delay = diagnostics.eventLoop.window.delay;
  const first = runs[0];
  const windowShare = Math.round((busyMs / (DURATION_S * 1000)) * 100);

  out(
    `\nLoad, ${SSE_CLIENTS} SSE clients + ${RATE} reads/s for ${DURATION_S} s during a ${size}-record write job, Node ${process.version}\n`,
  );
  out(`reads             ${readResult.sent.toLocaleString('en-US')} sent in ${readResult.seconds.toFixed(1)} s`);
  out(`latency           ${latencyLine(readResult)}`);
  out(
    `errors            ${readResult.errors}${readResult.problems.length ? ` (${readResult.problems.join('; ')})` : ''} (target 0)`,
  );
  out(
    `SSE clients       ${open} of ${SSE_CLIENTS} still connected, ${events.toLocaleString('en-US')} events received, ${sawFirstRunEnd} saw the first run end`,
  );
  for (const ended of clients.filter((client) => !client.open).slice(0, 3))
    out(`  one ended: ${ended.endedBecause ?? 'never opened'}`);
  out(`write job         ${runs.map((r) => `${r.name}: ${r.run.status} in ${r.seconds.toFixed(1)} s`).join('; ')}`);
  out(
    `                  a write job ran ${windowShare}% of the window; Contacts: ${missing} missing, ${duplicated} duplicated`,
  );
  out(
    `server event loop delay over the window: p50 ${delay.p50Ms} ms, p99 ${delay.p99Ms} ms, max ${delay.maxMs} ms (${delay.samples} samples; target p99 < 50 ms)`,
  );
  out(`server RSS        ${diagnostics.memory.rssMb} MB at the end of the window`);

  if (missing || duplicated) throw new Error(`${missing} Catalog users have no Contact and ${duplicated} have several`);
  if (runs.some((r) => r.run.status !== 'completed')) throw new Error('a write job run did not complete');
  const figure = figureReporter('load');
  figure(`reads sent (${RATE}/s for ${DURATION_S} s)`, readResult.sent);
  figure('read latency p50', Number(readResult.p50Ms.toFixed(1)), 'ms');
  figure('read latency p99', Number(readResult.p99Ms.toFixed(1)), 'ms');
  figure('read latency max', Number(readResult.maxMs.toFixed(1)), 'ms');
  figure('read errors', readResult.errors, undefined, '0');
  figure(`SSE clients connected at the end (of ${SSE_CLIENTS})`, open, undefined, String(SSE_CLIENTS));
  figure('SSE events received', events);
  if (first) figure(first.name, runTime(first.seconds, first.run.status), 's');
  figure('server event-loop delay p50', delay.p50Ms, 'ms');
  figure('server event-loop delay p99', delay.p99Ms, 'ms', '< 50 ms');
  figure('server event-loop delay max', delay.maxMs, 'ms');
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  exitCode = 1;
} finally {
  await load.close();
  await target.close();
}
process.exit(exitCode);
