import { request as httpsRequest } from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ListeningOrigins } from '../common/origins.ts';
import type { CatalogSimulator, UserResource } from './index.ts';
import { parseLinkHeader, startCatalog, tokenHeader } from './testing.ts';

const MARCH_1 = Date.UTC(2026, 2, 1, 12, 0, 0, 250);
let clock = MARCH_1;
let sim: CatalogSimulator;
let listening: ListeningOrigins;
let base: string;
let token: string;

const USER_KEYS = [
  'id',
  'root_account_id',
  'canvas_user_id',
  'registered_account_id',
  'canvas_root_account_uuid',
  'canvas_user_uuid',
  'user_name',
  'first_name',
  'last_name',
  'email_address',
  'custom_fields',
  'created_at',
  'updated_at',
  'merged_into_user_id',
  'time_zone',
];

beforeAll(async () => {
  ({ sim, listening } = await startCatalog({
    seed: 99,
    now: () => clock,
    accounts: [
      { subdomain: 'acme', name: 'Acme Learning', users: 257 },
      { subdomain: 'globex', hostname: 'globex.catalog.canvaslms.com', users: 40 },
    ],
  }));
  base = sim.origins.httpUrl('account:acme');
  token = sim.account('acme').apiTokens[0] as string;
});
afterAll(async () => listening.close());
beforeEach(() => {
  clock = MARCH_1;
  for (const account of sim.accounts) account.reset();
});

async function api(path: string, init: RequestInit = {}, key = token) {
  return fetch(`${base}/api/v1${path}`, { ...init, headers: { ...tokenHeader(key), ...(init.headers ?? {}) } });
}

async function allUserPages(firstUrl: string) {
  const pages: UserResource[][] = [];
  const links: Record<string, string>[] = [];
  let url: string | undefined = firstUrl;
  while (url) {
    const response = await fetch(url, { headers: tokenHeader(token) });
    expect(response.status).toBe(200);
    pages.push(((await response.json()) as { users: UserResource[] }).users);
    const link = parseLinkHeader(response.headers.get('link'));
    links.push(link);
    url = link.next;
  }
  return { pages, links, users: pages.flat() };
}

describe('describe()', () => {
  it('gives each account its loopback and real URLs, API key, admin login and user count', () => {
    const { accounts } = sim.describe();
    expect(accounts.map((account) => account.key)).toEqual(['account:acme', 'account:globex']);
    const [acme, globex] = accounts;
    expect(acme).toMatchObject({
      subdomain: 'acme',
      name: 'Acme Learning',
      hostname: 'acme.catalog.instructure.com',
      baseUrl: base,
      httpsUrl: 'https://acme.catalog.instructure.com',
      apiBaseUrl: `${base}/api/v1`,
      apiTokens: [token],
      authorizationHeader: `Token token="${token}"`,
      userCount: 257,
      admin: { username: 'admin@acme.catalog.instructure.com', loginUrl: `${base}/login` },
    });
    expect(acme?.admin.password).toMatch(/^catalog-\w{12}$/);
    expect(globex).toMatchObject({ hostname: 'globex.catalog.canvaslms.com', userCount: 40 });
    expect(globex?.baseUrl).not.toBe(base);
    expect(globex?.apiTokens[0]).not.toBe(token);
  });
});

describe('token authentication', () => {
  it('accepts the documented header and the other forms Rails token auth reads', async () => {
    for (const authorization of [
      `Token token="${token}"`,
      `Token token=${token}`,
      `Token ${token}`,
      `Bearer ${token}`,
    ]) {
      const response = await fetch(`${base}/api/v1/users?per_page=1`, { headers: { authorization } });
      expect(response.status, authorization).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });

  it('answers a missing, wrong or foreign key with 401, a Token challenge and a plain-text body', async () => {
    const globexToken = sim.account('globex').apiTokens[0] as string;
    const attempts: (Record<string, string> | undefined)[] = [
      undefined,
      { authorization: 'Token token="not-a-key"' },
      { authorization: `token token="${token}"` },
      { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}` },
      { authorization: 'Token ' },
      tokenHeader(globexToken),
    ];
    for (const headers of attempts) {
      const response = await fetch(`${base}/api/v1/users`, headers ? { headers } : {});
      expect(response.status, JSON.stringify(headers)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Token realm="Application"');
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await response.text()).toBe('HTTP Token: Access denied.\n');
    }
  });

  it('honours keys added and revoked at run time', async () => {
    const created = await fetch(`${base}/__sim/tokens`, { method: 'POST' });
    expect(created.status).toBe(201);
    const { token: fresh } = (await created.json()) as { token: string };
    expect(fresh).toMatch(/^[0-9a-f]{32}$/);
    expect((await api('/users/1', {}, fresh)).status).not.toBe(401);
    expect((await fetch(`${base}/__sim/tokens/${fresh}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api('/users?per_page=1', {}, fresh)).status).toBe(401);
    expect((await api('/users?per_page=1')).status).toBe(200);
  });
});

