import { randomUUID } from 'node:crypto';
import type { SimResponse } from '../http.ts';
import { DataverseError } from './errors.ts';
import { parsePrefer } from './prefer.ts';
import { odataError } from './response.ts';
import { type ApiContext, type ApiRequest, executeApiRequest } from './webapi.ts';

/**
 * `$batch` (execute-batch-operations-using-web-api.md): multipart/mixed parts run in order; a change set is atomic
 * (the first failure rolls back the set and its response is that one error); `$n` refers to the URL of the row
 * created by the change-set request with `Content-ID: n`. Without `Prefer: odata.continue-on-error` the batch stops
 * at the first failure and answers with that failure's status; with it, the batch answers 200 and runs every part.
 */

interface Operation {
  contentId: string | undefined;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

type Part = { kind: 'request'; operation: Operation } | { kind: 'changeset'; operations: Operation[] };

const MAX_REQUESTS = 1000;

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

const HEADER_CASE: Record<string, string> = {
  'odata-version': 'OData-Version',
  'odata-entityid': 'OData-EntityId',
  'content-type': 'Content-Type',
  location: 'Location',
  etag: 'ETag',
  'preference-applied': 'Preference-Applied',
  req_id: 'REQ_ID',
  'retry-after': 'Retry-After',
};

function batchError(message: string): DataverseError {
  return new DataverseError(400, '0x80060888', message);
}

function boundaryOf(contentType: string | undefined): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType ?? '');
  return match?.[1] ?? match?.[2];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The bodies between `--boundary` lines (CRLF or LF), without preamble and epilogue. */
function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = new RegExp(`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?=\\r?\\n|$)`, 'g');
  const parts: string[] = [];
  let last: number | undefined;
  for (const match of body.matchAll(delimiter)) {
    if (last !== undefined) parts.push(body.slice(last, match.index).replace(/^\r?\n/, ''));
    if (match[1]) return parts;
    last = match.index + match[0].length;
  }
  if (last === undefined) throw batchError('The batch request body is not a valid multipart/mixed message.');
  throw batchError('The batch request body does not end with a closing boundary delimiter.');
}

function splitHead(text: string): { headers: Record<string, string>; rest: string; firstLine?: string } {
  const match = /\r?\n\r?\n/.exec(text);
  const head = match ? text.slice(0, match.index) : text;
  const rest = match ? text.slice(match.index + match[0].length) : '';
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const index = line.indexOf(':');
    if (index > 0) headers[line.slice(0, index).trim().toLowerCase()] = line.slice(index + 1).trim();
  }
  return { headers, rest };
}

function parseOperation(text: string): Operation {
  const mime = splitHead(text);
  const lines = mime.rest.replace(/^\s+/, '');
  // Spaces in the URL should be encoded, but clients often leave `$filter` spaces raw; take the URL up to ` HTTP/1.1`.
  const requestLine = /^([A-Z]+) +([^\r\n]+?)(?: +HTTP\/1\.[01])? *(?:\r?\n|$)/.exec(lines);
  if (!requestLine?.[1] || !requestLine[2])
    throw batchError('The batch part does not start with an HTTP request line.');
  const inner = splitHead(lines.slice(requestLine[0].length));
  return {
    contentId: mime.headers['content-id'] ?? inner.headers['content-id'],
    method: requestLine[1],
    url: requestLine[2],
    headers: inner.headers,
    body: inner.rest.trimEnd(),
  };
}

export function parseBatch(body: string, contentType: string | undefined): Part[] {
  const boundary = boundaryOf(contentType);
  if (!/^multipart\/mixed/i.test(contentType ?? '') || !boundary) {
    throw batchError("The content type of the batch request must be 'multipart/mixed' with a boundary.");
  }
  const parts: Part[] = [];
  for (const text of splitMultipart(body, boundary)) {
    const { headers, rest } = splitHead(text);
    const nested = boundaryOf(headers['content-type']);
    if (/^multipart\/mixed/i.test(headers['content-type'] ?? '') && nested) {
      const operations = splitMultipart(rest, nested).map(parseOperation);
      parts.push({ kind: 'changeset', operations });
    } else {
      parts.push({ kind: 'request', operation: parseOperation(text) });
    }
  }
  return parts;
}

const REFERENCE = /^\$(\w+)/;

/** Content-ID references must name an earlier request of the same change set (OData 11.7.3.1). */
function validate(parts: Part[]): void {
  const total = parts.reduce((sum, part) => sum + (part.kind === 'request' ? 1 : part.operations.length), 0);
  if (total > MAX_REQUESTS)
    throw batchError(`The number of requests in a batch exceeded the limit of ${MAX_REQUESTS}.`);
  for (const part of parts) {
    const operations = part.kind === 'request' ? [part.operation] : part.operations;
    const declared = new Set<string>();
    for (const operation of operations) {
      if (part.kind === 'changeset' && operation.method === 'GET') {
        throw batchError(
          "Invalid HTTP method 'GET' specified for a request in a change set. Only DELETE, PATCH, POST, and PUT requests are allowed in a change set.",
        );
      }
      const references = [
        REFERENCE.exec(operation.url)?.[1],
        ...[...operation.body.matchAll(/"\$(\w+)(?:\/[^"]*)?"/g)].map((m) => m[1]),
      ];
      for (const reference of references) {
        if (reference !== undefined && !declared.has(reference)) {
          throw batchError(`Content-ID Reference: '$${reference}' does not exist in the batch context.`);
        }
      }
      if (operation.contentId) declared.add(operation.contentId);
    }
  }
}

