import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jobs } from '../../server/src/db/schema.ts';
import { latestDueTime } from '../../server/src/runner/scheduler.ts';
import type { Sandbox } from '../sim/sandbox.ts';
import { startWithAcmeConnection } from './support/connect.ts';
import { apiAs, type Member, type RunningOrgLink, rows } from './support/orglink.ts';
import { createIntegration, unlinkAll, waitForRun } from './support/write-job.ts';

// Schedules in UTC: exactly one run per due time, across restarts; a due time missed while the server was down runs
// once at start; a job whose connection cannot work queues nothing, and a run on a paused connection waits.
let sandbox: Sandbox;
let orglink: RunningOrgLink;
let team: Record<'owner' | 'admin' | 'viewer', Member>;
let connectionId: string;

beforeAll(async () => {
  ({ sandbox, orglink, team, connectionId } = await startWithAcmeConnection());
});
afterEach(() => unlinkAll(orglink.app));
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

const runsOf = (jobId: string) => rows(orglink.app, 'select trigger, due_at from job_runs where job_id = ?', jobId);

describe('latestDueTime (UTC)', () => {
  it('finds the last due time between two instants, or none', () => {
    const daily = '0 0 * * *';
    expect(
      latestDueTime(daily, new Date('2026-01-01T00:00:30Z'), new Date('2026-01-03T05:00:00Z'))?.toISOString(),
    ).toBe('2026-01-03T00:00:00.000Z');
    expect(latestDueTime(daily, new Date('2026-01-03T00:00:00Z'), new Date('2026-01-03T23:59:00Z'))).toBeUndefined();
    expect(latestDueTime('not a cron', new Date(0), new Date())).toBeUndefined();
  });
});

describe('scheduler', () => {
  it('runs a due time missed while the server was down once at start, and never twice', async () => {
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, {
      connectionId,
      account: 'acme',
      schedule: '0 0 * * *',
    });
    // The job was defined three days ago and the server was down at every midnight since.
    orglink.app.db.$client
      .prepare('update jobs set created_at = ? where id = ?')
      .run(new Date(Date.now() - 3 * 86_400_000).toISOString(), jobId);

    const [caughtUp] = orglink.app.runner.scheduler.catchUp();
    expect(caughtUp).toMatchObject({ trigger: 'catch-up', jobId });
    const midnight = new Date();
    midnight.setUTCHours(0, 0, 0, 0);
    expect(runsOf(jobId)).toEqual([{ trigger: 'catch-up', due_at: midnight.toISOString() }]);

    // A restart (a second start-up catch-up) finds that due time already run.
    expect(orglink.app.runner.scheduler.catchUp()).toEqual([]);
    expect(() =>
      orglink.app.runner.enqueue({ jobId, trigger: 'schedule', startedBy: null, dueAt: midnight.toISOString() }),
    ).toThrow('This due time already has its run');
    expect(runsOf(jobId)).toHaveLength(1);
    await waitForRun(orglink.app, team.viewer, caughtUp?.id ?? '');
  });

  it('queues nothing for a job in Holding, and a run on a paused connection waits, then runs', async () => {
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, {
      connectionId,
      account: 'acme',
      schedule: '0 0 * * *',
    });
    orglink.app.db.$client
      .prepare("update jobs set state = 'holding', created_at = ? where id = ?")
      .run(new Date(Date.now() - 2 * 86_400_000).toISOString(), jobId);
    expect(orglink.app.runner.scheduler.catchUp().filter((run) => run.jobId === jobId)).toEqual([]);
    orglink.app.db.update(jobs).set({ state: 'active' }).run();

    const api = apiAs(orglink.app, team.admin);
    expect((await api.post(`/api/connections/${connectionId}/pause`)).status).toBe(200);
    try {
      const run = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
      expect(
        (await waitForRun(orglink.app, team.viewer, run.id, (current) => current.status === 'holding')).status,
      ).toBe('holding');
      expect((await api.post(`/api/connections/${connectionId}/activate`)).status).toBe(200);
      const finished = await waitForRun(orglink.app, team.viewer, run.id);
      expect(finished.status).toMatch(/^completed/);
    } finally {
      await api.post(`/api/connections/${connectionId}/activate`);
    }
  });

  it('queues a due time that arrives while a run is under way, and lets a queued run cover it', async () => {
    const { jobId } = createIntegration(orglink.app, sandbox, team.admin, {
      connectionId,
      account: 'acme',
      schedule: '0 0 * * *',
    });
    sandbox.catalog.account('acme').faults.set({ latencyMs: 150 });
    try {
      const manual = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
      await waitForRun(orglink.app, team.viewer, manual.id, (run) => run.status === 'running');
      const due = new Date(Date.now() - 60_000).toISOString();
      const behind = orglink.app.runner.enqueue({ jobId, trigger: 'schedule', startedBy: null, dueAt: due });
      expect(behind).toMatchObject({ status: 'queued', trigger: 'schedule' });
      // The queued run has not started: a second due time is covered by it, not queued again.
      const later = new Date(Date.now() - 30_000).toISOString();
      expect(() => orglink.app.runner.enqueue({ jobId, trigger: 'schedule', startedBy: null, dueAt: later })).toThrow(
        'already has its run',
      );
      sandbox.catalog.account('acme').faults.clear();
      expect((await waitForRun(orglink.app, team.viewer, manual.id)).status).toMatch(/^completed/);
      expect((await waitForRun(orglink.app, team.viewer, behind.id)).status).toMatch(/^completed/);
    } finally {
      sandbox.catalog.account('acme').faults.clear();
    }
  });
});
