import type { JobRun } from '@orglink/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../sim/sandbox.ts';
import { startWithAcmeConnection } from './support/connect.ts';
import { apiAs, createTeam, type Member, type RunningOrgLink, recordEvents, rows } from './support/orglink.ts';
import { contactsByLmsId, createIntegration, DEFAULT_FIELD_MAP, unlinkAll, waitForRun } from './support/write-job.ts';

let sandbox: Sandbox;
let orglink: RunningOrgLink;
let team: Record<'owner' | 'admin' | 'viewer', Member>;
let connectionId: string;

beforeAll(async () => {
  ({ sandbox, orglink, team, connectionId } = await startWithAcmeConnection());
});
afterEach(() => {
  unlinkAll(orglink.app);
  sandbox.salesforce.faults.reset();
  sandbox.catalog.account('acme').faults.clear();
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

async function runJob(jobId: string): Promise<JobRun> {
  const run = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
  return waitForRun(orglink.app, team.viewer, run.id);
}

function expectEveryUserOnce(account: 'acme' | 'globex') {
  const byId = contactsByLmsId(sandbox);
  for (const user of sandbox.catalog.account(account).users()) {
    const records = byId.get(String(user.id)) ?? [];
    expect(records, `user ${user.id}`).toHaveLength(1);
    expect(records[0]?.LastName).toBe(user.last_name);
  }
}

describe('write job, collections path', () => {
  it('creates every user, writes nothing on re-sync, then only the changed ones', async () => {
    const { jobId, integrationId } = createIntegration(orglink.app, sandbox, team.admin, {
      connectionId,
      account: 'acme',
    });
    const users = sandbox.catalog.account('acme').users();
    sandbox.salesforce.resetCounters();
    const events = recordEvents(orglink.app, team.admin.teamId);
    const first = await runJob(jobId);
    events.stop();
    expect(first).toMatchObject({ status: 'completed', integrationId, trigger: 'manual' });
    expect(first.counts).toMatchObject({ total: users.length, processed: users.length, failed: 0, unchanged: 0 });
    expect(first.counts.created + first.counts.updated).toBe(users.length);
    expect(first.apiCalls.composite).toBe(Math.ceil(users.length / 200));
    // Catalog's calls are counted too: one users page of 100 per request.
    expect(first.apiCalls.catalog).toBe(Math.ceil(users.length / 100));
    expect(sandbox.salesforce.counters().byOrg.acme?.composite).toBe(Math.ceil(users.length / 200));
    expectEveryUserOnce('acme');
    const statuses = events.events.flatMap((event) => (event.type === 'run.changed' ? [event.run.status] : []));
    expect(statuses[0]).toBe('queued');
    expect(statuses).toContain('running');
    expect(statuses.at(-1)).toBe('completed');

    sandbox.salesforce.resetCounters();
    const again = await runJob(jobId);
    expect(again.counts).toMatchObject({ unchanged: users.length, created: 0, updated: 0, failed: 0 });
    expect(sandbox.salesforce.counters().byOrg.acme?.composite ?? 0).toBe(0);

    const changed = users.slice(0, 3).map((user) => user.id);
    for (const id of changed) sandbox.catalog.account('acme').updateUser(id, { last_name: `Renamed${id}` });
    const third = await runJob(jobId);
    expect(third.counts).toMatchObject({ updated: 3, unchanged: users.length - 3, failed: 0 });
    expectEveryUserOnce('acme');
    const csv = await orglinkCsv(third.id, 'results');
    expect(csv.split('\r\n')[0]).toBe('source_key,action,target_id,error_code,message');
    expect(csv.split('\r\n').filter((line) => line.includes(',updated,'))).toHaveLength(3);
  });

  it('ends with every record written once despite 5% transient errors', async () => {
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'acme' });
    sandbox.salesforce.faults.set({ unavailableShare: 0.05, lockRowShare: 0.05 });
    const run = await runJob(jobId);
    expect(run.status).toBe('completed');
    expect(run.counts.failed).toBe(0);
    expectEveryUserOnce('acme');
  });

  it('refreshes a token that expires mid-run and continues', async () => {
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'globex' });
    sandbox.salesforce.org('acme').invalidateNextSession();
    const run = await runJob(jobId);
    expect(run.status).toBe('completed');
    expect(run.counts.created + run.counts.updated).toBe(sandbox.catalog.account('globex').users().length);
  });

  it('stops clearly when the daily API limit runs out', async () => {
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'globex' });
    for (const user of sandbox.catalog.account('globex').users().slice(0, 5)) {
      sandbox.catalog.account('globex').updateUser(user.id, { first_name: `Limit${user.id}` });
    }
    sandbox.salesforce.org('acme').setDailyApiLimit(10, 10);
    const run = await runJob(jobId);
    sandbox.salesforce.org('acme').setDailyApiLimit(100_000, 0);
    expect(run.status).toBe('failed');
    expect(run.errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    expect(run.errorMessage).toMatch(/^Salesforce daily API limit reached/);
  });

  it('fails with "Catalog API token rejected" and shows it on the integration', async () => {
    const account = sandbox.catalog.account('acme');
    const { jobId, integrationId } = createIntegration(orglink.app, sandbox, team.admin, {
      connectionId,
      account: 'acme',
    });
    const token = account.apiTokens[0] ?? '';
    account.revokeToken(token);
    try {
      const run = await runJob(jobId);
      expect(run).toMatchObject({ status: 'failed', errorCode: 'CATALOG_TOKEN_REJECTED' });
      expect(run.errorMessage).toMatch(/^Catalog API token rejected/);
      expect(rows(orglink.app, 'select problem from integrations where id = ?', integrationId)[0]?.problem).toBe(
        'Catalog API token rejected',
      );
    } finally {
      account.reset();
    }
  });
});

