import type { JobRun } from '@orglink/shared';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { CatalogAccount } from '../sim/catalog/index.ts';
import type { InjectedFaults } from '../sim/salesforce/index.ts';
import type { Sandbox } from '../sim/sandbox.ts';
import { connectDynamics, startWithAcmeConnection } from './support/connect.ts';
import { apiAs, type Member, type RunningOrgLink, rows } from './support/orglink.ts';
import { contactsByLmsId, createIntegration, unlinkAll, waitForRun } from './support/write-job.ts';

// Fault storms from the simulators while a run goes: a high share of requests refused (503, Catalog's and Dataverse's
// 429 with Retry-After), records locked, the session expiring again and again, Salesforce's concurrent-request limit;
// then the storm clears. Every record must end written once, with retries bounded and Retry-After honoured.
//
// The Salesforce storm clears once each of its faults has reached the run STORM_HITS times, and at the latest STORM_MS
// after the first one did (the run reads the Catalog first, for as long as a slow machine takes): shorter than the
// quickest five backoffs of one request (3.1 s), so no request runs out of attempts inside it. The Catalog and Dynamics storms end after a number of refusals instead, or as soon
// as one request has been refused one time short of its client's last attempt: a longer storm rightly ends the run
// as failed (their clients' own tests cover that), and the order of refusals is the simulators' seeded one.
const STORM_MS = 2_000;
/** How many times each Salesforce fault (503, UNABLE_TO_LOCK_ROW, 401) must reach the run before the storm clears. */
const STORM_HITS = 3;
/** Refusals after which the Catalog and Dynamics storms clear. */
const STORM_REFUSALS = 12;
/** The 429s' Retry-After, in seconds: long enough that a retry which ignored it would show. */
const RETRY_AFTER_SECONDS = 1;
/** A timer may fire a millisecond early (whole-ms rounding); any client that ignored Retry-After is ~1 s early. */
const TIMER_SLACK_MS = 10;

let sandbox: Sandbox;
let orglink: RunningOrgLink;
let team: Record<'owner' | 'admin' | 'viewer', Member>;
let connectionId: string;

beforeAll(async () => {
  ({ sandbox, orglink, team, connectionId } = await startWithAcmeConnection());
});
/** The storm of the test running, so that one that failed early does not blow on into the next test. */
let stormOn: SalesforceStorm | undefined;
afterEach(() => {
  stormOn?.end();
  unlinkAll(orglink.app);
  sandbox.salesforce.faults.reset();
  sandbox.dynamics.control.clearFaults();
});
afterAll(async () => {
  await orglink?.close();
  await sandbox?.close();
});

interface SalesforceStorm {
  /** Clears the storm if it is still on, and says what it did to the run (read before the reset wipes it). */
  end(): Readonly<InjectedFaults>;
}

/**
 * A Salesforce storm: 30% of API requests answered 503, 30% of record writes locked, and the session expiring again
 * each time a request met the last expiry. Counts come from the simulator, seeded afresh, so a slow machine meets the
 * same faults in the same order.
 */
function salesforceStorm(): SalesforceStorm {
  const faults = sandbox.salesforce.faults;
  const acme = sandbox.salesforce.org('acme');
  faults.reset();
  faults.set({ latencyMs: 50, unavailableShare: 0.3, lockRowShare: 0.3 });
  acme.invalidateNextSession();
  let expiries = 1;
  let injected = faults.injected();
  let over = false;
  let deadline: NodeJS.Timeout | undefined;
  const end = () => {
    if (!over) {
      over = true;
      clearInterval(watch);
      clearTimeout(deadline);
      injected = faults.injected();
      faults.reset();
    }
    return injected;
  };
  const watch = setInterval(() => {
    const now = faults.injected();
    if (!deadline && now.unavailable + now.lockRow + now.invalidSession > 0) deadline = setTimeout(end, STORM_MS);
    if (now.invalidSession >= expiries && expiries < STORM_HITS) {
      acme.invalidateNextSession();
      expiries += 1;
    }
    if (Math.min(now.unavailable, now.lockRow, now.invalidSession) >= STORM_HITS) end();
  }, 10);
  stormOn = { end };
  return stormOn;
}

/** Runs the write job now, as a click on Run Write Job does, and waits for the run to end. */
async function runNow(jobId: string): Promise<JobRun> {
  const started = orglink.app.runner.enqueue({ jobId, trigger: 'manual', startedBy: team.admin.userId });
  return waitForRun(orglink.app, team.viewer, started.id, undefined, 60_000);
}

