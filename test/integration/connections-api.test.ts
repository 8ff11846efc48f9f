import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { connectSalesforce, releaseAllOrgs } from './support/connect.ts';
import { apiAs, connectionRow, createTeam, type RunningOrgLink, rows, startOrgLink } from './support/orglink.ts';

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

const salesforce = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'salesforce',
  environment: 'production',
  ...extra,
});

describe('creating a connection', () => {
  it('stores a pending connection and returns a login URL on this server, without any credentials', async () => {
    const team = createTeam(orglink.app);
    const created = await apiAs(orglink.app, team.admin).post('/api/connections', {
      ...salesforce('  Acme Production  '),
      description: 'Our main org',
    });
    expect(created.status).toBe(201);
    expect(created.body.loginUrl).toMatch(new RegExp(`^${orglink.url}/oauth/start/[A-Za-z0-9_-]{32}$`));
    expect(created.body.connection).toMatchObject({
      name: 'Acme Production',
      description: 'Our main org',
      kind: 'salesforce',
      environment: 'production',
      loginHost: null,
      orgId: null,
      status: 'pending',
      createdBy: team.admin.displayName,
      dpaAcceptedBy: null,
      dpaAcceptedAt: null,
    });
    expect(JSON.stringify(created.body)).not.toMatch(/credential|token|secret/i);
    const listed = await apiAs(orglink.app, team.viewer).get('/api/connections');
    expect(listed.body.connections.map((connection: { name: string }) => connection.name)).toEqual(['Acme Production']);
  });

  it('refuses names with "/" or ":" with exactly that message, and duplicate names with 409', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.owner);
    for (const name of ['Acme/Prod', 'Acme:Prod']) {
      const refused = await api.post('/api/connections', salesforce(name));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toEqual({
        code: 'CONNECTION_NAME_INVALID',
        message: 'A connection name must not contain "/" or ":".',
      });
    }
    expect((await api.post('/api/connections', salesforce('Acme'))).status).toBe(201);
    const duplicate = await api.post(
      '/api/connections',
      salesforce('ACME', { kind: 'dynamics', environment: 'public' }),
    );
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('CONNECTION_NAME_TAKEN');
    expect(duplicate.body.error.message).toMatch(/already has a connection named "Acme"/);
    const tooLong = await api.post('/api/connections', salesforce('x'.repeat(81)));
    expect(tooLong.status).toBe(400);
    // Another team may use the same name.
    expect(
      (await apiAs(orglink.app, createTeam(orglink.app).admin).post('/api/connections', salesforce('Acme'))).status,
    ).toBe(201);
    expect(rows(orglink.app, 'select id from connections where team_id = ?', team.owner.teamId)).toHaveLength(1);
  });

  it('validates kind, environment and login host, saying what to enter', async () => {
    const api = apiAs(orglink.app, createTeam(orglink.app).admin);
    const cases: [Record<string, unknown>, number, string, RegExp][] = [
      [salesforce('a', { environment: 'gcc' }), 400, 'CONNECTION_ENVIRONMENT_INVALID', /production, sandbox/],
      [
        { name: 'b', kind: 'dynamics', environment: 'sandbox' },
        400,
        'CONNECTION_ENVIRONMENT_INVALID',
        /public, gcc, gcc-high, dod, china/,
      ],
      [
        { name: 'c', kind: 'dynamics', environment: 'public', loginHost: 'x.my.salesforce.com' },
        400,
        'CONNECTION_LOGIN_HOST_INVALID',
        /Salesforce connections only/,
      ],
      [salesforce('d', { loginHost: 'not a host' }), 400, 'CONNECTION_LOGIN_HOST_INVALID', /not a host name/],
      [
        salesforce('e', { loginHost: 'acme--uat.sandbox.my.salesforce.com' }),
        400,
        'CONNECTION_LOGIN_HOST_INVALID',
        /sandbox My Domain/,
      ],
      [
        salesforce('f', { loginHost: 'initech.my.salesforce.com' }),
        400,
        'CONNECTION_LOGIN_HOST_INVALID',
        /sandbox has no org with the My Domain initech\.my\.salesforce\.com/,
      ],
      [salesforce('g', { kind: 'hubspot' }), 400, 'VALIDATION_FAILED', /kind/],
      [{ kind: 'salesforce', environment: 'production' }, 400, 'VALIDATION_FAILED', /name is required/],
      [salesforce('h', { clientSecret: 'x' }), 400, 'VALIDATION_FAILED', /clientSecret is not a known field/],
    ];
    for (const [body, status, code, message] of cases) {
      const answer = await api.post('/api/connections', body);
      expect([answer.status, answer.body.error.code], JSON.stringify(body)).toEqual([status, code]);
      expect(answer.body.error.message).toMatch(message);
      expect(Object.keys(answer.body)).toEqual(['error']);
    }
    expect((await api.get('/api/connections')).body.connections).toEqual([]);
  });

  it('answers 503 naming the variables to set when no CRM is configured, and 503 when the sandbox is unreachable', async () => {
    const bare = await startOrgLink({});
    const unreachable = await startOrgLink({ SANDBOX_URL: 'http://127.0.0.1:9' });
    try {
      const salesforceAnswer = await apiAs(bare.app, createTeam(bare.app).admin).post(
        '/api/connections',
        salesforce('Acme'),
      );
      expect(salesforceAnswer.status).toBe(503);
      expect(salesforceAnswer.body.error.code).toBe('CRM_NOT_CONFIGURED');
      expect(salesforceAnswer.body.error.message).toMatch(
        /SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET.*SANDBOX_URL/,
      );
      const dynamicsAnswer = await apiAs(bare.app, createTeam(bare.app).admin).post('/api/connections', {
        name: 'Contoso',
        kind: 'dynamics',
        environment: 'public',
      });
      expect(dynamicsAnswer.body.error.message).toMatch(/DYNAMICS_CLIENT_ID and DYNAMICS_CLIENT_SECRET/);
      const down = await apiAs(unreachable.app, createTeam(unreachable.app).admin).post(
        '/api/connections',
        salesforce('Acme'),
      );
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('SANDBOX_UNREACHABLE');
      expect(down.body.error.message).toMatch(/npm run sandbox/);
      expect(rows(bare.app, 'select id from connections')).toEqual([]);
      expect(rows(unreachable.app, 'select id from connections')).toEqual([]);
    } finally {
      await bare.close();
      await unreachable.close();
    }
  });
});

