/**
 * The Catalog API v1 client (https://<account>.catalog.instructure.com/api/v1): token auth, page/per_page paging
 * with RFC 5988 Link headers, and the errors a sync must tell apart. Written on fetch because the API is a handful
 * of GETs; retries here are only for throttling (429 with Retry-After) and brief outages (503), bounded.
 */

/** A Catalog user as the API returns it (developerdocs.instructure.com, Users). */
export interface CatalogUser {
  id: number;
  user_name: string | null;
  first_name: string | null;
  last_name: string | null;
  email_address: string | null;
  canvas_user_id: number | null;
  time_zone: string | null;
  created_at: string;
  updated_at: string;
  custom_fields?: Record<string, string | null> | null;
  [field: string]: unknown;
}

export const CATALOG_MAX_PER_PAGE = 100;

/** The token was refused (401): the sync stops and the integration says so. */
export class CatalogTokenRejected extends Error {
  override name = 'CatalogTokenRejected';
  constructor() {
    super(
      'Catalog API token rejected. Create a new API key in Catalog (Admin > Settings > API keys) and update the integration.',
    );
  }
}

/** Anything else that kept a page from being read, after the bounded retries. */
export class CatalogUnavailable extends Error {
  override name = 'CatalogUnavailable';
}

export interface CatalogClientOptions {
  /** Base URL of the account, such as https://acme.catalog.instructure.com (or the sandbox's loopback URL). */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Retries for 429 / 503 / network errors per request. */
  maxRetries?: number;
  /** Longest wait honoured from Retry-After, in ms (a longer one fails the request instead of stalling the run). */
  maxRetryWaitMs?: number;
  /** Called once per HTTP request, for API call counting. */
  onRequest?: (path: string) => void;
}

export interface UsersPage {
  users: CatalogUser[];
  page: number;
  /** From the Link header's rel="last": how many pages there are, when the API says. */
  lastPage: number | undefined;
  hasNext: boolean;
}

export interface UsersQuery {
  page: number;
  perPage?: number;
  /** Only users updated at or after this instant (ISO 8601): the `updated_at_from` filter. */
  updatedFrom?: string;
}

export class CatalogClient {
  readonly #options: Required<Omit<CatalogClientOptions, 'onRequest'>> & Pick<CatalogClientOptions, 'onRequest'>;

  constructor(options: CatalogClientOptions) {
    this.#options = {
      fetch: globalThis.fetch.bind(globalThis),
      maxRetries: 4,
      maxRetryWaitMs: 30_000,
      ...options,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  /** One page of users, newest paging semantics of the API (page numbers from 1). */
  async usersPage(query: UsersQuery): Promise<UsersPage> {
    const { body, ...paging } = await this.usersPageBody(query);
    return { users: usersOfPageBody(body), ...paging };
  }

  /**
   * One page of users as the JSON text Catalog sent, for a caller that parses it elsewhere: the write job hands it to
   * a worker thread, so 100,000 users never become objects on the API's event loop.
   */
  async usersPageBody(query: UsersQuery): Promise<Omit<UsersPage, 'users'> & { body: string }> {
    const params = new URLSearchParams({
      page: String(query.page),
      per_page: String(query.perPage ?? CATALOG_MAX_PER_PAGE),
    });
    if (query.updatedFrom) params.set('updated_at_from', query.updatedFrom);
    const response = await this.#get(`/api/v1/users?${params}`);
    const body = await response.text();
    const links = parseLinkHeader(response.headers.get('link'));
    const last = links.last ? Number(new URL(links.last).searchParams.get('page')) : undefined;
    return {
      body,
      page: query.page,
      lastPage: Number.isInteger(last) ? last : undefined,
      hasNext: Boolean(links.next),
    };
  }

  /** Proves the token works (one small request): used when an admin links an account. */
  async checkToken(): Promise<{ lastPage: number | undefined }> {
    const page = await this.usersPage({ page: 1, perPage: 1 });
    return { lastPage: page.lastPage };
  }

  async #get(path: string): Promise<Response> {
    const { fetch: doFetch, baseUrl, token, maxRetries, maxRetryWaitMs, onRequest } = this.#options;
    let lastProblem = '';
    for (let attempt = 0; attempt <= maxRetries; attempt += 1) {
      onRequest?.(path);
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}${path}`, {
          headers: { authorization: `Token token="${token}"`, accept: 'application/json' },
          signal: AbortSignal.timeout(60_000),
        });
      } catch (error) {
        lastProblem = (error as Error).message;
        await sleep(backoffMs(attempt));
        continue;
      }
      if (response.ok) return response;
      if (response.status === 401) throw new CatalogTokenRejected();
      if (response.status === 429 || response.status === 503 || response.status === 502) {
        lastProblem = `HTTP ${response.status}`;
        const retryAfter = retryAfterMs(response.headers.get('retry-after'));
        await response.body?.cancel();
        if (retryAfter !== undefined && retryAfter > maxRetryWaitMs) break;
        await sleep(retryAfter ?? backoffMs(attempt));
        continue;
      }
      const text = (await response.text()).slice(0, 300);
      throw new CatalogUnavailable(`Catalog answered HTTP ${response.status} for ${path.split('?')[0]}: ${text}`);
    }
    throw new CatalogUnavailable(
      `Catalog did not answer ${path.split('?')[0]} after ${maxRetries + 1} tries (${lastProblem}).`,
    );
  }
}

/** The users of a users page's JSON text; anything else is Catalog answering something OrgLink cannot read. */
export function usersOfPageBody(body: string): CatalogUser[] {
  let parsed: { users?: unknown } | null;
  try {
    parsed = JSON.parse(body) as { users?: unknown } | null;
  } catch {
    throw new CatalogUnavailable('Catalog answered with a users page that is not JSON.');
  }
  if (!Array.isArray(parsed?.users)) throw new CatalogUnavailable('Catalog answered without a users list.');
  return parsed.users as CatalogUser[];
}

/** RFC 5988: `<url>; rel="next", <url>; rel="last"` into { next, last, ... }. */
export function parseLinkHeader(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const part of header.split(',')) {
    const match = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part.trim());
    if (match?.[1] && match[2]) for (const rel of match[2].split(/\s+/)) links[rel] = match[1];
  }
  return links;
}

function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s, 2 s… so throttled clients do not retry in lockstep. */
const backoffMs = (attempt: number) => Math.round(250 * 2 ** attempt * (0.5 + Math.random()));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