/** The run completed, and each user is one acme Contact (created, or updated if acme had it) with their name and email. */
function expectEveryUserWrittenOnce(run: JobRun, users: ReturnType<CatalogAccount['users']>) {
  expect(run.status, run.errorMessage ?? '').toBe('completed');
  expect(run.counts).toMatchObject({ processed: users.length, failed: 0 });
  expect(run.counts.created + run.counts.updated).toBe(users.length);
  const byId = contactsByLmsId(sandbox);
  for (const user of users) {
    expect(byId.get(String(user.id)) ?? [], `user ${user.id}`).toHaveLength(1);
    expect(byId.get(String(user.id))?.[0]).toMatchObject({ LastName: user.last_name, Email: user.email_address });
  }
}

/** Each kind of fault reached the run: a storm that missed it would let the test pass without proving anything. */
function expectStormHit(injected: Readonly<InjectedFaults>) {
  process.stdout.write(`[faults] Salesforce storm injected ${JSON.stringify(injected)}\n`);
  expect(injected.unavailable, '503 answers').toBeGreaterThan(0);
  expect(injected.lockRow, 'UNABLE_TO_LOCK_ROW records').toBeGreaterThan(0);
  expect(injected.invalidSession, '401 INVALID_SESSION_ID answers').toBeGreaterThan(0);
}

it('a write run through a Salesforce storm of 503, 401 and UNABLE_TO_LOCK_ROW writes every user once', async () => {
  const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'acme' });
  const users = sandbox.catalog.account('acme').users();
  const storm = salesforceStorm();
  const run = await runNow(jobId);
  expectStormHit(storm.end());
  expectEveryUserWrittenOnce(run, users);
  expectBoundedRetries(run, Math.ceil(users.length / 200));
});

it("a write run that meets Salesforce's concurrent-request limit waits it out and writes every user once", async () => {
  const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'acme' });
  const users = sandbox.catalog.account('acme').users();
  const batches = Math.ceil(users.length / 200);
  // 403 REQUEST_LIMIT_EXCEEDED "ConcurrentPerOrgLongTxn Limit exceeded", twice: the daily limit shares the code and
  // ends a run (runner.test.ts), this one clears in seconds and must not.
  sandbox.salesforce.org('acme').refuseNextForConcurrency(2);
  const run = await runNow(jobId);
  expectEveryUserWrittenOnce(run, users);
  expect(sandbox.salesforce.faults.injected().concurrentLimit).toBe(2);
  // Each refused request was sent once more, and nothing else was.
  expect(run.apiCalls.composite, JSON.stringify(run.apiCalls)).toBe(batches + 2);
});

it('an Upsert activity through the same storm ends with every row once and says why any row failed', async () => {
  const size = 800;
  const input = Array.from({ length: size }, (_, index) => ({
    LMS_User_Id__c: `storm-${index}`,
    LastName: `Storm ${index}`,
  }));
  const storm = salesforceStorm();
  const answer = await apiAs(orglink.app, team.admin).post(`/api/connections/${connectionId}/activities`, {
    activity: 'upsert',
    object: 'Contact',
    externalIdField: 'LMS_User_Id__c',
    rows: input,
  });
  expect(answer.status).toBe(202);
  const run = await waitForRun(orglink.app, team.viewer, answer.body.run.id, undefined, 60_000);
  expectStormHit(storm.end());
  expect(run.counts.processed).toBe(size);
  const stored = contactsByLmsId(sandbox);
  const failures = rows(
    orglink.app,
    "select source_key, error_code, message from run_records where run_id = ? and action = 'failed'",
    run.id,
  );
  // A row the storm locked may fail, but only as a row, with Salesforce's reason; every other row is there once.
  for (const failure of failures) {
    expect(failure.error_code).toBe('UNABLE_TO_LOCK_ROW');
    expect(String(failure.message)).not.toBe('');
  }
  expect(run.counts.failed).toBe(failures.length);
  expect(run.status).toBe(failures.length > 0 ? 'completed-with-errors' : 'completed');
  for (const [index, row] of input.entries()) {
    const copies = stored.get(row.LMS_User_Id__c) ?? [];
    const failed = failures.some((failure) => failure.source_key === String(index + 1));
    expect(copies.length, row.LMS_User_Id__c).toBe(failed ? 0 : 1);
    if (!failed) expect(copies[0]?.LastName).toBe(row.LastName);
  }
  expectBoundedRetries(run, Math.ceil(size / 200));
  process.stdout.write(`[faults] storm upsert: ${failures.length} of ${size} rows failed UNABLE_TO_LOCK_ROW\n`);
});

