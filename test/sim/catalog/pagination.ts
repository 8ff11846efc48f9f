/** Catalog's documented paging: `?page=` (from 1) and `?per_page=` (default 20, at most 100). */
export const DEFAULT_PER_PAGE = 20;
export const MAX_PER_PAGE = 100;

export interface Paging {
  page: number;
  perPage: number;
}

function positiveInteger(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/^\d+$/.test(value.trim())) return undefined;
  const number = Number(value);
  return number >= 1 ? number : undefined;
}

/**
 * Values out of range are corrected, not refused, as Rails paginators do: a per_page above 100 is clamped to 100 (a
 * real client asking `per_page=10000` gets pages of 100), and a missing, zero or non-numeric page or per_page falls
 * back to page 1 and 20 per page.
 */
export function parsePaging(query: Record<string, unknown>): Paging {
  return {
    page: positiveInteger(query.page) ?? 1,
    perPage: Math.min(positiveInteger(query.per_page) ?? DEFAULT_PER_PAGE, MAX_PER_PAGE),
  };
}

export interface Page<T> {
  items: T[];
  totalPages: number;
}

export function pageOf<T>(all: readonly T[], paging: Paging): Page<T> {
  const start = (paging.page - 1) * paging.perPage;
  return {
    items: all.slice(start, start + paging.perPage),
    totalPages: Math.max(1, Math.ceil(all.length / paging.perPage)),
  };
}

/**
 * The RFC 5988 `Link` header: absolute URLs that keep every query parameter of the request (filters included) and
 * set `page` and `per_page`; `first` and `last` always, `prev` and `next` when such a page exists.
 */
export function linkHeader(baseUrl: string, rawUrl: string, paging: Paging, totalPages: number): string {
  const queryStart = rawUrl.indexOf('?');
  const path = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
  const query = queryStart < 0 ? '' : rawUrl.slice(queryStart + 1);
  const url = (page: number) => {
    const params = new URLSearchParams(query);
    params.set('page', String(page));
    params.set('per_page', String(paging.perPage));
    return `<${baseUrl}${path}?${params.toString()}>`;
  };
  const links = [`${url(1)}; rel="first"`];
  if (paging.page > 1) links.push(`${url(Math.min(paging.page - 1, totalPages))}; rel="prev"`);
  if (paging.page < totalPages) links.push(`${url(paging.page + 1)}; rel="next"`);
  links.push(`${url(totalPages)}; rel="last"`);
  return links.join(', ');
}
