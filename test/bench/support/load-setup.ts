import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FINAL_RUN_STATUSES, type JobRun } from '@orglink/shared';
import Fastify from 'fastify';
import { createInvite, redeemInvite } from '../../../server/src/domain/teams/team-service.ts';
import { connectSalesforce } from '../../integration/support/connect.ts';
import { createTeam, type Member, sharedDatabaseEnv, startOrgLink } from '../../integration/support/orglink.ts';
import { createIntegration } from '../../integration/support/write-job.ts';
import { createCatalogSimulator } from '../../sim/catalog/index.ts';
import { listenOrigins } from '../../sim/common/origins.ts';
import { startSandbox } from '../../sim/sandbox.ts';
import { startServerProcess } from '../../support/server-process.ts';

/**
 * What the write job and load benchmarks and the load test run against: a real server process on loopback, the
 * sandbox, a Catalog account of `users` users linked to the acme org's Contacts by a write job, and `viewers` more
 * members of the team, one per SSE client.
 */
export async function startLoadTarget(options: {
  users: number;
  viewers: number;
  /** The server process's LOG_LEVEL: 'warn' unless a benchmark wants its output quieter still. */
  logLevel?: string;
}) {
  const sandbox = await startSandbox();
  const catalog = createCatalogSimulator({
    accounts: [{ subdomain: 'load', hostname: 'load.catalog.instructure.com', users: options.users, duplicateRate: 0 }],
  });
  const catalogListening = await listenOrigins(catalog.app, catalog.origins);
  // The sandbox index with the big Catalog account in place of the default ones.
  const index = Fastify();
  index.get('/', async () => ({
    ...((await (await fetch(sandbox.url)).json()) as object),
    catalog: catalog.describe(),
  }));
  const indexUrl = `${await index.listen({ host: '127.0.0.1', port: 0 })}/`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-load-'));
  const env = sharedDatabaseEnv(dataDir, indexUrl);

  const setup = await startOrgLink(env);
  const team = createTeam(setup.app);
  const { connection } = await connectSalesforce(setup.app, sandbox, team.admin, { name: 'Acme', org: 'acme' });
  const account = catalog.account('load');
  const { integrationId } = createIntegration(setup.app, sandbox, team.admin, {
    connectionId: connection.id,
    account,
  });
  const viewerTokens = Array.from({ length: options.viewers }, (_, at) => {
    const { code } = createInvite(setup.app.db, { teamId: team.admin.teamId, role: 'viewer', createdBy: null });
    return redeemInvite(setup.app.db, { code, displayName: `Load viewer ${at + 1}` }).token;
  });
  await setup.close();

  const server = await startServerProcess({ ...env, LOG_LEVEL: options.logLevel ?? 'warn' });
  const call = async (member: Member, method: 'GET' | 'POST', url: string) => {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${member.token}` },
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${JSON.stringify(body)}`);
    return body;
  };

  return {
    sandbox,
    account,
    server,
    team,
    viewerTokens,
    /** Runs the write job now, as an admin clicking Run Write Job; the run's id. */
    async runWriteJob(): Promise<string> {
      const body = (await call(team.admin, 'POST', `/api/integrations/${integrationId}/run`)) as { run: JobRun };
      return body.run.id;
    },
    /** Polls every `pollMs`: rarely under load, so the polling itself is not part of it; often when timing a run. */
    async waitForRun(runId: string, timeoutMs: number, pollMs = 250): Promise<JobRun> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = (await call(team.admin, 'GET', `/api/runs/${runId}`)) as unknown as JobRun;
        if (FINAL_RUN_STATUSES.includes(run.status)) return run;
        if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },
    /** The server's own view (GET /api/diagnostics) of the last `windowSeconds`. */
    async diagnostics(windowSeconds: number) {
      return (await call(team.admin, 'GET', `/api/diagnostics?windowSeconds=${windowSeconds}`)) as {
        memory: { rssMb: number };
        eventLoop: { window: { delay: { samples: number; p50Ms: number; p99Ms: number; maxMs: number } } };
      };
    },
    /** The read mix: what popups, widgets and pages ask while a job runs. */
    readPaths(runId: string): string[] {
      return [
        '/api/runs',
        `/api/runs/${runId}`,
        '/api/connections',
        `/api/runs?connection=${connection.id}`,
        '/api/jobs',
        `/api/runs/${runId}`,
        '/api/me',
        `/api/connections/${connection.id}`,
        `/api/integrations/${integrationId}`,
        '/api/health',
      ];
    },
    async close() {
      await server.stop();
      await index.close();
      await catalogListening.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type LoadTarget = Awaited<ReturnType<typeof startLoadTarget>>;
