// Write job benchmark: 100,000 Catalog users into Salesforce Contacts through the real server process: first sync,
// re-sync with nothing changed, re-sync with 1% changed. Prints wall time, server CPU time, peak RSS and Salesforce
// API calls by kind (simulator counters), the idle server's RSS, plus the mapping + CSV throughput. Asserts nothing.
// Run: node test/bench/write-job.bench.ts   (Node 24; USERS=20000 to change the size)
import { encodeCsv, prepareRecords } from '../../server/src/runner/record-prep.ts';
import type { CatalogUser } from '../../server/src/sources/catalog/catalog-client.ts';
import { DEFAULT_FIELD_MAP } from '../integration/support/write-job.ts';
import { processStats } from '../support/process-stats.ts';
import { startLoadTarget } from './support/load-setup.ts';
import { reportFigure, runTime } from './support/report.ts';

const USERS = Number(process.env.USERS ?? 100_000);

const target = await startLoadTarget({ users: USERS, viewers: 0, logLevel: 'silent' });
const { sandbox, account } = target;
const pid = target.server.child.pid ?? 0;
const { cpuMs, statusMb, resetPeak: resetPeakRss } = processStats(pid);
await new Promise((resolve) => setTimeout(resolve, 1_000));
const idleRssMb = statusMb('VmRSS');
const startupPeakRssMb = statusMb('VmHWM');

const rows: Record<string, string | number>[] = [];
async function scenario(name: string) {
  const before = { ...(sandbox.salesforce.counters().byOrg.acme ?? {}) } as Record<string, number>;
  resetPeakRss();
  const cpu = cpuMs();
  const started = performance.now();
  // Polled often, so the wall time is the run's and not the polling interval's.
  const run = await target.waitForRun(await target.runWriteJob(), 30 * 60_000, 100);
  const after = (sandbox.salesforce.counters().byOrg.acme ?? {}) as Record<string, number>;
  const calls = Object.entries(after)
    .map(([kind, count]) => [kind, count - (before[kind] ?? 0)] as const)
    .filter(([kind, count]) => count > 0 && !kind.startsWith('oauth') && kind !== 'identity');
  rows.push({
    scenario: name,
    status: run.status,
    wallS: ((performance.now() - started) / 1000).toFixed(1),
    serverCpuS: ((cpuMs() - cpu) / 1000).toFixed(1),
    peakRssMb: statusMb('VmHWM').toFixed(0),
    endRssMb: statusMb('VmRSS').toFixed(0),
    written: (run.counts.created ?? 0) + (run.counts.updated ?? 0),
    unchanged: run.counts.unchanged ?? 0,
    failed: run.counts.failed ?? 0,
    salesforceCalls: calls.map(([kind, count]) => `${kind}=${count}`).join(' '),
    pollingCalls: run.apiCalls['bulk-poll'] ?? 0,
  });
}

try {
  await scenario('first sync');
  await scenario('re-sync, nothing changed');
  const users = account.users();
  for (let i = 0; i < users.length; i += 100) {
    const user = users[i];
    if (user) account.updateUser(user.id, { last_name: `${user.last_name ?? ''}x` });
  }
  await scenario('re-sync, 1% changed');
} finally {
  await target.close();
}

// Mapping + hashing + CSV encoding alone, in this thread (the server spreads it over worker threads).
const sample = account.users() as unknown as CatalogUser[];
const started = performance.now();
const prepared = prepareRecords({ users: sample, fieldMap: DEFAULT_FIELD_MAP, externalIdField: 'LMS_User_Id__c' });
encodeCsv({
  columns: Object.keys(prepared[0]?.values ?? {}),
  rows: prepared.map((r) => r.values),
  nullAs: '#N/A',
  header: true,
});
const perSecond = Math.round(sample.length / ((performance.now() - started) / 1000));

const columns = Object.keys(rows[0] ?? {});
const widths = columns.map((column) => Math.max(column.length, ...rows.map((row) => String(row[column]).length)));
const line = (cells: string[]) => `${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ')}\n`;
process.stdout.write(`\nWrite job, ${USERS.toLocaleString('en')} Catalog users, Node ${process.version}\n\n`);
process.stdout.write(
  `server idle: ${idleRssMb.toFixed(0)} MB RSS (start-up peak ${startupPeakRssMb.toFixed(0)} MB); peakRssMb is each scenario's own peak\n\n`,
);
process.stdout.write(line(columns));
for (const row of rows) process.stdout.write(line(columns.map((column) => String(row[column]))));
process.stdout.write(`\nmapping + hashing + CSV: ${perSecond.toLocaleString('en')} records/s (target >= 100,000)\n`);
process.stdout.write(
  'targets: first sync <= 12 Salesforce calls besides polling; unchanged re-sync writes nothing; peak RSS < 300 MB\n',
);
const size = USERS.toLocaleString('en-US');
for (const row of rows) {
  const scenarioName = `${row.scenario} of ${size}`;
  reportFigure({
    bench: 'write-job',
    figure: scenarioName,
    value: runTime(Number(row.wallS), String(row.status)),
    unit: 's',
  });
  reportFigure({
    bench: 'write-job',
    figure: `${scenarioName}: peak RSS`,
    value: Number(row.peakRssMb),
    unit: 'MB',
    target: '< 300 MB',
  });
}
const first = rows[0];
if (first) {
  const calls = String(first.salesforceCalls)
    .split(' ')
    .filter(Boolean)
    .reduce((sum, entry) => sum + Number(entry.split('=')[1] ?? 0), 0);
  reportFigure({ bench: 'write-job', figure: 'first sync: Salesforce calls', value: calls, target: '<= 12 + polling' });
  reportFigure({ bench: 'write-job', figure: 'first sync: of which Bulk polling', value: Number(first.pollingCalls) });
}
const unchanged = rows[1];
if (unchanged) {
  reportFigure({
    bench: 'write-job',
    figure: 're-sync, nothing changed: records written',
    value: Number(unchanged.written),
    target: '0',
  });
}
reportFigure({ bench: 'write-job', figure: 'server idle RSS', value: Math.round(idleRssMb), unit: 'MB' });
reportFigure({
  bench: 'write-job',
  figure: 'mapping + hashing + CSV',
  value: perSecond,
  unit: 'records/s',
  target: '>= 100,000',
});
process.exit(0);
