// Duplicate Check benchmark: matching quality and speed. Prints figures; asserts nothing.
//  1. Quality on the public Febrl sets (../shared/data/febrl next to the repository; skipped, saying so, when absent):
//     pairwise precision / recall / F1 at the default threshold (75) on dataset3 (dedupe) and dataset4a/4b (linkage).
//  2. Quality on Contacts made by the repository's own generator, with the built-in Contact scenarios.
//  3. Speed: 100,000 and 1,000,000 generated Contacts through the matching worker thread (each in its own process, so
//     the peak RSS is the matcher's), pairs scored next to n(n-1)/2.
//  4. End to end: a Duplicate Check job on 100,000 Contacts in the Salesforce simulator through the real server
//     process (Bulk API read, worker, results stored), with the API's response time measured during the job.
// Run: node test/bench/duplicate-check.bench.ts   (SIZES=100000,1000000 and E2E=0 to change what runs)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultScenariosFor } from '../../server/src/domain/dedupe/default-scenarios.ts';
import type { EngineResult } from '../../server/src/domain/dedupe/engine-types.ts';
import { DuplicateFinder } from '../../server/src/domain/dedupe/find-duplicates.ts';
import { engineSpec } from '../../server/src/runner/duplicate-check-job.ts';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../../server/src/server-launch.ts';
import { connectSalesforce } from '../integration/support/connect.ts';
import { createTeam, sharedDatabaseEnv, startOrgLink } from '../integration/support/orglink.ts';
import { loadRecords, salesforceLoader } from '../integration/support/salesforce-loader.ts';
import { startSandbox } from '../sim/sandbox.ts';
import { processStats } from '../support/process-stats.ts';
import { startServerProcess } from '../support/server-process.ts';
import {
  FEBRL_COLUMNS,
  FEBRL_DIR,
  febrlAvailable,
  febrlSpec,
  type PairQuality,
  pairQuality,
  readFebrl,
  truePairsWithin,
} from './support/febrl.ts';
import { GENERATED_COLUMNS, generatedContacts } from './support/generated-contacts.ts';
import { figureReporter, runTime } from './support/report.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SIZES = (process.env.SIZES ?? '100000,1000000').split(',').map(Number).filter(Boolean);
const figure = figureReporter('duplicate-check');
const f = (value: number, digits = 4) => value.toFixed(digits);
const n = (value: number) => Math.round(value).toLocaleString('en-US');
const line = (label: string, q: PairQuality) =>
  `${label.padEnd(34)} precision ${f(q.precision)}  recall ${f(q.recall)}  F1 ${f(q.f1)}  (${n(q.truePositives)} of ${n(q.truePairs)} true pairs found, ${n(q.predicted - q.truePositives)} false)`;

function predictedPairs(result: EngineResult): [string, string][] {
  return result.pairs.map((pair) => [result.records[pair.a]?.id ?? '', result.records[pair.b]?.id ?? '']);
}

// 1. Febrl
if (!febrlAvailable()) {
  process.stdout.write(`Febrl: skipped, ${FEBRL_DIR} is not here (the public sets are not shipped with OrgLink).\n`);
} else {
  const three = readFebrl('dataset3.csv');
  const dedupe = new DuplicateFinder(febrlSpec(false));
  dedupe.table.addRows(0, [...FEBRL_COLUMNS], three.rows);
  const started = performance.now();
  const result = dedupe.find(new Set());
  const seconds = (performance.now() - started) / 1000;
  const entityOf = new Map(three.rows.map((row, at) => [row[0] ?? '', three.entity[at] ?? '']));
  const quality = pairQuality(predictedPairs(result), entityOf, truePairsWithin(three.entity));
  process.stdout.write(`${line('Febrl dataset3 (dedupe, 5,000)', quality)}\n`);
  process.stdout.write(
    `  ${n(result.pairsScored)} pairs scored of ${n((5000 * 4999) / 2)} possible, ${f(seconds, 2)} s (target F1 >= 0.99)\n`,
  );
  figure('Febrl dataset3 F1', f(quality.f1), undefined, '>= 0.99');
  const a = readFebrl('dataset4a.csv');
  const b = readFebrl('dataset4b.csv');
  const link = new DuplicateFinder(febrlSpec(true));
  link.table.addRows(0, [...FEBRL_COLUMNS], a.rows);
  link.table.addRows(1, [...FEBRL_COLUMNS], b.rows);
  const linked = link.find(new Set());
  const linkEntity = new Map([
    ...a.rows.map((row, at): [string, string] => [row[0] ?? '', a.entity[at] ?? '']),
    ...b.rows.map((row, at): [string, string] => [row[0] ?? '', b.entity[at] ?? '']),
  ]);
  const linkQuality = pairQuality(predictedPairs(linked), linkEntity, a.rows.length);
  process.stdout.write(`${line('Febrl dataset4a/4b (linkage)', linkQuality)}\n`);
  process.stdout.write(`  ${n(linked.pairsScored)} pairs scored of ${n(5000 * 5000)} possible (target F1 >= 0.999)\n`);
  figure('Febrl dataset4a/4b F1', f(linkQuality.f1), undefined, '>= 0.999');
}

