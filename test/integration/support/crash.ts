import type { JobRun } from '@orglink/shared';
import { type ServerProcess, startServerProcess } from '../../support/server-process.ts';
import type { Member } from './orglink.ts';

// Steps of the kill -9 tests: a real server process is killed mid-run, and a new one on the same database resumes.

/** A run as a member sees it through a server process's API. */
export async function getRunOver(server: ServerProcess, member: Member, runId: string): Promise<JobRun> {
  const response = await fetch(`${server.url}/api/runs/${runId}`, {
    headers: { authorization: `Bearer ${member.token}` },
  });
  return (await response.json()) as JobRun;
}

/** Polls until `check` holds, failing with what was awaited when the time is up. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Kills the server process at once, as a crash would, and waits until it is gone. */
export async function killHard(server: ServerProcess) {
  server.child.kill('SIGKILL');
  await new Promise((resolve) => server.child.once('exit', resolve));
}

/** Starts a new server on the same database and waits until the interrupted run has ended there; then stops it. */
export async function restartUntilRunEnds(
  env: Record<string, string>,
  servers: ServerProcess[],
  member: Member,
  runId: string,
): Promise<JobRun> {
  const server = await startServerProcess({ ...env, LOG_LEVEL: 'silent' });
  servers.push(server);
  let ended: JobRun | undefined;
  await until(
    async () => {
      ended = await getRunOver(server, member, runId);
      return ['completed', 'completed-with-errors', 'failed', 'aborted'].includes(ended.status);
    },
    30_000,
    'the resumed run to end',
  );
  await server.stop();
  if (!ended) throw new Error('the resumed run was never read');
  return ended;
}
