import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { Browser, pageText } from './support/browser.ts';
import { connectDynamics, releaseAllOrgs } from './support/connect.ts';
import {
  apiAs,
  connectionRow,
  createTeam,
  type RunningOrgLink,
  recordEvents,
  startOrgLink,
} from './support/orglink.ts';
import { decideDpa, signInToMicrosoft } from './support/sign-in.ts';

let sandbox: Sandbox;
let orglink: RunningOrgLink;

beforeAll(async () => {
  sandbox = await startSandbox();
  orglink = await startOrgLink({ SANDBOX_URL: sandbox.url });
});
afterEach(() => {
  sandbox.dynamics.control.reset();
  releaseAllOrgs(orglink.app);
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

const ADMIN = 'admin@contoso.onmicrosoft.com';
const environment = (name: string) => sandbox.dynamics.environment(name);

describe('Dynamics 365 sign-in (msal-node, Global Discovery, environment choice, DPA)', () => {
  it('lists the environments the user can reach, connects the chosen one and reads its OrganizationId with WhoAmI', async () => {
    const team = createTeam(orglink.app);
    const dev = environment('contoso-dev');
    const { connection, environmentsPage, browser, finalPage } = await connectDynamics(orglink.app, team.admin, {
      name: 'Contoso Dev',
      organizationId: dev.organizationId,
    });
    // msal sent the browser to the public cloud's Entra with PKCE, asking for Global Discovery first.
    const authorize = new URL(browser.visited[1] ?? '');
    expect(authorize.pathname).toBe(`/${dev.tenantId}/oauth2/v2.0/authorize`);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('scope')).toContain('https://globaldisco.crm.dynamics.com/user_impersonation');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${orglink.url}/oauth/dynamics/callback`);
    expect(pageText(environmentsPage)).toContain('Choose the Dynamics 365 environment');
    expect(pageText(environmentsPage)).toContain(`Signed in as ${ADMIN} (Public Cloud (Default))`);
    expect(pageText(environmentsPage)).toMatch(/Contoso .*Contoso \(Dev\)/);
    expect(pageText(finalPage)).toContain(
      `Connected to Contoso (Dev) (${dev.organizationId}). You can close this window.`,
    );
    expect(connection).toMatchObject({
      kind: 'dynamics',
      environment: 'public',
      status: 'active',
      orgId: dev.organizationId,
      orgName: 'Contoso (Dev)',
      instanceUrl: sandbox.dynamics.origins.httpUrl(dev.key),
      dpaAcceptedBy: team.admin.displayName,
    });
    const api = apiAs(orglink.app, team.admin);
    const tested = await api.post(`/api/connections/${connection.id}/test`);
    expect(tested.body).toMatchObject({ ok: true, message: expect.stringContaining('Dynamics 365 answered') });
    expect(sandbox.dynamics.control.counters().whoami).toBe(2);
    const lookup = await apiAs(orglink.app, team.viewer).get(
      `/api/connections/lookup?orgId=${dev.organizationId.toUpperCase()}`,
    );
    expect(lookup.body.connection?.id).toBe(connection.id);
  });

  it('signs in through the cloud the admin chose (GCC High: login.microsoftonline.us and its own discovery)', async () => {
    const team = createTeam(orglink.app);
    const high = environment('contosohigh');
    const { connection, environmentsPage, browser } = await connectDynamics(orglink.app, team.admin, {
      name: 'Federal',
      cloud: 'gcc-high',
      user: 'admin@contosohigh.onmicrosoft.us',
    });
    expect(browser.visited[1]).toContain(sandbox.dynamics.origins.httpUrl('entra:usgov'));
    expect(new URL(browser.visited[1] ?? '').searchParams.get('scope')).toContain(
      'https://globaldisco.crm.microsoftdynamics.us/user_impersonation',
    );
    expect(pageText(environmentsPage)).toContain('(GCC High)');
    expect(connection).toMatchObject({ environment: 'gcc-high', status: 'active', orgId: high.organizationId });
  });

  it('shows only the environments a user is a member of', async () => {
    const team = createTeam(orglink.app);
    const created = await apiAs(orglink.app, team.admin).post('/api/connections', {
      name: 'Sales',
      kind: 'dynamics',
      environment: 'public',
    });
    const page = await signInToMicrosoft(new Browser(), created.body.loginUrl, 'sales@contoso.onmicrosoft.com');
    expect(pageText(page)).toContain('Contoso');
    expect(pageText(page)).not.toContain('Contoso (Dev)');
  });

  it('stores nothing when the admin cancels at Microsoft or posts an environment that was not offered', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const created = (await api.post('/api/connections', { name: 'Contoso', kind: 'dynamics', environment: 'public' }))
      .body;
    const browser = new Browser();
    const signIn = await browser.open(created.loginUrl);
    const cancelled = await browser.submit(browser.form(signIn, 'loginfmt'), {}, 'cancel');
    expect(cancelled.status).toBe(403);
    expect(pageText(cancelled)).toContain('Access was not allowed');
    // A first sign-in that ends without tokens leaves nothing: not even the new connection.
    expect(connectionRow(orglink.app, created.connection.id)).toBeUndefined();

    const retry = (await api.post('/api/connections', { name: 'Contoso', kind: 'dynamics', environment: 'public' }))
      .body;
    const chooser = new Browser();
    const environments = await signInToMicrosoft(chooser, retry.loginUrl, ADMIN);
    const form = chooser.form(environments, 'environment');
    const tampered = await chooser.submit(form, { environment: '00000000-0000-0000-0000-000000000000' });
    expect(tampered.status).toBe(400);
    expect(pageText(tampered)).toContain('Choose one of the listed environments.');
    const stale = await chooser.submit(form, {});
    expect(stale.status).toBe(409);
    const dpa = await chooser.submit(chooser.form(tampered, 'environment'), {
      environment: environment('contoso').organizationId,
    });
    expect(pageText(dpa)).toContain('Data Processing Agreement');
    expect(connectionRow(orglink.app, retry.connection.id)?.credentials).toBeNull();
    const done = await decideDpa(chooser, dpa, 'accept');
    expect(done.status).toBe(200);
    expect((await api.get(`/api/connections/${retry.connection.id}`)).body.orgId).toBe(
      environment('contoso').organizationId,
    );
  });

  it('goes inactive when Entra revokes the refresh token, holds the jobs, and re-authorize resumes them', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const { connection } = await connectDynamics(orglink.app, team.admin, { name: 'Contoso' });
    const job = (
      await api.post('/api/jobs', {
        connectionId: connection.id,
        kind: 'duplicate-check',
        name: 'Leads',
        config: { object: 'Lead' },
        schedule: '30 4 * * *',
      })
    ).body;
    const recorder = recordEvents(orglink.app, team.admin.teamId);
    sandbox.dynamics.control.revokeRefreshTokens({ user: ADMIN });
    sandbox.dynamics.control.unauthorizedOnce('contoso');
    const tested = await api.post(`/api/connections/${connection.id}/test`);
    expect(tested.body.ok).toBe(false);
    expect(tested.body.message).toMatch(/Dynamics 365 refused the stored tokens \(invalid_grant: AADSTS50173/);
    expect(tested.body.connection.status).toBe('inactive');
    expect((await api.get(`/api/jobs/${job.id}`)).body.state).toBe('holding');
    expect(recorder.events.map((event) => event.type)).toEqual(['connection.changed', 'job.changed']);

    const authorize = await api.post(`/api/connections/${connection.id}/authorize`);
    const browser = new Browser();
    const environments = await signInToMicrosoft(browser, authorize.body.loginUrl, ADMIN);
    const dpa = await browser.submit(browser.form(environments, 'environment'), {
      environment: environment('contoso').organizationId,
    });
    await decideDpa(browser, dpa, 'accept');
    recorder.stop();
    expect((await api.get(`/api/connections/${connection.id}`)).body.status).toBe('active');
    expect((await api.get(`/api/jobs/${job.id}`)).body.state).toBe('active');
    expect((await api.post(`/api/connections/${connection.id}/test`)).body.ok).toBe(true);
  });

  it('refuses re-authorizing a Dynamics connection into another environment', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const { connection } = await connectDynamics(orglink.app, team.admin, { name: 'Contoso' });
    const authorize = await api.post(`/api/connections/${connection.id}/authorize`);
    const browser = new Browser();
    const environments = await signInToMicrosoft(browser, authorize.body.loginUrl, ADMIN);
    const refused = await browser.submit(browser.form(environments, 'environment'), {
      environment: environment('contoso-dev').organizationId,
    });
    expect(refused.status).toBe(409);
    expect(pageText(refused)).toContain('You signed in to a different org');
    expect((await api.get(`/api/connections/${connection.id}`)).body).toEqual(connection);
  });

  it('keeps the msal token cache only encrypted: no refresh token in the SQLite file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orglink-msal-'));
    const databasePath = path.join(dir, 'orglink.db');
    const onDisk = await startOrgLink({ SANDBOX_URL: sandbox.url, DATABASE_PATH: databasePath });
    try {
      const team = createTeam(onDisk.app);
      const { connection } = await connectDynamics(onDisk.app, team.admin, { name: 'Contoso' });
      const sealed = String(connectionRow(onDisk.app, connection.id)?.credentials);
      const { msalCache } = onDisk.app.secrets.openJson<{ msalCache: string }>(sealed, connection.id);
      const cache = JSON.parse(msalCache) as Record<string, Record<string, { secret: string }>>;
      const secrets = [...Object.values(cache.RefreshToken ?? {}), ...Object.values(cache.AccessToken ?? {})].map(
        (entry) => entry.secret,
      );
      expect(secrets.length).toBeGreaterThanOrEqual(2);
      const bytes = Buffer.concat([databasePath, `${databasePath}-wal`].map((file) => readFileSync(file)));
      for (const secret of secrets) expect(bytes.includes(secret.slice(0, 40))).toBe(false);
      expect(bytes.includes(connection.orgId ?? 'missing')).toBe(true);
    } finally {
      releaseAllOrgs(onDisk.app);
      await onDisk.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
