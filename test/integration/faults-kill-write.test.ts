import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type jsforce from 'jsforce';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database.ts';
import { BULK_THRESHOLD } from '../../server/src/runner/salesforce-writer.ts';
import { mulberry32 } from '../sim/common/random.ts';
import type { FaultSettings } from '../sim/salesforce/index.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { connectSalesforce } from './support/connect.ts';
import { inspectAfterKill, killWhen, runEndOver, runKillTrials } from './support/crash.ts';
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
let bulkDataDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-faults-write-'));
  bulkDataDir = mkdtempSync(path.join(tmpdir(), 'orglink-faults-bulk-'));
});
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(bulkDataDir, { recursive: true, force: true });
});

/** A team with an Acme connection and a Catalog -> Contact integration (External ID match key) on env's database. */
async function setUpIntegration(env: Record<string, string>) {
  const setup = await startOrgLink(env);
  const team = createTeam(setup.app);
  const { connection } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
  const { integrationId } = createIntegration(setup.app, sandbox, team.admin, {
    connectionId: connection.id,
    account: 'acme',
  });
  await setup.close();
  return { team, integrationId };
}

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
  const { team, integrationId } = await setUpIntegration(env);
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

// The same on the Bulk path (more users than BULK_THRESHOLD), each kill aimed at one step of the Bulk job rather
// than at a random time: the steps are short, and random kills of a run this size nearly always land in the Catalog
// read. A share of rows fails with UNABLE_TO_LOCK_ROW, which the run must write again rather than record as failed.
const BULK_USERS = BULK_THRESHOLD + 200;
const BULK_SEED = Number(process.env.FAULTS_BULK_SEED ?? 8_002);
const LOCK_ROWS: Partial<FaultSettings> = { lockRowShare: 0.02 };

/** Where a Bulk write run is, read from its server's database and from the simulator while it runs. */
interface BulkRunState {
  /** The checkpoint names a Bulk job in flight. */
  inflight: boolean;
  /** Status polls of the job, as stored with the run (the run stores its API calls as it goes). */
  polls: number;
  /** Records written by this run and recorded (the unchanged ones aside). */
  recorded: number;
  /** Contacts the job has written in the simulator (each trial starts with none). */
  written: number;
}

interface BulkKill {
  step: string;
  faults: Partial<FaultSettings>;
  /** Most kills wait a seeded random time up to this after their step is reached. */
  jitterMs: number;
  /** Asked until it says the run has reached the step. */
  reached(state: BulkRunState): boolean;
}

const BULK_KILLS: BulkKill[] = [
  {
    // The job exists and is in the checkpoint, its CSV upload (or the close after it) not finished: the job is Open.
    step: 'during the upload',
    faults: { latencyMs: 250 },
    jitterMs: 100,
    reached: (state) => state.inflight && state.polls === 0 && state.written === 0,
  },
  {
    // Salesforce holds the job InProgress while the run polls it.
    step: 'during the polling',
    faults: { latencyMs: 100, bulkProcessingDelayMs: 1_500 },
    jitterMs: 300,
    reached: (state) => state.inflight && state.polls >= 1 && state.written === 0,
  },
  {
    // Salesforce has written the rows and a poll has shown them processed; the results are not read yet. The job is
    // held long enough to be polled before and after it ends (a job ended at the first look is never polled).
    step: 'after the job ended, before its results were read',
    faults: { latencyMs: 250, bulkProcessingDelayMs: 1_000 },
    jitterMs: 0,
    reached: (() => {
      let pollsWhenWritten: number | undefined;
      return (state: BulkRunState) => {
        if (state.written === 0) return false;
        if (state.recorded > 0) throw new Error(`the run read the results before the kill: ${JSON.stringify(state)}`);
        pollsWhenWritten ??= state.polls;
        return state.inflight && state.polls > pollsWhenWritten;
      };
    })(),
  },
  {
    // Part of the results recorded, the failed rows' file (row locks among them) not read yet.
    step: 'during the settlement of the results',
    faults: { latencyMs: 250 },
    jitterMs: 0,
    reached: (state) => state.inflight && state.recorded > 0,
  },
];

