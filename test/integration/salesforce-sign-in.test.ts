import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { Browser, pageText } from './support/browser.ts';
import { connectSalesforce, releaseAllOrgs } from './support/connect.ts';
import {
  apiAs,
  connectionRow,
  createTeam,
  type OrgLinkApp,
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
afterEach(() => {
  vi.restoreAllMocks();
  releaseAllOrgs(orglink.app);
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

const sfIndex = () => sandbox.salesforce.describe();
const orgEntry = (name: string) => {
  const entry = sfIndex().orgs.find((org) => org.name === name);
  if (!entry) throw new Error(`no org ${name}`);
  return entry;
};

/** Decrypts what OrgLink stored for a connection, as only the server itself can. */
function storedCredentials(app: OrgLinkApp, id: string): Record<string, string> {
  const sealed = connectionRow(app, id)?.credentials;
  if (typeof sealed !== 'string') throw new Error('no credentials stored');
  return app.secrets.openJson<Record<string, string>>(sealed, id);
}

async function createPending(app: OrgLinkApp, member: Parameters<typeof apiAs>[1], body: Record<string, unknown>) {
  const created = await apiAs(app, member).post('/api/connections', body);
  expect(created.status).toBe(201);
  return created.body as { connection: { id: string }; loginUrl: string };
}

describe('Salesforce sign-in (web-server flow with PKCE) and the DPA', () => {
  it('connects a production org through login.salesforce.com: nothing stored before Accept, then tokens, Org ID and DPA', async () => {
    const team = createTeam(orglink.app);
    const recorder = recordEvents(orglink.app, team.admin.teamId);
    const { connection, loginUrl } = await createPending(orglink.app, team.admin, {
      name: 'Acme',
      kind: 'salesforce',
      environment: 'production',
    });
    const browser = new Browser();
    const dpa = await signInToSalesforce(browser, loginUrl, salesforceUser(sandbox, 'acme'));
    // The browser went from OrgLink to the production login host, signed in, allowed access and came back.
    expect(browser.visited[1]).toMatch(new RegExp(`^${sfIndex().loginUrls.production}/services/oauth2/authorize\\?`));
    const authorize = new URL(browser.visited[1] ?? '');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${orglink.url}/oauth/salesforce/callback`);
    expect(authorize.searchParams.get('scope')).toBe('api refresh_token id');
    expect(dpa.status).toBe(200);
    expect(pageText(dpa)).toContain('Data Processing Agreement');
    expect(pageText(dpa)).toContain(`Org Acme Corporation Org ID ${orgEntry('acme').orgId}`);
    expect(connectionRow(orglink.app, connection.id)).toMatchObject({
      status: 'pending',
      credentials: null,
      external_org_id: null,
      dpa_accepted_at: null,
    });

    const done = await decideDpa(browser, dpa, 'accept');
    expect(done.status).toBe(200);
    expect(pageText(done)).toContain(
      `Connected to Acme Corporation (${orgEntry('acme').orgId}). You can close this window.`,
    );
    const stored = (await apiAs(orglink.app, team.viewer).get(`/api/connections/${connection.id}`)).body;
    expect(stored).toMatchObject({
      status: 'active',
      statusReason: null,
      orgId: orgEntry('acme').orgId,
      orgName: 'Acme Corporation',
      instanceUrl: orgEntry('acme').instanceUrl,
      createdBy: team.admin.displayName,
      dpaAcceptedBy: team.admin.displayName,
    });
    expect(Date.now() - Date.parse(stored.dpaAcceptedAt)).toBeLessThan(10_000);
    expect(storedCredentials(orglink.app, connection.id)).toMatchObject({
      kind: 'salesforce',
      orgId: orgEntry('acme').orgId,
      username: salesforceUser(sandbox, 'acme').username,
    });
    recorder.stop();
    expect(recorder.events.map((event) => event.type)).toEqual(['connection.changed', 'connection.changed']);
    expect(recorder.events.at(-1)).toMatchObject({ connection: { id: connection.id, status: 'active' } });
    const tested = await apiAs(orglink.app, team.admin).post(`/api/connections/${connection.id}/test`);
    expect(tested.body).toMatchObject({ ok: true, connection: { status: 'active' } });
    expect(tested.body.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('connects a sandbox through test.salesforce.com and a production org through its My Domain', async () => {
    const team = createTeam(orglink.app);
    const uat = await connectSalesforce(orglink.app, sandbox, team.admin, {
      name: 'UAT',
      org: 'acme--uat',
      environment: 'sandbox',
    });
    expect(uat.browser.visited[1]).toMatch(new RegExp(`^${sfIndex().loginUrls.sandbox}/services/oauth2/authorize`));
    expect(uat.connection).toMatchObject({
      status: 'active',
      environment: 'sandbox',
      orgId: orgEntry('acme--uat').orgId,
    });

    const myDomain = await connectSalesforce(orglink.app, sandbox, team.admin, {
      name: 'Globex',
      org: 'globex',
      loginHost: 'https://Globex.my.salesforce.com/',
    });
    // The admin typed the real My Domain; in the sandbox it is the org's own loopback origin.
    expect(myDomain.browser.visited[1]).toMatch(
      new RegExp(`^${orgEntry('globex').loginUrls.myDomain}/services/oauth2/authorize`),
    );
    expect(myDomain.connection).toMatchObject({
      status: 'active',
      loginHost: 'globex.my.salesforce.com',
      orgId: orgEntry('globex').orgId,
      orgName: 'Globex Inc.',
    });
    expect((await apiAs(orglink.app, team.admin).post(`/api/connections/${myDomain.connection.id}/test`)).body.ok).toBe(
      true,
    );
  });

  it('stores nothing when the DPA is declined: the new connection is not created and its name is free', async () => {
    const team = createTeam(orglink.app);
    const { connection, loginUrl } = await createPending(orglink.app, team.admin, {
      name: 'Acme',
      kind: 'salesforce',
      environment: 'production',
    });
    const revocationsBefore = sandbox.salesforce.counters().total['oauth-revoke'] ?? 0;
    const browser = new Browser();
    const dpa = await signInToSalesforce(browser, loginUrl, salesforceUser(sandbox, 'acme'));
    const declined = await decideDpa(browser, dpa, 'decline');
    expect(declined.status).toBe(200);
    expect(pageText(declined)).toContain('Nothing was stored');
    expect(pageText(declined)).toContain('The new connection "Acme" was not created');
    expect(connectionRow(orglink.app, connection.id)).toBeUndefined();
    // The tokens Salesforce issued were revoked, not just forgotten.
    expect(sandbox.salesforce.counters().total['oauth-revoke']).toBe(revocationsBefore + 1);
    // Posting the same form again (Back, then Accept) finds the sign-in used.
    const replay = await browser.submit(browser.form(dpa, '/oauth/consent'), { decision: 'accept' });
    expect(replay.status).toBe(409);
    expect(pageText(replay)).toContain('This sign-in was already used');
    expect(connectionRow(orglink.app, connection.id)).toBeUndefined();
    const again = await apiAs(orglink.app, team.admin).post('/api/connections', {
      name: 'Acme',
      kind: 'salesforce',
      environment: 'production',
    });
    expect(again.status).toBe(201);
  });

  it('shows a clear page and stores nothing when the admin denies access at Salesforce', async () => {
    const team = createTeam(orglink.app);
    const { connection, loginUrl } = await createPending(orglink.app, team.admin, {
      name: 'Acme',
      kind: 'salesforce',
      environment: 'production',
    });
    const page = await signInToSalesforce(new Browser(), loginUrl, salesforceUser(sandbox, 'acme'), 'oadeny');
    expect(page.status).toBe(403);
    expect(pageText(page)).toContain('Access was not allowed');
    expect(pageText(page)).toContain('nothing was stored');
    expect(pageText(page)).toMatch(/What to do: .*choose Allow/);
    expect(pageText(page)).toContain('the new connection was not created');
    expect(connectionRow(orglink.app, connection.id)).toBeUndefined();
  });

  it('refuses a wrong, missing, replayed or expired state with a page that says what to do', async () => {
    const team = createTeam(orglink.app);
    const wrong = await new Browser().open(
      `${orglink.url}/oauth/salesforce/callback?code=abc&state=forged-state-value`,
    );
    expect(wrong.status).toBe(400);
    expect(pageText(wrong)).toContain('This sign-in link is not valid');
    expect(pageText(wrong)).toContain('What to do: Start again in OrgLink');
    expect(wrong.html).not.toContain('<script');
    expect((await new Browser().open(`${orglink.url}/oauth/salesforce/callback?code=abc`)).status).toBe(400);
    expect((await new Browser().open(`${orglink.url}/oauth/start/unknown-flow`)).status).toBe(400);

    // Replayed: the callback URL of a finished sign-in, opened again.
    const { connection, browser } = await connectSalesforce(orglink.app, sandbox, team.admin, {
      name: 'Acme',
      org: 'acme',
    });
    const callback = browser.visited.find((url) => url.startsWith(`${orglink.url}/oauth/salesforce/callback?`));
    expect(callback).toBeDefined();
    const replayed = await new Browser().open(callback ?? '');
    expect(replayed.status).toBe(409);
    expect(pageText(replayed)).toContain('This sign-in was already used');
    const dynamicsCallback = await new Browser().open((callback ?? '').replace('/salesforce/', '/dynamics/'));
    expect(dynamicsCallback.status).toBe(400);

    // Expired: the browser comes back more than ten minutes after the sign-in started.
    const authorize = await apiAs(orglink.app, team.admin).post(`/api/connections/${connection.id}/authorize`);
    expect(Date.parse(authorize.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    const slow = new Browser();
    const atSalesforce = await slow.open(authorize.body.loginUrl, (url) => url.includes('/services/oauth2/authorize'));
    const state = new URL(atSalesforce.url).searchParams.get('state');
    expect(state).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 11 * 60_000);
    const expired = await slow.open(`${orglink.url}/oauth/salesforce/callback?code=late&state=${state}`);
    vi.restoreAllMocks();
    expect(expired.status).toBe(410);
    expect(pageText(expired)).toContain('This sign-in expired');
    expect(pageText(expired)).toContain('within 10 minutes');
    expect(connectionRow(orglink.app, connection.id)).toMatchObject({ status: 'active' });
  });

  it('refuses (409) an org another team already connected, storing nothing and revoking the new tokens', async () => {
    const first = createTeam(orglink.app);
    const second = createTeam(orglink.app);
    await connectSalesforce(orglink.app, sandbox, first.admin, { name: 'Acme', org: 'acme' });
    const { connection, loginUrl } = await createPending(orglink.app, second.admin, {
      name: 'Also Acme',
      kind: 'salesforce',
      environment: 'production',
    });
    const revocationsBefore = sandbox.salesforce.counters().total['oauth-revoke'] ?? 0;
    const page = await signInToSalesforce(new Browser(), loginUrl, salesforceUser(sandbox, 'acme'));
    expect(page.status).toBe(409);
    expect(pageText(page)).toContain('This org is connected to another team');
    expect(pageText(page)).toContain(
      `Acme Corporation (${orgEntry('acme').orgId}) is already connected to another OrgLink team`,
    );
    expect(pageText(page)).not.toContain('Data Processing Agreement');
    expect(connectionRow(orglink.app, connection.id)).toBeUndefined();
    expect(sandbox.salesforce.counters().total['oauth-revoke']).toBe(revocationsBefore + 1);
  });

  it('refuses a production connection re-authorized into a different org', async () => {
    const team = createTeam(orglink.app);
    const { connection } = await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
    const authorize = await apiAs(orglink.app, team.admin).post(`/api/connections/${connection.id}/authorize`);
    const page = await signInToSalesforce(new Browser(), authorize.body.loginUrl, salesforceUser(sandbox, 'globex'));
    expect(page.status).toBe(409);
    expect(pageText(page)).toContain('You signed in to a different org');
    expect(pageText(page)).toContain(`"Acme" is connected to Acme Corporation (${orgEntry('acme').orgId})`);
    const after = (await apiAs(orglink.app, team.admin).get(`/api/connections/${connection.id}`)).body;
    expect(after).toEqual(connection);
  });

  it('lets a new connection to the same org take over the old one: settings, jobs and sandbox links; the old one is deleted', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const old = (await connectSalesforce(orglink.app, sandbox, team.admin, { name: 'Acme old', org: 'acme' }))
      .connection;
    await api.patch(`/api/connections/${old.id}`, { autoRunDuplicateCheck: true });
    const uat = (await api.post('/api/connections', { name: 'UAT', kind: 'salesforce', environment: 'sandbox' })).body
      .connection;
    await api.patch(`/api/connections/${uat.id}`, { linkedProductionId: old.id });
    const job = (
      await api.post('/api/jobs', {
        connectionId: old.id,
        kind: 'duplicate-check',
        name: 'Contacts',
        config: { object: 'Contact' },
        schedule: '0 1 * * *',
      })
    ).body;
    const recorder = recordEvents(orglink.app, team.admin.teamId);
    const { connection, loginUrl } = await createPending(orglink.app, team.admin, {
      name: 'Acme new',
      kind: 'salesforce',
      environment: 'production',
    });
    const browser = new Browser();
    const dpa = await signInToSalesforce(browser, loginUrl, salesforceUser(sandbox, 'acme'));
    expect(pageText(dpa)).toContain('"Acme old" is for this org too');
    const done = await decideDpa(browser, dpa, 'accept');
    expect(pageText(done)).toContain(
      'took over the settings and jobs of "Acme old", which was deleted (its history stays)',
    );
    recorder.stop();

    const now = (await api.get(`/api/connections/${connection.id}`)).body;
    expect(now).toMatchObject({ status: 'active', orgId: orgEntry('acme').orgId, autoRunDuplicateCheck: true });
    expect((await api.get('/api/connections')).body.connections.map((entry: { name: string }) => entry.name)).toEqual([
      'UAT',
      'Acme new',
    ]);
    expect((await api.get(`/api/connections/${old.id}`)).body.deletedAt).toEqual(expect.any(String));
    expect((await api.get(`/api/jobs/${job.id}`)).body).toMatchObject({ connectionId: connection.id, state: 'active' });
    expect((await api.get(`/api/connections/${uat.id}`)).body.linkedProductionId).toBe(connection.id);
    expect(recorder.events).toContainEqual({ type: 'connection.deleted', connectionId: old.id });
    expect(recorder.events).toContainEqual(
      expect.objectContaining({
        type: 'job.changed',
        job: expect.objectContaining({ id: job.id, connectionId: connection.id }),
      }),
    );
  });
});

describe('tokens at rest', () => {
  it('keeps no plaintext token in the SQLite file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'orglink-tokens-'));
    const databasePath = path.join(dir, 'orglink.db');
    const onDisk = await startOrgLink({ SANDBOX_URL: sandbox.url, DATABASE_PATH: databasePath });
    try {
      const team = createTeam(onDisk.app);
      const { connection } = await connectSalesforce(onDisk.app, sandbox, team.admin, {
        name: 'Globex',
        org: 'globex',
      });
      // A refresh writes new tokens too.
      sandbox.salesforce.org('globex').invalidateNextSession();
      expect((await apiAs(onDisk.app, team.admin).post(`/api/connections/${connection.id}/test`)).body.ok).toBe(true);
      const credentials = storedCredentials(onDisk.app, connection.id);
      const secrets = [credentials.accessToken, credentials.refreshToken].filter((value): value is string =>
        Boolean(value),
      );
      expect(secrets).toHaveLength(2);
      const files = [databasePath, `${databasePath}-wal`];
      const bytes = Buffer.concat(files.map((file) => readFileSync(file, { flag: 'r' })));
      for (const secret of secrets) {
        expect(bytes.includes(secret)).toBe(false);
        expect(bytes.includes(secret.slice(20, 60))).toBe(false);
      }
      // The org id is stored in clear (it is not a secret), which proves the search reads the right bytes.
      expect(bytes.includes(orgEntry('globex').orgId)).toBe(true);
    } finally {
      await onDisk.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('refresh token rotation', () => {
  it('saves the rotated refresh token of a connected app that rotates them, so the next refresh still works', async () => {
    const app = sfIndex().connectedApps.find((entry) => entry.refreshTokenRotation);
    if (!app) throw new Error('the sandbox has no rotating connected app');
    // Real-credentials mode, pointed at the simulator's login host: the path a real connected app takes.
    const rotating = await startOrgLink({
      SALESFORCE_CLIENT_ID: app.clientId,
      SALESFORCE_CLIENT_SECRET: app.clientSecret,
      SALESFORCE_LOGIN_URL: sfIndex().loginUrls.production ?? '',
    });
    try {
      const team = createTeam(rotating.app);
      const api = apiAs(rotating.app, team.admin);
      const { connection } = await connectSalesforce(rotating.app, sandbox, team.admin, {
        name: 'Globex',
        org: 'globex',
      });
      const original = storedCredentials(rotating.app, connection.id).refreshToken;
      sandbox.salesforce.org('globex').invalidateNextSession();
      expect((await api.post(`/api/connections/${connection.id}/test`)).body.ok).toBe(true);
      const rotated = storedCredentials(rotating.app, connection.id).refreshToken;
      expect(rotated).toEqual(expect.any(String));
      expect(rotated).not.toBe(original);
      // The old refresh token is dead; the saved one is what keeps the connection alive.
      const oldRefresh = await fetch(`${sfIndex().loginUrls.production}/services/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: original ?? '',
          client_id: app.clientId,
          client_secret: app.clientSecret,
        }),
      });
      expect(oldRefresh.status).toBe(400);
      sandbox.salesforce.org('globex').invalidateNextSession();
      expect((await api.post(`/api/connections/${connection.id}/test`)).body).toMatchObject({
        ok: true,
        connection: { status: 'active' },
      });
      expect(storedCredentials(rotating.app, connection.id).refreshToken).not.toBe(rotated);
    } finally {
      releaseAllOrgs(rotating.app);
      await rotating.close();
    }
  });
});
