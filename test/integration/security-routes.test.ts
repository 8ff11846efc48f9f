import { EXTENSION_ORIGIN, type Role } from '@orglink/shared';
import Fastify, { type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import orglinkApp from '../../server/src/app.ts';
import { revokeToken } from '../../server/src/domain/teams/team-service.ts';
import { loadConfig } from '../../server/src/plugins/config.ts';
import { type Sandbox, startSandbox } from '../sim/sandbox.ts';
import { connectSalesforce } from './support/connect.ts';
import {
  apiAs,
  createTeam,
  type Member,
  type OrgLinkApp,
  type RunningOrgLink,
  rows,
  startOrgLink,
} from './support/orglink.ts';
import { createIntegration, waitForRun } from './support/write-job.ts';

/**
 * Every route of the route table, checked for authentication, roles, browser origins and team isolation. The tables
 * below are explicit on purpose: a new route whose params, body or exposure this file does not know fails here
 * until someone decides how it must be guarded.
 */

interface TableRoute {
  method: string;
  url: string;
  access: 'public' | Role | undefined;
  hasBody: boolean;
}

/** Routes anyone may call without a token; each one was reviewed (a new one fails until added here). */
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'POST /api/auth/redeem',
  'GET /oauth/start/:flowId',
  'GET /oauth/salesforce/callback',
  'GET /oauth/dynamics/callback',
  'POST /oauth/dynamics/environment',
  'POST /oauth/consent',
]);

/** Outside /api and /oauth: the OpenAPI page and the CORS preflight answer, which carry no team data. */
const isUnguardedInfrastructure = (route: TableRoute) =>
  route.url === '/docs' || route.url.startsWith('/docs/') || (route.method === 'OPTIONS' && route.url === '*');

/** Team A's resources, made for real through the API and the runner. */
interface TeamA {
  connectionId: string;
  integrationId: string;
  writeJobId: string;
  dcJobId: string;
  writeRunId: string;
  activityRunId: string;
  dcRunId: string;
  scenarioId: string;
  pairId: string;
  recordId: string;
  orgId: string;
}

/**
 * Route param (keyed by the path before it and its name) -> team A ids to put there. Runs come in three kinds, and
 * each run route is tried with each of them.
 */
const PARAM_VALUES: Record<string, (a: TeamA) => string[]> = {
  'connections:id': (a) => [a.connectionId],
  'crm:connectionId': (a) => [a.connectionId],
  'crm/:connectionId/objects:name': () => ['Contact'],
  'integrations:id': (a) => [a.integrationId],
  'jobs:id': (a) => [a.writeJobId, a.dcJobId],
  'runs:id': (a) => [a.writeRunId, a.activityRunId, a.dcRunId],
  'dc/scenarios:id': (a) => [a.scenarioId],
  'dc/runs:id': (a) => [a.dcRunId],
  'dc/pairs:id': (a) => [a.pairId],
  'dc/records:recordId': (a) => [a.recordId],
  // Public: a sign-in link's id is itself the secret (see security-sign-in.test.ts for flows).
  'oauth/start:flowId': () => ['no-such-flow'],
};

interface Extra {
  query?: (a: TeamA) => Record<string, string>;
  body?: (a: TeamA) => unknown;
  contentType?: string;
}

