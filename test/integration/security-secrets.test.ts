import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { FINAL_RUN_STATUSES } from '@orglink/shared';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EntraService } from '../sim/dynamics/entra/service.ts';
import { SessionStore } from '../sim/salesforce/auth/sessions.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { type ServerProcess, startServerProcess } from '../support/server-process.ts';
import { Browser, parseForms } from './support/browser.ts';
import { decideDpa, salesforceUser, signInToMicrosoft, signInToSalesforce } from './support/sign-in.ts';

/**
 * The real server process at its most verbose log level, taken through every path that handles a secret: Salesforce
 * and Dynamics sign-ins, a token refresh, a classic login, a Catalog link and a write run, invites, and refused
 * requests. Every secret the simulators issued (read where they issue them) and every secret OrgLink handed out must
 * then be absent from its logs and from its SQLite files.
 */

const secrets = new Map<string, string>(); // value -> what it is, for the failure message
const remember = (what: string, value: unknown) => {
  if (typeof value === 'string' && value.length >= 8 && !secrets.has(value)) secrets.set(value, what);
};

let sandbox: Sandbox;
let server: ServerProcess;
let dataDir: string;
let databasePath: string;
let firstInvite: string;

async function api(token: string | undefined, method: string, url: string, body?: unknown) {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as any };
}

