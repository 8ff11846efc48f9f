import { type AttributeSpec, attributeByProperty, type EntitySpec, entityByLogicalName } from './entities.ts';
import { DataverseError, dataverseErrors } from './errors.ts';
import {
  compareValues,
  compileFilter,
  type FilterSchema,
  type OrderClause,
  parseOrderBy,
  type Value,
} from './filter.ts';
import type { Expansion } from './format.ts';
import { parseExpand } from './odata-url.ts';
import { isLookupValue, type Row } from './store.ts';
import { edmType } from './values.ts';

/** Dataverse returns at most 5000 rows per page and counts at most 5000 (page-results.md, count-rows.md). */
export const MAX_PAGE_SIZE = 5000;

const SUPPORTED_OPTIONS = new Set(['$select', '$filter', '$orderby', '$top', '$count', '$skiptoken', '$expand']);

/** Query options Dataverse accepts that this simulator does not implement: answered 501, never silently ignored. */
const NOT_IMPLEMENTED = new Set(['$apply', '$search', '$compute', 'fetchXml', 'savedQuery', 'userQuery']);

export function entitySchema(entity: EntitySpec): FilterSchema<Row> {
  return {
    typeOf: (path) => {
      const attribute = attributeByProperty(entity, path);
      return attribute ? edmType(attribute) : undefined;
    },
    valueOf: (row, path) => {
      const attribute = attributeByProperty(entity, path);
      const value = attribute ? row[attribute.logicalName] : null;
      if (value === undefined || value === null) return null;
      return isLookupValue(value) ? value.id : value;
    },
    unknownProperty: (path) => dataverseErrors.propertyNotFound(path, entity.logicalName),
  };
}

/** `$select=firstname,lastname` -> the attributes, checked against the table (lookups as `_x_value`). */
export function parseSelect(entity: EntitySpec, text: string | null): AttributeSpec[] | undefined {
  if (text === null || text.trim() === '') return undefined;
  return text.split(',').map((name) => {
    const attribute = attributeByProperty(entity, name.trim());
    if (!attribute) throw dataverseErrors.propertyNotFound(name.trim(), entity.logicalName);
    return attribute;
  });
}

/** Rejects what Dataverse rejects (`$skip`, unknown `$` options) and says which real options are not simulated. */
export function checkQueryOptions(query: URLSearchParams, allowed = SUPPORTED_OPTIONS): void {
  for (const name of query.keys()) {
    if (allowed.has(name)) continue;
    if (NOT_IMPLEMENTED.has(name)) {
      throw new DataverseError(
        501,
        '0x80060888',
        `The OrgLink Dataverse simulator does not implement the ${name} query option.`,
      );
    }
    if (name.startsWith('$')) throw dataverseErrors.unsupportedQueryOption(name);
  }
}

/** `$expand=parentcustomerid_account($select=name)`: single-valued navigation properties with an inner `$select`. */
export function parseExpansions(entity: EntitySpec, text: string | null): Expansion[] {
  return [...parseExpand(text)].map(([name, options]) => {
    const navigation = entity.navigation.find((candidate) => candidate.name === name);
    const target = navigation ? entityByLogicalName(navigation.target) : undefined;
    if (!navigation || !target) throw dataverseErrors.propertyNotFound(name, entity.logicalName);
    for (const option of options.keys()) {
      if (option !== '$select') {
        throw new DataverseError(
          501,
          '0x80060888',
          `The OrgLink Dataverse simulator does not implement ${option} inside $expand.`,
        );
      }
    }
    return { navigation, target, select: parseSelect(target, options.get('$select')) };
  });
}

interface PagingCookie {
  page: number;
  /** Values of the ordering columns of the last row served, then its primary key. */
  last: Value[];
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function unescapeXml(text: string): string {
  return text.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
}

/**
 * The `$skiptoken` Dataverse writes: `<cookie pagenumber="2" pagingcookie="…" istracking="False" />`, where the
 * paging cookie (URL-encoded XML) holds the last and first values of each ordering column. Resuming after the last
 * values rather than at an offset keeps pages stable when rows are added or deleted between requests.
 */
function writeSkipToken(page: number, columns: string[], first: Value[], last: Value[]): string {
  const parts = columns.map((column, index) => {
    const lastValue = last[index];
    const firstValue = first[index];
    const lastAttr = lastValue === null || lastValue === undefined ? '' : ` last="${escapeXml(String(lastValue))}"`;
    const firstAttr =
      firstValue === null || firstValue === undefined ? '' : ` first="${escapeXml(String(firstValue))}"`;
    return `<${column}${lastAttr}${firstAttr} />`;
  });
  const cookie = `<cookie page="${page - 1}">${parts.join('')}</cookie>`;
  const encoded = encodeURIComponent(cookie).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
  return `<cookie pagenumber="${page}" pagingcookie="${encoded}" istracking="False" />`;
}

function readSkipToken(token: string, columns: string[], types: string[]): PagingCookie {
  const invalid = () => dataverseErrors.querySyntax('The $skiptoken query option value is not valid.');
  const page = /pagenumber="(\d+)"/.exec(token)?.[1];
  const encoded = /pagingcookie="([^"]*)"/.exec(token)?.[1];
  if (!page || encoded === undefined) throw invalid();
  let cookie: string;
  try {
    cookie = decodeURIComponent(encoded);
  } catch {
    throw invalid();
  }
  const last = columns.map((column, index) => {
    const element = new RegExp(`<${column}(\\s[^>]*)?/>`).exec(cookie);
    if (!element) throw invalid();
    const raw = /\slast="([^"]*)"/.exec(element[1] ?? '')?.[1];
    if (raw === undefined) return null;
    const text = unescapeXml(raw);
    const type = types[index] ?? '';
    if (type === 'Edm.Boolean') return text === 'true';
    if (/Int|Decimal|Double/.test(type)) return Number(text);
    return text;
  });
  return { page: Number(page), last };
}

