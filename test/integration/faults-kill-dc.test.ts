import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { connectSalesforce } from './support/connect.ts';
import { runKillTrials } from './support/crash.ts';
import { createTeam, type Member, sharedDatabaseEnv, startOrgLink } from './support/orglink.ts';

// kill -9 of the server at random points of Duplicate Check runs over the seeded org (400 Contacts, about 5% of them
// seeded twice): a resumed run starts over, so it must find exactly the undisturbed run's groups, each once.
const TRIALS = 6;
const SEED = Number(process.env.FAULTS_SEED ?? 8_003);

let sandbox: Sandbox;
let dataDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-faults-dc-'));
});
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A run's groups as sorted lists of record ids, sorted; throws on a group, record or pair stored twice. */
function groupsOf(databasePath: string, runId: string): string[] {
  const db = openDatabase(databasePath);
  try {
    const client = db.$client;
    const members = client.prepare('select group_id, record_id from dc_records where run_id = ?').all(runId) as {
      group_id: string;
      record_id: string;
    }[];
    const byGroup = new Map<string, string[]>();
    for (const member of members)
      byGroup.set(member.group_id, [...(byGroup.get(member.group_id) ?? []), member.record_id]);
    const groupRows = client.prepare('select id, size from dc_groups where run_id = ?').all(runId) as {
      id: string;
      size: number;
    }[];
    if (groupRows.length !== byGroup.size) {
      throw new Error(`${groupRows.length} dc_groups rows for ${byGroup.size} groups with records`);
    }
    for (const group of groupRows) {
      if (byGroup.get(group.id)?.length !== group.size) throw new Error(`group ${group.id} has a wrong record count`);
    }
    const pairs = client
      .prepare(
        'select count(*) as n, count(distinct min(record_a, record_b) || max(record_a, record_b)) as distinctPairs from dc_pairs where run_id = ?',
      )
      .get(runId) as { n: number; distinctPairs: number };
    if (pairs.n !== pairs.distinctPairs) throw new Error(`${pairs.n - pairs.distinctPairs} pairs stored twice`);
    return [...byGroup.values()].map((ids) => ids.sort().join(' ')).sort();
  } finally {
    db.$client.close();
  }
}

it(`Duplicate Check runs: ${TRIALS} kill -9 trials end with the undisturbed run's groups, each once`, async () => {
  const env = sharedDatabaseEnv(dataDir, sandbox.url);
  const databasePath = env.DATABASE_PATH ?? '';
  const setup = await startOrgLink(env);
  const team = createTeam(setup.app);
  const { connection } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
  await setup.close();
  let undisturbed: string[] = [];

  const report = await runKillTrials({
    label: 'duplicate-check',
    env,
    servers,
    member: team.viewer,
    trials: TRIALS,
    seed: SEED,
    // Killed trials meet more latency than the timed undisturbed one (trial 0): a kill drawn within its time then
    // falls inside the run, not after it.
    start: (server, trial) => {
      sandbox.salesforce.faults.set({ latencyMs: trial === 0 ? 400 : 600 });
      return startDuplicateCheck(server, team.admin, connection.id);
    },
    killed: () => sandbox.salesforce.faults.reset(),
    undisturbed: (ended) => {
      expect(ended.status).toBe('completed');
      undisturbed = groupsOf(databasePath, ended.id);
      expect(undisturbed.length).toBeGreaterThan(5);
    },
    verify: (ended) => {
      expect(ended.status).toBe('completed');
      expect(groupsOf(databasePath, ended.id)).toEqual(undisturbed);
    },
  });
  await report.server.stop();
  process.stdout.write(
    `[faults] duplicate-check: undisturbed run ${report.undisturbedMs} ms, ${undisturbed.length} groups compared per trial\n` +
      `${report.lines.map((line) => `  ${line}`).join('\n')}\n` +
      `[faults] duplicate-check kills: ${JSON.stringify(report.landed)}\n`,
  );
  // Kills that all fell before or after the run would leave the resume untested.
  expect(report.landed['mid-run'], JSON.stringify(report.landed)).toBeGreaterThan(0);
}, 120_000);

async function startDuplicateCheck(server: ServerProcess, admin: Member, connectionId: string): Promise<string> {
  const response = await fetch(`${server.url}/api/dc/jobs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ connectionId, object: 'Contact' }),
  });
  if (response.status !== 201) throw new Error(`check refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { run: { id: string } }).run.id;
}
