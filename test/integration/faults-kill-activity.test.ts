import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobRun } from '@orglink/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/database.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import type { ServerProcess } from '../support/server-process.ts';
import { connectSalesforce } from './support/connect.ts';
import { type KillTrialsReport, runKillTrials } from './support/crash.ts';
import { createTeam, type Member, sharedDatabaseEnv, startOrgLink } from './support/orglink.ts';

// kill -9 of the server at random points of connector activities. Each trial writes its own rows (tagged with the
// trial number), so the org's rows of a trial are compared with the undisturbed run's rows, tag aside.
const SEED = Number(process.env.FAULTS_SEED ?? 8_002);
const ROWS = 600;
/** Insert, Upsert and Bulk Upsert trials: 7 in all. */
const PLAN = [
  { activity: 'insert', trials: 3 },
  { activity: 'upsert', trials: 2 },
  { activity: 'bulk-upsert', trials: 2 },
] as const;

let sandbox: Sandbox;
let dataDir: string;
const servers: ServerProcess[] = [];
let env: Record<string, string>;
let team: Record<'owner' | 'admin' | 'viewer', Member>;
let connectionId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-faults-activity-'));
  env = sharedDatabaseEnv(dataDir, sandbox.url);
  const setup = await startOrgLink(env);
  team = createTeam(setup.app);
  ({
    connection: { id: connectionId },
  } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' }));
  await setup.close();
});
afterAll(async () => {
  await running?.stop();
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const tagOf = (activity: string, trial: number) => `${activity}-${trial}`;

/** The activity's input: the same rows for every trial but for the tag that keeps trials apart. */
function inputRows(activity: string, trial: number): Record<string, string>[] {
  const tag = tagOf(activity, trial);
  return Array.from({ length: ROWS }, (_, index) => ({
    ...(activity === 'insert' ? {} : { LMS_User_Id__c: `${tag}-${index}` }),
    FirstName: `Row${index}`,
    LastName: `Kill ${tag}`,
    Email: `row${index}.${tag}@faults.test`,
  }));
}

/** The trial's rows in the org by source row, tag removed: one entry per row, or it throws. */
function storedRows(activity: string, trial: number): Map<string, string> {
  const tag = tagOf(activity, trial);
  const stored = new Map<string, string>();
  for (const record of sandbox.salesforce.org('acme').records('Contact')) {
    if (record.LastName !== `Kill ${tag}`) continue;
    const row = String(record.FirstName);
    if (stored.has(row)) throw new Error(`row ${row} of ${tag} is in Salesforce twice`);
    stored.set(
      row,
      JSON.stringify([record.LastName, record.Email, record.LMS_User_Id__c ?? null]).replaceAll(tag, '<trial>'),
    );
  }
  return stored;
}

/** Per-record outcomes of a run, by input row number (1-based), read from the database the server writes. */
function outcomes(runId: string): Map<number, { action: string; errorCode: string | null; message: string | null }> {
  const db = openDatabase(env.DATABASE_PATH ?? '');
  try {
    const rows = db.$client
      .prepare('select source_key, action, error_code, message from run_records where run_id = ?')
      .all(runId) as { source_key: string; action: string; error_code: string | null; message: string | null }[];
    const byRow = new Map<number, { action: string; errorCode: string | null; message: string | null }>();
    for (const row of rows) {
      const number = Number(row.source_key);
      if (byRow.has(number)) throw new Error(`row ${number} has two outcomes`);
      byRow.set(number, { action: row.action, errorCode: row.error_code, message: row.message });
    }
    return byRow;
  } finally {
    db.$client.close();
  }
}

async function startActivity(server: ServerProcess, admin: Member, activity: string, trial: number) {
  const response = await fetch(`${server.url}/api/connections/${connectionId}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      activity,
      object: 'Contact',
      ...(activity === 'insert' ? {} : { externalIdField: 'LMS_User_Id__c' }),
      rows: inputRows(activity, trial),
    }),
  });
  if (response.status !== 202) throw new Error(`activity refused: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { run: { id: string } }).run.id;
}

const reports: string[] = [];
afterAll(() => process.stdout.write(`${reports.join('\n')}\n`));
/** The server the previous plan's last trial restarted: the next plan starts on it. */
let running: ServerProcess | undefined;

for (const { activity, trials } of PLAN) {
  it(`${activity}: ${trials} kill -9 trials resume to the undisturbed run's rows, none twice`, async () => {
    let undisturbed = new Map<string, string>();
    const report: KillTrialsReport = await runKillTrials({
      label: activity,
      env,
      servers,
      member: team.viewer,
      trials,
      seed: SEED + PLAN.findIndex((plan) => plan.activity === activity),
      ...(running ? { server: running } : {}),
      start: (server, trial) => {
        // Killed trials meet twice the latency of the timed undisturbed one (trial 0): a kill drawn within its time
        // then falls inside the run, not after it, even when a cold start or a busy machine made the first one slow.
        const slower = trial === 0 ? 1 : 2;
        sandbox.salesforce.faults.set(
          activity.startsWith('bulk-')
            ? { latencyMs: 150 * slower, bulkProcessingDelayMs: 600 * slower }
            : { latencyMs: 300 * slower },
        );
        return startActivity(server, team.admin, activity, trial);
      },
      killed: () => sandbox.salesforce.faults.reset(),
      undisturbed: (ended) => {
        expect(ended.status).toBe('completed');
        undisturbed = storedRows(activity, 0);
        expect(undisturbed.size).toBe(ROWS);
      },
      verify: (ended, trial) => {
        const stored = storedRows(activity, trial);
        if (activity === 'insert') expectInsertResumed(ended, stored, undisturbed);
        else {
          // Upserts are keyed, so a batch the kill caught in flight is sent again: the org ends as undisturbed.
          expect(ended.status).toBe('completed');
          expect(ended.counts).toMatchObject({ processed: ROWS, failed: 0 });
          expect(stored).toEqual(undisturbed);
        }
      },
    });
    running = report.server;
    reports.push(
      `[faults] ${activity}: undisturbed run ${report.undisturbedMs} ms, ${ROWS} rows compared per trial`,
      ...report.lines.map((line) => `  ${line}`),
      `[faults] ${activity} kills: ${JSON.stringify(report.landed)}`,
    );
    // Kills that all fell before or after the run would leave the resume untested.
    expect(report.landed['mid-run'], JSON.stringify(report.landed)).toBeGreaterThan(0);
  }, 120_000);
}

/**
 * An Insert is not keyed: rows the kill caught in flight are never sent again (they could be created twice), and are
 * reported OUTCOME_UNKNOWN instead. Every other row is in the org once, as in the undisturbed run.
 */
function expectInsertResumed(ended: JobRun, stored: Map<string, string>, undisturbed: Map<string, string>) {
  expect(ended.counts.processed).toBe(ROWS);
  expect(ended.counts.created + ended.counts.failed).toBe(ROWS);
  expect(ended.status).toBe(ended.counts.failed > 0 ? 'completed-with-errors' : 'completed');
  const byRow = outcomes(ended.id);
  expect(byRow.size).toBe(ROWS);
  for (const [number, outcome] of byRow) {
    const row = `Row${number - 1}`;
    if (outcome.action === 'created') {
      expect(stored.get(row), `row ${row}`).toBe(undisturbed.get(row));
      continue;
    }
    expect(outcome).toMatchObject({ action: 'failed', errorCode: 'OUTCOME_UNKNOWN' });
    expect(outcome.message).toMatch(/Check the object before inserting it again/);
    // Created or not, never twice (storedRows throws on a second copy) and never different.
    if (stored.has(row)) expect(stored.get(row)).toBe(undisturbed.get(row));
  }
  // At most one batch of 200 can be in flight when the server dies.
  expect(ended.counts.failed).toBeLessThanOrEqual(200);
}