describe('editing and linking', () => {
  it('edits name, description and auto-run, keeping names unique and valid', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const first = (await api.post('/api/connections', salesforce('First'))).body.connection;
    await api.post('/api/connections', salesforce('Second'));
    const edited = await api.patch(`/api/connections/${first.id}`, {
      name: 'Renamed',
      description: 'Nightly checks',
      autoRunDuplicateCheck: true,
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Renamed', description: 'Nightly checks', autoRunDuplicateCheck: true });
    expect((await api.patch(`/api/connections/${first.id}`, { name: 'second' })).body.error.code).toBe(
      'CONNECTION_NAME_TAKEN',
    );
    const slash = await api.patch(`/api/connections/${first.id}`, { name: 'a/b' });
    expect([slash.status, slash.body.error.message]).toEqual([400, 'A connection name must not contain "/" or ":".']);
    expect((await api.patch(`/api/connections/${first.id}`, {})).status).toBe(400);
    expect((await api.patch(`/api/connections/${first.id}`, { status: 'active' })).status).toBe(400);
    expect((await api.get(`/api/connections/${first.id}`)).body.name).toBe('Renamed');
  });

  it("links a sandbox to the team's production connection, which copies its settings", async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const production = (await api.post('/api/connections', salesforce('Prod'))).body.connection;
    await api.patch(`/api/connections/${production.id}`, { autoRunDuplicateCheck: true });
    const uat = (await api.post('/api/connections', salesforce('UAT', { environment: 'sandbox' }))).body.connection;
    const dynamics = (await api.post('/api/connections', { name: 'D', kind: 'dynamics', environment: 'public' })).body
      .connection;
    const linked = await api.patch(`/api/connections/${uat.id}`, { linkedProductionId: production.id });
    expect(linked.body).toMatchObject({ linkedProductionId: production.id, autoRunDuplicateCheck: true });
    // The sandbox may diverge afterwards; a value in the same request as the link wins.
    const diverged = await api.patch(`/api/connections/${uat.id}`, { autoRunDuplicateCheck: false });
    expect(diverged.body).toMatchObject({ linkedProductionId: production.id, autoRunDuplicateCheck: false });
    const unlinked = await api.patch(`/api/connections/${uat.id}`, { linkedProductionId: null });
    expect(unlinked.body.linkedProductionId, JSON.stringify(unlinked.body)).toBeNull();

    const otherTeamProduction = (
      await apiAs(orglink.app, createTeam(orglink.app).admin).post('/api/connections', salesforce('Theirs'))
    ).body.connection;
    const refusals: [string, string, RegExp][] = [
      [production.id, uat.id, /Only a Salesforce sandbox connection/],
      [uat.id, dynamics.id, /not a Salesforce production connection/],
      [uat.id, uat.id, /not a Salesforce production connection/],
      [uat.id, otherTeamProduction.id, /must be a connection of your team/],
    ];
    for (const [from, to, message] of refusals) {
      const refused = await api.patch(`/api/connections/${from}`, { linkedProductionId: to });
      expect([refused.status, refused.body.error.code]).toEqual([400, 'CONNECTION_LINK_INVALID']);
      expect(refused.body.error.message).toMatch(message);
    }
  });
});

