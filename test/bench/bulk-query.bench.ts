// Bulk Query activity benchmark: 200,000 Contacts read through the real server process with Bulk API 2.0 and
// streamed to the run's results file, then downloaded as results.csv. Prints wall time, server CPU time, the server's
// peak RSS, and Salesforce API calls by kind. Asserts nothing (except that every row arrived).
// Run: node test/bench/bulk-query.bench.ts   (Node 24; ROWS=50000 to change the size)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connectSalesforce } from '../integration/support/connect.ts';
import { runEndOver } from '../integration/support/crash.ts';
import { createTeam, sharedDatabaseEnv, startOrgLink } from '../integration/support/orglink.ts';
import { loadRecords, salesforceLoader } from '../integration/support/salesforce-loader.ts';
import { startSandbox } from '../sim/sandbox.ts';
import { processStats } from '../support/process-stats.ts';
import { startServerProcess } from '../support/server-process.ts';
import { figureReporter, runTime } from './support/report.ts';

const ROWS = Number(process.env.ROWS ?? 200_000);
const sandbox = await startSandbox();
const dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-bench-'));
const env = sharedDatabaseEnv(dataDir, sandbox.url);
const setup = await startOrgLink(env);
const team = createTeam(setup.app);
const { connection } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
await setup.close();

// The records to read, loaded straight into the simulator with jsforce (not part of the measurement).
await loadRecords(
  await salesforceLoader(sandbox),
  'Contact',
  Array.from({ length: ROWS }, (_, i) => ({
    FirstName: `Bench${i % 997}`,
    LastName: `Bulkbench ${i}`,
    Email: `bulkbench.${i}@example.com`,
    Title: `Learner, ${i % 7}`,
  })),
);

const server = await startServerProcess({ ...env, LOG_LEVEL: 'silent' });
const pid = server.child.pid ?? 0;
const { cpuMs, statusMb, resetPeak } = processStats(pid);
const headers = { authorization: `Bearer ${team.admin.token}`, 'content-type': 'application/json' };

try {
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const idleRss = statusMb('VmRSS');
  sandbox.salesforce.resetCounters();
  resetPeak();
  const cpu = cpuMs();
  const started = performance.now();
  const answer = await fetch(`${server.url}/api/connections/${connection.id}/activities`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      activity: 'bulk-query',
      soql: "SELECT Id, FirstName, LastName, Email, Title FROM Contact WHERE LastName LIKE 'Bulkbench %'",
    }),
  });
  const body = (await answer.json()) as { run?: { id: string } };
  if (!body.run) throw new Error(`activity refused: ${JSON.stringify(body)}`);
  const run = await runEndOver(server, team.admin, body.run.id, 30 * 60_000);
  const runSeconds = (performance.now() - started) / 1000;
  const runCpu = (cpuMs() - cpu) / 1000;
  const runPeak = statusMb('VmHWM');
  // The download: streamed by the server, counted here line by line.
  resetPeak();
  const downloadStarted = performance.now();
  const download = await fetch(`${server.url}/api/runs/${body.run.id}/results.csv`, { headers });
  let lines = 0;
  const decoder = new TextDecoder();
  for await (const chunk of download.body as unknown as AsyncIterable<Uint8Array>) {
    lines += decoder.decode(chunk, { stream: true }).split('\n').length - 1;
  }
  const downloadSeconds = (performance.now() - downloadStarted) / 1000;
  const calls = sandbox.salesforce.counters().byOrg.acme ?? {};
  const apiCalls = Object.entries(calls)
    .filter(([kind]) => !kind.startsWith('oauth') && kind !== 'identity')
    .map(([kind, count]) => `${kind}=${count}`)
    .join(' ');

  process.stdout.write(`\nBulk Query activity, ${ROWS.toLocaleString('en')} Contacts, Node ${process.version}\n\n`);
  process.stdout.write(`status             ${run.status}${run.errorMessage ? ` (${run.errorMessage})` : ''}\n`);
  process.stdout.write(`rows read          ${run.counts.processed} (results.csv: ${lines - 1} rows + header)\n`);
  process.stdout.write(
    `wall time          ${runSeconds.toFixed(1)} s (query job, 50,000-row result pages, results file)\n`,
  );
  process.stdout.write(`server CPU         ${runCpu.toFixed(1)} s\n`);
  process.stdout.write(
    `server RSS         idle ${idleRss.toFixed(0)} MB, peak during the run ${runPeak.toFixed(0)} MB (target < 200 MB)\n`,
  );
  process.stdout.write(
    `download           results.csv in ${downloadSeconds.toFixed(1)} s, server peak ${statusMb('VmHWM').toFixed(0)} MB\n`,
  );
  process.stdout.write(`Salesforce calls   ${apiCalls} (run's own count: ${JSON.stringify(run.apiCalls)})\n`);
  // Checked before the figures are reported, so the table never shows the time of a broken run.
  if (run.counts.processed !== ROWS || lines - 1 !== ROWS) throw new Error('not every row arrived');
  const size = ROWS.toLocaleString('en-US');
  const figure = figureReporter('bulk-query');
  figure(`Bulk Query of ${size} Contacts`, runTime(runSeconds, run.status), 's');
  figure('server CPU', Number(runCpu.toFixed(1)), 's');
  figure('server peak RSS during the run', Math.round(runPeak), 'MB', '< 200 MB');
  figure('results.csv download', Number(downloadSeconds.toFixed(1)), 's');
} finally {
  await server.stop();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(0);
