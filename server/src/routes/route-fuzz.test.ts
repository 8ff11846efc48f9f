import { ErrorBody, EXTENSION_ORIGIN } from '@orglink/shared';
import fc, { type Arbitrary } from 'fast-check';
import type { RouteOptions } from 'fastify';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestServer } from '../test-support.ts';
import { DeadUpstream, type FuzzWorld, type ResourceKind, seedFuzzWorld } from './fuzz/fuzz-world.ts';
import {
  HOSTILE_STRINGS,
  hostileValue,
  type JsonSchema,
  type SchemaArbitraryOptions,
  validValue,
  wrongTypeValue,
} from './fuzz/schema-arbitrary.ts';

/** Change it (FUZZ_SEED=...) to explore; a failure prints the seed and path that replay it. */
const SEED = Number(process.env.FUZZ_SEED ?? 8_000_008);
const TOTAL_CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const ANSWER_WITHIN_MS = 20_000;

/**
 * Routes that take no request body although their method could carry one: each is an action on the resource in
 * the URL. A new POST/PATCH/PUT route without a body schema must be added here on purpose, or declare its body.
 */
const BODYLESS_ROUTES = new Set([
  'POST /api/auth/signout',
  'POST /api/connections/:id/pause',
  'POST /api/connections/:id/activate',
  'POST /api/connections/:id/test',
  'POST /api/connections/:id/authorize',
  'POST /api/connections/:id/confirm-org-change',
  'POST /api/jobs/:id/run',
  'POST /api/integrations/:id/run',
  'POST /api/runs/:id/abort',
  'POST /api/runs/:id/start',
  'POST /api/dc/pairs/:id/dismiss',
  'POST /api/dc/pairs/:id/restore',
  // The CSV file itself is the body, streamed to disk; the route checks its content type and size.
  'POST /api/connections/:id/activities/uploads',
]);

/**
 * Routes that cannot answer under 400 in this fuzz, and why. Every other route must, in at least one case: a route
 * refused in every case was only fuzzed at the door. A route listed here that does succeed fails the test, so the
 * list cannot outlive its reason.
 */
const NEEDS_THE_CRM =
  'calls the CRM (login, describe or query), which is the dead upstream here; proven against the simulators in test/integration';
const NEEDS_THE_CATALOG =
  'calls the Catalog, which is the dead upstream here; proven against the Catalog simulator in test/integration';
const NEEDS_AN_OAUTH_FLOW =
  'needs a flow started by "authorize" and the CRM\'s redirect back; proven in the OAuth tests';
const NEVER_SUCCEED_HERE = new Map<string, string>([
  ['POST /api/connections/classic', NEEDS_THE_CRM],
  ['POST /api/connections/classic/test', NEEDS_THE_CRM],
  ['PATCH /api/connections/:id/classic', NEEDS_THE_CRM],
  ['GET /api/crm/:connectionId/objects/:name/fields', NEEDS_THE_CRM],
  ['HEAD /api/crm/:connectionId/objects/:name/fields', NEEDS_THE_CRM],
  ['POST /api/connections/:id/activities', NEEDS_THE_CRM],
  ['POST /api/connections/:id/activities/count', NEEDS_THE_CRM],
  ['POST /api/dc/jobs', NEEDS_THE_CRM],
  ['POST /api/integrations', NEEDS_THE_CATALOG],
  ['PATCH /api/integrations/:id', NEEDS_THE_CATALOG],
  ['GET /api/integrations/:id/mapping-options', NEEDS_THE_CATALOG],
  ['HEAD /api/integrations/:id/mapping-options', NEEDS_THE_CATALOG],
  ['GET /oauth/start/:flowId', NEEDS_AN_OAUTH_FLOW],
  ['HEAD /oauth/start/:flowId', NEEDS_AN_OAUTH_FLOW],
  ['GET /oauth/salesforce/callback', NEEDS_AN_OAUTH_FLOW],
  ['HEAD /oauth/salesforce/callback', NEEDS_AN_OAUTH_FLOW],
  ['GET /oauth/dynamics/callback', NEEDS_AN_OAUTH_FLOW],
  ['HEAD /oauth/dynamics/callback', NEEDS_AN_OAUTH_FLOW],
  ['POST /oauth/dynamics/environment', NEEDS_AN_OAUTH_FLOW],
  ['POST /oauth/consent', NEEDS_AN_OAUTH_FLOW],
  // Result rows are stored only by a query activity that read them from a CRM.
  ['GET /api/runs/:id/rows', NEEDS_THE_CRM],
  ['HEAD /api/runs/:id/rows', NEEDS_THE_CRM],
]);

