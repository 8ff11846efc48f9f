import { SALESFORCE_API_VERSION } from './salesforce-api.ts';
import type { SalesforceClient } from './salesforce-client.ts';

export const REST_BASE = `/services/data/v${SALESFORCE_API_VERSION}`;

/** A Salesforce REST call through jsforce (token refresh on 401 included); `path` is relative to REST_BASE. */
export function salesforceRequest<T>(
  client: SalesforceClient,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  return client.call((connection) =>
    connection.request<T>({
      method,
      url: `${REST_BASE}${path}`,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    }),
  );
}

/**
 * A raw fetch against the org with the connection's token, for what jsforce would buffer: streamed uploads and
 * downloads, and responses whose headers matter (Bulk query's Sforce-Locator). A 401 makes jsforce refresh the token
 * (through a cheap REST call) and the request is sent once more; `init` is a function because a streamed body can be
 * sent only once.
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
  const first = await send();
  if (first.status !== 401) return first;
  await first.body?.cancel();
  await salesforceRequest(client, 'GET', '/limits');
  return send();
}

/** Salesforce's error body ([{ errorCode, message }]) as an Error jsforce would have thrown, for one handling path. */
export async function salesforceResponseError(response: Response): Promise<Error & { errorCode: string }> {
  const text = await response.text();
  let errorCode = `ERROR_HTTP_${response.status}`;
  let message = text.slice(0, 500);
  try {
    const parsed = JSON.parse(text) as unknown;
    const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { errorCode?: unknown; message?: unknown } | null;
    if (typeof first?.errorCode === 'string') errorCode = first.errorCode;
    if (typeof first?.message === 'string') message = first.message;
  } catch {
    // Not JSON: the status and the text are all there is.
  }
  return Object.assign(new Error(message), { errorCode, name: errorCode });
}
