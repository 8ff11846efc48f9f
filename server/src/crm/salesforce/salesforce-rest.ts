import { SALESFORCE_API_VERSION } from './salesforce-api.ts';
import type { SalesforceClient } from './salesforce-client.ts';

export const REST_BASE = `/services/data/v${SALESFORCE_API_VERSION}`;

export interface RequestOptions {
  /** A string body sent as is with this type (e.g. text/csv); otherwise the body is sent as JSON. */
  contentType?: string;
  /** 'text/plain' reads the answer as raw text (CSV result files) instead of letting jsforce parse it. */
  responseType?: string;
}

/** A Salesforce REST call through jsforce (token refresh on 401 included); `path` is relative to REST_BASE. */
export function salesforceRequest<T>(
  client: SalesforceClient,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const { contentType = 'application/json', responseType } = options;
  return client.call(async (connection) => {
    try {
      return await connection.request<T>(
        {
          method,
          url: `${REST_BASE}${path}`,
          ...(body === undefined
            ? {}
            : {
                body: typeof body === 'string' ? body : JSON.stringify(body),
                headers: { 'content-type': contentType },
              }),
        },
        responseType ? { responseType } : {},
      );
    } catch (error) {
      throw responseType ? withSalesforceErrorCode(error) : error;
    }
  });
}

/** Salesforce's error body (`[{ errorCode, message }]`), when the text is one. */
function salesforceErrorBody(text: string): { errorCode?: string; message?: string } {
  try {
    const parsed: unknown = JSON.parse(text);
    const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { errorCode?: unknown; message?: unknown } | null;
    return {
      ...(typeof first?.errorCode === 'string' ? { errorCode: first.errorCode } : {}),
      ...(typeof first?.message === 'string' ? { message: first.message } : {}),
    };
  } catch {
    // Not JSON (an HTML error page, say): the HTTP status stays the reason.
    return {};
  }
}

/**
 * A request read as raw text gets jsforce's generic ERROR_HTTP_<status> on failure: the Salesforce error code in the
 * JSON body (REQUEST_LIMIT_EXCEEDED, SERVER_UNAVAILABLE...) is put back, as retry and limit handling read it.
 */
function withSalesforceErrorCode(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const holder = error as Error & { errorCode?: unknown };
  if (typeof holder.errorCode !== 'string' || !holder.errorCode.startsWith('ERROR_HTTP_')) return error;
  const body = salesforceErrorBody(error.message);
  if (body.errorCode) {
    holder.errorCode = body.errorCode;
    holder.name = body.errorCode;
    if (body.message) holder.message = body.message;
  }
  return error;
}

/**
 * A raw fetch against the org with the connection's token, for what jsforce would buffer: streamed uploads and
 * downloads, and responses whose headers matter (Bulk query's Sforce-Locator). A 401 makes jsforce refresh the token
 * (through a cheap REST call) and the request is sent once more; `init` is a function because a streamed body can be
 * sent only once. Any other failure throws the Error jsforce would have thrown, so both paths are handled alike.
 */
export async function salesforceFetch(
  client: SalesforceClient,
  path: string,
  init: () => RequestInit,
): Promise<Response> {
  const send = () => {
    const { instanceUrl, accessToken } = client.jsforce;
    const request = init();
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${accessToken}`);
    return fetch(`${instanceUrl}${REST_BASE}${path}`, {
      ...request,
      headers,
      signal: request.signal ?? AbortSignal.timeout(300_000),
    });
  };
  let response = await send();
  if (response.status === 401) {
    await response.body?.cancel();
    await salesforceRequest(client, 'GET', '/limits');
    response = await send();
  }
  if (!response.ok) throw await salesforceResponseError(response);
  return response;
}

/** Salesforce's error answer to a raw fetch as the Error jsforce would have thrown, for one handling path. */
async function salesforceResponseError(response: Response): Promise<Error & { errorCode: string }> {
  const text = await response.text();
  const body = salesforceErrorBody(text);
  const errorCode = body.errorCode ?? `ERROR_HTTP_${response.status}`;
  return Object.assign(new Error(body.message ?? text.slice(0, 500)), { errorCode, name: errorCode });
}
