import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobRun } from '@orglink/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { connectDynamics } from './support/connect.ts';
import { getRunOver, killHard, restartUntilRunEnds, until } from './support/crash.ts';
import { createTeam, type Member, type RunningOrgLink, sharedDatabaseEnv, startOrgLink } from './support/orglink.ts';
import { createIntegration, unlinkAll, waitForRun } from './support/write-job.ts';

const ENVIRONMENT = 'contoso';
const FIELD_MAP = [
  { target: 'firstname', source: 'first_name' },
  { target: 'lastname', source: 'last_name' },
  { target: 'emailaddress1', source: 'email_address' },
];

let sandbox: Sandbox;
let orglink: RunningOrgLink;
let team: Record<'owner' | 'admin' | 'viewer', Member>;
let connectionId: string;

beforeAll(async () => {
  sandbox = await startSandbox();
  orglink = await startOrgLink({ SANDBOX_URL: sandbox.url });
  team = createTeam(orglink.app);
  const { connection } = await connectDynamics(orglink.app, team.admin, { name: 'Contoso' });
  connectionId = connection.id;
});
afterEach(() => {
  unlinkAll(orglink.app);
  sandbox.dynamics.control.clearFaults();
  sandbox.catalog.account('globex').reset();
  // Rows this suite wrote go, so every test starts from the seeded contacts (a reset would also drop the tokens).
  for (const rows of contactsByLmsId().values()) {
    for (const row of rows) sandbox.dynamics.control.deleteRecord(ENVIRONMENT, 'contacts', String(row.contactid));
  }
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

/** The shared helper writes a Salesforce integration; point it at Dataverse columns and the lms_userid key. */
function createDynamicsIntegration(app = orglink.app, member = team.admin, connection = connectionId) {
  const created = createIntegration(app, sandbox, member, { connectionId: connection, account: 'globex' });
  app.db.$client
    .prepare('update integrations set external_id_field = ?, field_map = ? where id = ?')
    .run('lms_userid', JSON.stringify(FIELD_MAP), created.integrationId);
  return created;
}

async function runJob(jobId: string): Promise<JobRun> {
  const run = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
  return waitForRun(orglink.app, team.viewer, run.id);
}

/** Dataverse contacts by lms_userid: a duplicate shows as a list longer than one. */
function contactsByLmsId(): Map<string, Record<string, unknown>[]> {
  const byId = new Map<string, Record<string, unknown>[]>();
  for (const row of sandbox.dynamics.control.records(ENVIRONMENT, 'contacts') as Record<string, unknown>[]) {
    const id = row.lms_userid;
    // Seeded rows have keys like lms-0000042; Catalog user ids are plain numbers.
    if (typeof id !== 'string' || !/^\d+$/.test(id)) continue;
    byId.set(id, [...(byId.get(id) ?? []), row]);
  }
  return byId;
}

function expectEveryUserOnce() {
  const byId = contactsByLmsId();
  for (const user of sandbox.catalog.account('globex').users()) {
    const rows = byId.get(String(user.id)) ?? [];
    expect(rows, `user ${user.id}`).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      firstname: user.first_name,
      lastname: user.last_name,
      emailaddress1: user.email_address,
    });
  }
}

async function csv(runId: string, file: 'results' | 'errors'): Promise<string[]> {
  const response = await orglink.app.inject({
    method: 'GET',
    url: `/api/runs/${runId}/${file}.csv`,
    headers: { authorization: `Bearer ${team.viewer.token}` },
  });
  expect(response.statusCode).toBe(200);
  return response.body.split('\r\n').filter(Boolean);
}

