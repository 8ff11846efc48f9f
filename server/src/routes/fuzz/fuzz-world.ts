import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import type { FastifyInstance } from 'fastify';
import {
  connections,
  dcGroups,
  dcPairs,
  dcRecords,
  integrations,
  jobRuns,
  jobs,
  runRecords,
  teams,
} from '../../db/schema.ts';
import { type StoredCredentials, sealCredentials } from '../../domain/connections/credentials.ts';
import { createInvite, ensureFirstTeam, redeemInvite } from '../../domain/teams/team-service.ts';

/**
 * A loopback port that accepts TCP connections and drops them at once: the CRMs, the Catalog and the sandbox index
 * all point here, so a route that calls upstream fails fast, never reaches the internet, and is counted.
 */
export class DeadUpstream {
  #server: Server | undefined;
  connections = 0;

  async start(): Promise<string> {
    const server = createServer((socket) => {
      this.connections += 1;
      socket.destroy();
    });
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('the dead upstream did not get a port');
    return `http://127.0.0.1:${address.port}`;
  }

  async stop() {
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

export interface TeamTokens {
  teamId: string;
  userId: string;
  owner: string;
  admin: string;
  viewer: string;
}

/** The kinds of resource a path parameter or a body field can name. */
export type ResourceKind = 'connection' | 'integration' | 'job' | 'run' | 'dc-run' | 'pair' | 'scenario';

export type IdsByKind = Record<ResourceKind, string[]>;

/** The ids the fuzzer aims at: this team's resources of every kind and state, another team's, and deleted ones. */
export interface FuzzWorld {
  mine: TeamTokens;
  theirs: TeamTokens;
  ids: {
    mine: string[];
    theirs: string[];
    recordIds: string[];
    /** This team's ids by kind: a request that names the right kind of resource gets past the lookup. */
    mineByKind: IdsByKind;
    /** Connections that can run things (active, with credentials): what a job or a query needs. */
    activeConnections: string[];
    /** Unused invite codes of this team: each lets one sign-in succeed. */
    inviteCodes: string[];
  };
  /** A fresh token of a new member of this team: for routes that revoke the token they are called with. */
  freshToken(role: 'owner' | 'admin' | 'viewer'): string;
}

function joinTeam(app: FastifyInstance, teamId: string, role: 'owner' | 'admin' | 'viewer', name: string) {
  const { code } = createInvite(app.db, { teamId, role, createdBy: null });
  return redeemInvite(app.db, { code, displayName: name });
}

function seedTeam(app: FastifyInstance, teamId: string, label: string): TeamTokens {
  const owner = joinTeam(app, teamId, 'owner', `${label} owner`);
  return {
    teamId,
    userId: owner.me.user.id,
    owner: owner.token,
    admin: joinTeam(app, teamId, 'admin', `${label} admin`).token,
    viewer: joinTeam(app, teamId, 'viewer', `${label} viewer`).token,
  };
}

interface ConnectionSeed {
  name: string;
  kind: 'salesforce' | 'dynamics';
  status: 'pending' | 'active' | 'paused' | 'inactive';
  authMethod?: 'oauth' | 'client-credentials' | 'password';
  environment?: string;
  pendingOrgId?: string;
  deleted?: boolean;
}

/** Tokens that look real but lead only to the dead upstream. */
function fakeCredentials(seed: ConnectionSeed, upstream: string, orgId: string): StoredCredentials {
  if (seed.kind === 'dynamics') {
    return {
      kind: 'dynamics',
      msalCache: '{}',
      homeAccountId: 'fuzz.home',
      username: 'fuzz@example.com',
      scope: `${upstream}/user_impersonation`,
      webApiUrl: `${upstream}/api/data/v9.2/`,
      environmentUrl: upstream,
      environmentId: null,
      orgId,
      orgName: seed.name,
      userId: 'fuzz-user',
    };
  }
  return {
    kind: 'salesforce',
    accessToken: 'fuzz-access-token',
    refreshToken: seed.authMethod === 'password' ? '' : 'fuzz-refresh-token',
    instanceUrl: upstream,
    identityUrl: `${upstream}/id/${orgId}/005000000000001AAA`,
    orgId,
    orgName: seed.name,
    userId: '005000000000001AAA',
    username: 'fuzz@example.com',
    ...(seed.authMethod === 'password'
      ? {
          classic: {
            method: 'password' as const,
            via: 'oauth' as const,
            username: 'fuzz@example.com',
            password: 'pw',
            securityToken: 'st',
          },
        }
      : {}),
  };
}

function seedConnection(app: FastifyInstance, team: TeamTokens, upstream: string, seed: ConnectionSeed): string {
  const id = randomUUID();
  const orgId = `00D${randomUUID().replaceAll('-', '').slice(0, 15).toUpperCase()}`;
  const credentials =
    seed.status === 'pending' || seed.status === 'inactive'
      ? null
      : sealCredentials(app.secrets, id, fakeCredentials(seed, upstream, orgId));
  app.db
    .insert(connections)
    .values({
      id,
      teamId: team.teamId,
      name: seed.name,
      kind: seed.kind,
      environment: seed.environment ?? (seed.kind === 'salesforce' ? 'production' : 'public'),
      authMethod: seed.authMethod ?? 'oauth',
      externalOrgId: seed.status === 'pending' ? null : orgId,
      orgName: seed.name,
      instanceUrl: seed.status === 'pending' ? null : upstream,
      status: seed.status,
      pausedAt: seed.status === 'paused' ? new Date().toISOString() : null,
      pendingOrgId: seed.pendingOrgId ?? null,
      credentials,
      dpaAcceptedBy: seed.status === 'pending' ? null : team.userId,
      dpaAcceptedAt: seed.status === 'pending' ? null : new Date().toISOString(),
      createdBy: team.userId,
      deletedAt: seed.deleted ? new Date().toISOString() : null,
    })
    .run();
  return id;
}

/** Cells an exported CSV must neutralise, and text that must stay text. */
const HOSTILE_CELLS = [
  '=1+1',
  '+SUM(A1)',
  '-2+3',
  '@cmd',
  '\t=x',
  '\r=x',
  ' =1+1',
  '\n@x',
  'a,"b"\nc',
  '<script>alert(1)</script>',
];

function seedRuns(app: FastifyInstance, team: TeamTokens, connectionId: string, integrationJobId: string) {
  const runIds: string[] = [];
  const statuses = ['completed-with-errors', 'queued', 'running', 'holding', 'failed', 'aborted'] as const;
  for (const [index, status] of statuses.entries()) {
    const kind = (['write', 'duplicate-check', 'activity'] as const)[index % 3] ?? 'write';
    const id = randomUUID();
    app.db
      .insert(jobRuns)
      .values({
        id,
        teamId: team.teamId,
        jobId: kind === 'write' ? integrationJobId : null,
        kind,
        title: `${kind} run =cmd`,
        connectionId,
        connectionName: '=HYPERLINK("x")',
        status,
        trigger: 'manual',
        total: HOSTILE_CELLS.length,
        processed: HOSTILE_CELLS.length,
        failed: 2,
        awaitingStart: status === 'holding',
        startedBy: team.userId,
        startedByName: '@owner',
        startedAt: new Date().toISOString(),
        finishedAt: ['completed-with-errors', 'failed', 'aborted'].includes(status) ? new Date().toISOString() : null,
      })
      .run();
    for (const [at, cell] of HOSTILE_CELLS.entries()) {
      app.db
        .insert(runRecords)
        .values({
          runId: id,
          sourceKey: `${cell}-${at}`,
          targetId: at % 2 ? null : '003000000000001AAA',
          action: at % 3 === 0 ? 'failed' : 'created',
          errorCode: at % 3 === 0 ? 'FIELD_CUSTOM_VALIDATION_EXCEPTION' : null,
          message: at % 3 === 0 ? cell : null,
        })
        .run();
    }
    runIds.push(id);
  }
  return runIds;
}

function seedDuplicateGroups(app: FastifyInstance, runId: string): { pairId: string; recordIds: string[] } {
  const groupId = `dcg_${randomUUID()}`;
  const recordIds = ['003000000000001AAA', '003000000000002AAA'];
  app.db.insert(dcGroups).values({ id: groupId, runId, rank: 0, score: 91, size: 2 }).run();
  for (const recordId of recordIds) {
    app.db
      .insert(dcRecords)
      .values({ runId, recordId, groupId, object: 'Contact', name: '=Ada', values: { Email: '@x', LastName: '-1' } })
      .run();
  }
  const pairId = `dcp_${randomUUID()}`;
  app.db
    .insert(dcPairs)
    .values({
      id: pairId,
      runId,
      groupId,
      recordA: recordIds[0] ?? '',
      recordB: recordIds[1] ?? '',
      score: 91,
      scenarioId: 'builtin-contact',
      scenarioName: '+Contacts',
      fields: [{ field: 'Email', method: 'exact', weight: 10, score: 100, reason: '=same' }],
    })
    .run();
  return { pairId, recordIds };
}

function seedIntegration(app: FastifyInstance, team: TeamTokens, connectionId: string) {
  const jobId = randomUUID();
  app.db
    .insert(jobs)
    .values({
      id: jobId,
      teamId: team.teamId,
      connectionId,
      kind: 'write',
      name: 'Catalog -> Contact',
      schedule: '0 0 * * *',
      createdBy: team.userId,
    })
    .run();
  const id = randomUUID();
  app.db
    .insert(integrations)
    .values({
      id,
      teamId: team.teamId,
      connectionId,
      jobId,
      catalogHost: `fuzz-${id.slice(0, 8)}.catalog.instructure.com`,
      catalogToken: app.secrets.seal('fuzz-catalog-token', id),
      target: 'Contact',
      matchKey: 'email',
      fieldMap: [
        { target: 'FirstName', source: 'first_name' },
        { target: 'LastName', source: 'last_name' },
        { target: 'Email', source: 'email' },
      ],
      createdBy: team.userId,
    })
    .run();
  return { integrationId: id, jobId };
}

interface TeamResources {
  byKind: IdsByKind;
  activeConnections: string[];
}

function seedDuplicateCheckJob(app: FastifyInstance, team: TeamTokens, connectionId: string): string {
  const id = randomUUID();
  app.db
    .insert(jobs)
    .values({
      id,
      teamId: team.teamId,
      connectionId,
      kind: 'duplicate-check',
      name: 'Contacts =dupes',
      schedule: '0 3 * * *',
      config: { object: 'Contact' },
      createdBy: team.userId,
    })
    .run();
  return id;
}

function seedTeamResources(app: FastifyInstance, team: TeamTokens, upstream: string, label: string): TeamResources {
  const active = seedConnection(app, team, upstream, {
    name: `${label} Production`,
    kind: 'salesforce',
    status: 'active',
  });
  const others = [
    seedConnection(app, team, upstream, {
      name: `${label} Password`,
      kind: 'salesforce',
      status: 'active',
      authMethod: 'password',
    }),
    seedConnection(app, team, upstream, { name: `${label} Dynamics`, kind: 'dynamics', status: 'active' }),
    seedConnection(app, team, upstream, { name: `${label} Paused`, kind: 'salesforce', status: 'paused' }),
    seedConnection(app, team, upstream, { name: `${label} Pending`, kind: 'salesforce', status: 'pending' }),
    seedConnection(app, team, upstream, { name: `${label} Inactive`, kind: 'salesforce', status: 'inactive' }),
    seedConnection(app, team, upstream, {
      name: `${label} Refreshed sandbox`,
      kind: 'salesforce',
      status: 'active',
      environment: 'sandbox',
      pendingOrgId: '00D000000000999AAA',
    }),
    seedConnection(app, team, upstream, {
      name: `${label} Deleted`,
      kind: 'salesforce',
      status: 'paused',
      deleted: true,
    }),
  ];
  const { integrationId, jobId } = seedIntegration(app, team, active);
  // A second integration with no run in progress: "Run now" on the first one finds its held run and refuses.
  const idle = seedIntegration(app, team, active);
  const dcJobId = seedDuplicateCheckJob(app, team, active);
  const runIds = seedRuns(app, team, active, jobId);
  const dcRun = runIds[1] ?? '';
  const { pairId } = seedDuplicateGroups(app, dcRun);
  return {
    byKind: {
      connection: [active, ...others],
      integration: [integrationId, idle.integrationId],
      job: [jobId, idle.jobId, dcJobId],
      run: runIds,
      'dc-run': [dcRun],
      pair: [pairId],
      scenario: [],
    },
    activeConnections: [active],
  };
}

function allIds(byKind: IdsByKind): string[] {
  return Object.values(byKind).flat();
}

/** Enough for every well-formed sign-in the fuzz sends to one route: a redeemed code is spent. */
const INVITE_CODES = 60;

/** Two teams with members of every role, and resources of every kind in both, pointing at a dead upstream. */
export async function seedFuzzWorld(app: FastifyInstance, upstream: string): Promise<FuzzWorld> {
  const firstInvite = ensureFirstTeam(app.db, 'Fuzz team');
  const first = redeemInvite(app.db, { code: firstInvite?.code ?? '', displayName: 'First owner' });
  const mine = seedTeam(app, first.me.team.id, 'Mine');
  const theirTeamId = randomUUID();
  app.db.insert(teams).values({ id: theirTeamId, name: 'Their team' }).run();
  const theirs = seedTeam(app, theirTeamId, 'Theirs');

  const mineResources = seedTeamResources(app, mine, upstream, 'Mine');
  const theirResources = seedTeamResources(app, theirs, upstream, 'Theirs');
  const scenario = await app.inject({
    method: 'POST',
    url: '/api/dc/scenarios',
    headers: { authorization: `Bearer ${mine.owner}` },
    payload: { name: 'Fuzz scenario', object: 'Contact', rules: [{ field: 'Email', method: 'exact' }] },
  });
  if (scenario.statusCode !== 201) throw new Error(`seeding a scenario failed: ${scenario.body}`);
  mineResources.byKind.scenario.push(scenario.json().id);
  const inviteCodes = Array.from(
    { length: INVITE_CODES },
    () => createInvite(app.db, { teamId: mine.teamId, role: 'viewer', createdBy: null }).code,
  );

  return {
    mine,
    theirs,
    ids: {
      mine: allIds(mineResources.byKind),
      theirs: allIds(theirResources.byKind),
      recordIds: ['003000000000001AAA', '003000000000002AAA'],
      mineByKind: mineResources.byKind,
      activeConnections: mineResources.activeConnections,
      inviteCodes,
    },
    freshToken: (role) => joinTeam(app, mine.teamId, role, `Signing-out ${role}`).token,
  };
}