it(`Bulk write runs: kill -9 at ${BULK_KILLS.length} steps of the Bulk job resume to the undisturbed run's records, none twice`, async () => {
  const account = sandbox.catalog.account('acme');
  for (let index = account.users().length; index < BULK_USERS; index += 1) {
    account.addUser({
      first_name: 'Bulk',
      last_name: `Killed${index}`,
      email_address: `bulk.killed${index}@example.org`,
    });
  }
  const env = sharedDatabaseEnv(bulkDataDir, sandbox.url);
  const { team, integrationId } = await setUpIntegration(env);
  const loader = await salesforceLoader(sandbox);
  const databasePath = env.DATABASE_PATH ?? '';
  const random = mulberry32(BULK_SEED);
  const reader = openDatabase(databasePath);
  const runRow = reader.$client.prepare<[string], { checkpoint: string | null; apiCalls: string }>(
    'select checkpoint, api_calls as apiCalls from job_runs where id = ?',
  );
  const recordedRows = reader.$client
    .prepare<[string], number>("select count(*) from run_records where run_id = ? and action <> 'unchanged'")
    .pluck();
  const stateOf = (runId: string): BulkRunState => {
    const row = runRow.get(runId);
    const checkpoint = JSON.parse(row?.checkpoint ?? 'null') as { inflight?: { kind?: string } | null } | null;
    const apiCalls = JSON.parse(row?.apiCalls ?? '{}') as Record<string, number>;
    return {
      inflight: checkpoint?.inflight?.kind === 'bulk',
      polls: apiCalls['bulk-poll'] ?? 0,
      recorded: recordedRows.get(runId) ?? 0,
      written: contactsByLmsId(sandbox).size,
    };
  };
  const startTrial = async (server: ServerProcess, faults: Partial<FaultSettings>) => {
    // Row locks would fail the clean-up's deletes too.
    sandbox.salesforce.faults.reset();
    await deleteWrittenContacts(loader);
    forgetSyncState(databasePath, integrationId);
    sandbox.salesforce.faults.set({ ...LOCK_ROWS, ...faults });
    return startWriteRun(server, team.admin, integrationId);
  };
  const lines: string[] = [];
  let locked = 0;
  try {
    let server = await startServerProcess({ ...env, LOG_LEVEL: 'silent' });
    servers.push(server);
    const baseline = await runEndOver(server, team.viewer, await startTrial(server, {}), 60_000);
    expect(baseline.status).toBe('completed');
    expect(baseline.apiCalls['bulk-ingest'] ?? 0).toBeGreaterThan(0);
    const undisturbed = writtenContacts();
    expect(undisturbed.size).toBe(BULK_USERS);

    for (const [index, kill] of BULK_KILLS.entries()) {
      const extraMs = Math.floor(random() * kill.jitterMs);
      const what = `Bulk trial ${index + 1}/${BULK_KILLS.length} (seed ${BULK_SEED}): kill ${kill.step} (+${extraMs} ms)`;
      try {
        const runId = await startTrial(server, kill.faults);
        await killWhen(server, () => kill.reached(stateOf(runId)), `the step "${kill.step}"`, { extraMs });
        const atKill = stateOf(runId);
        // What the dead server left must be taken over at once (and the faults that slowed it lifted) for the restart.
        sandbox.salesforce.faults.set({ latencyMs: 0, bulkProcessingDelayMs: 0 });
        const point = inspectAfterKill(databasePath, runId);
        expect(point.landed).toBe('mid-run');
        server = await startServerProcess({ ...env, LOG_LEVEL: 'silent' });
        servers.push(server);
        const ended = await runEndOver(server, team.viewer, runId, 60_000);
        expect(ended.status).toBe('completed');
        expect(ended.counts).toMatchObject({ total: BULK_USERS, processed: BULK_USERS, failed: 0 });
        expect(ended.counts.created + ended.counts.updated).toBe(BULK_USERS);
        expect(writtenContacts()).toEqual(undisturbed);
        lines.push(`${what}: at the kill ${JSON.stringify(atKill)}, resumed to ${ended.status}`);
      } catch (error) {
        throw new Error(`${what}: ${(error as Error).message}`, { cause: error });
      }
    }
    await server.stop();
    locked = sandbox.salesforce.faults.injected().lockRow;
  } finally {
    reader.$client.close();
    sandbox.salesforce.faults.reset();
  }
  process.stdout.write(
    `[faults] Bulk write, ${BULK_USERS} records compared per trial, ${locked} row locks injected\n` +
      `${lines.map((line) => `  ${line}`).join('\n')}\n`,
  );
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
