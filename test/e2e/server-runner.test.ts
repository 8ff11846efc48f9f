import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { repoRoot } from '../support/paths.ts';
import { runServer, startServerProcess } from '../support/server-process.ts';

function createInviteCli(databasePath: string, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(repoRoot, 'server', 'src', 'cli', 'create-invite.ts'), ...args], {
    env: { ...process.env, DATABASE_PATH: databasePath },
    encoding: 'utf8',
  });
}

// The runner as `npm start` runs it: configuration errors as one line, a migrated database, and a clean close.
describe('server runner', () => {
  it('creates and migrates the database, answers health, and closes the server and database on SIGTERM', async () => {
    const server = await startServerProcess();
    expect(existsSync(server.databasePath)).toBe(true);
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health.database.status).toBe('ok');
    const code = await server.stop();
    expect(code).toBe(0);
    const { stdout } = server.output();
    expect(stdout).toContain('database closed');
    expect(stdout).toContain('OrgLink server stopped');
  });

  it('prints an owner invite on the first start only, and the CLI makes more', async () => {
    const first = await startServerProcess();
    const invite = /First start: your team was created[\s\S]*?\n {2}(olinv_[A-Za-z0-9_-]+)\n/.exec(
      first.output().stdout,
    )?.[1];
    expect(invite).toBeDefined();
    // The invite is a credential: it goes to the terminal, never into the JSON log lines.
    const logLines = first
      .output()
      .stdout.split('\n')
      .filter((line) => line.startsWith('{'));
    expect(logLines.some((line) => line.includes(invite ?? 'none'))).toBe(false);

    const second = await startServerProcess({ DATABASE_PATH: first.databasePath });
    expect(second.output().stdout).not.toContain('First start');
    await second.stop();

    const cli = createInviteCli(first.databasePath, '--role', 'viewer');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(
      /^Invite for My team \(viewer\), valid until \d{4}-\d\d-\d\dT[\d:.]+Z:\nolinv_[A-Za-z0-9_-]+\n$/,
    );
    const redeemed = await fetch(`${first.url}/api/auth/redeem`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: cli.stdout.trim().split('\n')[1], displayName: 'Viewer' }),
    });
    expect((await redeemed.json()).me.role).toBe('viewer');

    const badRole = createInviteCli(first.databasePath, '--role', 'king');
    expect(badRole.status).toBe(1);
    expect(badRole.stderr).toBe('orglink invite: --role must be one of owner, admin, viewer (got "king").\n');
    expect(await first.stop()).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, /^OrgLink server did not start: PORT must be a whole number from 0 to 65535 \(got "eighty"\)/],
    [{ PORT: '99999' }, /^OrgLink server did not start: PORT must be/],
    [{ LOG_LEVEL: 'chatty' }, /^OrgLink server did not start: LOG_LEVEL must be one of/],
  ])('exits with one line, not a stack trace, for %j', async (env, expected) => {
    const run = runServer({ DATABASE_PATH: ':memory:', ...env });
    expect(await run.exited).toBe(1);
    const { stderr } = run.output();
    expect(stderr).toMatch(expected);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says which port is taken when another process holds it', async () => {
    const port = await freePort();
    const holder = createServer().listen(port, '127.0.0.1');
    await new Promise((resolve) => holder.once('listening', resolve));
    try {
      const run = runServer({ PORT: String(port), DATABASE_PATH: ':memory:' });
      expect(await run.exited).toBe(1);
      expect(run.output().stderr.trim()).toBe(
        `OrgLink server did not start: port ${port} on 127.0.0.1 is already in use. Stop the other process or set PORT to a free port.`,
      );
    } finally {
      holder.close();
    }
  });
});