// 2. Generated Contacts, built-in scenarios
for (const count of [20_000, 100_000]) {
  const generated = generatedContacts(count);
  const finder = new DuplicateFinder(engineSpec('Contact', defaultScenariosFor('Contact')));
  finder.table.addRows(0, GENERATED_COLUMNS, generated.rows);
  const result = finder.find(new Set());
  const entityOf = new Map(generated.rows.map((row, at) => [row[0] ?? '', generated.entity[at] ?? '']));
  const quality = pairQuality(predictedPairs(result), entityOf, truePairsWithin(generated.entity));
  process.stdout.write(
    `${line(`Generated Contacts (${n(count)})`, quality)}\n  built-in Contact scenarios; ${generated.accidentalTwins} accidental twins merged in the ground truth\n`,
  );
  figure(`generated Contacts (${n(count)}) F1`, f(quality.f1));
}

// 3. Speed of the matching worker
const work = mkdtempSync(path.join(tmpdir(), 'orglink-dc-bench-'));
const child = path.join(here, 'support', 'dc-speed-child.ts');
try {
  for (const count of SIZES) {
    const file = path.join(work, `contacts-${count}.csv`);
    execFileSync(process.execPath, [child, 'generate', String(count), file], { stdio: 'inherit' });
    // With the server process's own V8 flags and allocator setting (server-launch.ts): that is where matching runs.
    const figures = JSON.parse(
      execFileSync(process.execPath, [...SERVER_NODE_FLAGS, child, 'match', file], {
        encoding: 'utf8',
        env: serverEnvironment(process.env),
      }),
    ) as {
      seconds: number;
      readSeconds: number;
      timings: Record<string, number>;
      pairsScored: number;
      groups: number;
      peakMb: number;
      rssByPhase: Record<string, number>;
    };
    const target = count <= 100_000 ? 15 : 180;
    process.stdout.write(
      `Matching ${n(count)} Contacts: ${f(figures.seconds, 1)} s (target <= ${target} s), peak RSS ${n(figures.peakMb)} MB (target < 1,536), ${n(figures.pairsScored)} pairs scored of ${n((count * (count - 1)) / 2)} possible (${f((figures.pairsScored / ((count * (count - 1)) / 2)) * 100, 5)} %), ${n(figures.groups)} groups\n  phases (ms): read ${n(figures.readSeconds * 1000)}, ${Object.entries(
        figures.timings,
      )
        .map(([phase, ms]) => `${phase} ${n(ms)}`)
        .join(', ')}; RSS by phase (MB): ${JSON.stringify(figures.rssByPhase)}\n`,
    );
    figure(`matching ${n(count)} Contacts`, Number(f(figures.seconds, 1)), 's', `<= ${target} s`);
    figure(`matching ${n(count)} Contacts: peak RSS`, Math.round(figures.peakMb), 'MB', '< 1,536 MB');
    rmSync(file, { force: true });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// 4. End to end through the server
if (process.env.E2E !== '0') {
  const COUNT = 100_000;
  const sandbox = await startSandbox();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-bench-'));
  const env = sharedDatabaseEnv(dataDir, sandbox.url);
  const setup = await startOrgLink(env);
  const team = createTeam(setup.app);
  const { connection } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
  await setup.close();
  const generated = generatedContacts(COUNT, 11);
  const loader = await salesforceLoader(sandbox);
  await loadRecords(
    loader,
    'Contact',
    generated.rows.map((row) => ({
      FirstName: row[2] ?? '',
      LastName: row[3] || 'Unknown',
      Email: row[4] ?? '',
      Phone: row[5] ?? '',
    })),
  );
  const server = await startServerProcess({ ...env, LOG_LEVEL: 'silent' });
  const stats = processStats(server.child.pid ?? 0);
  const headers = { authorization: `Bearer ${team.admin.token}`, 'content-type': 'application/json' };
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const idle = stats.statusMb('VmRSS');
    stats.resetPeak();
    sandbox.salesforce.resetCounters();
    const started = performance.now();
    const answer = await fetch(`${server.url}/api/dc/jobs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ connectionId: connection.id, object: 'Contact' }),
    });
    const body = (await answer.json()) as { run?: { id: string } };
    if (!body.run) throw new Error(`refused: ${JSON.stringify(body)}`);
    const latencies: number[] = [];
    let run: { status: string; counts: { total: number }; duplicates?: { pairsScored: number; groups: number } };
    for (;;) {
      const asked = performance.now();
      run = await (await fetch(`${server.url}/api/runs/${body.run.id}`, { headers })).json();
      latencies.push(performance.now() - asked);
      if (['completed', 'completed-with-errors', 'failed', 'aborted'].includes(run.status)) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((x, y) => x - y);
    const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
    const calls = sandbox.salesforce.counters().total;
    process.stdout.write(
      `Job end to end, ${n(COUNT)} Contacts via the server: ${run.status} in ${f(seconds, 1)} s, server peak RSS ${n(stats.statusMb('VmHWM'))} MB (idle ${n(idle)}), ${n(run.duplicates?.pairsScored ?? 0)} pairs scored, ${n(run.duplicates?.groups ?? 0)} groups\n  GET /api/runs/:id during the job: p50 ${f(p(0.5), 1)} ms, p99 ${f(p(0.99), 1)} ms, max ${f(p(1), 1)} ms over ${latencies.length} requests; Salesforce calls ${JSON.stringify(calls)}\n`,
    );
    figure(`DC job end to end, ${n(COUNT)} Contacts`, runTime(seconds, run.status), 's');
    figure('DC job: GET /api/runs/:id p99 during the job', Number(f(p(0.99), 1)), 'ms');
  } finally {
    await server.stop();
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