describe('pagination', () => {
  it('walks every page by rel="next" and sees each user exactly once, in id order', async () => {
    const { pages, links, users } = await allUserPages(`${base}/api/v1/users?per_page=100`);
    expect(pages.map((page) => page.length)).toEqual([100, 100, 57]);
    const ids = users.map((user) => user.id);
    expect(new Set(ids).size).toBe(257);
    expect(ids).toEqual(
      sim
        .account('acme')
        .users()
        .map((user) => user.id),
    );
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(links[0]).toEqual({
      first: `${base}/api/v1/users?per_page=100&page=1`,
      next: `${base}/api/v1/users?per_page=100&page=2`,
      last: `${base}/api/v1/users?per_page=100&page=3`,
    });
    expect(links[1]?.prev).toBe(`${base}/api/v1/users?per_page=100&page=1`);
    expect(links[2]).toEqual({
      first: `${base}/api/v1/users?per_page=100&page=1`,
      prev: `${base}/api/v1/users?per_page=100&page=2`,
      last: `${base}/api/v1/users?per_page=100&page=3`,
    });
  });

  it('uses 20 per page by default', async () => {
    const { pages, users } = await allUserPages(`${base}/api/v1/users`);
    expect(pages).toHaveLength(13);
    expect(pages[0]).toHaveLength(20);
    expect(pages[12]).toHaveLength(17);
    expect(new Set(users.map((user) => user.id)).size).toBe(257);
  });

  it('clamps per_page above 100 to 100 and treats nonsense as the defaults', async () => {
    const big = await api('/users?per_page=10000');
    expect(((await big.json()) as { users: unknown[] }).users).toHaveLength(100);
    expect(parseLinkHeader(big.headers.get('link')).next).toBe(`${base}/api/v1/users?per_page=100&page=2`);
    for (const query of ['per_page=0', 'per_page=abc', 'per_page=-5&page=0', 'page=abc']) {
      const response = await api(`/users?${query}`);
      const body = (await response.json()) as { users: UserResource[] };
      expect(body.users, query).toHaveLength(20);
      expect(body.users[0]?.id).toBe(sim.account('acme').users()[0]?.id);
    }
  });

  it('returns the root key with an empty array past the last page', async () => {
    const response = await api('/users?page=99&per_page=100');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ users: [] });
    const links = parseLinkHeader(response.headers.get('link'));
    expect(links.last).toBe(`${base}/api/v1/users?page=3&per_page=100`);
    expect(links.next).toBeUndefined();
  });
});

