// The load generator's thread (started by load-generator.ts): SSE clients and open-model read requests against an
// OrgLink server. A thread of its own so that the benchmark's in-process simulators, busy with the write job, cannot
// delay the requests it sends or the clock it reads, and so skew the latencies.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadCommand, LoadMessage, ReadLoadResult, SseClientReport, WorkerSetup } from './load-types.ts';

const setup = workerData as WorkerSetup;
const port = parentPort;
if (!port) throw new Error('load-worker.ts runs as a worker thread (see load-generator.ts)');
const send = (message: LoadMessage) => port.postMessage(message);

// ---- SSE clients -------------------------------------------------------------------------------------------------

interface SseClient {
  report: SseClientReport;
  request: http.ClientRequest;
}

const sseAgent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
const sseClients: SseClient[] = [];
let closing = false;

function openSseClient(token: string): Promise<SseClient> {
  return new Promise((resolve) => {
    const report: SseClientReport = { opened: false, open: false, events: 0, runs: {} };
    const request = http.get(`${setup.baseUrl}/api/events`, {
      agent: sseAgent,
      headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    const client = { report, request };
    const ended = (why: string) => {
      if (report.open && !closing) report.endedBecause = why;
      report.open = false;
      resolve(client);
    };
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        report.endedBecause = `answered ${response.statusCode}`;
        response.resume();
        return resolve(client);
      }
      response.setEncoding('utf8');
      let buffered = '';
      response.on('data', (chunk: string) => {
        if (!report.opened && chunk.includes(': connected')) {
          report.opened = true;
          report.open = true;
          resolve(client);
        }
        buffered += chunk;
        let end = buffered.indexOf('\n\n');
        while (end >= 0) {
          readSseMessage(report, buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          end = buffered.indexOf('\n\n');
        }
      });
      response.on('end', () => ended('the server ended the stream'));
      response.on('error', (error) => ended(error.message));
    });
    request.on('error', (error) => ended(error.message));
  });
}

function readSseMessage(report: SseClientReport, message: string) {
  const data = message
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6))
    .join('\n');
  if (!data) return; // a comment: connected or heartbeat
  report.events += 1;
  const event = JSON.parse(data) as {
    type: string;
    run?: { id: string; status: string; counts: { processed: number }; stage?: string | null };
  };
  if (event.type !== 'run.changed' || !event.run) return;
  const run = report.runs[event.run.id] ?? { statuses: [], events: 0, progressEvents: 0, maxProcessed: 0 };
  report.runs[event.run.id] = run;
  run.events += 1;
  if (run.statuses.at(-1) !== event.run.status) run.statuses.push(event.run.status);
  if (event.run.status === 'running' && (event.run.counts.processed > 0 || event.run.stage)) run.progressEvents += 1;
  run.maxProcessed = Math.max(run.maxProcessed, event.run.counts.processed);
}

// ---- Read requests at a constant arrival rate --------------------------------------------------------------------

const readAgent = new http.Agent({ keepAlive: true, maxSockets: setup.maxReadSockets });

function readOnce(path: string): Promise<{ ok: boolean; problem?: string }> {
  return new Promise((resolve) => {
    const request = http.get(
      `${setup.baseUrl}${path}`,
      { agent: readAgent, headers: { authorization: `Bearer ${setup.readToken}` }, timeout: 15_000 },
      (response) => {
        response.resume();
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? { ok: true } : { ok: false, problem: `${status} ${path}` });
        });
        response.on('error', (error) => resolve({ ok: false, problem: `${error.message} ${path}` }));
      },
    );
    request.on('timeout', () => request.destroy(new Error('no answer within 15 s')));
    request.on('error', (error) => resolve({ ok: false, problem: `${error.message} ${path}` }));
  });
}

/**
 * Request i is due at start + i / rate whether or not earlier ones were answered (an open model, like many browsers),
 * and its latency counts from when it was due: a server that stalls is charged for the requests queued behind.
 */
async function readLoad(command: Extract<LoadCommand, { type: 'read-load' }>): Promise<ReadLoadResult> {
  const total = Math.round((command.ratePerSecond * command.durationMs) / 1000);
  const latencies = new Float64Array(total);
  const problems: string[] = [];
  let errors = 0;
  let maxLagMs = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const fire = (i: number, due: number) => {
    const path = command.paths[i % command.paths.length] ?? '/api/me';
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    pending.push(
      readOnce(path).then((outcome) => {
        latencies[i] = performance.now() - due;
        if (!outcome.ok) {
          errors += 1;
          const when = ((performance.now() - start) / 1000).toFixed(1);
          if (problems.length < 10)
            problems.push(
              `${outcome.problem ?? path} (due at ${((due - start) / 1000).toFixed(1)} s, failed at ${when} s)`,
            );
        }
      }),
    );
  };
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / command.ratePerSecond <= now) {
        fire(next, start + (next * 1000) / command.ratePerSecond);
        next += 1;
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + (next * 1000) / command.ratePerSecond - performance.now()));
    };
    tick();
  });
  await Promise.all(pending);
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  const at = (quantile: number) => sorted[Math.min(total - 1, Math.ceil(quantile * total) - 1)] ?? 0;
  return {
    sent: total,
    errors,
    problems,
    seconds: (performance.now() - start) / 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: at(1),
    maxLagMs,
  };
}

// ---- Commands from the main thread -------------------------------------------------------------------------------

port.on('message', async (command: LoadCommand) => {
  if (command.type === 'read-load') send({ type: 'read-load-done', result: await readLoad(command) });
  else if (command.type === 'sse-report') send({ type: 'sse-report', clients: sseClients.map((c) => c.report) });
  else if (command.type === 'close') {
    closing = true;
    for (const client of sseClients) client.request.destroy();
    readAgent.destroy();
    send({ type: 'closed' });
    port.close();
  }
});

// Opened a few at a time, as browsers coming back after a restart would, not as one burst of hundreds of handshakes.
for (let i = 0; i < setup.sseTokens.length; i += 20) {
  const batch = setup.sseTokens.slice(i, i + 20).map((token) => openSseClient(token));
  sseClients.push(...(await Promise.all(batch)));
}
send({ type: 'ready', opened: sseClients.filter((client) => client.report.opened).length });