describe('write job, Bulk API 2.0 path', () => {
  it('upserts more than 2,000 new users in one Bulk job and records every outcome', async () => {
    const account = sandbox.catalog.account('globex');
    for (let index = 0; index < 2_100; index += 1) {
      account.addUser({
        first_name: 'Bulk',
        last_name: `User${index}`,
        email_address: `bulk.user${index}@example.org`,
      });
    }
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'globex' });
    sandbox.salesforce.resetCounters();
    try {
      const run = await runJob(jobId);
      expect(run.status).toBe('completed');
      expect(run.counts.processed).toBe(account.users().length);
      expect(run.apiCalls.composite ?? 0).toBe(0);
      // create, upload, close, then successful and failed results (plus status polls, counted apart)
      expect(run.apiCalls['bulk-ingest']).toBe(5);
      expect(sandbox.salesforce.counters().byOrg.acme?.['bulk-ingest']).toBeGreaterThanOrEqual(5);
      expectEveryUserOnce('globex');

      // A second Bulk-sized run: the unchanged users count while pages are diffed, and the run shows progress while
      // its Bulk job is still running (held InProgress here), not only once every result is read.
      const renamed = account.users().slice(0, 2_050);
      for (const user of renamed) account.updateUser(user.id, { last_name: `Again${user.id}` });
      sandbox.salesforce.faults.set({ bulkProcessingDelayMs: 600 });
      const events = recordEvents(orglink.app, team.admin.teamId);
      const again = await runJob(jobId);
      events.stop();
      expect(again.counts).toMatchObject({ updated: renamed.length, total: account.users().length, failed: 0 });
      const midway = events.events.flatMap((event) =>
        event.type === 'run.changed' && event.run.id === again.id && event.run.status === 'running' ? [event.run] : [],
      );
      expect(
        midway.some(
          (run) =>
            (run.apiCalls['bulk-poll'] ?? 0) > 0 &&
            run.counts.processed > 0 &&
            run.counts.processed < (run.counts.total ?? 0),
        ),
        JSON.stringify(midway.map((run) => [run.counts, run.apiCalls])),
      ).toBe(true);
    } finally {
      account.reset();
    }
  });
});

describe('write job, Bulk results matched by the key written', () => {
  it('settles every record of an integration stored with the External ID mapped from another Catalog field', async () => {
    const account = sandbox.catalog.account('globex');
    for (let index = 0; index < 2_050; index += 1) {
      account.addUser({
        first_name: 'Keyed',
        last_name: `ByMail${index}`,
        email_address: `keyed.mail${index}@example.org`,
      });
    }
    // Validation refuses this map now, but integrations stored before it may still carry it.
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, {
      connectionId,
      account: 'globex',
      fieldMap: [...DEFAULT_FIELD_MAP, { target: 'LMS_User_Id__c', source: 'email_address' }],
    });
    try {
      const run = await runJob(jobId);
      // Globex's seeded near-duplicates share an e-mail, so their key collides: each still gets its own outcome.
      expect(run.status).toBe('completed-with-errors');
      expect(run.counts.processed).toBe(account.users().length);
      expect(run.counts.created + run.counts.failed).toBe(account.users().length);
      const failures = rows(
        orglink.app,
        "select error_code from run_records where run_id = ? and action = 'failed'",
        run.id,
      );
      expect(failures.length).toBeGreaterThan(0);
      expect(new Set(failures.map((row) => row.error_code))).toEqual(new Set(['DUPLICATE_EXTERNAL_ID']));
      expect(run.apiCalls['bulk-ingest']).toBe(5);
    } finally {
      account.reset();
    }
  });
});