/** Statuses that mean "the CRM or Catalog did not answer": fair only when the request really went upstream. */
const UPSTREAM_FAILURES = new Set([502, 503, 504]);

interface RouteEntry {
  method: string;
  url: string;
  schema: { params?: JsonSchema; querystring?: JsonSchema; body?: JsonSchema; produces?: string[] };
}

type CallerKind = 'owner' | 'admin' | 'viewer' | 'their-owner' | 'anonymous' | 'forged';

interface FuzzRequest {
  caller: CallerKind;
  origin: string | undefined;
  path: string;
  query: string;
  body?: { payload: string; contentType: string };
}

const routeTable: RouteEntry[] = [];
const upstream = new DeadUpstream();
let app: Awaited<ReturnType<typeof buildTestServer>>['app'];
let logLines: string[];
let world: FuzzWorld;

beforeAll(async () => {
  const upstreamUrl = await upstream.start();
  ({ app, logLines } = await buildTestServer(
    {
      logLevel: 'warn',
      // Thousands of sign-in and OAuth requests in seconds: the limits would answer most of them with 429 unseen.
      signInRateLimit: 100_000,
      oauthRateLimit: 100_000,
      connectionCheckMinutes: 0,
      crm: {
        sandboxUrl: `${upstreamUrl}/`,
        salesforce: {
          clientId: 'fuzz-client',
          clientSecret: 'fuzz-secret',
          loginUrl: upstreamUrl,
          sandboxLoginUrl: upstreamUrl,
        },
        dynamics: undefined,
      },
    },
    {
      onRoute: (route: RouteOptions) => {
        for (const method of [route.method].flat()) {
          routeTable.push({ method, url: route.url, schema: (route.schema ?? {}) as RouteEntry['schema'] });
        }
      },
    },
  ));
  // Queued runs stay queued: the runner's own CRM calls would otherwise blur which request went upstream.
  await app.runner.stop();
  world = await seedFuzzWorld(app, upstreamUrl);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await upstream.stop();
});

function pathParamNames(url: string): string[] {
  return [...url.matchAll(/:(\w+)/g)].map((match) => match[1] ?? '');
}

/** Percent-encodes what a browser would; lone surrogates (which cannot be encoded) become U+FFFD, as in a browser. */
function encodeSegment(value: unknown): string {
  return encodeURIComponent(wellFormed(asText(value)));
}

/** Lone surrogates cannot be percent-encoded; a browser sends U+FFFD for them (String#toWellFormed, not in our TS lib). */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

