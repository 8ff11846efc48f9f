import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SecretBox } from '../../server/src/plugins/secrets.ts';
import { to18 } from '../sim/salesforce/model/ids.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { Browser, pageText } from './support/browser.ts';
import { connectSalesforce, reauthorizeSalesforce, releaseAllOrgs } from './support/connect.ts';
import {
  apiAs,
  connectionRow,
  createTeam,
  type Member,
  type RunningOrgLink,
  recordEvents,
  startOrgLink,
} from './support/orglink.ts';
import { decideDpa, salesforceUser, signInToSalesforce } from './support/sign-in.ts';

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

async function scheduleJob(member: Member, connectionId: string, name = 'Nightly contacts') {
  const created = await apiAs(orglink.app, member).post('/api/jobs', {
    connectionId,
    kind: 'duplicate-check',
    name,
    config: { object: 'Contact' },
    schedule: '0 0 * * *',
  });
  expect(created.status).toBe(201);
  return created.body as { id: string };
}

describe('pause and activate', () => {
  it('pauses an active connection (jobs stay) and activates it again; a pending one can do neither', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    const job = await scheduleJob(team.admin, connection.id);
    const recorder = recordEvents(orglink.app, team.admin.teamId);
    const paused = await api.post(`/api/connections/${connection.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused', statusReason: null });
    expect((await api.post(`/api/connections/${connection.id}/pause`)).body.status).toBe('paused');
    expect((await api.get(`/api/jobs/${job.id}`)).body.state).toBe('active');
    expect((await api.post(`/api/connections/${connection.id}/activate`)).body.status).toBe('active');
    recorder.stop();
    expect(recorder.events.map((event) => event.type === 'connection.changed' && event.connection.status)).toEqual([
      'paused',
      'active',
    ]);

    const pending = (await api.post('/api/connections', { name: 'Later', kind: 'salesforce', environment: 'sandbox' }))
      .body.connection;
    for (const action of ['pause', 'activate', 'test']) {
      const refused = await api.post(`/api/connections/${pending.id}/${action}`);
      expect(refused.status, action).toBe(409);
      expect(refused.body.error.message).toMatch(/has not finished signing in/);
    }
  });
});

describe('connection inactive', () => {
  it('marks the connection inactive when Salesforce revoked the tokens, holds its jobs, and re-authorize brings both back', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    const job = await scheduleJob(team.admin, connection.id);
    const recorder = recordEvents(orglink.app, team.admin.teamId);

    sandbox.salesforce.org('acme').revokeAllTokens();
    const tested = await api.post(`/api/connections/${connection.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.message).toMatch(
      /Salesforce refused the stored tokens \(expired access\/refresh token\)\. The connection is now inactive/,
    );
    expect(tested.body.connection).toMatchObject({ status: 'inactive', orgId: connection.orgId });
    expect(tested.body.connection.statusReason).toMatch(/expired access\/refresh token.*Re-authorize/);
    expect(connectionRow(orglink.app, connection.id)?.credentials).toBeNull();
    const held = (await api.get(`/api/jobs/${job.id}`)).body;
    expect(held.state).toBe('holding');
    expect(held.stateReason).toMatch(/^Holding: the connection "Acme" is inactive \(expired access\/refresh token\)/);
    expect(recorder.events.map((event) => event.type)).toEqual(['connection.changed', 'job.changed']);
    expect(recorder.events[0]).toMatchObject({ connection: { id: connection.id, status: 'inactive' } });
    expect(recorder.events[1]).toMatchObject({ job: { id: job.id, state: 'holding' } });

    // Inactive needs new tokens: Activate and Test say so, and no job can be defined.
    const activate = await api.post(`/api/connections/${connection.id}/activate`);
    expect([activate.status, activate.body.error.code]).toEqual([409, 'CONNECTION_NOT_AUTHORIZED']);
    expect(activate.body.error.message).toMatch(/Re-authorize it/);
    expect((await api.post(`/api/connections/${connection.id}/test`)).status).toBe(409);
    expect(
      (
        await api.post('/api/jobs', {
          connectionId: connection.id,
          kind: 'duplicate-check',
          name: 'x',
          config: { object: 'Lead' },
          schedule: '0 0 * * *',
        })
      ).body.error.message,
    ).toMatch(/is inactive/);
    expect(recorder.events).toHaveLength(2);

    const { connection: back, finalPage } = await reauthorizeSalesforce(
      orglink.app,
      sandbox,
      team.admin,
      connection.id,
      'acme',
    );
    expect(pageText(finalPage)).toContain('Connected to Acme Corporation');
    expect(back).toMatchObject({ status: 'active', statusReason: null, orgId: connection.orgId });
    expect((await api.get(`/api/jobs/${job.id}`)).body).toMatchObject({ state: 'active', stateReason: null });
    recorder.stop();
    expect(recorder.events.slice(2)).toEqual([
      expect.objectContaining({
        type: 'connection.changed',
        connection: expect.objectContaining({ status: 'active' }),
      }),
      expect.objectContaining({ type: 'job.changed', job: expect.objectContaining({ state: 'active' }) }),
    ]);
    expect((await api.post(`/api/connections/${connection.id}/test`)).body.ok).toBe(true);
  });

  it('lets a new connection to the same org replace an inactive one and re-activate the jobs it held', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const old = (await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Globex', org: 'globex' }))
      .connection;
    const job = await scheduleJob(team.admin, old.id);
    sandbox.salesforce.org('globex').revokeAllTokens();
    expect((await api.post(`/api/connections/${old.id}/test`)).body.connection.status).toBe('inactive');
    expect((await api.get(`/api/jobs/${job.id}`)).body.state).toBe('holding');

    const fresh = (await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Globex again', org: 'globex' }))
      .connection;
    expect(fresh.status).toBe('active');
    expect((await api.get(`/api/jobs/${job.id}`)).body).toMatchObject({
      connectionId: fresh.id,
      state: 'active',
      stateReason: null,
    });
    expect((await api.get(`/api/connections/${old.id}`)).body.deletedAt).toEqual(expect.any(String));
  });

  it('treats tokens sealed under another encryption key as lost: 409 and inactive, never a 500', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Globex', org: 'globex' });
    const otherKey = new SecretBox(randomBytes(32));
    orglink.app.db.$client
      .prepare('update connections set credentials = ? where id = ?')
      .run(otherKey.sealJson({ kind: 'salesforce' }, connection.id), connection.id);
    orglink.app.connectionClients.forget(connection.id);
    const tested = await api.post(`/api/connections/${connection.id}/test`);
    expect([tested.status, tested.body.error.code]).toEqual([409, 'CONNECTION_NOT_AUTHORIZED']);
    expect(tested.body.error.message).toMatch(/cannot be decrypted .* re-authorize it/);
    const after = (await api.get(`/api/connections/${connection.id}`)).body;
    expect(after.status).toBe('inactive');
    expect(after.statusReason).toMatch(/cannot be decrypted/);
    expect(
      (await reauthorizeSalesforce(orglink.app, sandbox, team.admin, connection.id, 'globex')).connection.status,
    ).toBe('active');
  });

  it('deletes a connection: event, jobs disabled, history kept, tokens revoked at Salesforce', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.owner);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    const job = await scheduleJob(team.admin, connection.id);
    const sealed = String(connectionRow(orglink.app, connection.id)?.credentials);
    const { refreshToken } = orglink.app.secrets.openJson<{ refreshToken: string }>(sealed, connection.id);
    const refresh = async () => {
      const app = sandbox.salesforce.describe().connectedApps.find((entry) => entry.name === 'OrgLink');
      return fetch(`${sandbox.salesforce.describe().loginUrls.production}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
          client_id: app?.clientId ?? '',
          client_secret: app?.clientSecret ?? '',
        }),
      });
    };
    expect((await refresh()).status).toBe(200);
    const recorder = recordEvents(orglink.app, team.admin.teamId);
    expect((await api.delete(`/api/connections/${connection.id}`)).status).toBe(204);
    recorder.stop();
    expect(recorder.events).toEqual([
      { type: 'connection.deleted', connectionId: connection.id },
      expect.objectContaining({ type: 'job.changed', job: expect.objectContaining({ id: job.id, state: 'disabled' }) }),
    ]);
    const revoked = await refresh();
    expect(revoked.status).toBe(400);
    expect(await revoked.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('refreshed sandbox', () => {
  it('keeps a sandbox whose Org ID changed inactive until an admin confirms, then re-points it and resumes its jobs', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, {
      name: 'UAT',
      org: 'acme--uat',
      environment: 'sandbox',
    });
    const job = await scheduleJob(team.admin, connection.id);
    const uat = sandbox.salesforce.org('acme--uat');
    const previousOrgId = uat.orgId;
    // A sandbox refresh: the org is recreated from production with a new Org ID, and every session ends. The
    // simulator has no refresh control, so its in-process org gets a new id (same pod, another serial number).
    const refreshedOrgId = to18(`${previousOrgId.slice(0, 9)}R3FR5H`);
    (uat.org as { orgId: string }).orgId = refreshedOrgId;
    uat.revokeAllTokens();
    try {
      expect((await api.post(`/api/connections/${connection.id}/test`)).body.connection.status).toBe('inactive');
      expect((await api.get(`/api/jobs/${job.id}`)).body.state).toBe('holding');

      const authorize = await api.post(`/api/connections/${connection.id}/authorize`);
      const browser = new Browser();
      const dpa = await signInToSalesforce(browser, authorize.body.loginUrl, salesforceUser(sandbox, 'acme--uat'));
      expect(pageText(dpa)).toContain(`Org ID changed from ${previousOrgId} to ${refreshedOrgId}`);
      const done = await decideDpa(browser, dpa, 'accept');
      expect(pageText(done)).toContain('Sandbox refreshed: Org ID changed');
      expect(pageText(done)).toContain('until an admin confirms');

      const waiting = (await api.get(`/api/connections/${connection.id}`)).body;
      expect(waiting).toMatchObject({
        status: 'inactive',
        statusReason: 'sandbox refreshed: Org ID changed',
        orgId: previousOrgId,
        pendingOrgId: refreshedOrgId,
        dpaAcceptedBy: team.admin.displayName,
      });
      expect((await api.get(`/api/jobs/${job.id}`)).body.state).toBe('holding');
      for (const action of ['activate', 'test']) {
        const refused = await api.post(`/api/connections/${connection.id}/${action}`);
        expect(refused.status, action).toBe(409);
        expect(refused.body.error.message).toMatch(/Confirm the org change first/);
      }
      // The badge on the refreshed sandbox's pages finds the connection and its state.
      const lookup = await apiAs(orglink.app, team.viewer).get(
        `/api/connections/lookup?orgId=${refreshedOrgId.slice(0, 15)}`,
      );
      expect(lookup.body.connection).toMatchObject({ id: connection.id, status: 'inactive' });
      expect(
        (await apiAs(orglink.app, team.viewer).post(`/api/connections/${connection.id}/confirm-org-change`)).status,
      ).toBe(403);

      const confirmed = await api.post(`/api/connections/${connection.id}/confirm-org-change`);
      expect(confirmed.status).toBe(200);
      expect(confirmed.body).toMatchObject({ status: 'active', statusReason: null, orgId: refreshedOrgId });
      expect(confirmed.body.pendingOrgId).toBeUndefined();
      expect((await api.get(`/api/jobs/${job.id}`)).body).toMatchObject({ state: 'active', stateReason: null });
      expect((await api.post(`/api/connections/${connection.id}/test`)).body).toMatchObject({ ok: true });
      expect((await api.post(`/api/connections/${connection.id}/confirm-org-change`)).status).toBe(409);
    } finally {
      (uat.org as { orgId: string }).orgId = previousOrgId;
    }
  });
});