describe('connection paused or integration unlinked mid-run', () => {
  it('holds the run when the connection is paused and resumes it from its checkpoint once activated', async () => {
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'acme' });
    sandbox.catalog.account('acme').faults.set({ latencyMs: 150 });
    const started = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
    await waitForRun(orglink.app, team.admin, started.id, (run) => run.status === 'running');
    expect((await apiAs(orglink.app, team.admin).post(`/api/connections/${connectionId}/pause`)).status).toBe(200);
    const held = await waitForRun(orglink.app, team.admin, started.id, (run) => run.status !== 'running');
    expect(held.status).toBe('holding');
    expect(held.errorMessage).toBe('Waiting for "Acme" (paused) to be active again.');
    expect(rows(orglink.app, 'select lease_owner from job_runs where id = ?', started.id)[0]?.lease_owner).toBeNull();
    sandbox.catalog.account('acme').faults.clear();
    expect((await apiAs(orglink.app, team.admin).post(`/api/connections/${connectionId}/activate`)).status).toBe(200);
    const ended = await waitForRun(orglink.app, team.admin, started.id);
    expect(ended.status).toBe('completed');
    expect(ended.counts.processed).toBe(sandbox.catalog.account('acme').users().length);
    expectEveryUserOnce('acme');
  });

  it('aborts the run at the next safe point when the integration is unlinked', async () => {
    const { jobId, integrationId } = createIntegration(orglink.app, sandbox, team.admin, {
      connectionId,
      account: 'acme',
    });
    sandbox.catalog.account('acme').faults.set({ latencyMs: 150 });
    const started = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
    await waitForRun(orglink.app, team.admin, started.id, (run) => run.status === 'running');
    expect((await apiAs(orglink.app, team.admin).delete(`/api/integrations/${integrationId}`)).status).toBe(204);
    const ended = await waitForRun(orglink.app, team.admin, started.id);
    expect(ended.status).toBe('aborted');
    expect(ended.errorMessage).toMatch(/^The integration was unlinked/);
  });
});

describe('runs API', () => {
  it('aborts a running run, lists runs newest first, hides other teams and refuses viewers', async () => {
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'acme' });
    sandbox.catalog.account('acme').faults.set({ latencyMs: 150 });
    const started = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
    await waitForRun(orglink.app, team.admin, started.id, (run) => run.status === 'running');
    expect((await apiAs(orglink.app, team.viewer).post(`/api/runs/${started.id}/abort`)).status).toBe(403);
    const other = createTeam(orglink.app);
    expect((await apiAs(orglink.app, other.admin).get(`/api/runs/${started.id}`)).status).toBe(404);
    expect((await apiAs(orglink.app, other.admin).post(`/api/runs/${started.id}/abort`)).status).toBe(404);
    const abort = await apiAs(orglink.app, team.admin).post(`/api/runs/${started.id}/abort`);
    expect(abort.status).toBe(200);
    const ended = await waitForRun(orglink.app, team.admin, started.id);
    expect(ended.status).toBe('aborted');
    expect((await apiAs(orglink.app, team.admin).post(`/api/runs/${started.id}/abort`)).status).toBe(409);

    const page = await apiAs(orglink.app, team.viewer).get(`/api/runs?limit=2&connection=${connectionId}`);
    expect(page.status).toBe(200);
    expect(page.body.runs[0].id).toBe(started.id);
    expect(page.body.runs).toHaveLength(2);
    const next = await apiAs(orglink.app, team.viewer).get(`/api/runs?limit=2&cursor=${page.body.nextCursor}`);
    expect(next.body.runs.map((run: JobRun) => run.id)).not.toContain(started.id);
    expect((await apiAs(orglink.app, team.viewer).get('/api/runs?cursor=nonsense')).status).toBe(400);
  });
});

async function orglinkCsv(runId: string, file: 'results' | 'errors'): Promise<string> {
  const response = await orglink.app.inject({
    method: 'GET',
    url: `/api/runs/${runId}/${file}.csv`,
    headers: { authorization: `Bearer ${team.viewer.token}` },
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toMatch(/^text\/csv/);
  return response.body;
}