/** Generated objects may have own `toString` or `valueOf` keys, which make String() throw. */
function asText(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** The kind of resource a path parameter names, from the collection it follows ("/api/dc/runs/:id": a DC run). */
const COLLECTION_KINDS: Record<string, ResourceKind> = {
  connections: 'connection',
  crm: 'connection',
  integrations: 'integration',
  jobs: 'job',
  runs: 'run',
  'dc/runs': 'dc-run',
  'dc/pairs': 'pair',
  'dc/scenarios': 'scenario',
};

/** Values of this team that the path parameter can really name; any of its ids for a parameter of no known kind. */
function meaningfulParamValues(url: string, name: string): string[] {
  const segments = url.slice(0, url.indexOf(`/:${name}`)).split('/');
  const collection = segments.at(-1) ?? '';
  const kind = COLLECTION_KINDS[segments.slice(-2).join('/')] ?? COLLECTION_KINDS[collection];
  if (kind) return world.ids.mineByKind[kind];
  if (collection === 'records') return world.ids.recordIds;
  if (collection === 'objects') return ['Contact', 'Account', 'Lead'];
  return world.ids.mine;
}

/** Fills the route's path with this team's ids of the right kind: the request the extension would send. */
function meaningfulPathArbitrary(route: RouteEntry): Arbitrary<string> {
  const names = pathParamNames(route.url);
  const segment = (name: string) => fc.constantFrom(...meaningfulParamValues(route.url, name)).map(encodeSegment);
  return fc.tuple(...names.map(segment)).map((values) => {
    let at = 0;
    const path = route.url.replace(/:(\w+)/g, () => values[at++] ?? '').replace(/\*$/, 'index.html');
    return path.startsWith('/') ? path : `/${path}`;
  });
}

function pathArbitrary(route: RouteEntry, options: SchemaArbitraryOptions): Arbitrary<string> {
  const names = pathParamNames(route.url);
  const paramSchema = (name: string) => route.schema.params?.properties?.[name] ?? { type: 'string' };
  const segment = (name: string) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...meaningfulParamValues(route.url, name)).map(encodeSegment) },
      { weight: 1, arbitrary: fc.constantFrom(...world.ids.mine).map(encodeSegment) },
      { weight: 2, arbitrary: fc.constantFrom(...world.ids.theirs).map(encodeSegment) },
      { weight: 1, arbitrary: fc.constantFrom(...world.ids.recordIds).map(encodeSegment) },
      { weight: 3, arbitrary: hostileValue(paramSchema(name), options).map(encodeSegment) },
      // Broken percent-encoding and dot segments, sent as is.
      { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '..', '.', '%2e%2e', '%00', 'a%2Fb') },
    );
  const wildcard = fc.oneof(
    fc.constantFrom('', 'x', '../../etc/passwd', '%00', 'a/b/c'),
    fc.string({ maxLength: 20 }).map(encodeSegment),
  );
  return fc.tuple(fc.tuple(...names.map(segment)), wildcard).map(([values, rest]) => {
    let at = 0;
    const path = route.url.replace(/:(\w+)/g, () => values[at++] ?? '').replace(/\*$/, rest);
    // The catch-all "*" (CORS preflight) matches any path; a request line still starts with "/".
    return path.startsWith('/') ? path : `/${path}`;
  });
}

function toSearchParams(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `q=${encodeSegment(value)}`;
  const params = new URLSearchParams();
  for (const [key, entry] of Object.entries(value)) {
    for (const item of Array.isArray(entry) ? entry : [entry]) {
      params.append(wellFormed(key), wellFormed(asText(item)));
    }
  }
  return params.toString();
}

function queryArbitrary(route: RouteEntry, options: SchemaArbitraryOptions): Arbitrary<string> {
  const raw = fc.constantFrom('', '%zz=%', 'a=1&a=2&a=3', '__proto__[x]=1', 'constructor=1', '=', '&&&');
  if (!route.schema.querystring) return raw;
  return fc.oneof(
    { weight: 6, arbitrary: hostileValue(route.schema.querystring, options).map(toSearchParams) },
    { weight: 1, arbitrary: raw },
  );
}

const RAW_JSON_BODIES = [
  '',
  '{',
  '{"a":',
  'null',
  '[]',
  '""',
  '1e308',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  `{"a":${'['.repeat(5000)}`,
];

