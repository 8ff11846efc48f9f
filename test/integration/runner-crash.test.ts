import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { connectSalesforce } from './support/connect.ts';
import { getRunOver, killHard, restartUntilRunEnds, until } from './support/crash.ts';
import { createTeam, sharedDatabaseEnv, startOrgLink } from './support/orglink.ts';
import { contactsByLmsId, createIntegration } from './support/write-job.ts';

// The sandbox lives in this process, so the CRM's state survives the server's kill -9 and restart.
let sandbox: Sandbox;
let dataDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-crash-'));
});
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('resumes a run after kill -9 and ends with every record once, as an undisturbed run', async () => {
  const env = sharedDatabaseEnv(dataDir, sandbox.url);
  // Set the team, connection and integration up in process, and queue the run with the runner stopped.
  const setup = await startOrgLink(env);
  const team = createTeam(setup.app);
  const { connection } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
  const { jobId } = createIntegration(setup.app, sandbox, team.admin, { connectionId: connection.id, account: 'acme' });
  await setup.app.runner.stop();
  const queued = setup.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
  await setup.close();

  sandbox.salesforce.faults.set({ latencyMs: 250 });
  const first = await startServerProcess({ ...env, LOG_LEVEL: 'silent' });
  servers.push(first);
  await until(
    async () => (await getRunOver(first, team.viewer, queued.id)).counts.processed >= 200,
    20_000,
    'progress',
  );
  await killHard(first);
  const halfway = contactsByLmsId(sandbox);
  const catalogUsers = sandbox.catalog.account('acme').users();
  expect(catalogUsers.filter((user) => halfway.has(String(user.id))).length).toBeLessThan(catalogUsers.length);

  sandbox.salesforce.faults.reset();
  const ended = await restartUntilRunEnds(env, servers, team.viewer, queued.id);
  const users = sandbox.catalog.account('acme').users();
  expect(ended).toMatchObject({ status: 'completed' });
  expect(ended?.counts).toMatchObject({ processed: users.length, failed: 0, total: users.length });
  expect((ended?.counts.created ?? 0) + (ended?.counts.updated ?? 0)).toBe(users.length);
  const byId = contactsByLmsId(sandbox);
  for (const user of users) {
    const records = byId.get(String(user.id)) ?? [];
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ LastName: user.last_name, Email: user.email_address });
  }
}, 60_000);