describe('users', () => {
  it('returns users with exactly the documented fields and types', async () => {
    const { users } = (await (await api('/users?per_page=100')).json()) as { users: Record<string, unknown>[] };
    const acme = sim.account('acme');
    for (const user of users) {
      expect(Object.keys(user)).toEqual(USER_KEYS);
      for (const key of ['id', 'root_account_id', 'canvas_user_id', 'registered_account_id']) {
        expect(Number.isInteger(user[key]), key).toBe(true);
      }
      expect(user.root_account_id).toBe(acme.rootAccountId);
      expect(acme.catalogs.map((catalog) => catalog.id)).toContain(user.registered_account_id);
      expect(user.canvas_root_account_uuid).toBe(acme.canvasRootAccountUuid);
      expect(user.canvas_user_uuid).toMatch(/^[A-Za-z0-9]{40}$/);
      for (const key of ['user_name', 'first_name', 'last_name', 'email_address', 'time_zone']) {
        expect(typeof user[key], key).toBe('string');
      }
      expect(user.email_address).toContain('@');
      expect(Object.values(user.custom_fields as object).every((value) => typeof value === 'string')).toBe(true);
      expect(user.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(user.updated_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/);
      expect(Date.parse(user.updated_at as string)).toBeGreaterThanOrEqual(Date.parse(user.created_at as string));
      expect(user.merged_into_user_id).toBeNull();
    }
  });

  it('gets one user by id in a `user` envelope, and 404s unknown ids with a JSON error', async () => {
    const listed = ((await (await api('/users?per_page=1&page=7')).json()) as { users: UserResource[] }).users[0];
    const response = await api(`/users/${listed?.id}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ user: listed });
    for (const id of ['999999', 'abc']) {
      const missing = await api(`/users/${id}`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await missing.json()).toEqual({ errors: [{ message: 'The specified resource does not exist.' }] });
    }
  });

  it('filters by registered_in_catalog and canvas_user_id', async () => {
    const total = sim.account('acme').userCount;
    const count = async (query: string) => {
      const { users } = await allUserPages(`${base}/api/v1/users?per_page=100&${query}`);
      return users;
    };
    const viaCatalog = await count('registered_in_catalog=true');
    const viaCanvas = await count('registered_in_catalog=false');
    expect(viaCatalog.length).toBeGreaterThan(0);
    expect(viaCanvas.length).toBeGreaterThan(0);
    expect(viaCatalog.length + viaCanvas.length).toBe(total);
    const someone = sim.account('acme').users()[42];
    const byCanvasId = await count(`canvas_user_id=${someone?.canvas_user_id}`);
    expect(byCanvasId.map((user) => user.id)).toEqual([someone?.id]);
  });

  it('filters on updated_at after changes made in process, through PUT and through /__sim/', async () => {
    const acme = sim.account('acme');
    const [a, b, c] = acme.users().slice(10, 13);
    acme.updateUser(a?.id as number, { last_name: 'Renamed' });
    const put = await api(`/users/${b?.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ custom_fields: { phone: '867-5309' } }),
    });
    expect(put.status).toBe(200);
    const patched = await fetch(`${base}/__sim/users/${c?.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email_address: 'new.address@example.org' }),
    });
    expect(patched.status).toBe(200);

    const { users: changed, links } = await allUserPages(
      `${base}/api/v1/users?per_page=2&updated_at_from=2026-03-01T00:00:00Z`,
    );
    expect(changed.map((user) => user.id)).toEqual([a?.id, b?.id, c?.id]);
    expect(changed.map((user) => user.updated_at)).toEqual(Array(3).fill('2026-03-01T12:00:00.250000Z'));
    expect(changed[0]?.last_name).toBe('Renamed');
    expect(changed[1]?.custom_fields.phone).toBe('867-5309');
    expect(changed[2]?.email_address).toBe('new.address@example.org');
    expect(links[0]?.next).toBe(`${base}/api/v1/users?per_page=2&updated_at_from=2026-03-01T00%3A00%3A00Z&page=2`);

    const { users: unchanged } = await allUserPages(
      `${base}/api/v1/users?per_page=100&updated_at_to=2026-02-28T23:59:59Z`,
    );
    expect(unchanged).toHaveLength(257 - 3);
    expect(unchanged.map((user) => user.id)).not.toContain(a?.id);

    // Both bounds are inclusive, to the millisecond the user's updated_at carries.
    const exact = await api(
      '/users?updated_at_from=2026-03-01T12:00:00.250Z&updated_at_to=2026-03-01T12:00:00.250000Z',
    );
    expect(((await exact.json()) as { users: UserResource[] }).users).toHaveLength(3);
    const offset = await api('/users?updated_at_from=2026-03-01T13:00:00%2B01:00');
    expect(((await offset.json()) as { users: UserResource[] }).users).toHaveLength(3);
  });

  it('filters on created_at, so new registrations can be picked up', async () => {
    const registered = await api('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_name: 'Ada Lovelace',
        first_name: 'Ada',
        last_name: 'Lovelace',
        email_address: 'ada@example.org',
      }),
    });
    expect(registered.status).toBe(201);
    const response = await api('/users?created_at_from=2026-03-01T00:00:00Z');
    const { users } = (await response.json()) as { users: UserResource[] };
    expect(users.map((user) => user.email_address)).toEqual(['ada@example.org']);
    const older = await api('/users?created_at_to=2026-02-01T00:00:00Z&per_page=100&page=3');
    expect(((await older.json()) as { users: UserResource[] }).users).toHaveLength(57);
  });

  it('refuses unparseable timestamps with 400', async () => {
    for (const query of ['updated_at_from=yesterday', 'created_at_to=2026-13-01T00:00:00Z']) {
      const response = await api(`/users?${query}`);
      expect(response.status, query).toBe(400);
      const body = (await response.json()) as { errors: { message: string }[] };
      expect(body.errors[0]?.message).toMatch(/must be a timestamp like 2018-01-01T00:00:00Z/);
    }
  });

  it('PUT merges custom_fields (null deletes, others stay) and bumps updated_at only on change', async () => {
    const acme = sim.account('acme');
    const user = acme
      .users()
      .find((candidate) => candidate.custom_fields.organization && candidate.custom_fields.phone);
    const id = user?.id as number;
    const before = { ...user?.custom_fields };
    const form = new URLSearchParams({ 'custom_fields[favorite_color]': '#BADA55', 'custom_fields[age]': '19' });
    const response = await api(`/users/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(response.status).toBe(200);
    const { user: updated } = (await response.json()) as { user: UserResource };
    expect(updated.custom_fields).toEqual({ ...before, favorite_color: '#BADA55', age: '19' });
    expect(updated.updated_at).toBe('2026-03-01T12:00:00.250000Z');

    clock += 60_000;
    const removal = await api(`/users/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ custom_fields: { phone: null, age: '20' } }),
    });
    const { user: removed } = (await removal.json()) as { user: UserResource };
    expect(removed.custom_fields.phone).toBeUndefined();
    expect(removed.custom_fields.age).toBe('20');
    expect(removed.custom_fields.organization).toBe(before.organization);
    expect(removed.updated_at).toBe('2026-03-01T12:01:00.250000Z');

    clock += 60_000;
    const unchanged = await api(`/users/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ custom_fields: { age: '20' } }),
    });
    expect(((await unchanged.json()) as { user: UserResource }).user.updated_at).toBe('2026-03-01T12:01:00.250000Z');

    const invalid = await api(`/users/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ custom_fields: { age: 21 } }),
    });
    expect(invalid.status).toBe(400);
    expect(((await invalid.json()) as { errors: { message: string }[] }).errors[0]?.message).toMatch(
      /must be strings or null/,
    );
    expect(acme.user(id)?.custom_fields.age).toBe('20');
  });

  it('PUT clear_merged_into_user_id clears a merge', async () => {
    const acme = sim.account('acme');
    const [kept, merged] = acme.users();
    acme.updateUser(merged?.id as number, { merged_into_user_id: kept?.id as number });
    const shown = (await (await api(`/users/${merged?.id}`)).json()) as { user: UserResource };
    expect(shown.user.merged_into_user_id).toBe(kept?.id);
    const response = await api(`/users/${merged?.id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `id=${merged?.id}&clear_merged_into_user_id=true`,
    });
    expect(((await response.json()) as { user: UserResource }).user.merged_into_user_id).toBeNull();
  });

  it('DELETE removes the user, or with only_orders_and_enrollments only their enrollments', async () => {
    const acme = sim.account('acme');
    const enrolled = acme.enrollments[0]?.user_id as number;
    const enrollmentsOf = () => acme.enrollments.filter((enrollment) => enrollment.user_id === enrolled).length;
    expect(enrollmentsOf()).toBeGreaterThan(0);
    const partial = await api(`/users/${enrolled}`, {
      method: 'DELETE',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'only_orders_and_enrollments=true',
    });
    expect(partial.status).toBe(200);
    expect(await partial.json()).toEqual({});
    expect(enrollmentsOf()).toBe(0);
    expect((await api(`/users/${enrolled}`)).status).toBe(200);

    const full = await api(`/users/${enrolled}`, { method: 'DELETE' });
    expect(full.status).toBe(200);
    expect((await api(`/users/${enrolled}`)).status).toBe(404);
    const { users } = await allUserPages(`${base}/api/v1/users?per_page=100`);
    expect(users).toHaveLength(256);
    expect((await api('/users/123456789', { method: 'DELETE' })).status).toBe(404);
  });

  it('registers users through POST, flat or wrapped in `user`, and refuses a taken login', async () => {
    const rootId = sim.account('acme').rootAccountId;
    const subId = sim.account('acme').catalogs[1]?.id;
    const flat = await api('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        user_name: 'Grace Hopper',
        first_name: 'Grace',
        last_name: 'Hopper',
        email_address: 'grace@example.org',
        custom_fields: { phone: '555-0100' },
      }),
    });
    expect(flat.status).toBe(201);
    const { user } = (await flat.json()) as { user: UserResource };
    expect(Object.keys(user)).toEqual(USER_KEYS);
    expect(user).toMatchObject({
      user_name: 'Grace Hopper',
      email_address: 'grace@example.org',
      registered_account_id: rootId,
      custom_fields: { phone: '555-0100' },
      created_at: '2026-03-01T12:00:00.250Z',
    });
    expect(user.id).toBeGreaterThan(
      Math.max(
        ...sim
          .account('acme')
          .users()
          .slice(0, -1)
          .map((u) => u.id),
      ),
    );

    const wrapped = await api('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `user[first_name]=Alan&user[last_name]=Turing&user[email_address]=alan@example.org&user[registered_account_id]=${subId}`,
    });
    expect(wrapped.status).toBe(201);
    expect(((await wrapped.json()) as { user: UserResource }).user).toMatchObject({
      user_name: 'Alan Turing',
      registered_account_id: subId,
    });

    const taken = await api('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: 'G', last_name: 'H', email_address: 'GRACE@example.org' }),
    });
    expect(taken.status).toBe(422);
    expect(await taken.json()).toEqual({ errors: [{ message: 'email_address has already been taken' }] });
    const blank = await api('/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ first_name: 'No', email_address: 'no@example.org' }),
    });
    expect(blank.status).toBe(422);
    expect(sim.account('acme').userCount).toBe(259);
  });
});