it('a write run through a Catalog storm of 429 (Retry-After) and 503 reads every page and writes every user once', async () => {
  const account = sandbox.catalog.account('acme');
  addUsers(account, 700, 'catalog-storm');
  const { jobId } = createIntegration(orglink.app, sandbox, team.admin, { connectionId, account: 'acme' });
  const users = account.users();
  const pages = Math.ceil(users.length / 100);
  // The Catalog client's last attempt is its fifth.
  const storm = stormOf(5, () => account.faults.clear());
  const requests = recordRequests((url) => url.pathname === '/api/v1/users', storm.onAnswer);
  account.faults.set({ throttleRate: 0.3, failureRate: 0.3, retryAfterSeconds: RETRY_AFTER_SECONDS });
  try {
    const run = await runNow(jobId);
    expectEveryUserWrittenOnce(run, users);
    const log = requests.log;
    expect(storm.refusals(429), 'pages refused with 429').toBeGreaterThanOrEqual(2);
    expect(storm.refusals(503), 'pages refused with 503').toBeGreaterThanOrEqual(2);
    expectRetryAfterHonoured(log);
    // Bounded: every page read at most five times, and every request the run counted is one the client sent.
    const perPage = countBy(log.map((entry) => entry.url));
    expect(perPage.size).toBeGreaterThanOrEqual(pages);
    expect(Math.max(...perPage.values())).toBeLessThanOrEqual(5);
    expect(run.apiCalls.catalog).toBe(log.length);
    process.stdout.write(
      `[faults] Catalog storm: ${storm.refusals(429)}x 429, ${storm.refusals(503)}x 503; ${log.length} requests for ${pages} pages\n`,
    );
  } finally {
    requests.stop();
    account.reset();
  }
});

it('a Dynamics write run through a storm of 429 (Retry-After) and 503 writes every user once', async () => {
  const { connection } = await connectDynamics(orglink.app, team.admin, { name: 'Contoso' });
  const account = sandbox.catalog.account('globex');
  // Enough users for several $batch requests (500 records each) per round, so the storm meets many of them.
  addUsers(account, 1_800, 'dynamics-storm');
  const { jobId, integrationId } = createIntegration(orglink.app, sandbox, team.admin, {
    connectionId: connection.id,
    account: 'globex',
  });
  orglink.app.db.$client.prepare('update integrations set external_id_field = ?, field_map = ? where id = ?').run(
    'lms_userid',
    JSON.stringify([
      { target: 'firstname', source: 'first_name' },
      { target: 'lastname', source: 'last_name' },
      { target: 'emailaddress1', source: 'email_address' },
    ]),
    integrationId,
  );
  const users = account.users();
  const batches = Math.ceil(users.length / 500);
  // The writer sends its $batch requests one at a time, so a streak of refusals is one batch's; its last try is the 6th.
  const storm = stormOf(
    6,
    () => sandbox.dynamics.control.clearFaults(),
    () => 'dataverse',
  );
  const requests = recordRequests((url) => url.pathname.includes('/api/data/'), storm.onAnswer);
  sandbox.dynamics.control.setFaults({
    throttleShare: 0.3,
    unavailableShare: 0.3,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
  });
  sandbox.dynamics.control.unauthorizedOnce('contoso', 2);
  try {
    const run = await runNow(jobId);
    expect(run.status, run.errorMessage ?? '').toBe('completed');
    expect(run.counts).toMatchObject({ processed: users.length, failed: 0 });
    const byId = new Map<string, Record<string, unknown>[]>();
    for (const row of sandbox.dynamics.control.records('contoso', 'contacts') as Record<string, unknown>[]) {
      const id = String(row.lms_userid);
      byId.set(id, [...(byId.get(id) ?? []), row]);
    }
    for (const user of users) {
      expect(byId.get(String(user.id)) ?? [], `user ${user.id}`).toHaveLength(1);
      expect(byId.get(String(user.id))?.[0]).toMatchObject({ lastname: user.last_name });
    }
    const log = requests.log;
    expect(storm.refusals(429), '$batch requests refused with 429').toBeGreaterThanOrEqual(3);
    expect(storm.refusals(503), '$batch requests refused with 503').toBeGreaterThanOrEqual(3);
    expectRetryAfterHonoured(log);
    const sent = run.apiCalls.batch ?? 0;
    expect(sent).toBeGreaterThanOrEqual(batches + storm.refusals(429) + storm.refusals(503));
    expect(sent, JSON.stringify(run.apiCalls)).toBeLessThanOrEqual(batches * 6 * 6);
    process.stdout.write(
      `[faults] Dynamics storm: ${storm.refusals(429)}x 429, ${storm.refusals(503)}x 503; ${sent} $batch requests for ${batches} batches ${JSON.stringify(run.apiCalls)}\n`,
    );
  } finally {
    requests.stop();
    account.reset();
  }
}, 60_000);

