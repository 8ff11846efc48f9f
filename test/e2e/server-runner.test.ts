import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.ts';
import { runServer, startServerProcess } from '../support/server-process.ts';

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