function bodyArbitrary(route: RouteEntry, options: SchemaArbitraryOptions): Arbitrary<FuzzRequest['body']> {
  if (route.method === 'GET' || route.method === 'HEAD' || route.method === 'OPTIONS') return fc.constant(undefined);
  const json = (value: unknown) => ({ payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' });
  const rawJson = fc.constantFrom(...RAW_JSON_BODIES).map((payload) => ({ payload, contentType: 'application/json' }));
  const otherTypes = fc.constantFrom(
    { payload: 'a,b\n=1+1,@x\n', contentType: 'text/csv' },
    { payload: 'hello', contentType: 'text/plain' },
    { payload: 'flow=x&token=y', contentType: 'application/x-www-form-urlencoded' },
    { payload: '\u0000\u0001', contentType: 'application/octet-stream' },
  );
  const schema = route.schema.body;
  if (!schema) {
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant(undefined) },
      { weight: 2, arbitrary: wrongTypeValue().map(json) },
      { weight: 1, arbitrary: rawJson },
      { weight: 2, arbitrary: otherTypes },
    );
  }
  // The OAuth pages post HTML forms: urlencoded, as a browser would.
  const form = route.url.startsWith('/oauth/');
  const structured = hostileValue(schema, options).map((value) =>
    form ? { payload: toSearchParams(value), contentType: 'application/x-www-form-urlencoded' } : json(value),
  );
  return fc.oneof(
    { weight: 10, arbitrary: structured },
    { weight: 1, arbitrary: rawJson },
    { weight: 1, arbitrary: otherTypes },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

/** Field values that name real things or that the handlers accept (a cron expression, SOQL), wherever they appear. */
function meaningfulFieldValues(): Record<string, Arbitrary<unknown>> {
  const { mineByKind, activeConnections, inviteCodes } = world.ids;
  return {
    connectionId: fc.constantFrom(...activeConnections),
    connection: fc.constantFrom(...activeConnections),
    integration: fc.constantFrom(...mineByKind.integration),
    scenarioIds: fc.constant(mineByKind.scenario),
    schedule: fc.constantFrom('0 0 * * *', '30 2 * * 1'),
    code: fc.constantFrom(...inviteCodes),
    object: fc.constantFrom('Contact', 'Account', 'Lead'),
    soql: fc.constantFrom('SELECT Id, LastName FROM Contact', "SELECT Id FROM Account WHERE Name = 'x'"),
    fields: fc.constant(['Id', 'LastName']),
    rules: fc.constant([{ field: 'Email', method: 'exact' }]),
    dpaAccepted: fc.constant(true),
    field: fc.constantFrom('LastName', 'Email'),
  };
}

function wellFormedBody(route: RouteEntry, options: SchemaArbitraryOptions): Arbitrary<FuzzRequest['body']> {
  if (route.url.endsWith('/activities/uploads')) {
    return fc.constant({ payload: 'LastName,Email\nAda,ada@example.com\n', contentType: 'text/csv' });
  }
  const schema = route.schema.body;
  if (!schema) return fc.constant(undefined);
  const form = route.url.startsWith('/oauth/');
  return validValue(schema, options).map((value) =>
    form
      ? { payload: toSearchParams(value), contentType: 'application/x-www-form-urlencoded' }
      : { payload: JSON.stringify(value) ?? 'null', contentType: 'application/json' },
  );
}

/** What the extension itself would send: the owner, its origin, ids of the right kind and values of the right shape. */
function wellFormedRequestArbitrary(route: RouteEntry, options: SchemaArbitraryOptions): Arbitrary<FuzzRequest> {
  return fc.record({
    caller: fc.constant<CallerKind>('owner'),
    origin: fc.constant<string | undefined>(EXTENSION_ORIGIN),
    path: meaningfulPathArbitrary(route),
    query: route.schema.querystring
      ? validValue(route.schema.querystring, options).map(toSearchParams)
      : fc.constant(''),
    body: wellFormedBody(route, options),
  });
}

function hostileRequestArbitrary(route: RouteEntry, options: SchemaArbitraryOptions): Arbitrary<FuzzRequest> {
  const caller = fc.constantFrom<CallerKind>(
    'owner',
    'owner',
    'owner',
    'owner',
    'owner',
    'owner',
    'admin',
    'viewer',
    'their-owner',
    'anonymous',
    'forged',
  );
  return fc
    .record({
      caller,
      // The extension, a tool without an Origin (curl), and now and then a web page the admin happens to visit.
      origin: fc.constantFrom(EXTENSION_ORIGIN, EXTENSION_ORIGIN, EXTENSION_ORIGIN, undefined, 'https://evil.example'),
      path: pathArbitrary(route, options),
      query: queryArbitrary(route, options),
      body: bodyArbitrary(route, options),
    })
    .map((request) => ({ ...request, origin: request.origin ?? undefined }));
}

function requestArbitrary(route: RouteEntry): Arbitrary<FuzzRequest> {
  const options: SchemaArbitraryOptions = {
    knownStrings: [...world.ids.mine, ...world.ids.theirs, ...world.ids.recordIds],
    byKey: meaningfulFieldValues(),
  };
  // One case in five is what the extension would send, so that every route is also shown to work, not only to refuse.
  return fc.oneof(
    { weight: 4, arbitrary: hostileRequestArbitrary(route, options) },
    { weight: 1, arbitrary: wellFormedRequestArbitrary(route, options) },
  );
}

function authorization(route: RouteEntry, caller: CallerKind): Record<string, string> {
  // Signing out revokes the token it is sent with: each case signs out a fresh one.
  const signsOut = route.url === '/api/auth/signout';
  const token = {
    owner: signsOut ? world.freshToken('owner') : world.mine.owner,
    admin: signsOut ? world.freshToken('admin') : world.mine.admin,
    viewer: signsOut ? world.freshToken('viewer') : world.mine.viewer,
    'their-owner': world.theirs.owner,
    anonymous: undefined,
    forged: 'olk_forged0000000000000000000000000000',
  }[caller];
  return token ? { authorization: `Bearer ${token}` } : {};
}

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not answer within ${ANSWER_WITHIN_MS} ms`)),
      ANSWER_WITHIN_MS,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

function errorCodeOf(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return Value.Check(ErrorBody, parsed) ? (parsed as ErrorBody).error.code : undefined;
  } catch {
    return undefined;
  }
}

/** Why an answer is wrong, or undefined when it is fine. */
function problemWith(
  route: RouteEntry,
  answer: { statusCode: number; contentType: string; body: string },
  wentUpstream: boolean,
): string | undefined {
  const { statusCode, contentType, body } = answer;
  if (statusCode >= 500) {
    if (!UPSTREAM_FAILURES.has(statusCode)) return `answered ${statusCode}`;
    if (!wentUpstream) return `answered ${statusCode} (upstream failure) without calling any upstream`;
  }
  if (statusCode < 400 || route.method === 'HEAD') return undefined;
  // The OAuth callbacks are pages in the admin's browser: a 4xx page is the right answer there.
  if (route.url.startsWith('/oauth/') && contentType.startsWith('text/html')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return `answered ${statusCode} with a body that is not JSON (${contentType}): ${body.slice(0, 200)}`;
  }
  if (!Value.Check(ErrorBody, parsed)) return `answered ${statusCode} without the error shape: ${body.slice(0, 300)}`;
  const { code, message } = (parsed as ErrorBody).error;
  if (!code.trim() || !message.trim()) return `answered ${statusCode} with an empty code or message: ${body}`;
  return undefined;
}

async function send(route: RouteEntry, request: FuzzRequest) {
  const url = request.query ? `${request.path}?${request.query}` : request.path;
  const headers: Record<string, string> = {
    ...authorization(route, request.caller),
    ...(request.body ? { 'content-type': request.body.contentType } : {}),
    ...(request.origin ? { origin: request.origin } : {}),
  };
  const streams = route.schema.produces?.includes('text/event-stream') ?? false;
  const response = await withDeadline(
    app.inject({
      method: route.method as 'GET',
      url,
      headers,
      ...(request.body ? { payload: request.body.payload } : {}),
      // An event stream never ends by itself: take the head and hang up.
      ...(streams ? { payloadAsStream: true } : {}),
    }),
    `${route.method} ${url.slice(0, 200)}`,
  );
  if (streams) {
    const stream = response.stream();
    const statusCode = response.statusCode;
    let body = '';
    if (statusCode >= 400) for await (const chunk of stream) body += String(chunk);
    stream.destroy();
    return { statusCode, contentType: String(response.headers['content-type'] ?? ''), body };
  }
  return {
    statusCode: response.statusCode,
    contentType: String(response.headers['content-type'] ?? ''),
    body: response.body,
  };
}

function fuzzOrder(routes: RouteEntry[]): RouteEntry[] {
  // Deletions and aborts last, so that the other routes meet the seeded resources alive (and held runs still held).
  const ending = (route: RouteEntry) => Number(route.method === 'DELETE' || route.url.endsWith('/abort'));
  return [...routes].sort((a, b) => ending(a) - ending(b));
}

describe('the route table', () => {
  it('declares a schema for every path parameter and every body it reads', () => {
    expect(routeTable.length).toBeGreaterThan(60);
    const missing: string[] = [];
    for (const route of routeTable) {
      const key = `${route.method} ${route.url}`;
      const declared = route.schema.params?.properties ?? {};
      const required = new Set(route.schema.params?.required ?? []);
      for (const name of pathParamNames(route.url)) {
        if (!declared[name] || !required.has(name)) missing.push(`${key}: path parameter :${name} has no schema`);
      }
      const mayHaveBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
      if (mayHaveBody && !route.schema.body && !BODYLESS_ROUTES.has(key)) {
        missing.push(`${key}: no body schema (declare one, or list it in BODYLESS_ROUTES if it reads no body)`);
      }
      if (route.schema.body && BODYLESS_ROUTES.has(key))
        missing.push(`${key}: has a body schema; remove it from BODYLESS_ROUTES`);
    }
    expect(missing).toEqual([]);
  });

  it('excuses from succeeding only routes that exist', () => {
    const keys = new Set(routeTable.map((route) => `${route.method} ${route.url}`));
    expect([...NEVER_SUCCEED_HERE.keys()].filter((key) => !keys.has(key))).toEqual([]);
  });
});

describe('hostile requests to every route', () => {
  it(`answer without a 5xx, and every error in the one error shape (${TOTAL_CASES} cases)`, async () => {
    const routes = fuzzOrder(routeTable);
    const failures: string[] = [];
    const neverSucceeded: string[] = [];
    let sent = 0;
    for (const [index, route] of routes.entries()) {
      const key = `${route.method} ${route.url}`;
      const numRuns = Math.floor(TOTAL_CASES / routes.length) + (index < TOTAL_CASES % routes.length ? 1 : 0);
      const seed = SEED + index;
      const statuses = new Map<number, number>();
      const errorCodes = new Map<string, number>();
      if (process.env.FUZZ_VERBOSE) process.stderr.write(`${key} x${numRuns}\n`);
      const details = await fc.check(
        fc.asyncProperty(requestArbitrary(route), async (request) => {
          sent += 1;
          const logsBefore = logLines.length;
          const callsBefore = upstream.connections;
          const answer = await send(route, request);
          const problem = problemWith(route, answer, upstream.connections > callsBefore);
          statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
          const code = answer.statusCode >= 400 ? errorCodeOf(answer.body) : undefined;
          if (code) errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
          if (problem) {
            const logged = logLines.slice(logsBefore).join('\n').slice(0, 2000);
            throw new Error(`${problem}\n  caller: ${request.caller}${logged ? `\n  server log: ${logged}` : ''}`);
          }
        }),
        { seed, numRuns, endOnFailure: true },
      );
      const succeeded = [...statuses].some(([status]) => status < 400);
      if (!succeeded && !NEVER_SUCCEED_HERE.has(key)) {
        neverSucceeded.push(`${key} (seed ${seed}): ${JSON.stringify(Object.fromEntries(errorCodes))}`);
      }
      if (succeeded && NEVER_SUCCEED_HERE.has(key)) {
        neverSucceeded.push(`${key} succeeded: remove it from NEVER_SUCCEED_HERE so that it keeps having to`);
      }
      if (process.env.FUZZ_VERBOSE) {
        process.stderr.write(
          `  ${JSON.stringify(Object.fromEntries(statuses))} ${JSON.stringify(Object.fromEntries(errorCodes))}\n`,
        );
      }
      if (details.failed) {
        failures.push(
          `${key} (replay: FUZZ_SEED=${SEED}, route seed ${seed}, path "${details.counterexamplePath}")\n${
            details.errorInstance instanceof Error ? details.errorInstance.message : ''
          }\n${fc.defaultReportMessage(details) ?? ''}`.slice(0, 4000),
        );
      }
    }
    expect(failures, failures.join('\n\n')).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(TOTAL_CASES);
    // A route refused (401/403/404/400) in every case was fuzzed at the door only: its handler proved nothing.
    expect(neverSucceeded, `routes with no answer under 400 (FUZZ_SEED=${SEED})`).toEqual([]);
  }, 180_000);
});

// The hostile strings must stay hostile: a "fixed" list that lost its teeth would let the fuzz pass vacuously.
describe('the fuzzer itself', () => {
  it('keeps its hostile inputs: NUL, lone surrogates, SOQL quotes, formula starts and a 100 KB string', () => {
    expect(HOSTILE_STRINGS).toEqual(
      expect.arrayContaining(['\u0000', '\ud800', "' OR Id != '", '=HYPERLINK("http://x")']),
    );
    const samples = fc.sample(wrongTypeValue(), { seed: SEED, numRuns: 500 });
    expect(samples.some((value) => typeof value === 'string' && value.length >= 100 * 1024)).toBe(true);
  });
});