function addUsers(account: CatalogAccount, count: number, prefix: string) {
  for (let index = 0; index < count; index += 1) {
    account.addUser({
      first_name: 'Storm',
      last_name: `${prefix} ${index}`,
      email_address: `${prefix}.${index}@example.org`,
    });
  }
}

/** One request a client of the in-process server sent, as it went out and as it was answered. */
interface SentRequest {
  url: string;
  sentAt: number;
  answeredAt: number;
  status: number;
  retryAfter: string | null;
}

/**
 * Records the requests of this process that `matches` selects: the server runs in process, and its Catalog and
 * Dataverse clients send through the global fetch. `onAnswer` sees each answer before the client does.
 */
function recordRequests(matches: (url: URL) => boolean, onAnswer: (answered: SentRequest) => void) {
  const original = globalThis.fetch;
  const log: SentRequest[] = [];
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!matches(url)) return original(input, init);
    const sentAt = performance.now();
    const response = await original(input, init);
    const answered: SentRequest = {
      url: url.href,
      sentAt,
      answeredAt: performance.now(),
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
    };
    log.push(answered);
    onAnswer(answered);
    return response;
  };
  return {
    log,
    stop: () => {
      globalThis.fetch = original;
    },
  };
}

/**
 * A storm that clears itself after STORM_REFUSALS refusals (429 or 503), or once one request (by `keyOf`) has been
 * refused `attempts - 1` times in a row, so its client's last attempt gets through.
 */
function stormOf(attempts: number, clear: () => void, keyOf = (answered: SentRequest) => answered.url) {
  const streaks = new Map<string, number>();
  const byStatus = new Map<number, number>();
  let total = 0;
  let cleared = false;
  return {
    refusals: (status: 429 | 503) => byStatus.get(status) ?? 0,
    onAnswer(answered: SentRequest) {
      const key = keyOf(answered);
      if (answered.status < 300) streaks.delete(key);
      if (answered.status !== 429 && answered.status !== 503) return;
      total += 1;
      byStatus.set(answered.status, (byStatus.get(answered.status) ?? 0) + 1);
      const streak = (streaks.get(key) ?? 0) + 1;
      streaks.set(key, streak);
      if (!cleared && (total >= STORM_REFUSALS || streak >= attempts - 1)) {
        cleared = true;
        clear();
      }
    },
  };
}

/** Every 429 with Retry-After was followed by the same request no sooner than it asked (and at least two were). */
function expectRetryAfterHonoured(log: SentRequest[]) {
  let checked = 0;
  for (const [index, answered] of log.entries()) {
    if (answered.status !== 429) continue;
    expect(answered.retryAfter).toBe(String(RETRY_AFTER_SECONDS));
    const retry = log.slice(index + 1).find((later) => later.url === answered.url);
    expect(retry, `the retry of ${answered.url}`).toBeDefined();
    const waited = (retry?.sentAt ?? 0) - answered.answeredAt;
    expect(waited, `wait after a 429 of ${answered.url}`).toBeGreaterThanOrEqual(
      RETRY_AFTER_SECONDS * 1_000 - TIMER_SLACK_MS,
    );
    checked += 1;
  }
  expect(checked, '429s followed by a retry').toBeGreaterThanOrEqual(2);
}

function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Each write request is retried at most 5 times (6 attempts), and locked records get their own bounded rounds. */
function expectBoundedRetries(run: JobRun, batches: number) {
  const writes = (run.apiCalls.composite ?? 0) + (run.apiCalls['rest-crud'] ?? 0);
  expect(writes).toBeGreaterThanOrEqual(batches);
  expect(writes, JSON.stringify(run.apiCalls)).toBeLessThanOrEqual(batches * 6 * 6);
  process.stdout.write(
    `[faults] storm: ${writes} write calls for ${batches} batches ${JSON.stringify(run.apiCalls)}\n`,
  );
}
