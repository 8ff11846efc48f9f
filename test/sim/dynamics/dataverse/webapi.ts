import type { SimResponse } from '../http.ts';
import { csdl } from './csdl.ts';
import { attributeByProperty, ENTITIES, type EntitySpec, entityBySetName, propertyName } from './entities.ts';
import type { DataverseEnvironment } from './environment.ts';
import { DataverseError, dataverseErrors } from './errors.ts';
import { type Expansion, etagOf, formatRow } from './format.ts';
import { handleMetadata } from './metadata-api.ts';
import { parseSegment, pathSegments } from './odata-url.ts';
import { type Preferences, parsePrefer } from './prefer.ts';
import { checkQueryOptions, nextLinkFor, parseExpansions, parseSelect, runQuery } from './query.ts';
import {
  addressRow,
  changesFromBody,
  createRow,
  deleteRow,
  parseJsonBody,
  type RowAddress,
  rowOrNotFound,
  updateRow,
  type WriteOptions,
} from './records.ts';
import { odataEmpty, odataJson } from './response.ts';
import type { FieldValue, Row } from './store.ts';
import { checkLength, fromJson } from './values.ts';

/** One Web API request, already authenticated, relative to the service root (`/api/data/v9.2/`). */
export interface ApiRequest {
  method: string;
  /** Raw path below the service root, e.g. `contacts(lms_userid='a')`. */
  path: string;
  rawQuery: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
}

export interface ApiCaller {
  systemUserId: string;
}

export interface ApiContext {
  environment: DataverseEnvironment;
  caller: ApiCaller;
  /** `<base>/api/data/v9.2/`, as the client reached it. */
  serviceRoot: string;
  /** Base URL of the origin (`http://127.0.0.1:port` or `https://host`). */
  base: string;
  /** Path of the service root on the origin, e.g. `/api/data/v9.2/`. */
  rootPath: string;
}

/** `If-None-Match: null` is the header Microsoft's samples send on every request; it is not a precondition. */
function precondition(headers: Record<string, string>, name: string): string | undefined {
  const value = headers[name]?.trim();
  return value && value !== 'null' ? value : undefined;
}

function writeOptions(context: ApiContext, headers: Record<string, string>): WriteOptions {
  return {
    callerId: context.caller.systemUserId,
    detectDuplicates: headers['mscrm.suppressduplicatedetection']?.trim().toLowerCase() === 'false',
  };
}

function entityUrl(context: ApiContext, entity: EntitySpec, idOrKey: string): string {
  return `${context.serviceRoot}${entity.entitySetName}(${idOrKey})`;
}

/** The `(…)` of `@odata.context`: selected properties, then expanded navigation properties with their selection. */
function selectContext(select: ReturnType<typeof parseSelect>, expand: readonly Expansion[] = []): string {
  const parts = [
    ...(select ?? []).map(propertyName),
    ...expand.map((item) => `${item.navigation.name}(${(item.select ?? []).map(propertyName).join(',')})`),
  ];
  return parts.length > 0 ? `(${parts.join(',')})` : '';
}

function representation(
  context: ApiContext,
  entity: EntitySpec,
  row: Row,
  query: URLSearchParams,
  preferences: Preferences,
): Record<string, unknown> {
  const select = parseSelect(entity, query.get('$select'));
  const expand = parseExpansions(entity, query.get('$expand'));
  return {
    '@odata.context': `${context.serviceRoot}$metadata#${entity.entitySetName}${selectContext(select, expand)}/$entity`,
    ...formatRow(entity, row, context.environment.store, select, preferences, expand),
  };
}

function annotationsPreference(preferences: Preferences): Record<string, string> {
  return preferences.includeAnnotations
    ? { 'preference-applied': `odata.include-annotations="${preferences.includeAnnotations.join(',')}"` }
    : {};
}

