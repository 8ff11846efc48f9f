import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SERVER_NODE_FLAGS, serverEnvironment } from '../../server/src/server-launch.ts';
import { freePort } from './free-port.ts';
import { repoRoot, serverEntry } from './paths.ts';

export interface ServerProcess {
  url: string;
  port: number;
  databasePath: string;
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  /** Sends SIGTERM and resolves with the exit code once the process has closed. */
  stop: () => Promise<number | null>;
}

/** Runs the real runner (`node server/src/server.ts`) as `npm start` does, on a free port with its own database. */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'orglink-e2e-'));
  // A caller may point a second server at the first one's database (restarts, two starts).
  const databasePath = env.DATABASE_PATH ?? path.join(dataDir, 'orglink.db');
  const { child, output, exited } = runServer({ PORT: String(port), DATABASE_PATH: databasePath, ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilHealthy(url, child, output);
  return {
    url,
    port,
    databasePath,
    child,
    output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** Spawns the runner with the given environment and collects what it prints. */
export function runServer(env: Record<string, string>) {
  // Started as `npm start` starts it (scripts/orglink.mjs), so tests and benchmarks run the server as users do.
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, serverEntry], {
    cwd: repoRoot,
    env: serverEnvironment({ ...process.env, LOG_LEVEL: 'info', ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

async function waitUntilHealthy(url: string, child: ChildProcess, output: ServerProcess['output']) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}: ${output().stderr}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not become healthy within 30 s: ${output().stderr}`);
}