describe('roles and teams', () => {
  it('lets viewers read, refuses them every change (403), hides other teams (404) and needs a token (401)', async () => {
    const team = createTeam(orglink.app);
    const others = createTeam(orglink.app);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    const job = await apiAs(orglink.app, team.owner).post('/api/jobs', {
      connectionId: connection.id,
      kind: 'duplicate-check',
      name: 'Nightly contacts',
      config: { object: 'Contact' },
      schedule: '0 2 * * *',
    });
    expect(job.status).toBe(201);
    const id = connection.id;
    const reads = [
      '/api/connections',
      `/api/connections/${id}`,
      `/api/connections/lookup?orgId=${connection.orgId}`,
      '/api/jobs',
      `/api/jobs/${job.body.id}`,
    ];
    const changes: [string, string, unknown?][] = [
      ['POST', '/api/connections', salesforce('New')],
      ['PATCH', `/api/connections/${id}`, { description: 'x' }],
      ['POST', `/api/connections/${id}/pause`],
      ['POST', `/api/connections/${id}/activate`],
      ['POST', `/api/connections/${id}/test`],
      ['POST', `/api/connections/${id}/authorize`],
      ['POST', `/api/connections/${id}/confirm-org-change`],
      [
        'POST',
        '/api/jobs',
        { connectionId: id, kind: 'duplicate-check', name: 'x', config: { object: 'Lead' }, schedule: '0 0 * * *' },
      ],
      ['DELETE', `/api/connections/${id}`],
    ];
    const viewer = apiAs(orglink.app, team.viewer);
    for (const url of reads) expect((await viewer.get(url)).status, url).toBe(200);
    for (const [method, url, body] of changes) {
      const answer = await orglink.app.inject({
        method: method as 'POST',
        url,
        headers: { authorization: `Bearer ${team.viewer.token}` },
        ...(body ? { payload: body as object } : {}),
      });
      expect([answer.statusCode, answer.json().error.code], `${method} ${url}`).toEqual([403, 'FORBIDDEN']);
      const anonymous = await orglink.app.inject({
        method: method as 'POST',
        url,
        ...(body ? { payload: body as object } : {}),
      });
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
    }
    for (const url of reads) expect((await orglink.app.inject({ method: 'GET', url })).statusCode).toBe(401);

    const stranger = apiAs(orglink.app, others.owner);
    for (const url of [`/api/connections/${id}`, `/api/jobs/${job.body.id}`]) {
      expect((await stranger.get(url)).status, url).toBe(404);
    }
    for (const [method, url, body] of changes.filter(([, url]) => url.includes(id))) {
      const answer = await orglink.app.inject({
        method: method as 'POST',
        url,
        headers: { authorization: `Bearer ${others.owner.token}` },
        ...(body ? { payload: body as object } : {}),
      });
      expect(answer.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await stranger.get('/api/connections')).body.connections).toEqual([]);
    expect((await stranger.get('/api/jobs')).body.jobs).toEqual([]);
    expect((await stranger.get(`/api/connections/lookup?orgId=${connection.orgId}`)).body).toEqual({
      connection: null,
    });

    // Nothing the viewer or the other team tried changed anything.
    const after = (await apiAs(orglink.app, team.owner).get(`/api/connections/${id}`)).body;
    expect(after).toEqual(connection);

    // Owners and admins may change things.
    const owner = apiAs(orglink.app, team.owner);
    const admin = apiAs(orglink.app, team.admin);
    expect((await owner.patch(`/api/connections/${id}`, { description: 'owned' })).status).toBe(200);
    expect((await admin.post(`/api/connections/${id}/pause`)).body.status).toBe('paused');
    expect((await owner.post(`/api/connections/${id}/activate`)).body.status).toBe('active');
    expect((await admin.post(`/api/connections/${id}/test`)).body.ok).toBe(true);
    expect((await owner.post(`/api/connections/${id}/authorize`)).body.loginUrl).toMatch(/\/oauth\/start\//);
    expect((await admin.post(`/api/connections/${id}/confirm-org-change`)).status).toBe(409);
    expect((await owner.delete(`/api/connections/${id}`)).status).toBe(204);
  });

  it("finds the team's connection for a CRM page by the Org ID prefix from the sid cookie, never another team's", async () => {
    const team = createTeam(orglink.app);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    const orgId = connection.orgId ?? '';
    const viewer = apiAs(orglink.app, team.viewer);
    for (const query of [orgId, orgId.slice(0, 15), orgId.toLowerCase()]) {
      const found = await viewer.get(`/api/connections/lookup?orgId=${query}`);
      expect(found.body.connection?.id, query).toBe(connection.id);
    }
    // 15-character ids are case-sensitive: a prefix with another case is another org.
    expect(
      (await viewer.get(`/api/connections/lookup?orgId=${orgId.slice(0, 15).toLowerCase()}`)).body.connection,
    ).toBeNull();
    const globex = sandbox.salesforce.org('globex').orgId;
    expect((await viewer.get(`/api/connections/lookup?orgId=${globex}`)).body.connection).toBeNull();
    expect((await viewer.get('/api/connections/lookup?orgId=short')).status).toBe(400);
    expect((await viewer.get('/api/connections/lookup?orgId=00D8a000000MLZ5%27--')).status).toBe(400);
  });
});

describe('jobs', () => {
  it('defines scheduled Duplicate Check jobs on active connections only, with a valid UTC cron schedule', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const pending = (await api.post('/api/connections', salesforce('Pending'))).body.connection;
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    const job = (connectionId: string, extra: Record<string, unknown> = {}) => ({
      connectionId,
      kind: 'duplicate-check',
      name: 'Leads nightly',
      config: { object: 'Lead' },
      schedule: '0 0 * * *',
      ...extra,
    });
    const onPending = await api.post('/api/jobs', job(pending.id));
    expect([onPending.status, onPending.body.error.code]).toEqual([409, 'JOB_CONNECTION_NOT_USABLE']);
    expect(onPending.body.error.message).toMatch(/has not finished signing in/);
    const badCron = await api.post('/api/jobs', job(connection.id, { schedule: '* * * * * *' }));
    expect([badCron.status, badCron.body.error.code]).toEqual([400, 'JOB_SCHEDULE_INVALID']);
    expect((await api.post('/api/jobs', job(connection.id, { config: { object: 'Opportunity' } }))).status).toBe(400);
    expect((await api.post('/api/jobs', job(connection.id, { kind: 'write' }))).status).toBe(400);
    expect((await api.post('/api/jobs', job('no-such-connection'))).status).toBe(404);

    const created = await api.post('/api/jobs', job(connection.id));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      connectionId: connection.id,
      kind: 'duplicate-check',
      name: 'Leads nightly',
      schedule: '0 0 * * *',
      state: 'active',
      stateReason: null,
      config: { object: 'Lead' },
    });
    expect(
      (await api.get(`/api/jobs?connection=${connection.id}`)).body.jobs.map((entry: { id: string }) => entry.id),
    ).toEqual([created.body.id]);
    expect((await api.get(`/api/jobs?connection=${pending.id}`)).body.jobs).toEqual([]);
    expect((await api.get(`/api/jobs/${created.body.id}`)).body).toEqual(created.body);
    expect((await api.get('/api/jobs/nope')).status).toBe(404);

    await api.post(`/api/connections/${connection.id}/pause`);
    const onPaused = await api.post('/api/jobs', job(connection.id));
    expect(onPaused.status).toBe(409);
    expect(onPaused.body.error.message).toMatch(/is paused. Activate it first/);
    expect(rows(orglink.app, 'select id from jobs where team_id = ?', team.admin.teamId)).toHaveLength(1);
  });
});

