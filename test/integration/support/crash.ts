import { FINAL_RUN_STATUSES, type JobRun } from '@orglink/shared';
import { openDatabase } from '../../../server/src/db/database.ts';
import { mulberry32 } from '../../sim/common/random.ts';
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

/**
 * Kills the server at once when `check` first holds (polled every 10 ms), plus `extraMs`: a kill aimed at one step of
 * a run rather than at a random time. Fails, killing nothing, if the step never comes.
 */
export async function killWhen(
  server: ServerProcess,
  check: () => boolean,
  what: string,
  { extraMs = 0, timeoutMs = 30_000 }: { extraMs?: number; timeoutMs?: number } = {},
) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (extraMs > 0) await new Promise((resolve) => setTimeout(resolve, extraMs));
  await killHard(server);
}

/** Waits until the run has ended on `server` and returns it as it ended. */
export async function runEndOver(server: ServerProcess, member: Member, runId: string, timeoutMs = 30_000) {
  let ended: JobRun | undefined;
  await until(
    async () => {
      ended = await getRunOver(server, member, runId);
      return FINAL_RUN_STATUSES.includes(ended.status);
    },
    timeoutMs,
    `run ${runId} to end`,
  );
  if (!ended) throw new Error('the run was never read');
  return ended;
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
  const ended = await runEndOver(server, member, runId);
  await server.stop();
  return ended;
}

export type KillPoint = 'before the run started' | 'mid-run' | 'after the run ended';

/**
 * Where a kill -9 caught a run, read from the dead server's database file. A lease the dead server held is expired
 * here: a restart takes a crashed server's run over only once its lease (10 s) runs out, which runner-crash.test.ts
 * proves; the trials skip that wait so twenty of them fit in the test budget.
 */
export function inspectAfterKill(databasePath: string, runId: string): { landed: KillPoint; processed: number } {
  const db = openDatabase(databasePath);
  try {
    const row = db.$client.prepare('select status, processed from job_runs where id = ?').get(runId) as
      | { status: string; processed: number }
      | undefined;
    if (!row) throw new Error(`run ${runId} is not in ${databasePath}`);
    db.$client
      .prepare("update job_runs set lease_expires_at = ? where id = ? and status = 'running'")
      .run(new Date(0).toISOString(), runId);
    const landed: KillPoint =
      row.status === 'queued' ? 'before the run started' : row.status === 'running' ? 'mid-run' : 'after the run ended';
    return { landed, processed: row.processed };
  } finally {
    db.$client.close();
  }
}

export interface KillTrials {
  /** Names the kind of run in the printed lines, e.g. "write". */
  label: string;
  env: Record<string, string>;
  /** Every server process started, so the test's afterAll can kill what a failure left running. */
  servers: ServerProcess[];
  member: Member;
  trials: number;
  seed: number;
  /** A server already running on `env`'s database, to save a start; otherwise one is started. */
  server?: ServerProcess;
  /** Prepares the CRM for trial `trial` (0 is the undisturbed run) and starts its run on `server`; returns its id. */
  start(server: ServerProcess, trial: number): Promise<string>;
  /** Called once the server is dead, before the restart: e.g. lift the latency that made the kill land mid-run. */
  killed?(): void;
  /** Reads what the undisturbed run left (trial 0). */
  undisturbed(ended: JobRun): Promise<void> | void;
  /** Checks a killed and resumed trial against the undisturbed run. */
  verify(ended: JobRun, trial: number): Promise<void> | void;
}

export interface KillTrialsReport {
  undisturbedMs: number;
  landed: Record<KillPoint, number>;
  lines: string[];
  /** The last restarted server, still running: the caller stops it or hands it to the next trials. */
  server: ServerProcess;
}

/**
 * kill -9 trials on one database: an undisturbed run is timed, then each trial starts the same kind of run, kills
 * the server after a delay drawn (seeded) uniformly within that time, restarts it, waits for the run to end and checks
 * it. The restarted server carries the next trial (and is returned), so each trial costs one server start.
 */
export async function runKillTrials(options: KillTrials): Promise<KillTrialsReport> {
  const random = mulberry32(options.seed);
  const start = () => startServerProcess({ ...options.env, LOG_LEVEL: 'silent' });
  const lines: string[] = [];
  const landed: Record<KillPoint, number> = { 'before the run started': 0, 'mid-run': 0, 'after the run ended': 0 };
  let server = options.server ?? (await start());
  if (!options.server) options.servers.push(server);
  const startedAt = performance.now();
  const baselineId = await options.start(server, 0);
  const baseline = await runEndOver(server, options.member, baselineId);
  const undisturbedMs = performance.now() - startedAt;
  options.killed?.();
  await options.undisturbed(baseline);
  for (let trial = 1; trial <= options.trials; trial += 1) {
    const delayMs = Math.floor(random() * undisturbedMs);
    const what = `${options.label} trial ${trial}/${options.trials} (seed ${options.seed}, kill after ${delayMs} ms)`;
    const runId = await options.start(server, trial);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    await killHard(server);
    options.killed?.();
    const point = inspectAfterKill(options.env.DATABASE_PATH ?? '', runId);
    landed[point.landed] += 1;
    const restartedAt = performance.now();
    server = await start();
    options.servers.push(server);
    const restartMs = Math.round(performance.now() - restartedAt);
    try {
      const ended = await runEndOver(server, options.member, runId);
      await options.verify(ended, trial);
      lines.push(
        `${what}: landed ${point.landed} (${point.processed} processed), restarted in ${restartMs} ms, resumed to ${ended.status}`,
      );
    } catch (error) {
      throw new Error(`${what}, landed ${point.landed}: ${(error as Error).message}`, { cause: error });
    }
  }
  return { undisturbedMs: Math.round(undisturbedMs), landed, lines, server };
}
