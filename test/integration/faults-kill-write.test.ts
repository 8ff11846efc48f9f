import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type jsforce from 'jsforce';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { connectSalesforce } from './support/connect.ts';
import { runKillTrials } from './support/crash.ts';
import { createTeam, type Member, sharedDatabaseEnv, startOrgLink } from './support/orglink.ts';
import { salesforceLoader } from './support/salesforce-loader.ts';
import { contactsByLmsId, createIntegration } from './support/write-job.ts';

// kill -9 of the server at random points of Catalog -> Salesforce write runs: every trial starts from the same state
// (the previous trial's Contacts deleted, the integration's sync state cleared), so each resumed run must create
// exactly what the undisturbed run created.
const TRIALS = 7;
const SEED = Number(process.env.FAULTS_SEED ?? 8_001);

let sandbox: Sandbox;
let dataDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-faults-write-'));
});
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The org's Contacts from Catalog, by source key, as the fields the job writes: one entry per key or it throws. */
function writtenContacts(): Map<string, string> {
  const written = new Map<string, string>();
  for (const [key, records] of contactsByLmsId(sandbox)) {
    if (records.length !== 1) throw new Error(`source key ${key} is in Salesforce ${records.length} times`);
    const [record] = records;
    written.set(key, JSON.stringify([record?.FirstName, record?.LastName, record?.Email]));
  }
  return written;
}

async function deleteWrittenContacts(loader: jsforce.Connection) {
  const ids = [...contactsByLmsId(sandbox).values()].flat().map((record) => String(record.Id));
  for (let from = 0; from < ids.length; from += 200) {
    await loader.request({
      method: 'DELETE',
      url: `/services/data/v62.0/composite/sobjects?ids=${ids.slice(from, from + 200).join(',')}&allOrNone=true`,
    });
  }
  expect(contactsByLmsId(sandbox).size).toBe(0);
}

it(`write runs: ${TRIALS} kill -9 trials resume to the undisturbed run's records, none twice`, async () => {
  const env = sharedDatabaseEnv(dataDir, sandbox.url);
  const setup = await startOrgLink(env);
  const team = createTeam(setup.app);
  const { connection } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
  const { integrationId } = createIntegration(setup.app, sandbox, team.admin, {
    connectionId: connection.id,
    account: 'acme',
  });
  await setup.close();
  const loader = await salesforceLoader(sandbox);
  const users = sandbox.catalog.account('acme').users();
  let undisturbed = new Map<string, string>();

  const report = await runKillTrials({
    label: 'write',
    env,
    servers,
    member: team.viewer,
    trials: TRIALS,
    seed: SEED,
    start: async (server) => {
      await deleteWrittenContacts(loader);
      forgetSyncState(env.DATABASE_PATH ?? '', integrationId);
      // Latency spreads the run over a second or two, so most kill points fall inside it.
      sandbox.salesforce.faults.set({ latencyMs: 300 });
      sandbox.catalog.account('acme').faults.set({ latencyMs: 150 });
      return startWriteRun(server, team.admin, integrationId);
    },
    killed: () => {
      sandbox.salesforce.faults.reset();
      sandbox.catalog.account('acme').faults.clear();
    },
    undisturbed: (ended) => {
      expect(ended.status).toBe('completed');
      undisturbed = writtenContacts();
      expect(undisturbed.size).toBe(users.length);
    },
    verify: (ended) => {
      expect(ended.status).toBe('completed');
      expect(ended.counts).toMatchObject({ total: users.length, processed: users.length, failed: 0 });
      expect(ended.counts.created + ended.counts.updated).toBe(users.length);
      expect(writtenContacts()).toEqual(undisturbed);
    },
  });
  await report.server.stop();
  process.stdout.write(
    `[faults] write: undisturbed run ${report.undisturbedMs} ms, ${users.length} records compared per trial\n` +
      `${report.lines.map((line) => `  ${line}`).join('\n')}\n` +
      `[faults] write kills: ${JSON.stringify(report.landed)}\n`,
  );
  expect(report.landed['mid-run']).toBeGreaterThan(0);
}, 120_000);

/** Without its sync state the integration writes every user again, as on its first run. */
function forgetSyncState(databasePath: string, integrationId: string) {
  const db = openDatabase(databasePath);
  try {
    db.$client.prepare('delete from sync_state where integration_id = ?').run(integrationId);
  } finally {
    db.$client.close();
  }
}

async function startWriteRun(server: ServerProcess, admin: Member, integrationId: string): Promise<string> {
  const response = await fetch(`${server.url}/api/integrations/${integrationId}/run`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}` },
  });
  if (response.status !== 202) throw new Error(`run refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { run: { id: string } }).run.id;
}