/** Valid query strings and bodies, so a refusal comes from the team check and not from validation. */
const EXTRAS: Record<string, Extra> = {
  'PATCH /api/connections/:id': { body: () => ({ description: 'changed by another team' }) },
  'PATCH /api/connections/:id/classic': { body: () => ({ username: 'intruder@example.org' }) },
  'POST /api/connections/:id/activities': {
    body: () => ({ activity: 'delete', object: 'Contact', rows: [{ Id: '003000000000001AAA' }] }),
  },
  'POST /api/connections/:id/activities/count': { body: () => ({ soql: 'SELECT Id FROM Contact' }) },
  'POST /api/connections/:id/activities/uploads': {
    body: () => 'LastName\nIntruder',
    contentType: 'text/csv',
  },
  'PATCH /api/integrations/:id': { body: () => ({ schedule: null }) },
  'PATCH /api/dc/scenarios/:id': { body: () => ({ name: 'Renamed by another team' }) },
  'GET /api/dc/records/:recordId/matches': { query: (a) => ({ connection: a.connectionId }) },
  // Routes without params that name team A's things in their query or body.
  'GET /api/runs': { query: (a) => ({ connection: a.connectionId }) },
  'GET /api/jobs': { query: (a) => ({ connection: a.connectionId }) },
  'GET /api/integrations': { query: (a) => ({ connection: a.connectionId, includeUnlinked: 'true' }) },
  'GET /api/connections/lookup': { query: (a) => ({ orgId: a.orgId }) },
  'POST /api/jobs': {
    body: (a) => ({
      connectionId: a.connectionId,
      kind: 'duplicate-check',
      name: 'Intruder',
      config: { object: 'Contact', scenarioIds: [a.scenarioId] },
      schedule: '0 0 * * *',
    }),
  },
  'POST /api/dc/jobs': { body: (a) => ({ connectionId: a.connectionId, object: 'Contact' }) },
  'POST /api/integrations': {
    body: (a) => ({
      connectionId: a.connectionId,
      catalogHost: 'globex.catalog.instructure.com',
      catalogToken: 'x'.repeat(16),
    }),
  },
};

/**
 * Routes without params that name nothing of team A's: they act on the caller's own team only (creating, listing,
 * signing out). Lists among them are still read by team B and must hold none of team A's data.
 */
const OWN_TEAM_ONLY = new Set([
  'GET /api/me',
  'POST /api/auth/signout',
  'POST /api/invites',
  'GET /api/connections',
  'POST /api/connections',
  'POST /api/connections/classic',
  'POST /api/connections/classic/test',
  'GET /api/dc/scenarios',
  'POST /api/dc/scenarios',
  // A stream: its team filter is proven by server/src/routes/api/events.test.ts.
  'GET /api/events',
  // The server process's own figures (event loop, memory): no team's data at all.
  'GET /api/diagnostics',
]);

const key = (route: TableRoute) => `${route.method} ${route.url}`;