/** Executes one Web API request against the environment. Throws DataverseError for error responses. */
export function executeApiRequest(context: ApiContext, request: ApiRequest): SimResponse {
  const preferences = parsePrefer(request.headers.prefer);
  const segments = pathSegments(request.path);
  const [head, ...rest] = segments;
  const method = request.method.toUpperCase();
  if (head === undefined) {
    if (method !== 'GET') throw dataverseErrors.methodNotAllowed(method);
    return odataJson(200, {
      '@odata.context': `${context.serviceRoot}$metadata`,
      value: ENTITIES.map((entity) => ({ name: entity.entitySetName, kind: 'EntitySet', url: entity.entitySetName })),
    });
  }
  if (head === '$metadata') {
    if (method !== 'GET') throw dataverseErrors.methodNotAllowed(method);
    return { status: 200, headers: { 'odata-version': '4.0', 'content-type': 'application/xml' }, body: csdl() };
  }
  if (head === 'WhoAmI' || head === 'WhoAmI()') {
    if (method !== 'GET') throw dataverseErrors.methodNotAllowed(method);
    const info = context.environment.info;
    return odataJson(200, {
      '@odata.context': `${context.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
      BusinessUnitId: info.businessUnitId,
      UserId: context.caller.systemUserId,
      OrganizationId: info.organizationId,
    });
  }
  if (head.startsWith('EntityDefinitions')) {
    if (method !== 'GET') throw dataverseErrors.methodNotAllowed(method);
    return handleMetadata(segments, request.query, context.serviceRoot);
  }
  const segment = parseSegment(head);
  const entity = entityBySetName(segment.name);
  if (!entity) throw dataverseErrors.segmentNotFound(segment.name);
  if (!segment.key) return collection(context, entity, request, rest, preferences);
  const address = addressRow(context.environment, entity, segment.key);
  if (rest.length === 0) return single(context, address, request, preferences);
  return property(context, address, request, rest, preferences);
}

function collection(
  context: ApiContext,
  entity: EntitySpec,
  request: ApiRequest,
  rest: string[],
  preferences: Preferences,
): SimResponse {
  const method = request.method.toUpperCase();
  const store = context.environment.store;
  if (rest.length === 1 && rest[0] === '$count' && method === 'GET') {
    const page = runQuery(entity, store.rows(entity.logicalName), request.query, undefined);
    const total = request.query.get('$filter') ? page.rows.length : store.count(entity.logicalName);
    return {
      status: 200,
      headers: { 'odata-version': '4.0', 'content-type': 'text/plain' },
      body: String(Math.min(total, 5000)),
    };
  }
  if (rest.length > 0) throw dataverseErrors.segmentNotFound(rest[0] ?? '');
  if (method === 'GET') {
    const page = runQuery(entity, store.rows(entity.logicalName), request.query, preferences.maxPageSize);
    const body: Record<string, unknown> = {
      '@odata.context': `${context.serviceRoot}$metadata#${entity.entitySetName}${selectContext(page.select, page.expand)}`,
    };
    if (page.count !== undefined) body['@odata.count'] = page.count;
    body.value = page.rows.map((row) => formatRow(entity, row, store, page.select, preferences, page.expand));
    if (page.nextSkipToken) {
      body['@odata.nextLink'] = nextLinkFor(
        context.base,
        `${context.rootPath}${request.path}`,
        request.rawQuery,
        page.nextSkipToken,
      );
    }
    const headers: Record<string, string> = { ...annotationsPreference(preferences) };
    if (page.appliedPageSize !== undefined) {
      headers['preference-applied'] = [headers['preference-applied'], `odata.maxpagesize=${page.appliedPageSize}`]
        .filter(Boolean)
        .join(',');
    }
    return odataJson(200, body, headers);
  }
  if (method === 'POST') {
    checkQueryOptions(request.query, new Set(['$select', '$expand']));
    const changes = changesFromBody(context.environment, entity, parseJsonBody(entity, request.body), 'create');
    const row = store.transaction(() =>
      createRow(context.environment, entity, changes, writeOptions(context, request.headers)),
    );
    const url = entityUrl(context, entity, String(row[entity.primaryIdAttribute]));
    if (preferences.returnRepresentation) {
      return odataJson(201, representation(context, entity, row, request.query, preferences), {
        'odata-entityid': url,
        location: url,
        etag: etagOf(row),
        'preference-applied': 'return=representation',
      });
    }
    return odataEmpty(204, { 'odata-entityid': url, location: url });
  }
  throw dataverseErrors.methodNotAllowed(method);
}

function single(context: ApiContext, address: RowAddress, request: ApiRequest, preferences: Preferences): SimResponse {
  const method = request.method.toUpperCase();
  const { entity } = address;
  const environment = context.environment;
  const headers = request.headers;
  if (method === 'GET') {
    checkQueryOptions(request.query, new Set(['$select', '$expand']));
    const row = rowOrNotFound(environment, address);
    const ifNoneMatch = precondition(headers, 'if-none-match');
    if (ifNoneMatch && ifNoneMatch === etagOf(row)) return odataEmpty(304, { etag: etagOf(row) });
    return odataJson(200, representation(context, entity, row, request.query, preferences), {
      etag: etagOf(row),
      ...annotationsPreference(preferences),
    });
  }
  if (method === 'DELETE') {
    const ifMatch = precondition(headers, 'if-match');
    if (ifMatch && ifMatch !== '*' && ifMatch !== etagOf(rowOrNotFound(environment, address)))
      throw dataverseErrors.versionMismatch();
    environment.store.transaction(() => deleteRow(environment, address));
    return odataEmpty(204);
  }
  if (method === 'PATCH') return upsert(context, address, request, preferences);
  throw dataverseErrors.methodNotAllowed(method);
}

/**
 * PATCH on a key is an upsert (use-upsert-insert-update-record.md): it creates or updates and answers 204 either way;
 * `If-Match: *` makes it update-only (404 when missing), `If-None-Match: *` create-only (412 when it exists). Key
 * columns in the body are dropped on update; on create the key values from the URL fill the record.
 */
function upsert(context: ApiContext, address: RowAddress, request: ApiRequest, preferences: Preferences): SimResponse {
  const { entity } = address;
  const environment = context.environment;
  const ifMatch = precondition(request.headers, 'if-match');
  const ifNoneMatch = precondition(request.headers, 'if-none-match');
  const existing = address.id ? environment.store.get(entity.logicalName, address.id) : undefined;
  const body = parseJsonBody(entity, request.body);
  const options = writeOptions(context, request.headers);
  let row: Row;
  let created: boolean;
  if (existing) {
    if (ifNoneMatch === '*') throw dataverseErrors.alreadyExists();
    if (ifMatch && ifMatch !== '*' && ifMatch !== etagOf(existing)) throw dataverseErrors.versionMismatch();
    const changes = changesFromBody(environment, entity, body, 'update');
    for (const name of address.alternateKey?.attributes ?? []) delete changes[name];
    row = environment.store.transaction(() =>
      updateRow(environment, entity, String(existing[entity.primaryIdAttribute]), changes, options),
    );
    created = false;
  } else {
    if (ifMatch) rowOrNotFound(environment, address);
    const changes = changesFromBody(environment, entity, body, 'create');
    if (address.alternateKey) {
      for (const [name, value] of Object.entries(address.keyValues)) if (!(name in changes)) changes[name] = value;
    } else {
      changes[entity.primaryIdAttribute] = address.id ?? null;
    }
    row = environment.store.transaction(() => createRow(environment, entity, changes, options));
    created = true;
  }
  const url = entityUrl(
    context,
    entity,
    address.alternateKey ? address.keyText : String(row[entity.primaryIdAttribute]),
  );
  if (preferences.returnRepresentation) {
    return odataJson(created ? 201 : 200, representation(context, entity, row, request.query, preferences), {
      'odata-entityid': url,
      etag: etagOf(row),
      'preference-applied': 'return=representation',
    });
  }
  return odataEmpty(204, { 'odata-entityid': url });
}

/** `contacts(<id>)/lastname` (GET, PUT, DELETE), `…/lastname/$value`, and `…/<navigation>/$ref` (PUT, DELETE). */
function property(
  context: ApiContext,
  address: RowAddress,
  request: ApiRequest,
  rest: string[],
  preferences: Preferences,
): SimResponse {
  const method = request.method.toUpperCase();
  const { entity } = address;
  const environment = context.environment;
  const [name = '', suffix, ...extra] = rest;
  if (extra.length > 0) throw dataverseErrors.segmentNotFound(extra[0] ?? '');
  const options = writeOptions(context, request.headers);
  const navigation = entity.navigation.find((nav) => nav.name === name);
  if (navigation && suffix === '$ref') {
    const row = rowOrNotFound(environment, address);
    const id = String(row[entity.primaryIdAttribute]);
    if (method === 'DELETE') {
      environment.store.transaction(() =>
        updateRow(environment, entity, id, { [navigation.attribute]: null }, options),
      );
      return odataEmpty(204);
    }
    if (method !== 'PUT') throw dataverseErrors.methodNotAllowed(method);
    const body = parseJsonBody(entity, request.body);
    const changes = changesFromBody(
      environment,
      entity,
      { [`${navigation.name}@odata.bind`]: body['@odata.id'] },
      'update',
    );
    environment.store.transaction(() => updateRow(environment, entity, id, changes, options));
    return odataEmpty(204);
  }
  const attribute = attributeByProperty(entity, name);
  if (!attribute) throw dataverseErrors.propertyNotFound(name, entity.logicalName);
  if (suffix !== undefined && suffix !== '$value') throw dataverseErrors.segmentNotFound(suffix);
  const row = rowOrNotFound(environment, address);
  const id = String(row[entity.primaryIdAttribute]);
  if (method === 'GET') {
    const value = formatRow(entity, row, environment.store, [attribute], preferences)[propertyName(attribute)];
    if (value === null || value === undefined) return odataEmpty(204);
    if (suffix === '$value')
      return { status: 200, headers: { 'odata-version': '4.0', 'content-type': 'text/plain' }, body: String(value) };
    return odataJson(200, {
      '@odata.context': `${context.serviceRoot}$metadata#${entity.entitySetName}(${id})/${name}`,
      value,
    });
  }
  if (method === 'PUT' || method === 'DELETE') {
    if (!attribute.validForUpdate) throw dataverseErrors.methodNotAllowed(method);
    let value: FieldValue = null;
    if (method === 'PUT') {
      const body = parseJsonBody(entity, request.body);
      if (!('value' in body)) throw dataverseErrors.payload(entity.entitySetName, "Missing 'value' property.");
      value = fromJson(entity, attribute, body.value);
      checkLength(entity, attribute, value);
    }
    environment.store.transaction(() =>
      updateRow(environment, entity, id, { [attribute.logicalName]: value }, options),
    );
    return odataEmpty(204);
  }
  throw dataverseErrors.methodNotAllowed(method);
}

export function isDataverseError(error: unknown): error is DataverseError {
  return error instanceof DataverseError;
}
