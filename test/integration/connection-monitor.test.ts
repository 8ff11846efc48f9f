import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { connectSalesforce, releaseAllOrgs } from './support/connect.ts';
import { apiAs, createTeam, type RunningOrgLink, recordEvents, startOrgLink } from './support/orglink.ts';

// The periodic token check: an org that revokes OrgLink's access shows "Connection inactive" without anyone
// pressing Test or a job running, and its scheduled jobs wait in Holding.
let sandbox: Sandbox;
let orglink: RunningOrgLink;

beforeAll(async () => {
  sandbox = await startSandbox();
  orglink = await startOrgLink({ SANDBOX_URL: sandbox.url });
});
afterEach(() => releaseAllOrgs(orglink.app));
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

describe('connection monitor', () => {
  it('marks a connection whose tokens were revoked inactive, holds its jobs, and leaves healthy ones alone', async () => {
    const team = createTeam(orglink.app);
    const acme = (await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' })).connection;
    const globex = (await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Globex', org: 'globex' }))
      .connection;
    const job = await apiAs(orglink.app, team.admin).post('/api/jobs', {
      connectionId: acme.id,
      kind: 'duplicate-check',
      name: 'Nightly contacts',
      config: { object: 'Contact' },
      schedule: '0 0 * * *',
    });
    expect(job.status).toBe(201);
    const events = recordEvents(orglink.app, team.admin.teamId);

    const healthy = await orglink.app.connectionMonitor.checkAll();
    expect(healthy).toEqual({ checked: 2, lost: 0, unreachable: 0 });

    sandbox.salesforce.org('acme').revokeAllTokens();
    expect(await orglink.app.connectionMonitor.checkAll()).toEqual({ checked: 2, lost: 1, unreachable: 0 });

    const api = apiAs(orglink.app, team.viewer);
    expect((await api.get(`/api/connections/${acme.id}`)).body).toMatchObject({ status: 'inactive' });
    expect((await api.get(`/api/connections/${globex.id}`)).body).toMatchObject({ status: 'active' });
    expect((await api.get(`/api/jobs/${job.body.id}`)).body).toMatchObject({ state: 'holding' });
    expect(events.events.map((event) => event.type)).toEqual(
      expect.arrayContaining(['connection.changed', 'job.changed']),
    );

    // Inactive connections are not checked again: only a re-authorize brings them back.
    expect(await orglink.app.connectionMonitor.checkAll()).toEqual({ checked: 1, lost: 0, unreachable: 0 });
    events.stop();
  });
});
