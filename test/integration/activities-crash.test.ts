import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { connectSalesforce } from './support/connect.ts';
import { getRunOver, killHard, restartUntilRunEnds, until } from './support/crash.ts';
import { createTeam, sharedDatabaseEnv, startOrgLink } from './support/orglink.ts';

// The sandbox lives in this process, so the CRM's state survives the server's kill -9 and restart.
let sandbox: Sandbox;
let dataDir: string;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  sandbox = await startSandbox();
  dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-activity-crash-'));
});
afterAll(async () => {
  for (const server of servers) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it('an Insert activity killed mid-run resumes after its last recorded batch and creates no record twice', async () => {
  const env = sharedDatabaseEnv(dataDir, sandbox.url);
  const setup = await startOrgLink(env);
  const team = createTeam(setup.app);
  const { connection } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
  await setup.close();

  const size = 2_000;
  sandbox.salesforce.faults.set({ latencyMs: 250 });
  const first = await startServerProcess({ ...env, LOG_LEVEL: 'silent' });
  servers.push(first);
  const started = await fetch(`${first.url}/api/connections/${connection.id}/activities`, {
    method: 'POST',
    headers: { authorization: `Bearer ${team.admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      activity: 'insert',
      object: 'Contact',
      rows: Array.from({ length: size }, (_, index) => ({ LastName: `Crashrow ${index}` })),
    }),
  });
  expect(started.status).toBe(202);
  const runId = ((await started.json()) as { run: { id: string } }).run.id;
  await until(async () => (await getRunOver(first, team.viewer, runId)).counts.processed >= 400, 20_000, 'progress');
  await killHard(first);

  sandbox.salesforce.faults.reset();
  const ended = await restartUntilRunEnds(env, servers, team.viewer, runId);
  const names = sandbox.salesforce
    .org('acme')
    .records('Contact')
    .map((record) => String(record.LastName))
    .filter((name) => name.startsWith('Crashrow '));
  // No row was created twice: a batch the crash caught in flight is reported, never sent again.
  expect(new Set(names).size).toBe(names.length);
  expect(ended.counts.processed).toBe(size);
  expect(ended.counts.created + ended.counts.failed).toBe(size);
  expect(ended.counts.failed).toBeLessThanOrEqual(200);
  expect(names.length).toBeGreaterThanOrEqual(ended.counts.created);
  expect(names.length).toBeLessThanOrEqual(size);
  if (ended.counts.failed > 0) expect(ended.status).toBe('completed-with-errors');
}, 60_000);
