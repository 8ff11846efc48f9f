import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Role, ServerEvent } from '@orglink/shared';
import { buildServer } from '../../../server/src/build-server.ts';
import { teams } from '../../../server/src/db/schema.ts';
import { createInvite, redeemInvite } from '../../../server/src/domain/teams/team-service.ts';
import { loadConfig } from '../../../server/src/plugins/config.ts';

export type OrgLinkApp = Awaited<ReturnType<typeof buildServer>>;

export interface RunningOrgLink {
  app: OrgLinkApp;
  /** Where the server listens; also its publicUrl, so CRM redirects come back to it. */
  url: string;
  close(): Promise<void>;
}

/**
 * The real app, in process, listening on a free loopback port (the CRMs redirect the browser to it), configured from
 * environment-style variables exactly as the runner does.
 */
export async function startOrgLink(env: Record<string, string>): Promise<RunningOrgLink> {
  const config = loadConfig({ DATABASE_PATH: ':memory:', LOG_LEVEL: 'silent', ...env });
  const app = await buildServer(config);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  app.config.publicUrl = url;
  return { app, url, close: () => app.close() };
}

export interface Member {
  teamId: string;
  displayName: string;
  userId: string;
  role: Role;
  token: string;
}

let teamCount = 0;

/** A team with one member per role, made through the real invite path. */
export function createTeam(app: OrgLinkApp, name = `Team ${++teamCount}`): Record<Role, Member> {
  const teamId = `team-${teamCount}-${Math.random().toString(36).slice(2, 8)}`;
  app.db.insert(teams).values({ id: teamId, name }).run();
  const member = (role: Role): Member => {
    const { code } = createInvite(app.db, { teamId, role, createdBy: null });
    const displayName = `${name} ${role}`;
    const redeemed = redeemInvite(app.db, { code, displayName });
    return { teamId, displayName, userId: redeemed.me.user.id, role, token: redeemed.token };
  };
  return { owner: member('owner'), admin: member('admin'), viewer: member('viewer') };
}

export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
  body: any;
}

/** JSON API calls as a member, through app.inject. */
export function apiAs(app: OrgLinkApp, member: Member | undefined) {
  const call = async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
  ): Promise<ApiAnswer> => {
    const response = await app.inject({
      method,
      url,
      headers: member ? { authorization: `Bearer ${member.token}` } : {},
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  };
  return {
    get: (url: string) => call('GET', url),
    post: (url: string, payload?: unknown) => call('POST', url, payload),
    patch: (url: string, payload: unknown) => call('PATCH', url, payload),
    delete: (url: string) => call('DELETE', url),
  };
}

/** Rows straight from SQLite (the test package reads the database without the server's query builder). */
export function rows(app: OrgLinkApp, query: string, ...params: unknown[]): Record<string, unknown>[] {
  return app.db.$client.prepare(query).all(...params) as Record<string, unknown>[];
}

export function connectionRow(app: OrgLinkApp, id: string): Record<string, unknown> | undefined {
  return rows(app, 'select * from connections where id = ?', id)[0];
}

/** Every event published to a team, in order, until stop() is called. */
export function recordEvents(app: OrgLinkApp, teamId: string) {
  const events: ServerEvent[] = [];
  const stop = app.events.subscribe(teamId, (event) => events.push(event));
  return { events, stop };
}

/**
 * The environment of an OrgLink set up in process and then run as a server process on the same database (and key):
 * the crash tests and the benchmarks. Connection checks are off, so only the test's own calls reach the CRM.
 */
export function sharedDatabaseEnv(dataDir: string, sandboxUrl: string): Record<string, string> {
  return {
    DATABASE_PATH: path.join(dataDir, 'orglink.db'),
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    SANDBOX_URL: sandboxUrl,
    CONNECTION_CHECK_MINUTES: '0',
  };
}