describe('catalogs, courses and enrollments', () => {
  it('lists them under their root keys with Link headers', async () => {
    const catalogs = (await (await api('/catalogs')).json()) as {
      catalogs: { id: number; parent_id: number | null }[];
    };
    expect(catalogs.catalogs.map((catalog) => catalog.parent_id)).toEqual([
      null,
      expect.any(Number),
      expect.any(Number),
    ]);

    const coursesResponse = await api('/courses?per_page=5');
    const { courses } = (await coursesResponse.json()) as { courses: Record<string, unknown>[] };
    expect(courses).toHaveLength(5);
    expect(parseLinkHeader(coursesResponse.headers.get('link')).last).toBe(`${base}/api/v1/courses?per_page=5&page=3`);
    for (const course of courses) {
      expect(course).toMatchObject({ type: 'Course', currency: 'USD', canvas_course: { id: expect.any(Number) } });
      expect(String(course.listing_url).startsWith(`${base}/`)).toBe(true);
      const page = await fetch(String(course.listing_url));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain(String(course.title));
    }
    const one = (await (await api(`/courses/${courses[0]?.id}`)).json()) as { course: unknown };
    expect(one.course).toEqual(courses[0]);

    const listing = courses[0]?.id as number;
    const expected = sim.account('acme').enrollments.filter((enrollment) => enrollment.listing_id === listing);
    const enrollments = (await (await api(`/enrollments?listing_id=${listing}&per_page=100`)).json()) as {
      enrollments: { id: number; listing_id: number; user_id: number }[];
    };
    expect(enrollments.enrollments.map((enrollment) => enrollment.id)).toEqual(expected.map((e) => e.id));
    const first = enrollments.enrollments[0];
    if (first) {
      expect(await (await api(`/enrollments/${first.id}`)).json()).toEqual({ enrollment: first });
    }
  });
});