export interface QueryPage {
  rows: Row[];
  count: number | undefined;
  nextSkipToken: string | undefined;
  /** The page size that applied when it came from `Prefer: odata.maxpagesize`. */
  appliedPageSize: number | undefined;
  select: AttributeSpec[] | undefined;
  expand: Expansion[];
}

/** Runs `$filter`, `$orderby`, `$top`, `$count` and paging over the rows of one table. */
export function runQuery(
  entity: EntitySpec,
  rows: Row[],
  query: URLSearchParams,
  maxPageSize: number | undefined,
): QueryPage {
  checkQueryOptions(query);
  const schema = entitySchema(entity);
  const select = parseSelect(entity, query.get('$select'));
  const expand = parseExpansions(entity, query.get('$expand'));
  const filterText = query.get('$filter');
  const matches = filterText ? rows.filter(compileFilter(filterText, schema)) : [...rows];
  const orderText = query.get('$orderby');
  const order: OrderClause[] = orderText ? parseOrderBy(orderText, schema) : [];
  const primary = entity.primaryIdAttribute;
  const columns = [...order.map((clause) => clause.path), primary];
  const directions = [...order.map((clause) => (clause.descending ? -1 : 1)), 1];
  const keyOf = (row: Row): Value[] => columns.map((column) => schema.valueOf(row, column));
  const compareKeys = (a: Value[], b: Value[]) => {
    for (let index = 0; index < columns.length; index += 1) {
      const result = compareValues(a[index] ?? null, b[index] ?? null) * (directions[index] ?? 1);
      if (result !== 0) return result;
    }
    return 0;
  };
  const sorted = matches.map((row) => ({ row, key: keyOf(row) })).sort((a, b) => compareKeys(a.key, b.key));

  const topText = query.get('$top');
  let top: number | undefined;
  if (topText !== null) {
    if (!/^\d+$/.test(topText))
      throw dataverseErrors.querySyntax(
        `Invalid value '${topText}' for $top query option found. The $top query option requires a non-negative integer value.`,
      );
    top = Number(topText);
  }
  const usePaging = maxPageSize !== undefined && maxPageSize > 0;
  // With a page size preference $top is ignored; without one, $top caps the result and there is no next page.
  const pageSize = usePaging ? Math.min(maxPageSize, MAX_PAGE_SIZE) : Math.min(top ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);

  let start = 0;
  let page = 1;
  const token = query.get('$skiptoken');
  if (token !== null) {
    const types = columns.map((column) => schema.typeOf(column) ?? '');
    const cookie = readSkipToken(token, columns, types);
    page = cookie.page;
    start = sorted.findIndex((entry) => compareKeys(entry.key, cookie.last) > 0);
    if (start < 0) start = sorted.length;
  }
  const slice = sorted.slice(start, start + pageSize);
  const hasMore = (usePaging || top === undefined) && start + pageSize < sorted.length;
  const firstKey = slice[0]?.key ?? [];
  const lastKey = slice[slice.length - 1]?.key ?? [];
  return {
    rows: slice.map((entry) => entry.row),
    count: query.get('$count') === 'true' ? Math.min(sorted.length, MAX_PAGE_SIZE) : undefined,
    nextSkipToken: hasMore ? writeSkipToken(page + 1, columns, firstKey, lastKey) : undefined,
    appliedPageSize: usePaging && maxPageSize <= MAX_PAGE_SIZE ? maxPageSize : undefined,
    select,
    expand,
  };
}

/** The request URL with a new `$skiptoken`, other options kept exactly as the client sent them. */
export function nextLinkFor(base: string, path: string, rawQuery: string, skipToken: string): string {
  const kept = rawQuery.split('&').filter((part) => part !== '' && !/^(\$|%24)skiptoken=/i.test(part));
  const encoded = encodeURIComponent(skipToken).replaceAll('%3D', '=').replaceAll('%2F', '/');
  return `${base}${path}?${[...kept, `$skiptoken=${encoded}`].join('&')}`;
}