async function waitForFinalRun(token: string, runId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = (await api(token, 'GET', `/api/runs/${runId}`)).body;
    if (FINAL_RUN_STATUSES.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Records what a browser's trip carried in its URLs: the sign-in link id, the OAuth state and code. */
function rememberUrls(browser: Browser) {
  for (const visited of browser.visited) {
    const url = new URL(visited);
    const start = /\/oauth\/start\/([^/?#]+)/.exec(url.pathname);
    if (start) remember('sign-in link id', start[1]);
    for (const name of ['state', 'code']) remember(`OAuth ${name}`, url.searchParams.get(name));
  }
}

function watchSimulators() {
  const record =
    <T>(what: string, pick: (result: T) => unknown[]) =>
    (result: T) => {
      for (const value of pick(result)) remember(what, value);
      return result;
    };
  const wrap = <C extends object, K extends keyof C>(target: C, method: K, after: (result: never) => unknown) => {
    const original = target[method] as unknown as (...args: unknown[]) => unknown;
    vi.spyOn(target, method as never).mockImplementation(function (this: unknown, ...args: unknown[]) {
      return after(original.apply(this, args) as never);
    } as never);
  };
  wrap(
    SessionStore.prototype,
    'issueAccess',
    record<{ token: string }>('Salesforce access token', (s) => [s.token]),
  );
  wrap(
    SessionStore.prototype,
    'issueRefresh',
    record<{ token: string }>('Salesforce refresh token', (s) => [s.token]),
  );
  wrap(
    SessionStore.prototype,
    'issueCode',
    record<{ code: string }>('Salesforce OAuth code', (s) => [s.code]),
  );
  type Tokens = { access_token: string; refresh_token?: string; id_token?: string };
  const entraTokens = record<Tokens>('Entra token', (t) => [t.access_token, t.refresh_token, t.id_token]);
  wrap(EntraService.prototype, 'redeemCode', entraTokens);
  wrap(EntraService.prototype, 'redeemRefreshToken', entraTokens);
  wrap(
    EntraService.prototype,
    'issueCode',
    record<string>('Entra OAuth code', (code) => [code]),
  );
}

/** The forms of `string` a careless write could leave: as is, UTF-16 (SQLite's other text encoding) and base64. */
function encodings(value: string): Buffer[] {
  return [Buffer.from(value), Buffer.from(value, 'utf16le'), Buffer.from(Buffer.from(value).toString('base64'))];
}

function findSecretsIn(bytes: Buffer): string[] {
  return [...secrets].filter(([value]) => encodings(value).some((form) => bytes.includes(form))).map(([, w]) => w);
}

/** The server's log lines only: the first-start banner deliberately prints the first invite for the person. */
function logLines(): string {
  const { stdout, stderr } = server.output();
  return `${stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .join('\n')}\n${stderr}`;
}

function databaseFiles(): Buffer {
  return Buffer.concat(
    [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file)),
  );
}

beforeAll(async () => {
  watchSimulators();
  sandbox = await startSandbox();
  dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-secrets-'));
  databasePath = path.join(dataDir, 'orglink.db');
  // No HOST: the default is what is tested for loopback.
  server = await startServerProcess({
    LOG_LEVEL: 'trace',
    SANDBOX_URL: sandbox.url,
    DATABASE_PATH: databasePath,
    CONNECTION_CHECK_MINUTES: '0',
  });
  const banner = /olinv_[A-Za-z0-9_-]+/.exec(server.output().stdout);
  if (!banner) throw new Error(`no first invite printed: ${server.output().stdout.slice(0, 400)}`);
  firstInvite = banner[0];
}, 60_000);

afterAll(async () => {
  vi.restoreAllMocks();
  if (server?.child.exitCode === null) await server.stop();
  await sandbox?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('secrets in logs and at rest', () => {
  it('never logs a token, code, state or secret, and keeps none in clear in the SQLite files', async () => {
    remember('first invite code', firstInvite);
    for (const app of sandbox.salesforce.describe().connectedApps) remember('connected app secret', app.clientSecret);
    const entraApps = (sandbox.dynamics.describe() as { clouds: { app?: { clientSecret: string } }[] }).clouds;
    for (const cloud of entraApps) remember('Entra app secret', cloud.app?.clientSecret);
    expect([...secrets.values()]).toContain('Entra app secret');
    const catalogToken = sandbox.catalog.account('acme').apiTokens[0] ?? '';
    remember('Catalog API token', catalogToken);

    // Invites and API tokens, including refused attempts.
    const owner = await api(undefined, 'POST', '/api/auth/redeem', { code: firstInvite, displayName: 'Owner' });
    expect(owner.status).toBe(200);
    const ownerToken: string = owner.body.token;
    remember('owner API token', ownerToken);
    const invite = await api(ownerToken, 'POST', '/api/invites', { role: 'admin' });
    remember('admin invite code', invite.body.code);
    const admin = await api(undefined, 'POST', '/api/auth/redeem', { code: invite.body.code, displayName: 'Admin' });
    const adminToken: string = admin.body.token;
    remember('admin API token', adminToken);
    expect(
      (await api(undefined, 'POST', '/api/auth/redeem', { code: invite.body.code, displayName: 'Again' })).status,
    ).not.toBe(200);
    const forged = `${adminToken.slice(0, -4)}AAAA`;
    remember('forged API token', forged);
    expect((await api(forged, 'GET', '/api/me')).status).toBe(401);
    expect((await api(undefined, 'GET', `/api/me?token=${adminToken}`)).status).toBe(401);

    // Salesforce: the web-server flow, then a forced refresh through a test.
    const created = await api(adminToken, 'POST', '/api/connections', {
      name: 'Acme',
      kind: 'salesforce',
      environment: 'production',
    });
    expect(created.status).toBe(201);
    const browser = new Browser();
    const dpa = await signInToSalesforce(browser, created.body.loginUrl, salesforceUser(sandbox, 'acme'));
    remember('DPA form token', parseForms(dpa).find((form) => form.action.includes('/oauth/consent'))?.fields.token);
    expect((await decideDpa(browser, dpa, 'accept')).status).toBe(200);
    rememberUrls(browser);
    const connectionId: string = created.body.connection.id;
    sandbox.salesforce.org('acme').invalidateNextSession();
    expect((await api(adminToken, 'POST', `/api/connections/${connectionId}/test`)).body.ok).toBe(true);
    // A refused callback (replayed state and code) is logged as a request too.
    const callback = browser.visited.find((url) => url.includes('/oauth/salesforce/callback?'));
    expect((await new Browser().open(callback ?? '')).status).toBe(409);

    // Classic login: a password and security token sent once, stored encrypted.
    const classicUser = sandbox.salesforce
      .describe()
      .orgs.find((org) => org.name === 'globex')
      ?.users.find((user) => user.username.startsWith('admin@'));
    remember('Salesforce password', classicUser?.password);
    remember('Salesforce security token', classicUser?.securityToken);
    const classic = await api(adminToken, 'POST', '/api/connections/classic', {
      authMethod: 'password',
      name: 'Globex classic',
      username: classicUser?.username,
      password: classicUser?.password,
      securityToken: classicUser?.securityToken,
      dpaAccepted: true,
    });
    expect(classic.status, JSON.stringify(classic.body)).toBe(201);

    // Dynamics: msal-node's code flow, the environment choice and the DPA.
    const dynamics = await api(adminToken, 'POST', '/api/connections', {
      name: 'Contoso',
      kind: 'dynamics',
      environment: 'public',
    });
    expect(dynamics.status).toBe(201);
    const microsoft = new Browser();
    const environments = await signInToMicrosoft(microsoft, dynamics.body.loginUrl, 'admin@contoso.onmicrosoft.com');
    const dynamicsDpa = await microsoft.submit(microsoft.form(environments, 'environment'), {});
    expect((await decideDpa(microsoft, dynamicsDpa, 'accept')).status).toBe(200);
    rememberUrls(microsoft);

    // Catalog: link with the account's API token, then a write run that starts with an expired Salesforce session.
    const account = sandbox.catalog.account('acme');
    const linked = await api(adminToken, 'POST', '/api/integrations', {
      connectionId,
      catalogHost: account.hostname,
      catalogToken,
    });
    expect(linked.status, JSON.stringify(linked.body)).toBe(201);
    sandbox.salesforce.org('acme').invalidateNextSession();
    const started = await api(adminToken, 'POST', `/api/integrations/${linked.body.id}/run`);
    expect(started.status).toBe(202);
    const run = await waitForFinalRun(adminToken, started.body.run.id);
    expect(run.status).toBe('completed');

    const kinds = new Set(secrets.values());
    for (const kind of [
      'Salesforce access token',
      'Salesforce refresh token',
      'Salesforce OAuth code',
      'Entra token',
    ]) {
      expect(kinds.has(kind), `no ${kind} was seen: the search would prove nothing`).toBe(true);
    }
    for (const kind of ['Entra OAuth code', 'OAuth state', 'sign-in link id', 'DPA form token']) {
      expect(kinds.has(kind), `no ${kind} was seen`).toBe(true);
    }

    // The logs: verbose enough to show requests, and free of every secret.
    const logs = logLines();
    expect(logs).toContain('"url":"/api/integrations"');
    expect(logs).toContain('/oauth/salesforce/callback?');
    expect(findSecretsIn(Buffer.from(logs))).toEqual([]);

    // The SQLite files, while the server runs (WAL not yet checkpointed) and after it closed.
    const running = databaseFiles();
    expect(running.includes(Buffer.from(connectionId)), 'the search reads the right bytes').toBe(true);
    expect(findSecretsIn(running)).toEqual([]);
    expect(await server.stop()).toBe(0);
    expect(findSecretsIn(databaseFiles())).toEqual([]);
    expect(findSecretsIn(Buffer.from(logLines()))).toEqual([]);
  });
});

describe('loopback by default', () => {
  it('listens on 127.0.0.1 only when HOST is not set', async () => {
    const probe = await startServerProcess({
      LOG_LEVEL: 'info',
      SANDBOX_URL: sandbox.url,
      CONNECTION_CHECK_MINUTES: '0',
    });
    try {
      expect(process.env.HOST ?? '').toBe('');
      expect(probe.output().stdout).toContain(`"msg":"Server listening at http://127.0.0.1:${probe.port}"`);
      expect(probe.output().stdout).not.toMatch(/Server listening at http:\/\/(?!127\.0\.0\.1)/);
      const outside = Object.values(networkInterfaces())
        .flat()
        .filter((entry) => entry && !entry.internal && entry.family === 'IPv4')
        .map((entry) => entry?.address ?? '');
      for (const address of outside) {
        const outcome = await new Promise<string>((resolve) => {
          const socket = net.connect({ host: address, port: probe.port });
          socket.once('connect', () => {
            socket.destroy();
            resolve('connected');
          });
          socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
        });
        expect(outcome, `${address}:${probe.port}`).toBe('ECONNREFUSED');
      }
    } finally {
      await probe.stop();
    }
  });
});