describe('over HTTPS by the real host name', () => {
  let secure: Awaited<ReturnType<typeof startCatalog>>;
  beforeAll(async () => {
    secure = await startCatalog({ seed: 5, accounts: [{ subdomain: 'acme', users: 30 }] }, { https: true });
  });
  afterAll(async () => secure.listening.close());

  it('writes https://<host> into Link headers', async () => {
    const key = secure.sim.account('acme').apiTokens[0] as string;
    const { status, link } = await new Promise<{ status: number; link: string }>((resolve, reject) => {
      httpsRequest(
        {
          host: '127.0.0.1',
          port: secure.sim.origins.httpsPort,
          path: '/api/v1/users?per_page=10',
          headers: { host: 'acme.catalog.instructure.com', authorization: `Token token="${key}"` },
          ca: secure.listening.certificate,
          servername: 'acme.catalog.instructure.com',
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve({ status: response.statusCode ?? 0, link: String(response.headers.link) }));
        },
      )
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
    expect(parseLinkHeader(link)).toEqual({
      first: 'https://acme.catalog.instructure.com/api/v1/users?per_page=10&page=1',
      next: 'https://acme.catalog.instructure.com/api/v1/users?per_page=10&page=2',
      last: 'https://acme.catalog.instructure.com/api/v1/users?per_page=10&page=3',
    });
  });
});