describe('deleting', () => {
  it('keeps the row for history, frees the name, disables the jobs and refuses further changes', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    const job = await api.post('/api/jobs', {
      connectionId: connection.id,
      kind: 'duplicate-check',
      name: 'Accounts',
      config: { object: 'Account' },
      schedule: '15 3 * * 1',
    });
    expect((await api.delete(`/api/connections/${connection.id}`)).status).toBe(204);
    expect((await api.get('/api/connections')).body.connections).toEqual([]);
    const history = (await api.get('/api/connections?includeDeleted=true')).body.connections;
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ id: connection.id, name: 'Acme' });
    expect(history[0].deletedAt).toEqual(expect.any(String));
    expect((await api.get(`/api/connections/${connection.id}`)).body.deletedAt).toEqual(expect.any(String));
    expect((await api.get(`/api/jobs/${job.body.id}`)).body).toMatchObject({
      state: 'disabled',
      stateReason: 'Disabled: the connection "Acme" was deleted.',
    });
    for (const action of ['pause', 'activate', 'test', 'authorize']) {
      const answer = await api.post(`/api/connections/${connection.id}/${action}`);
      expect([answer.status, answer.body.error.code], action).toEqual([409, 'CONNECTION_DELETED']);
    }
    expect((await api.delete(`/api/connections/${connection.id}`)).status).toBe(409);
    const jobOnDeleted = await api.post('/api/jobs', {
      connectionId: connection.id,
      kind: 'duplicate-check',
      name: 'Late',
      config: { object: 'Lead' },
      schedule: '0 0 * * *',
    });
    expect([jobOnDeleted.status, jobOnDeleted.body.error.message]).toEqual([
      409,
      'The connection "Acme" was deleted. Choose a live connection.',
    ]);
    const row = connectionRow(orglink.app, connection.id);
    expect(row?.credentials).toBeNull();
    // The name and the org are free again.
    const again = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    expect(again.connection.status).toBe('active');
  });
});