function resolveReferences(operation: Operation, created: Map<string, string>): Operation {
  const substitute = (text: string) => text.replace(/^\$(\w+)/, (whole, id: string) => created.get(id) ?? whole);
  return {
    ...operation,
    url: substitute(operation.url),
    body: operation.body.replace(/"\$(\w+)((?:\/[^"]*)?)"/g, (whole, id: string, tail: string) => {
      const url = created.get(id);
      return url ? JSON.stringify(`${url}${tail}`) : whole;
    }),
  };
}

/** Turns an inner URL (absolute, absolute-path or relative) into a request below the service root. */
function toApiRequest(context: ApiContext, operation: Operation): ApiRequest | undefined {
  let url: URL;
  try {
    url = new URL(operation.url, context.serviceRoot);
  } catch {
    return undefined;
  }
  const path = url.pathname;
  if (!path.toLowerCase().startsWith(context.rootPath.toLowerCase())) return undefined;
  return {
    method: operation.method,
    path: path.slice(context.rootPath.length),
    rawQuery: url.search.replace(/^\?/, ''),
    query: url.searchParams,
    headers: operation.headers,
    body: operation.body,
  };
}

export type OperationKind = 'webapi-read' | 'webapi-write' | 'whoami';

function kindOf(operation: Operation): OperationKind {
  if (/\/WhoAmI(\(\))?(\?|$)/.test(operation.url)) return 'whoami';
  return operation.method === 'GET' ? 'webapi-read' : 'webapi-write';
}

function run(context: ApiContext, operation: Operation, includeAnnotations: boolean): SimResponse {
  const request = toApiRequest(context, operation);
  try {
    if (!request)
      throw new DataverseError(
        404,
        '0x80060888',
        `No HTTP resource was found that matches the request URI '${operation.url}'.`,
      );
    return executeApiRequest(context, request);
  } catch (error) {
    if (error instanceof DataverseError)
      return odataError(error, includeAnnotations || /include-annotations/.test(operation.headers.prefer ?? ''));
    throw error;
  }
}

function serialize(response: SimResponse, contentId: string | undefined): string {
  const mime = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (contentId) mime.push(`Content-ID: ${contentId}`);
  const headers = Object.entries(response.headers).map(
    ([name, value]) => `${HEADER_CASE[name] ?? name}: ${Array.isArray(value) ? value.join(', ') : value}`,
  );
  const statusLine = `HTTP/1.1 ${response.status} ${STATUS_TEXT[response.status] ?? ''}`.trimEnd();
  return `${mime.join('\r\n')}\r\n\r\n${statusLine}\r\n${headers.join('\r\n')}\r\n\r\n${response.body ?? ''}`;
}

function multipart(boundary: string, parts: string[]): string {
  return `${parts.map((part) => `--${boundary}\r\n${part}\r\n`).join('')}--${boundary}--\r\n`;
}

export function executeBatch(
  context: ApiContext,
  body: string,
  headers: Record<string, string>,
  count: (kind: OperationKind) => void,
): SimResponse {
  const preferences = parsePrefer(headers.prefer);
  const includeAnnotations = (preferences.includeAnnotations ?? []).length > 0;
  const parts = parseBatch(body, headers['content-type']);
  validate(parts);
  const store = context.environment.store;
  const responses: string[] = [];
  let failure: number | undefined;
  for (const part of parts) {
    if (part.kind === 'request') {
      count(kindOf(part.operation));
      const response = run(context, part.operation, includeAnnotations);
      responses.push(serialize(response, part.operation.contentId));
      if (response.status >= 400) failure ??= response.status;
    } else {
      const created = new Map<string, string>();
      const results: string[] = [];
      const transaction = store.begin();
      let failed: string | undefined;
      for (const raw of part.operations) {
        count(kindOf(raw));
        const operation = resolveReferences(raw, created);
        const response = run(context, operation, includeAnnotations);
        if (response.status >= 400) {
          failure ??= response.status;
          failed = serialize(response, raw.contentId);
          break;
        }
        const location = response.headers['odata-entityid'];
        if (raw.contentId && typeof location === 'string') created.set(raw.contentId, location);
        results.push(serialize(response, raw.contentId));
      }
      if (failed) {
        transaction.rollback();
        responses.push(failed);
      } else {
        transaction.commit();
        const boundary = `changesetresponse_${randomUUID()}`;
        responses.push(
          `Content-Type: multipart/mixed; boundary=${boundary}\r\n\r\n${multipart(boundary, results).trimEnd()}`,
        );
      }
    }
    if (failure !== undefined && !preferences.continueOnError) break;
  }
  const boundary = `batchresponse_${randomUUID()}`;
  const status = failure !== undefined && !preferences.continueOnError ? failure : 200;
  const responseHeaders: Record<string, string> = {
    'odata-version': '4.0',
    'content-type': `multipart/mixed; boundary=${boundary}`,
  };
  if (preferences.continueOnError) responseHeaders['preference-applied'] = 'odata.continue-on-error';
  return { status, headers: responseHeaders, body: multipart(boundary, responses) };
}