/** The route table as Fastify builds it: an onRoute hook on a root that mounts the same app. */
async function collectRoutes(): Promise<TableRoute[]> {
  const collected: TableRoute[] = [];
  const collector = Fastify({ logger: false });
  collector.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue; // the same handler and access as its GET
      collected.push({
        method,
        url: route.url,
        access: route.config?.access,
        hasBody: Boolean(route.schema?.body),
      });
    }
  });
  await collector.register(orglinkApp, { config: loadConfig({ DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent' }) });
  await collector.ready();
  await collector.close();
  return collected;
}

/** Each param of a URL pattern with the key PARAM_VALUES knows it by; unknown ones fail with what to do. */
function paramsOf(url: string): { name: string; key: string }[] {
  const parts = url.replace(/^\/(api\/)?/, '').split('/');
  return parts.flatMap((part, index) =>
    part.startsWith(':') ? [{ name: part.slice(1), key: `${parts.slice(0, index).join('/')}:${part.slice(1)}` }] : [],
  );
}

/** Every URL a route takes with team A's ids in its params (one per combination). */
function urlsFor(route: TableRoute, a: TeamA): string[] {
  let urls = [route.url];
  for (const param of paramsOf(route.url)) {
    const values = PARAM_VALUES[param.key];
    if (!values) throw new Error(`${key(route)}: add this route's params here (PARAM_VALUES['${param.key}'])`);
    urls = urls.flatMap((url) => values(a).map((value) => url.replace(`:${param.name}`, encodeURIComponent(value))));
  }
  return urls;
}

const withQuery = (url: string, query: Record<string, string> | undefined) =>
  query ? `${url}?${new URLSearchParams(query).toString()}` : url;

let sandbox: Sandbox;
let orglink: RunningOrgLink;
let app: OrgLinkApp;
let routes: TableRoute[];
let teamA: Record<Role, Member>;
let teamB: Record<Role, Member>;
let a: TeamA;

async function call(member: Member | undefined, method: string, url: string, extra: Extra = {}, headers = {}) {
  const body = extra.body?.(a);
  const response = await app.inject({
    method: method as 'GET',
    url: withQuery(url, extra.query?.(a)),
    headers: {
      ...(member ? { authorization: `Bearer ${member.token}` } : {}),
      ...(extra.contentType ? { 'content-type': extra.contentType } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { payload: body as string }),
  });
  return { status: response.statusCode, text: response.body };
}

/** Team A: a Salesforce connection, an integration with a write run, an activity run, a scenario and a DC run. */
async function buildTeamA(): Promise<TeamA> {
  teamA = createTeam(app, 'Alpha');
  const api = apiAs(app, teamA.admin);
  const { connection } = await connectSalesforce(app, sandbox, teamA.admin, { name: 'Alpha Secret Org', org: 'acme' });
  const { integrationId, jobId: writeJobId } = createIntegration(app, sandbox, teamA.admin, {
    connectionId: connection.id,
    account: 'acme',
  });
  const write = await api.post(`/api/integrations/${integrationId}/run`);
  if (write.status !== 202) throw new Error(`write run refused: ${JSON.stringify(write.body)}`);
  const writeRun = await waitForRun(app, teamA.viewer, write.body.run.id, undefined, 60_000);
  const twins = [
    { FirstName: 'Isabel', LastName: 'Isolation', Email: 'isabel.isolation@alpha.test' },
    { FirstName: 'Isabel', LastName: 'Isolation', Email: 'isabel.isolation@alpha.test' },
  ];
  const insert = await api.post(`/api/connections/${connection.id}/activities`, {
    activity: 'insert',
    object: 'Contact',
    rows: twins,
  });
  if (insert.status !== 202) throw new Error(`insert refused: ${JSON.stringify(insert.body)}`);
  const activityRun = await waitForRun(app, teamA.viewer, insert.body.run.id, undefined, 60_000);
  const scenario = await api.post('/api/dc/scenarios', {
    name: 'Alpha scenario',
    object: 'Contact',
    rules: [{ field: 'Email', method: 'email', weight: 1 }],
  });
  if (scenario.status !== 201) throw new Error(`scenario refused: ${JSON.stringify(scenario.body)}`);
  const dc = await api.post('/api/dc/jobs', { connectionId: connection.id, object: 'Contact' });
  if (dc.status !== 201) throw new Error(`DC job refused: ${JSON.stringify(dc.body)}`);
  const dcRun = await waitForRun(app, teamA.viewer, dc.body.run.id, undefined, 60_000);
  const groups = await api.get(`/api/dc/runs/${dcRun.id}/groups?limit=200`);
  const pair = groups.body.groups
    .flatMap((group: { pairs: { id: string; recordA: string }[] }) => group.pairs)
    .find((candidate: { id: string }) => candidate.id);
  if (!pair) throw new Error(`the DC run found no pair: ${JSON.stringify(groups.body).slice(0, 400)}`);
  return {
    connectionId: connection.id,
    integrationId,
    writeJobId,
    dcJobId: dc.body.job.id,
    writeRunId: writeRun.id,
    activityRunId: activityRun.id,
    dcRunId: dcRun.id,
    scenarioId: scenario.body.id,
    pairId: pair.id,
    recordId: pair.recordA,
    orgId: connection.orgId ?? '',
  };
}

/** Every row of every table, to prove team B's calls changed none of them. */
function snapshot(): Map<string, Set<string>> {
  const tables = rows(app, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'");
  return new Map(
    tables.map(({ name }) => [
      String(name),
      new Set(rows(app, `select * from "${String(name)}"`).map((row) => JSON.stringify(row))),
    ]),
  );
}

beforeAll(async () => {
  routes = await collectRoutes();
  sandbox = await startSandbox();
  orglink = await startOrgLink({ SANDBOX_URL: sandbox.url, CONNECTION_CHECK_MINUTES: '0' });
  app = orglink.app;
  a = await buildTeamA();
  teamB = createTeam(app, 'Bravo');
}, 120_000);
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

describe('the route table', () => {
  it('has an access level on every /api and /oauth route, and every public one was reviewed', () => {
    expect(routes.length).toBeGreaterThan(50);
    for (const route of routes) {
      if (isUnguardedInfrastructure(route)) continue;
      expect(route.url, `${key(route)} is outside /api and /oauth`).toMatch(/^\/(api|oauth)\//);
      expect(route.access, key(route)).toBeDefined();
      if (route.access === 'public') {
        expect(PUBLIC_ROUTES.has(key(route)), `${key(route)} is public: review it and add it to PUBLIC_ROUTES`).toBe(
          true,
        );
      } else {
        expect(PUBLIC_ROUTES.has(key(route)), `${key(route)} is listed public but needs ${route.access}`).toBe(false);
      }
    }
  });

  it('knows how to fill every route that names a resource, and every other one is classified', () => {
    for (const route of routes) {
      if (isUnguardedInfrastructure(route) || route.access === 'public') continue;
      urlsFor(route, a); // throws "add this route's params here" for an unknown param
      const extra = EXTRAS[key(route)];
      if (route.hasBody && route.url.includes(':')) {
        expect(
          extra?.body,
          `${key(route)}: add a valid body to EXTRAS, so team B's call reaches the team check`,
        ).toBeDefined();
      }
      if (!route.url.includes(':') && !extra) {
        expect(
          OWN_TEAM_ONLY.has(key(route)),
          `${key(route)}: say in EXTRAS which of team A's ids it can be given, or add it to OWN_TEAM_ONLY`,
        ).toBe(true);
      }
    }
  });
});

describe('authentication and roles on every non-public route', () => {
  it('answers 401 without a token and with a revoked one', async () => {
    const revoked = createTeam(app, 'Revoked').owner;
    const tokenRow = rows(app, 'select id from api_tokens where user_id = ?', revoked.userId)[0];
    revokeToken(app.db, String(tokenRow?.id));
    for (const route of routes.filter((entry) => entry.access && entry.access !== 'public')) {
      for (const url of urlsFor(route, a).slice(0, 1)) {
        const anonymous = await call(undefined, route.method, url);
        expect(anonymous.status, `${key(route)} without a token`).toBe(401);
        expect(JSON.parse(anonymous.text).error.code).toBe('UNAUTHORIZED');
        const stale = await call(revoked, route.method, url);
        expect(stale.status, `${key(route)} with a revoked token`).toBe(401);
        expect(JSON.parse(stale.text).error.message).toContain('no longer valid');
      }
    }
  });

  it('answers 403 to a viewer on admin and owner routes, and to an admin on owner routes', async () => {
    const before = snapshot();
    const rank: Record<Role, number> = { viewer: 0, admin: 1, owner: 2 };
    let refused = 0;
    for (const route of routes.filter((entry) => entry.access && entry.access !== 'public')) {
      const needed = route.access as Role;
      for (const role of ['viewer', 'admin'] as const) {
        if (rank[role] >= rank[needed]) continue;
        for (const url of urlsFor(route, a)) {
          const answer = await call(teamA[role], route.method, url, EXTRAS[key(route)]);
          expect(answer.status, `${key(route)} as ${role}`).toBe(403);
          expect(JSON.parse(answer.text).error.code).toBe('FORBIDDEN');
          refused += 1;
        }
      }
    }
    expect(refused).toBeGreaterThan(20);
    expect(snapshot()).toEqual(before);
  });
});

describe('browser origins on every route', () => {
  it('refuses another web origin with 403 ORIGIN_NOT_ALLOWED, preflight and public routes included', async () => {
    for (const route of routes.filter((entry) => !isUnguardedInfrastructure(entry))) {
      const url = urlsFor(route, a)[0] ?? route.url;
      const direct = await call(teamA.owner, route.method, url, EXTRAS[key(route)], { origin: 'https://evil.example' });
      expect(direct.status, `${key(route)} from evil.example`).toBe(403);
      expect(JSON.parse(direct.text).error.code).toBe('ORIGIN_NOT_ALLOWED');
      const preflight = await call(
        undefined,
        'OPTIONS',
        url,
        {},
        {
          origin: 'https://evil.example',
          'access-control-request-method': route.method,
        },
      );
      expect(preflight.status, `preflight of ${key(route)}`).toBe(403);
      // The extension itself is let through the preflight.
      const allowed = await call(
        undefined,
        'OPTIONS',
        url,
        {},
        {
          origin: EXTENSION_ORIGIN,
          'access-control-request-method': route.method,
        },
      );
      expect(allowed.status, `extension preflight of ${key(route)}`).toBe(204);
    }
  });
});

describe('team isolation on every route', () => {
  it("gives team B's owner 404 or 403 for team A's ids, never team A's data, and changes nothing of team A's", async () => {
    const before = snapshot();
    /** Things only team A has: none may reach team B, unless team B itself put it in the request. */
    const markers = [
      ...Object.values(a).filter((value) => value !== 'Contact'),
      'Alpha Secret Org',
      'Alpha scenario',
      'isabel.isolation@alpha.test',
      teamA.owner.userId,
      teamA.admin.userId,
      teamA.owner.displayName,
    ];
    let checked = 0;
    for (const route of routes.filter((entry) => entry.access && entry.access !== 'public')) {
      const routeKey = key(route);
      const extra = EXTRAS[routeKey];
      if (OWN_TEAM_ONLY.has(routeKey) && route.method !== 'GET') continue;
      if (routeKey === 'GET /api/events') continue;
      for (const url of urlsFor(route, a)) {
        const answer = await call(teamB.owner, route.method, url, extra);
        const sent = `${withQuery(url, extra?.query?.(a))} ${JSON.stringify(extra?.body?.(a) ?? '')}`;
        // Naming team A's thing in a path or body is refused; a list filtered by it is refused or empty.
        const expected = route.url.includes(':') || extra?.body ? [403, 404] : extra?.query ? [200, 404] : [200];
        expect(expected, `${routeKey} at ${url}: ${answer.text}`).toContain(answer.status);
        for (const marker of markers) {
          if (sent.includes(marker)) continue;
          expect(answer.text.includes(marker), `${routeKey} at ${url} leaked "${marker}"`).toBe(false);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(30);
    const after = snapshot();
    for (const [table, beforeRows] of before) {
      const afterRows = after.get(table) ?? new Set();
      const changed = [...beforeRows].filter((row) => !afterRows.has(row));
      expect(changed, `rows of ${table} changed or disappeared`).toEqual([]);
    }
    // The ids were real: team A itself finds every one of them (a refusal for another reason is fine here).
    for (const route of routes.filter((entry) => entry.method === 'GET' && entry.url.includes(':'))) {
      if (route.access === 'public') continue;
      for (const url of urlsFor(route, a)) {
        const own = await call(teamA.owner, 'GET', url, EXTRAS[key(route)]);
        const code = own.status === 200 ? 'OK' : String(JSON.parse(own.text).error?.code);
        expect(code, `${key(route)} at ${url} for team A: ${own.text.slice(0, 300)}`).not.toMatch(/NOT_FOUND$/);
      }
    }
  });
});