describe('write job to Dynamics 365 ($batch upsert by the lms_userid alternate key)', () => {
  it('creates every user once, writes nothing on re-sync, then updates only the changed one', async () => {
    const { jobId } = createDynamicsIntegration();
    const users = sandbox.catalog.account('globex').users();
    const contactsBefore = sandbox.dynamics.control.records(ENVIRONMENT, 'contacts').length;
    sandbox.dynamics.control.resetCounters();
    const first = await runJob(jobId);
    expect(first.status).toBe('completed');
    expect(first.counts).toMatchObject({ total: users.length, processed: users.length, created: users.length });
    expect(first.counts).toMatchObject({ updated: 0, unchanged: 0, failed: 0 });
    expect(first.apiCalls.batch).toBe(1);
    expect(sandbox.dynamics.control.records(ENVIRONMENT, 'contacts')).toHaveLength(contactsBefore + users.length);
    expectEveryUserOnce();
    // Every result names the Dataverse row it wrote.
    const results = await csv(first.id, 'results');
    const contactIds = new Set(
      (sandbox.dynamics.control.records(ENVIRONMENT, 'contacts') as Record<string, unknown>[]).map(
        (row) => row.contactid,
      ),
    );
    for (const line of results.slice(1)) expect(contactIds.has(line.split(',')[2]), line).toBe(true);

    sandbox.dynamics.control.resetCounters();
    const again = await runJob(jobId);
    expect(again.counts).toMatchObject({ unchanged: users.length, created: 0, updated: 0, failed: 0 });
    expect(sandbox.dynamics.control.counters().batch ?? 0).toBe(0);

    const changed = users[7];
    if (!changed) throw new Error('globex has no eighth user');
    sandbox.catalog.account('globex').updateUser(changed.id, { last_name: 'Renamed' });
    const third = await runJob(jobId);
    expect(third.status).toBe('completed');
    expect(third.counts).toMatchObject({ updated: 1, created: 0, unchanged: users.length - 1, failed: 0 });
    expect(contactsByLmsId().get(String(changed.id))?.[0]?.lastname).toBe('Renamed');
    expectEveryUserOnce();
    expect(sandbox.dynamics.control.records(ENVIRONMENT, 'contacts')).toHaveLength(contactsBefore + users.length);
  });

  it('reports a record Dataverse rejects as a per-record error and writes all the others', async () => {
    const { jobId } = createDynamicsIntegration();
    const account = sandbox.catalog.account('globex');
    const rejected = account.users()[3];
    if (!rejected) throw new Error('globex has no fourth user');
    account.updateUser(rejected.id, { last_name: 'L'.repeat(60) });
    const run = await runJob(jobId);
    expect(run.status).toBe('completed-with-errors');
    expect(run.counts).toMatchObject({ processed: account.userCount, failed: 1, created: account.userCount - 1 });
    const errors = await csv(run.id, 'errors');
    expect(errors).toHaveLength(2);
    const [key, action, , code, ...message] = (errors[1] ?? '').split(',');
    expect([key, action, code]).toEqual([String(rejected.id), 'failed', '0x80044331']);
    expect(message.join(',')).toMatch(/length of the 'lastname' attribute .* maximum allowed length of '50'/);
    expect(contactsByLmsId().has(String(rejected.id))).toBe(false);

    // Fixed in Catalog, the record is written on the next run; the others stay unchanged.
    account.updateUser(rejected.id, { last_name: 'Short' });
    const next = await runJob(jobId);
    expect(next.status).toBe('completed');
    expect(next.counts).toMatchObject({ created: 1, failed: 0, unchanged: account.userCount - 1 });
    expectEveryUserOnce();
  });

  it('retries a throttled or unavailable $batch and ends with every record once', async () => {
    const { jobId } = createDynamicsIntegration();
    // A row that already has a user's key before the first sync is updated, not duplicated nor counted as created.
    const [existing] = sandbox.catalog.account('globex').users();
    sandbox.dynamics.control.createRecord(ENVIRONMENT, 'contacts', {
      lastname: 'Before',
      lms_userid: String(existing?.id),
    });
    sandbox.dynamics.control.setFaults({ throttleCount: 1, unavailableCount: 1, retryAfterSeconds: 0 });
    const run = await runJob(jobId);
    expect(run.status).toBe('completed');
    expect(run.counts).toMatchObject({
      failed: 0,
      updated: 1,
      created: sandbox.catalog.account('globex').userCount - 1,
    });
    expect(run.apiCalls.batch).toBe(3);
    expectEveryUserOnce();
  });

  it('refuses the Email match key on Dynamics with a message that says what to do', async () => {
    const { jobId, integrationId } = createDynamicsIntegration();
    orglink.app.db.$client.prepare("update integrations set match_key = 'email' where id = ?").run(integrationId);
    const run = await runJob(jobId);
    expect(run.status).toBe('failed');
    expect(run.errorMessage).toMatch(/alternate key/);
  });
});

describe('write job to Dynamics 365 after a crash', () => {
  const servers: ServerProcess[] = [];
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-dynamics-crash-'));
  });
  afterAll(() => {
    for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after kill -9 with a $batch in flight and ends with every record once', async () => {
    const account = sandbox.catalog.account('globex');
    // 600 users: two batches of 500 and 100, so the kill lands after one batch was recorded and during the next.
    for (let index = 0; index < 400; index += 1) {
      account.addUser({
        first_name: 'Crash',
        last_name: `User${index}`,
        email_address: `crash.user${index}@example.org`,
      });
    }
    const env = sharedDatabaseEnv(dataDir, sandbox.url);
    const setup = await startOrgLink(env);
    const crashTeam = createTeam(setup.app);
    const { connection } = await connectDynamics(setup.app, crashTeam.admin, { name: 'Contoso' });
    const { jobId } = createDynamicsIntegration(setup.app, crashTeam.admin, connection.id);
    await setup.app.runner.stop();
    const queued = setup.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: crashTeam.admin.userId });
    await setup.close();

    sandbox.dynamics.control.resetCounters();
    sandbox.dynamics.control.setFaults({ latencyMs: 1_000, kinds: ['batch'] });
    const first = await startServerProcess({ ...env, LOG_LEVEL: 'silent' });
    servers.push(first);
    await until(() => (sandbox.dynamics.control.counters().batch ?? 0) >= 2, 20_000, 'the second $batch');
    const before = await getRunOver(first, crashTeam.viewer, queued.id);
    await killHard(first);
    expect(before.counts.processed).toBe(500);
    // The simulator still carries out the batch whose answer the crash lost: those rows exist, unrecorded.
    await until(() => contactsByLmsId().size === account.userCount, 5_000, 'the in-flight batch to land');

    sandbox.dynamics.control.clearFaults();
    const ended = await restartUntilRunEnds(env, servers, crashTeam.viewer, queued.id);
    expect(ended).toMatchObject({ status: 'completed' });
    expect(ended?.counts).toMatchObject({ total: account.userCount, processed: account.userCount, failed: 0 });
    // The in-flight batch was written again by key: its rows count as updated, never as new rows.
    expect(ended?.counts).toMatchObject({ created: 500, updated: account.userCount - 500 });
    expectEveryUserOnce();
  }, 60_000);
});
