import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CrmAuthorizationLost } from '../../server/src/crm/crm-client.ts';
import { classicLogin, SalesforceLoginRefused } from '../../server/src/crm/salesforce/salesforce-classic-login.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { releaseAllOrgs } from './support/connect.ts';
import { apiAs, connectionRow, createTeam, type RunningOrgLink, rows, startOrgLink } from './support/orglink.ts';

let sandbox: Sandbox;
let orglink: RunningOrgLink;

beforeAll(async () => {
  sandbox = await startSandbox();
  orglink = await startOrgLink({ SANDBOX_URL: sandbox.url });
});
afterEach(() => {
  releaseAllOrgs(orglink.app);
  sandbox.salesforce.reset();
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

function org(name: string) {
  const entry = sandbox.salesforce.describe().orgs.find((candidate) => candidate.name === name);
  if (!entry) throw new Error(`no org ${name}`);
  return entry;
}

function user(orgName: string, who: 'admin' | 'integration' = 'integration') {
  const found = org(orgName).users.find((candidate) => candidate.username.startsWith(`${who}@`));
  if (!found) throw new Error(`no ${who} in ${orgName}`);
  return found;
}

function orgLinkApp(orgName: string) {
  const app = org(orgName).connectedApps.find((candidate) => candidate.name === 'OrgLink');
  if (!app) throw new Error('no OrgLink app');
  return app;
}

const passwordBody = (name: string, orgName = 'acme', extra: Record<string, unknown> = {}) => {
  const login = user(orgName);
  return {
    authMethod: 'password',
    name,
    username: login.username,
    password: login.password,
    securityToken: login.securityToken,
    dpaAccepted: true,
    ...extra,
  };
};

const clientBody = (name: string, orgName = 'acme', extra: Record<string, unknown> = {}) => {
  const app = orgLinkApp(orgName);
  return {
    authMethod: 'client-credentials',
    name,
    myDomain: `https://${org(orgName).myDomain}`,
    consumerKey: app.clientId,
    consumerSecret: app.clientSecret,
    dpaAccepted: true,
    ...extra,
  };
};

describe('password connections', () => {
  it('logs in, stores an active connection with the org, and works for describe and after a dead session', async () => {
    const team = createTeam(orglink.app);
    const api = apiAs(orglink.app, team.admin);
    const created = await api.post('/api/connections/classic', passwordBody('Acme classic'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Acme classic',
      kind: 'salesforce',
      environment: 'production',
      authMethod: 'password',
      loginHost: null,
      orgId: org('acme').orgId,
      orgName: org('acme').organizationName,
      status: 'active',
      dpaAcceptedBy: team.admin.displayName,
    });
    expect(JSON.stringify(created.body)).not.toContain(user('acme').password);

    const fields = await api.get(`/api/crm/${created.body.id}/objects/Contact/fields`);
    expect(fields.status).toBe(200);
    expect(JSON.stringify(fields.body)).toContain('LMS_User_Id__c');

    // The session dies: the client logs in again with the stored password, and the work goes on.
    const logins = sandbox.salesforce.counters().total['oauth-token'] ?? 0;
    sandbox.salesforce.org('acme').invalidateNextSession();
    orglink.app.connectionClients.forget(created.body.id);
    const client = await orglink.app.connectionClients.open(created.body.id);
    if (client.kind !== 'salesforce') throw new Error('expected Salesforce');
    const count = await client.call(async (connection) => await connection.query('SELECT COUNT() FROM Contact'));
    expect(count.totalSize).toBeGreaterThan(0);
    expect(sandbox.salesforce.counters().total['oauth-token']).toBe(logins + 1);
    expect(connectionRow(orglink.app, created.body.id)?.status).toBe('active');

    // The org belongs to this team now.
    const elsewhere = await apiAs(orglink.app, createTeam(orglink.app).admin).post(
      '/api/connections/classic',
      passwordBody('Acme again'),
    );
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error.code).toBe('ORG_ALREADY_CONNECTED');
  });

  it("refuses a wrong password with 422 and Salesforce's words, and stores nothing", async () => {
    const team = createTeam(orglink.app);
    const refused = await apiAs(orglink.app, team.admin).post(
      '/api/connections/classic',
      passwordBody('Wrong', 'acme', { password: 'not-the-password' }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('CRM_LOGIN_REFUSED');
    expect(refused.body.error.message).toMatch(/^Salesforce refused the login: invalid_grant: authentication failure/);
    expect(refused.body.error.message).toMatch(/security token/);
    expect(rows(orglink.app, 'select id from connections where team_id = ?', team.admin.teamId)).toHaveLength(0);
  });

  it('validates name, host and DPA before logging in', async () => {
    const api = apiAs(orglink.app, createTeam(orglink.app).admin);
    const slash = await api.post('/api/connections/classic', passwordBody('Acme/Prod'));
    expect(slash.status).toBe(400);
    expect(slash.body.error.message).toBe('A connection name must not contain "/" or ":".');
    const host = await api.post(
      '/api/connections/classic',
      passwordBody('Evil', 'acme', { loginHost: 'https://evil.example' }),
    );
    expect(host.status).toBe(400);
    expect(host.body.error.code).toBe('CONNECTION_LOGIN_HOST_INVALID');
    const dpa = await api.post('/api/connections/classic', passwordBody('No DPA', 'acme', { dpaAccepted: false }));
    expect(dpa.status).toBe(400);
    expect(dpa.body.error.code).toBe('DPA_NOT_ACCEPTED');
  });

  it('logs in to a sandbox at test.salesforce.com when Sandbox is ticked', async () => {
    const api = apiAs(orglink.app, createTeam(orglink.app).admin);
    const created = await api.post('/api/connections/classic', passwordBody('UAT', 'acme--uat', { sandbox: true }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ environment: 'sandbox', orgId: org('acme--uat').orgId, status: 'active' });
    const unticked = await api.post('/api/connections/classic', passwordBody('UAT 2', 'acme--uat'));
    expect(unticked.status).toBe(422);
  });

  it("Test logs in again; after a password change it reports Salesforce's refusal and marks the connection inactive", async () => {
    const api = apiAs(orglink.app, createTeam(orglink.app).admin);
    const created = await api.post('/api/connections/classic', passwordBody('Acme test'));
    const tested = await api.post(`/api/connections/${created.body.id}/test`);
    expect(tested.status).toBe(200);
    expect(tested.body).toMatchObject({ ok: true, connection: { status: 'active' } });

    const account = sandbox.salesforce
      .org('acme')
      .org.users.find((candidate) => candidate.username === user('acme').username);
    if (!account) throw new Error('no user');
    account.password = 'Changed-1234';
    const failed = await api.post(`/api/connections/${created.body.id}/test`);
    expect(failed.body.ok).toBe(false);
    expect(failed.body.message).toMatch(/authentication failure/);
    expect(failed.body.connection).toMatchObject({ status: 'inactive' });
    expect(failed.body.connection.statusReason).toMatch(/enter the password and security token again/);

    // The new password (with its token) brings it back; a username change alone is refused first.
    const missing = await api.patch(`/api/connections/${created.body.id}/classic`, {
      username: user('acme', 'admin').username,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('CONNECTION_CREDENTIALS_REQUIRED');
    expect(missing.body.error.details.missing).toEqual(['password', 'securityToken']);
    const fixed = await api.patch(`/api/connections/${created.body.id}/classic`, {
      username: user('acme').username,
      password: 'Changed-1234',
      securityToken: user('acme').securityToken,
    });
    expect(fixed.status).toBe(200);
    expect(fixed.body.status).toBe('active');
    const details = await api.get(`/api/connections/${created.body.id}/classic`);
    expect(details.body).toEqual({
      authMethod: 'password',
      serverHost: 'https://login.salesforce.com',
      sandbox: false,
      username: user('acme').username,
    });
  });

  it('needs the password and token again for a new username or host; nothing changes without them', async () => {
    const api = apiAs(orglink.app, createTeam(orglink.app).admin);
    const created = await api.post('/api/connections/classic', passwordBody('Acme edit'));
    const before = connectionRow(orglink.app, created.body.id);
    for (const patch of [
      { username: user('acme', 'admin').username, password: 'x' },
      { loginHost: `https://${org('acme').myDomain}` },
    ]) {
      const refused = await api.patch(`/api/connections/${created.body.id}/classic`, patch);
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/nothing was changed/);
    }
    expect(connectionRow(orglink.app, created.body.id)).toEqual(before);
    const admin = user('acme', 'admin');
    const moved = await api.patch(`/api/connections/${created.body.id}/classic`, {
      loginHost: `https://${org('acme').myDomain}`,
      username: admin.username,
      password: admin.password,
      securityToken: admin.securityToken,
    });
    expect(moved.status).toBe(200);
    expect(moved.body.loginHost).toBe(org('acme').myDomain);
    const wrong = await api.patch(`/api/connections/${created.body.id}/classic`, {
      password: 'nope',
      securityToken: 'x',
    });
    expect(wrong.status).toBe(422);
    expect(connectionRow(orglink.app, created.body.id)?.status).toBe('active');
  });
});

describe('sessions renewed by logging in again', () => {
  it('marks the connection inactive when the stored password stops working, as an invalid_grant does', async () => {
    const api = apiAs(orglink.app, createTeam(orglink.app).admin);
    const created = await api.post('/api/connections/classic', passwordBody('Acme renew'));
    const account = sandbox.salesforce
      .org('acme')
      .org.users.find((candidate) => candidate.username === user('acme').username);
    if (!account) throw new Error('no user');
    account.password = 'Changed-5678';
    sandbox.salesforce.org('acme').invalidateNextSession();
    const client = await orglink.app.connectionClients.open(created.body.id);
    if (client.kind !== 'salesforce') throw new Error('expected Salesforce');
    await expect(
      client.call(async (connection) => await connection.query('SELECT Id FROM Contact LIMIT 1')),
    ).rejects.toBeInstanceOf(CrmAuthorizationLost);
    const row = connectionRow(orglink.app, created.body.id);
    expect(row).toMatchObject({ status: 'inactive', credentials: null });
    expect(row?.status_reason).toMatch(/authentication failure.*enter the password and security token again/);
  });

  it("logs in over SOAP (API 64.0) for orgs that block the OAuth password grant, with SOAP's refusal words", async () => {
    const login = user('acme');
    const app = orgLinkApp('acme');
    const endpoint = {
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      loginUrl: sandbox.salesforce.describe().loginUrls.production ?? '',
    };
    const base = {
      method: 'password',
      via: 'soap',
      username: login.username,
      securityToken: login.securityToken,
    } as const;
    const result = await classicLogin(endpoint, { ...base, password: login.password });
    expect(result).toMatchObject({ orgId: org('acme').orgId, login: { via: 'soap' } });
    const refused = await classicLogin(endpoint, { ...base, password: 'wrong' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SalesforceLoginRefused);
    expect(refused).toMatchObject({
      code: 'INVALID_LOGIN',
      message: 'Invalid username, password, security token; or user locked out.',
    });
  });
});

describe('client-credentials connections', () => {
  it("connects at acme's My Domain with the connected app's key and secret", async () => {
    const api = apiAs(orglink.app, createTeam(orglink.app).admin);
    const tried = await api.post('/api/connections/classic/test', {
      authMethod: 'client-credentials',
      myDomain: clientBody('x').myDomain,
      consumerKey: clientBody('x').consumerKey,
      consumerSecret: clientBody('x').consumerSecret,
    });
    expect(tried.status).toBe(200);
    expect(tried.body).toMatchObject({ ok: true, orgId: org('acme').orgId });
    expect(rows(orglink.app, 'select id from connections where name = ?', 'x')).toHaveLength(0);

    const created = await api.post('/api/connections/classic', clientBody('Acme CC'));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      authMethod: 'client-credentials',
      loginHost: org('acme').myDomain,
      orgId: org('acme').orgId,
      status: 'active',
    });
    const fields = await api.get(`/api/crm/${created.body.id}/objects/Contact/fields`);
    expect(fields.status).toBe(200);
    const wrongSecret = await api.post(
      '/api/connections/classic',
      clientBody('Bad', 'globex', { consumerSecret: 'nope' }),
    );
    expect(wrongSecret.status).toBe(422);
    expect(wrongSecret.body.error.message).toMatch(/invalid_client: invalid client credentials/);
  });

  it('says a My Domain is needed when given login.salesforce.com', async () => {
    const api = apiAs(orglink.app, createTeam(orglink.app).admin);
    const refused = await api.post(
      '/api/connections/classic',
      clientBody('Generic', 'acme', { myDomain: 'https://login.salesforce.com' }),
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/only at your org's My Domain/);
  });
});

it('keeps no password, security token or consumer secret in plain text in SQLite', async () => {
  const api = apiAs(orglink.app, createTeam(orglink.app).admin);
  expect((await api.post('/api/connections/classic', passwordBody('Plain check'))).status).toBe(201);
  expect((await api.post('/api/connections/classic', clientBody('Plain check CC', 'globex'))).status).toBe(201);
  const dump = JSON.stringify(rows(orglink.app, 'select * from connections'));
  for (const secret of [user('acme').password, user('acme').securityToken, orgLinkApp('globex').clientSecret]) {
    expect(dump).not.toContain(secret);
  }
  expect(dump).toContain('Plain check');
});
